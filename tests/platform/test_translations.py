"""The UI speaks Dutch under /nl/, and the project's catalogue has no holes."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The templates and code whose strings live in the project catalogue (locale/).
OWN_TEMPLATES = ["base.html", "404.html", "500.html", "components", "bassins", "core", "email"]


def po_entries(path: Path) -> list[dict]:
    """A small .po reader: msgid, msgstr and flags of every live (non-obsolete) entry."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = {
            flag.strip() for line in lines if line.startswith("#,") for flag in line[2:].split(",")
        }
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            match = re.match(r'^(msgid|msgstr|msgid_plural|msgstr\[\d\]) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            translations = [v for k, v in fields.items() if k.startswith("msgstr")]
            entries.append(
                {"msgid": fields["msgid"], "translated": all(translations), "flags": flags}
            )
    return entries


def untranslated(path: Path) -> list[str]:
    return [
        e["msgid"] for e in po_entries(path) if not e["translated"] and "fuzzy" not in e["flags"]
    ]


def test_committed_nl_catalogue_has_no_untranslated_entry():
    catalogue = ROOT / "locale/nl/LC_MESSAGES/django.po"
    assert len(po_entries(catalogue)) > 80
    assert untranslated(catalogue) == []


def test_nl_catalogue_covers_every_string_of_the_project_templates_and_code(tmp_path):
    """Re-extract the strings from the sources into a copy: nothing new may be missing."""
    for folder in ("platform", "events", "directory", "newsletters", "static"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.pyc"))
    for name in OWN_TEMPLATES:
        source = ROOT / "templates" / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / "templates" / name)
        elif source.exists():
            (tmp_path / "templates").mkdir(exist_ok=True)
            shutil.copy(source, tmp_path / "templates" / name)
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    shutil.copytree(ROOT / "locale", tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "nl",
            "--ignore=events",
            "--ignore=directory",
            "--ignore=newsletters",
            "--ignore=var",
        ],
        cwd=tmp_path,
        env={**os.environ, "MAILLAGE_VAR_DIR": str(tmp_path / "var")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    regenerated = tmp_path / "locale/nl/LC_MESSAGES/django.po"
    assert untranslated(regenerated) == []
    # msgmerge guesses a translation for a new string from a similar one and marks it
    # fuzzy: a string fuzzy now but not in the committed catalogue is a new, untranslated one.
    committed = ROOT / "locale/nl/LC_MESSAGES/django.po"
    reviewed_fuzzy = {e["msgid"] for e in po_entries(committed) if "fuzzy" in e["flags"]}
    guessed = [
        e["msgid"]
        for e in po_entries(regenerated)
        if "fuzzy" in e["flags"] and e["msgid"] not in reviewed_fuzzy
    ]
    assert guessed == []


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
