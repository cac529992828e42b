"""Spoken languages: one vocabulary (``bassins.Language``) for the agenda, the open-door
weeks, the partners' calendars and the directory, and migrations that keep every code."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bassins.models import Language
from events.calendars.services import source_defaults
from events.filters import AgendaFilter
from events.forms import ProposalForm
from events.opendoors.forms import RegistrationForm
from events.opendoors.queries import ProgrammeFilter

BEFORE = [
    ("bassins", "0003_bassinteam"),
    ("directory", "0004_facet_keys_gin"),
    ("events", "0002_event_venue_organiser_nl"),
    ("opendoors", "0002_registration_directory_organisation"),
    ("calendars", "0001_initial"),
]


def test_every_form_and_filter_offers_the_reference_languages(reference_data):
    from tests.opendoors.factories import week

    codes = list(Language.objects.values_list("code", flat=True))
    assert {"fr", "nl", "en", "ar", "uk", Language.OTHER} <= set(codes)

    def offered(field) -> list[str]:
        return [code for code, _label in field.choices if code]

    the_week = week()
    assert offered(ProposalForm().fields["language_list"]) == codes
    assert offered(RegistrationForm(week=the_week).fields["languages"]) == codes
    assert offered(AgendaFilter().form.fields["language"]) == codes
    assert offered(ProgrammeFilter(week=the_week).form.fields["language"]) == codes


def test_a_calendar_source_knows_the_reference_languages(reference_data):
    from tests.calendars.factories import make_source

    defaults = source_defaults(make_source(language="nl"))
    assert defaults.language == "nl"
    assert set(defaults.known_languages) == set(Language.objects.values_list("code", flat=True))


def _seed_old_schema(apps) -> None:
    """Rows as the three former vocabularies stored them."""
    DirectoryLanguage = apps.get_model("directory", "Language")
    french, _ = DirectoryLanguage.objects.get_or_create(code="fr", defaults={"name_fr": "Fr"})
    lingala, _ = DirectoryLanguage.objects.get_or_create(code="ln", defaults={"name_fr": "Ln"})
    organisation = apps.get_model("directory", "Organisation").objects.create(name_fr="O")
    service = apps.get_model("directory", "Service").objects.create(
        organisation=organisation, name_fr="Service du test"
    )
    service.languages.set([french, lingala])
    kind = apps.get_model("events", "EventKind").objects.create(slug="test-kind", name_fr="k")
    day = datetime.date(2027, 1, 4)
    for codes in ("fr,nl", "nl, ar", "", "fr,xx"):
        apps.get_model("events", "Event").objects.create(
            kind=kind, title_fr=codes or "-", languages=codes, start_date=day, end_date=day
        )
    bassin = apps.get_model("bassins", "Bassin").objects.create(
        slug="test-bassin", name_fr="B", name_nl="B", population=1, population_date=day
    )
    week = apps.get_model("opendoors", "OpenDoorWeek").objects.create(
        bassin=bassin, name_fr="W", name_nl="W", slug="w", year=2027, start_date=day,
        end_date=day, registration_opens=day, registration_closes=day, booking_opens=day,
        booking_closes=day,
    )  # fmt: skip
    for name, codes in (("A", ["fr", "other"]), ("B", ["nl", "en"]), ("C", [])):
        apps.get_model("opendoors", "Registration").objects.create(
            week=week, organisation_name=name, contact_name="c", contact_email="c@example.org",
            street="s", postal_code="1000", discover="d", languages=codes,
        )  # fmt: skip
    apps.get_model("calendars", "CalendarSource").objects.create(
        name="s", url="https://calendar.example.org/a.ics", kind=kind, language="tr"
    )


def test_migrations_turn_the_three_vocabularies_into_links_and_back(transactional_db):
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    _seed_old_schema(MigrationExecutor(connection).loader.project_state(BEFORE).apps)

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
    apps = executor.loader.project_state(leaves).apps
    Event = apps.get_model("events", "Event")
    Registration = apps.get_model("opendoors", "Registration")

    def codes(obj) -> list[str]:
        return sorted(language.code for language in obj.languages.all())

    events = Event.objects.filter(kind__slug="test-kind")
    assert {e.title_fr: codes(e) for e in events} == {
        "fr,nl": ["fr", "nl"],
        "nl, ar": ["ar", "nl"],
        "-": [],
        "fr,xx": ["fr", "xx"],  # an unknown code is kept: added to the reference
    }
    registrations = Registration.objects.filter(week__slug="w")
    assert {r.organisation_name: codes(r) for r in registrations} == {
        "A": ["fr", "other"],
        "B": ["en", "nl"],
        "C": [],
    }
    service = apps.get_model("directory", "Service").objects.get(name_fr="Service du test")
    assert codes(service) == ["fr", "ln"]
    source = apps.get_model("calendars", "CalendarSource").objects.get(name="s")
    assert source.language_id == "tr"

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    events = apps.get_model("events", "Event").objects.filter(kind__slug="test-kind")
    assert [sorted(filter(None, e.languages.split(","))) for e in events.order_by("pk")] == [
        ["fr", "nl"],
        ["ar", "nl"],
        [],
        ["fr", "xx"],
    ]
    registrations = apps.get_model("opendoors", "Registration").objects.filter(week__slug="w")
    expected = [["fr", "other"], ["en", "nl"], []]
    assert [sorted(r.languages) for r in registrations.order_by("pk")] == expected
    service = apps.get_model("directory", "Service").objects.get(name_fr="Service du test")
    assert sorted(language.code for language in service.languages.all()) == ["fr", "ln"]

    MigrationExecutor(connection).migrate(leaves)


@pytest.fixture(autouse=True)
def _no_cached_choices(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
