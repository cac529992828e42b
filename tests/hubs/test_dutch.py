"""Dutch speakers are served as well as French ones: Dutch URLs (French-slug URLs under
/nl/ answer a permanent redirect), one Dutch word for bassin, Dutch punctuation, a
Dutch-only event proposal, and no French left on the Dutch pages."""

import datetime
import html as html_lib
import re
from pathlib import Path

import polib
import pytest

from bassins.models import BassinPage
from bassins.pages import ensure_site_pages
from directory.models import Organisation, Service
from events.models import Event, EventKind
from events.opendoors.models import OpenDoorWeek

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "old, new",
    [
        ("/nl/nord/", "/nl/noord/"),
        ("/nl/centre-ouest/?x=1", "/nl/centrum-west/?x=1"),
        ("/nl/a-propos/", "/nl/over-ons/"),
        ("/nl/repertoire/", "/nl/sociale-kaart/"),
        ("/nl/repertoire/lexique/", "/nl/sociale-kaart/woordenlijst/"),
        ("/nl/portes-ouvertes/", "/nl/opendeurdagen/"),
        ("/nl/info-prevention/inscription/", "/nl/info-preventie/inschrijving/"),
        ("/nl/trouver-mon-bassin/?q=1030", "/nl/mijn-zorgzone-vinden/?q=1030"),
        ("/fr/noord/", "/fr/nord/"),
        ("/fr/sociale-kaart/", "/fr/repertoire/"),
        ("/nl/repertoire/ma-liste/", "/nl/sociale-kaart/mijn-lijst/"),
        ("/nl/sociale-kaart/quelle-ligne/", "/nl/sociale-kaart/welke-lijn/"),
        ("/nl/agenda/mois/?month=2026-12", "/nl/agenda/maand/?month=2026-12"),
        ("/nl/agenda/nord/mois/", "/nl/agenda/noord/maand/"),
        ("/nl/agenda/nord-est/", "/nl/agenda/noordoost/"),
        ("/fr/agenda/noordoost/", "/fr/agenda/nord-est/"),
        ("/nl/agenda/proposer/", "/nl/agenda/voorstellen/"),
        ("/fr/repertoire/mijn-lijst/", "/fr/repertoire/ma-liste/"),
        ("/fr/agenda/maand/", "/fr/agenda/mois/"),
    ],
)
def test_urls_with_the_other_languages_words_redirect_permanently(reference_data, client, old, new):
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new)
    assert client.get(new).status_code in (200, 302)


@pytest.mark.parametrize(
    "path",
    [
        "/nl/noord/",
        "/nl/zuidoost/",
        "/nl/over-ons/",
        "/nl/privacy/",
        "/nl/sociale-kaart/",
        "/nl/opendeurdagen/",
        "/nl/info-preventie/",
        "/nl/agenda/",
    ],
)
def test_dutch_pages_answer_at_their_dutch_url(reference_data, client, path):
    assert client.get(path).status_code == 200


def test_dutch_navigation_links_use_dutch_words(reference_data, client):
    html = client.get("/nl/").content.decode()
    for href in ("/nl/sociale-kaart/", "/nl/opendeurdagen/", "/nl/info-preventie/", "/nl/noord/"):
        assert f'href="{href}"' in html
    for french in ("/nl/repertoire/", "/nl/portes-ouvertes/", "/nl/nord/", "/nl/a-propos/"):
        assert f'href="{french}"' not in html


@pytest.mark.parametrize(
    "path, target",
    [
        ("/fr/repertoire/?q=dettes", "/nl/sociale-kaart/?q=dettes"),
        ("/nl/opendeurdagen/", "/fr/portes-ouvertes/"),
        ("/fr/nord/", "/nl/noord/"),
        ("/fr/repertoire/ma-liste/", "/nl/sociale-kaart/mijn-lijst/"),
        ("/nl/agenda/maand/?month=2026-12", "/fr/agenda/mois/?month=2026-12"),
        ("/fr/repertoire/quelle-ligne/", "/nl/sociale-kaart/welke-lijn/"),
        ("/fr/agenda/nord-est/mois/", "/nl/agenda/noordoost/maand/"),
        ("/nl/agenda/noordoost/", "/fr/agenda/nord-est/"),
    ],
)
def test_language_switch_maps_between_french_and_dutch_urls(reference_data, client, path, target):
    html = client.get(path).content.decode()
    other = "nl" if path.startswith("/fr/") else "fr"
    match = re.search(rf'href="([^"]+)" lang="{other}"', html)
    assert html_lib.unescape(match.group(1)) == target


def test_pages_made_with_french_slugs_get_their_dutch_slug(reference_data, client):
    page = BassinPage.objects.get(locale__language_code="nl", bassin__slug="nord")
    page.slug = "nord"
    page.save_revision().publish()
    ensure_site_pages(log=lambda message: None)
    page.refresh_from_db()
    assert page.slug == "noord"
    assert client.get("/nl/noord/").status_code == 200


def test_dutch_uses_one_word_for_bassin():
    """ "zorgzone" everywhere in the Dutch catalogues (not "bassin" nor "zorgbassin")."""
    offenders = []
    for po_path in ROOT.glob("**/locale/nl/LC_MESSAGES/django.po"):
        if ".venv" in po_path.parts:
            continue
        for entry in polib.pofile(str(po_path)):
            if entry.msgctxt == "url":  # routes: <slug:bassin> names a view argument
                continue
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if re.search(r"bassin", re.sub(r"%\(\w+\)s|\{\{[^}]*\}\}", "", text), re.I):
                    offenders.append(f"{po_path.relative_to(ROOT)}: {text}")
    assert offenders == []


def test_labels_take_no_french_space_before_the_colon_in_dutch(reference_data, client):
    nl = client.get("/nl/sociale-kaart/").content.decode()
    fr = client.get("/fr/repertoire/").content.decode()
    assert "Openingsuren:" in nl and "Openingsuren :" not in nl
    assert "Horaires :" in fr


def test_a_dutch_only_event_proposal_is_accepted(reference_data, client, mailoutbox):
    day = datetime.date.today() + datetime.timedelta(days=10)
    response = client.post(
        "/nl/agenda/voorstellen/",
        {
            "title_nl": "Vorming eerste hulp",
            "description_nl": "Voor maatschappelijk werkers.",
            "kind": EventKind.objects.get(slug="formation").pk,
            "date": day.isoformat(),
            "start_time": "09:30",
            "end_time": "12:00",
            "venue_name": "Gemeenschapscentrum",
            "postal_code": "1030",
            "audience": "professionals",
            "language_list": ["nl"],
            "organiser": "VZW Voorbeeld",
            "proposer_name": "An Peeters",
            "proposer_email": "an@example.org",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(title_nl="Vorming eerste hulp")
    assert event.title_fr == ""
    assert str(event) == "Vorming eerste hulp"  # the French reader sees the Dutch title
    assert "Vorming eerste hulp" in mailoutbox[0].subject


def test_a_proposal_needs_a_title_and_a_description_in_one_language(reference_data, client):
    response = client.post(
        "/nl/agenda/voorstellen/", {"kind": EventKind.objects.get(slug="formation").pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Geef een titel" in html and "Beschrijf de activiteit" in html


def visible_text(html: str) -> str:
    html = re.sub(r"(?s)<(script|style|datalist|option)[^>]*>.*?</\1>", " ", html)
    html = re.sub(r"(?s)<!--.*?-->", " ", html)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", html))


def ui_text(html: str) -> str:
    """The visible text less the directory's Dutch names, which are data, not UI: a
    service may keep a French brand name in Dutch ("Allo? Aide sociale")."""
    text = " ".join(visible_text(html).split())
    names = {
        *Service.objects.values_list("name_nl", flat=True),
        *Organisation.objects.values_list("name_nl", flat=True),
    }
    for name in sorted((n for n in names if n), key=len, reverse=True):
        text = text.replace(name, " ")
    return text


def french_ui_sentences() -> set[str]:
    """The French UI strings (msgids) that read differently in Dutch: none may show on
    a Dutch page."""
    sentences = set()
    for po_path in ROOT.glob("**/locale/nl/LC_MESSAGES/django.po"):
        if ".venv" in po_path.parts:
            continue
        for entry in polib.pofile(str(po_path)):
            text = entry.msgid
            if (
                len(text) >= 12
                and "%" not in text
                and "{" not in text
                and "<" not in text
                and entry.msgstr != text
                and not entry.msgctxt
            ):
                sentences.add(" ".join(text.split()))
    return sentences


@pytest.mark.parametrize(
    "path",
    [
        "/nl/",
        "/nl/noordoost/",
        "/nl/agenda/",
        "/nl/agenda/maand/",
        "/nl/agenda/voorstellen/",
        "/nl/sociale-kaart/",
        "/nl/sociale-kaart/welke-lijn/",
        "/nl/sociale-kaart/mijn-lijst/",
        "/nl/sociale-kaart/woordenlijst/",
        "/nl/opendeurdagen/",
        "/nl/info-preventie/",
        "/nl/info-preventie/inschrijving/",
        "/nl/mijn-zorgzone-vinden/?q=1000",
    ],
)
def test_dutch_pages_show_no_french_ui_text(reference_data, client, path):
    text = ui_text(client.get(path).content.decode())
    leftovers = sorted(sentence for sentence in french_ui_sentences() if sentence in text)
    assert leftovers == []


def test_dutch_detail_pages_show_no_french_ui_text(reference_data, client):
    """The pages reached from the lists: an event (with its Dutch venue and organiser), a
    directory organisation, an open-door programme."""
    kind = EventKind.objects.get(slug="formation")
    day = datetime.date.today() + datetime.timedelta(days=5)
    event = Event.objects.create(
        title_fr="Atelier",
        title_nl="Workshop",
        description_nl="Voor iedereen.",
        kind=kind,
        status="published",
        start_date=day,
        end_date=day,
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        venue_name="Maison de quartier – Jette",
        venue_name_nl="Buurthuis – Jette",
        organiser="Bassin Nord",
        organiser_nl="Zorgzone Noord",
        is_regional=True,
    )
    paths = [f"/nl/agenda/activiteit/{event.pk}/"]
    organisation = Organisation.objects.order_by("pk").first()
    paths.append(f"/nl/sociale-kaart/organisatie/{organisation.slug}/")
    week = OpenDoorWeek.objects.filter(is_published=True).order_by("pk").first()
    if week is not None:
        paths.append(f"/nl/opendeurdagen/{week.slug}/")
    sentences = french_ui_sentences()
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        text = ui_text(response.content.decode())
        assert sorted(s for s in sentences if s in text) == [], path
    event_text = visible_text(client.get(paths[0]).content.decode())
    assert "Buurthuis – Jette" in event_text and "Maison de quartier" not in event_text
