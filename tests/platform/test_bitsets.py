"""core.bitsets, the sets of positions both per-process indexes (agenda, directory) are
made of, agree with Python sets."""

from hypothesis import given
from hypothesis import strategies as st

from core.bitsets import bits_of, positions_of, span, union

SIZE = 300
positions = st.sets(st.integers(min_value=0, max_value=SIZE - 1))


@given(positions)
def test_positions_come_back_in_order(chosen):
    bits = bits_of(chosen, SIZE)
    assert positions_of(bits) == sorted(chosen)
    assert bits.bit_count() == len(chosen)


@given(st.integers(0, SIZE), st.integers(0, SIZE))
def test_a_span_holds_the_positions_from_first_to_before_stop(first, stop):
    assert positions_of(span(first, stop)) == list(range(first, stop))


@given(st.dictionaries(st.text(max_size=3), positions, max_size=6), st.lists(st.text(max_size=3)))
def test_union_is_the_rows_having_any_of_the_keys(rows_by_key, keys):
    bits_by_key = {key: bits_of(rows, SIZE) for key, rows in rows_by_key.items()}
    expected = set().union(*(rows_by_key.get(key, set()) for key in keys))
    assert positions_of(union(bits_by_key, keys)) == sorted(expected)
