"""The UI speaks Dutch under /nl/, and the project's catalogue has no holes."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Folders that hold no UI string (tests, benchmarks, tooling) or no source at all.
NOT_SOURCES = {".git", ".venv", "var", "tests", "bench", "scripts", "docs", "media", "staticfiles"}
PLANTED = "Chaîne témoin sans traduction (test des catalogues)"


def po_entries(path: Path) -> list[dict]:
    """A small .po reader: context, msgid, msgstr and flags of every live entry."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = {
            flag.strip() for line in lines if line.startswith("#,") for flag in line[2:].split(",")
        }
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            match = re.match(r'^(msgctxt|msgid|msgstr|msgid_plural|msgstr\[\d\]) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            translations = [v for k, v in fields.items() if k.startswith("msgstr")]
            entries.append(
                {
                    "key": (fields.get("msgctxt", ""), fields["msgid"]),
                    "msgid": fields["msgid"],
                    "translated": all(translations),
                    "flags": flags,
                }
            )
    return entries


def untranslated(path: Path) -> list[str]:
    return [
        e["msgid"] for e in po_entries(path) if not e["translated"] and "fuzzy" not in e["flags"]
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
        entry["key"] for path in catalogues for entry in po_entries(path) if entry["translated"]
    }
    missing = sorted({e["msgid"] for e in extracted if e["key"] not in translated})
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
    html = client.get("/nl/nord/").content.decode()
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
