"""Sets of positions as Python ``int`` bit sets, for the per-process indexes.

The directory's search index and the agenda's index keep one bit per row (a service,
a date) in a Python ``int`` per facet value: a filter is an AND or an OR, a count a
``bit_count``, both in C over machine words, where a loop over the rows in Python
costs a microsecond per row and per test.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

_BYTE_BITS = [tuple(b for b in range(8) if byte >> b & 1) for byte in range(256)]


def positions_of(bits: int) -> list[int]:
    """The positions of the set bits of ``bits``, lowest first."""
    found: list[int] = []
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for index, byte in enumerate(data):
        if byte:
            base = index * 8
            found.extend(base + b for b in _BYTE_BITS[byte])
    return found


def bits_of(positions: Iterable[int], size: int) -> int:
    """The bit set of these positions (each below ``size``)."""
    buffer = bytearray(size // 8 + 1)
    for p in positions:
        buffer[p >> 3] |= 1 << (p & 7)
    return int.from_bytes(buffer, "little")


def span(first: int, stop: int) -> int:
    """The bit set of the positions ``first`` to ``stop - 1``."""
    if stop <= first:
        return 0
    return ((1 << (stop - first)) - 1) << first


def union(bits_by_key: Mapping[Hashable, int], keys: Iterable[Hashable]) -> int:
    """The bit set of the rows having any of ``keys`` (a facet's OR); unknown keys add
    nothing."""
    bits = 0
    for key in keys:
        bits |= bits_by_key.get(key, 0)
    return bits
