"""core.csvfiles: the one CSV writer neutralises formula cells (OWASP CSV injection)."""

import csv
import io

import pytest

from core.csvfiles import csv_response, csv_text, safe_cell
from tests.csvcheck import POISON, formula_cells


@pytest.mark.parametrize("value", POISON)
def test_a_cell_starting_like_a_formula_is_kept_as_text(value):
    assert safe_cell(value) == "'" + value
    document = csv_text(["name"], [[value]])
    assert formula_cells(document) == []
    assert list(csv.reader(io.StringIO(document.lstrip("\ufeff"), newline="")))[1] == ["'" + value]


@pytest.mark.parametrize("value", ["Ana", "02 217 88 05", "2026-03-01", "10:00", "", "a=b", None])
def test_ordinary_cells_are_written_unchanged(value):
    assert safe_cell(value) == ("" if value is None else value)


def test_rows_may_be_mappings_keyed_by_the_header():
    document = csv_text(["a", "b"], [{"b": "=1", "a": "x"}, {"a": "y"}], bom=False)
    assert document == "a,b\r\nx,'=1\r\ny,\r\n"


def test_the_header_is_neutralised_too_and_the_response_is_an_attachment():
    response = csv_response("x.csv", ["=name"], [])
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert formula_cells(response.content.decode("utf-8")) == []


@pytest.mark.parametrize("value", ["a\rb", "a\nb", "a\r\nb", "\r=1+1", 'say "hi", then go'])
def test_a_line_break_or_quote_inside_a_cell_never_splits_a_row(value):
    document = csv_text(["a", "b"], [[value, "next"]], bom=False)
    rows = list(csv.reader(io.StringIO(document, newline="")))
    assert len(rows) == 2 and rows[1][1] == "next"
    assert rows[1][0] in (value, "'" + value)
