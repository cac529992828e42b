import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """Compile the project's catalogues when a .po is newer than its .mo (as setup does:
    fuzzy entries are used, they only await a reviewer)."""
    changed = False
    for po in (ROOT / "locale").glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--use-fuzzy", "-o", str(mo), str(po)], check=True)
            changed = True
    if changed:
        from django.utils import translation
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None
        translation.deactivate()
    yield
