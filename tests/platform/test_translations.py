"""The UI speaks Dutch under /nl/, and the project's catalogue has no holes."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
# Folders that hold no UI string (tests, benchmarks, tooling) or no source at all.
NOT_SOURCES = {".git", ".venv", "var", "tests", "bench", "scripts", "docs", "media", "staticfiles"}
PLANTED = "Chaîne témoin sans traduction (test des catalogues)"


def po_entries(path: Path) -> list[polib.POEntry]:
    """Every live entry of a catalogue (no header, no obsolete ``#~`` entry)."""
    return [entry for entry in polib.pofile(str(path)) if entry.msgid and not entry.obsolete]


def key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def has_translation(entry: polib.POEntry) -> bool:
    """Every msgstr is filled in. Fuzzy entries count: ``compilemessages --use-fuzzy`` ships
    them (they only await a reviewer)."""
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def untranslated(path: Path) -> list[str]:
    return [
        entry.msgid
        for entry in po_entries(path)
        if not has_translation(entry) and "fuzzy" not in entry.flags
    ]


def committed_nl_catalogues() -> list[Path]:
    """The project catalogue and every app's: all that Django merges for a Dutch reader."""
    return sorted(
        path
        for path in ROOT.rglob("locale/nl/LC_MESSAGES/django.po")
        if not set(path.relative_to(ROOT).parts) & NOT_SOURCES
    )


def test_committed_nl_catalogue_has_no_untranslated_entry():
    catalogue = ROOT / "locale/nl/LC_MESSAGES/django.po"
    assert len(po_entries(catalogue)) > 80
    for path in committed_nl_catalogues():
        assert untranslated(path) == [], path


def test_nl_catalogues_cover_every_string_of_the_whole_project(tmp_path):
    """Re-extract every string of every template and app into one fresh catalogue, then
    look each one up in the merged committed catalogues (project locale/ + every app's
    locale/, fuzzy entries included as compilemessages --use-fuzzy ships them): what a
    Dutch reader sees. A planted untranslated template string proves the check can fail."""
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns("*.pyc", "*.mo", "locale", "__pycache__", "node_modules")
    copy.mkdir()
    for entry in ROOT.iterdir():
        if entry.name in NOT_SOURCES | {"locale"} or entry.name.startswith("."):
            continue
        if entry.is_dir():
            shutil.copytree(entry, copy / entry.name, ignore=ignore)
        elif entry.suffix in {".py", ".html", ".txt"}:
            shutil.copy(entry, copy / entry.name)
    (copy / "templates" / "zz_planted.html").write_text(
        '{% load i18n %}{% translate "' + PLANTED + '" %}\n', encoding="utf-8"
    )
    (copy / "locale").mkdir()  # empty: every string lands in one fresh catalogue
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nl", "--ignore=var"],
        cwd=copy,
        env={**os.environ, "MAILLAGE_VAR_DIR": str(tmp_path / "var")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    extracted = po_entries(copy / "locale/nl/LC_MESSAGES/django.po")
    assert len(extracted) > 200
    catalogues = committed_nl_catalogues()
    assert len(catalogues) >= 2
    translated = {
        key(entry) for path in catalogues for entry in po_entries(path) if has_translation(entry)
    }
    missing = sorted({entry.msgid for entry in extracted if key(entry) not in translated})
    assert PLANTED in missing, "the check cannot see an untranslated string"
    missing.remove(PLANTED)
    assert missing == []


@pytest.mark.django_db
def test_home_page_in_dutch(client, reference_data):
    html = client.get("/nl/").content.decode()
    assert '<html lang="nl">' in html
    for text in ("Naar de inhoud", "Hoofdnavigatie", "De vijf zorgzones", "Gewestelijke helpdesk"):
        assert text in html
    for french in ("Aller au contenu", "Navigation principale", "Helpdesk régional"):
        assert french not in html
    assert "Noord" in html and "Centrum-West" in html  # bassin names from the _nl columns


@pytest.mark.django_db
def test_bassin_page_in_dutch(client, reference_data):
    html = client.get("/nl/noord/").content.decode()
    for text in ("Naar de inhoud", "Grondgebied", "Helpdesk van de zorgzone", "Prioritaire thema"):
        assert text in html
    assert "Sint-Agatha-Berchem" in html and "Laken, Neder-Over-Heembeek en Haren" in html
    assert "Bevolking: 223.509 inwoners op 01/01/2024." in html
    assert "Maandag tot vrijdag, 9u-17u" in html


@pytest.mark.django_db
def test_bassin_page_in_french(client, reference_data):
    html = client.get("/fr/nord/").content.decode()
    for text in ("Aller au contenu", "Territoire", "Helpdesk du bassin", "Berchem-Sainte-Agathe"):
        assert text in html
    assert re.search(
        r"Population : 223\s?509 habitant·es au 01/01/2024\.", html.replace("\xa0", " ")
    )
