"""The one CSV writer of the project: every export (directory CSV and HSDS package, My
list, open-door participants) goes through it.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run
as a formula by spreadsheet programs (a visitor's name ``=HYPERLINK(...)`` becomes a
live link in the host's file). Such a cell gets a leading apostrophe, as OWASP's "CSV
injection" advice says: spreadsheets show the text, and a program reading the CSV gets
the value with one visible extra character. The standard ``csv`` module does the
quoting.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from django.http import HttpResponse

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # lets spreadsheet programs read the file as UTF-8


def safe_cell(value) -> str:
    """``value`` as CSV cell text that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence | Mapping], *, bom: bool = True) -> str:
    """A whole CSV document: ``header`` then ``rows`` (sequences, or mappings keyed by
    the header's names; a missing key is an empty cell), every cell made safe.

    Lines end with CRLF (RFC 4180), which also makes the writer quote a cell holding
    a lone CR or LF, so such a cell can never split a row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        values = [row.get(name) for name in header] if isinstance(row, Mapping) else row
        writer.writerow([safe_cell(value) for value in values])
    return (BOM if bom else "") + buffer.getvalue()


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence | Mapping]
) -> HttpResponse:
    """An attachment download of ``csv_text(header, rows)``."""
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
