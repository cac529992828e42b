"""The directory index (directory.search_index) answers exactly what the SQL search of
directory.queries answers (ids in order, every facet count), on random searches; it is
rebuilt when the directory changes and never used inside a transaction."""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bassins.models import Bassin, Commune, Language, Theme
from directory import queries, search_index
from directory.models import (
    Availability,
    ContactModality,
    ForWhom,
    Location,
    Organisation,
    ScheduleException,
    ScheduleSlot,
    Service,
    ServiceStatus,
    TargetPublic,
)
from directory.queries import Criteria, search_services
from directory.search import rebuild_search_index
from directory.search_index import DirectoryIndex


def reverse_in(language: str, name: str) -> str:
    with translation.override(language):
        return reverse(name)


BRUSSELS = ZoneInfo("Europe/Brussels")
TODAY = datetime.date(2026, 12, 1)
INSTANTS = [
    datetime.datetime(2026, 12, 1, 10, 30, tzinfo=BRUSSELS),  # a Tuesday morning
    datetime.datetime(2026, 12, 5, 15, 0, tzinfo=BRUSSELS),  # a Saturday afternoon
    datetime.datetime(2026, 12, 25, 10, 0, tzinfo=BRUSSELS),  # Christmas: a public holiday
    datetime.datetime(2027, 3, 2, 9, 0, tzinfo=BRUSSELS),  # availabilities now old
]
WORDS = [
    "dettes",
    "surendettement",
    "schulden",
    "logement",
    "santé mentale",
    "sans papiers soins",
    "CPAS",
    "médiation de dettes",
    "jeun",
    "permanentie",
    "Éducation",
    "le la",  # stop words only
    "zzzz",
    "helpdesk bassin nord",
    "numéro vert aide sociale",
]


@pytest.fixture
def varied_directory(reference_data):
    """The real reference lines plus forty services covering every criterion: themes,
    publics, languages, modalities, bassins, communes and the whole region; professionals
    and public; help lines; hours on several days, kept on public holidays or not, and
    closures; every availability, fresh and old; places with coordinates, at their
    commune's point, or none; accented names and missing Dutch names (sorting); an
    inactive service."""
    themes = list(Theme.objects.all()[:6])
    publics = list(TargetPublic.objects.all()[:3])
    languages = list(Language.objects.all()[:4])
    modalities = list(ContactModality.objects.all()[:3])
    bassins = list(Bassin.objects.all())
    communes = list(Commune.objects.all()[:6])
    names = ["Éducation", "education", "Écoute", "Accueil", "aide", "Zorg", "Ω point"]
    availabilities = [
        (Availability.ACCEPTING, TODAY - datetime.timedelta(days=3)),
        (Availability.WAITING_LIST, TODAY - datetime.timedelta(days=10)),
        (Availability.NOT_ACCEPTING, TODAY - datetime.timedelta(days=20)),
        (Availability.ACCEPTING, TODAY - datetime.timedelta(days=200)),
        (Availability.UNKNOWN, None),
    ]
    for i in range(40):
        org = Organisation.objects.create(slug=f"varie-{i}", name_fr=f"Asbl variée {i}")
        location = None
        if i % 3:
            location = Location.objects.create(
                organisation=org,
                address="Rue de test 1",
                postal_code="1030",
                latitude=Decimal("50.86") + Decimal(i) / 1000 if i % 3 == 1 else None,
                longitude=Decimal("4.37") - Decimal(i) / 1000 if i % 3 == 1 else None,
            )
        state, date = availabilities[i % len(availabilities)]
        service = Service.objects.create(
            organisation=org,
            location=location,
            slug=f"varie-service-{i}",
            name_fr=f"{names[i % len(names)]} {['dettes', 'logement', 'jeunesse'][i % 3]} {i}",
            name_nl="" if i % 4 == 0 else f"Dienst {['schulden', 'wonen'][i % 2]} {i}",
            description_fr=["Aide aux personnes surendettées.", "Sans-papiers : soins.", ""][i % 3],
            description_nl=["Hulp bij schulden.", "", "Mensen zonder wettig verblijf."][i % 3],
            is_help_line=i % 5 == 0,
            for_whom=[ForWhom.PROFESSIONALS, ForWhom.PUBLIC, ForWhom.BOTH][i % 3],
            area_whole_region=i % 7 == 0,
            availability=state,
            availability_date=date,
            open_on_public_holidays=i % 6 == 0,
            last_verified=TODAY - datetime.timedelta(days=(i * 37) % 400),
            status=ServiceStatus.INACTIVE if i == 39 else ServiceStatus.ACTIVE,
        )
        service.themes.set(themes[i % 4 : i % 4 + 1 + i % 3])
        service.publics.set(publics[: i % 4])
        service.languages.set(languages[i % 3 : i % 3 + 2])
        service.modalities.set(modalities[: 1 + i % 3])
        if not service.area_whole_region:
            service.area_bassins.set(bassins[i % 5 : i % 5 + 1 + i % 2])
        service.area_communes.set(communes[i % 6 : i % 6 + (i % 2)])
        for weekday in {i % 7, 1, 4}:
            ScheduleSlot.objects.create(
                service=service,
                weekday=weekday,
                opens_at=datetime.time(8 + i % 3),
                closes_at=datetime.time(12 + i % 6),
            )
        if i % 8 == 2:
            ScheduleException.objects.create(
                service=service, start=TODAY - datetime.timedelta(days=1), end=TODAY
            )
    return {
        "theme": [t.slug for t in themes],
        "public": [p.slug for p in publics],
        "language": [x.code for x in languages],
        "modality": [m.slug for m in modalities],
        "bassin": [b.slug for b in bassins],
        "commune": [c.slug for c in communes],
    }


def subset(values):
    return st.lists(st.sampled_from(values), max_size=2, unique=True)


searches = st.fixed_dictionaries(
    {
        "q": st.sampled_from(["", *WORDS]),
        "facets": st.fixed_dictionaries(
            {name: st.integers(0, 3) for name in queries.FACETS}  # which subset, below
        ),
        "professionals": st.booleans(),
        "help_lines": st.booleans(),
        "open_now": st.booleans(),
        "accepting": st.booleans(),
        "sort": st.sampled_from(["", "relevance", "name", "fresh", "distance"]),
        "near": st.sampled_from(["", "", "1030", "1000"]),
        "position": st.booleans(),
    }
)


def criteria_of(drawn, values) -> Criteria:
    facets = {
        name: values[name][choice : choice + (choice % 2) + 1] if choice else []
        for name, choice in drawn["facets"].items()
    }
    return Criteria(
        q=drawn["q"],
        professionals=drawn["professionals"],
        help_lines=drawn["help_lines"],
        open_now=drawn["open_now"],
        accepting=drawn["accepting"],
        sort=drawn["sort"],
        near=drawn["near"],
        lat=50.85 if drawn["position"] else None,
        lon=4.35 if drawn["position"] else None,
        **facets,
    )


def facet_table(result):
    return {
        name: [(v.key, v.count, v.selected) for v in values]
        for name, values in result.facets.items()
    }


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(drawn=searches, language=st.sampled_from(["fr", "nl"]), now=st.sampled_from(INSTANTS))
def test_index_answers_as_sql(varied_directory, monkeypatch, drawn, language, now):
    index = DirectoryIndex(version=1)
    expected = search_services(criteria_of(drawn, varied_directory), language, now)
    with monkeypatch.context() as patched:
        patched.setattr(queries, "current_index", lambda: index)
        indexed = search_services(criteria_of(drawn, varied_directory), language, now)
    assert indexed.ids == list(expected.queryset.values_list("pk", flat=True))
    assert indexed.counts == expected.counts
    assert facet_table(indexed) == facet_table(expected)


def test_a_page_of_an_indexed_search_is_the_sql_page(varied_directory, monkeypatch):
    index = DirectoryIndex(version=1)
    criteria = Criteria(q="dettes logement")
    sql_rows = search_services(criteria, "fr").rows()
    with CaptureQueriesContext(connection) as sql_queries:
        expected = list(sql_rows[5:10])
    monkeypatch.setattr(queries, "current_index", lambda: index)
    result = search_services(criteria, "fr")
    with CaptureQueriesContext(connection) as page_queries:
        page = list(result.rows()[5:10])
    assert [s.pk for s in page] == [s.pk for s in expected] and len(page) == 5
    # the same reads as the SQL page (its rows, then each relation a card shows)
    assert len(page_queries.captured_queries) == len(sql_queries.captured_queries)
    with CaptureQueriesContext(connection) as card_queries:
        [(s.organisation.name_fr, list(s.phones.all()), list(s.schedule.all())) for s in page]
    assert card_queries.captured_queries == []


def test_building_costs_a_fixed_number_of_queries(varied_directory):
    with CaptureQueriesContext(connection) as few:
        DirectoryIndex(version=1)
    org = Organisation.objects.create(slug="encore", name_fr="Encore")
    service = Service.objects.create(organisation=org, slug="encore-1", name_fr="Encore dettes")
    ScheduleSlot.objects.create(
        service=service, weekday=2, opens_at=datetime.time(9), closes_at=datetime.time(10)
    )
    with CaptureQueriesContext(connection) as more:
        bigger = DirectoryIndex(version=2)
    assert len(few.captured_queries) == len(more.captured_queries) == 6
    assert bigger.size == Service.objects.listed().count()


def test_not_used_inside_a_transaction(varied_directory):
    assert connection.in_atomic_block
    assert search_index.current_index() is None
    assert search_services(Criteria(q="dettes"), "fr").ids is None


def test_off_by_setting(transactional_db, settings):
    settings.DIRECTORY_INDEX = False
    assert search_index.current_index() is None


def ids_for(q="", **criteria):
    return search_services(Criteria(q=q, **criteria), "fr", with_facets=False).ids


def test_used_outside_transactions_and_rebuilt_after_each_change(transactional_db):
    org = Organisation.objects.create(slug="neuve", name_fr="Asbl neuve")
    service = Service.objects.create(
        organisation=org, slug="neuve-1", name_fr="Permanence pour locataires", name_nl="Huurders"
    )
    first = search_index.current_index()
    assert first is not None and search_index.current_index() is first  # same version: kept
    assert service.pk in ids_for("locataires")
    service.name_fr = "Permanence énergie"
    service.save()
    assert search_index.current_index() is not first
    assert service.pk not in ids_for("locataires") and service.pk in ids_for("énergie")
    theme = Theme.objects.first()
    service.themes.add(theme)  # a link: the facet keys change
    assert service.pk in ids_for(theme=[theme.slug])
    service.availability = Availability.ACCEPTING
    service.save()
    assert service.pk in ids_for(accepting=True)
    monday = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=BRUSSELS)
    slot = ScheduleSlot.objects.create(
        service=service, weekday=0, opens_at=datetime.time(9), closes_at=datetime.time(12)
    )
    open_now = search_services(Criteria(open_now=True), "fr", monday, with_facets=False).ids
    assert service.pk in open_now
    slot.delete()
    open_now = search_services(Criteria(open_now=True), "fr", monday, with_facets=False).ids
    assert service.pk not in open_now
    service.status = ServiceStatus.INACTIVE
    service.save()
    assert service.pk not in ids_for()
    service.delete()
    assert service.pk not in ids_for()


def test_a_bulk_rebuild_bumps_the_version(transactional_db):
    org = Organisation.objects.create(slug="bulk", name_fr="Bulk")
    before = search_index.current_index()
    Service.objects.bulk_create([Service(organisation=org, slug="bulk-1", name_fr="Vrac")])
    assert search_index.current_index() is before  # bulk_create sends no signal...
    rebuild_search_index()  # ...the import's rebuild bumps the version
    assert search_index.current_index() is not before
    assert Service.objects.get(slug="bulk-1").pk in ids_for("vrac")


def _cards(html: str) -> str:
    """The result cards of a page, without the per-request CSRF token."""
    start, end = html.index('<article class="card service-card"'), html.rindex("</article>")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html[start:end])


def test_kept_cards_and_api_facts_are_what_sql_renders(transactional_db, client, settings):
    org = Organisation.objects.create(slug="carte", name_fr="Asbl carte", name_nl="Vzw kaart")
    for i in range(3):
        service = Service.objects.create(
            organisation=org,
            slug=f"carte-{i}",
            name_fr=f"Médiation de dettes {i}",
            name_nl=f"Schuldbemiddeling {i}",
            description_fr="Aide pour les dettes, au CPAS ou ailleurs.",
            availability=Availability.ACCEPTING,
        )
        ScheduleSlot.objects.create(
            service=service, weekday=i, opens_at=datetime.time(9), closes_at=datetime.time(17)
        )
    for language in ("fr", "nl"):
        path = reverse_in(language, "directory:search")
        params = {"q": "dettes"}
        api_params = {"q": "dettes", "lang": language}
        settings.DIRECTORY_INDEX = True
        first = client.get(path, params).content.decode()
        kept = client.get(path, params).content.decode()  # the parts come from the rows kept
        first_api = client.get("/api/directory/search", api_params).json()
        kept_api = client.get("/api/directory/search", api_params).json()
        settings.DIRECTORY_INDEX = False
        sql = client.get(path, params).content.decode()
        sql_api = client.get("/api/directory/search", api_params).json()
        assert "Schuldbemiddeling 0" in sql or "Médiation de dettes 0" in sql
        assert _cards(first) == _cards(kept) == _cards(sql)
        assert first_api == kept_api == sql_api


def test_map_from_the_index_is_the_sql_map_and_kept(transactional_db, client, settings):
    org = Organisation.objects.create(slug="lieux", name_fr="Asbl lieux", name_nl="Vzw plaatsen")
    for i, (latitude, postal_code) in enumerate([(Decimal("50.86"), "1030"), (None, "1000")]):
        location = Location.objects.create(
            organisation=org,
            address=f"Rue {i}",
            postal_code=postal_code,
            latitude=latitude,
            longitude=Decimal("4.37") if latitude else None,
        )
        for j in range(2):
            Service.objects.create(
                organisation=org,
                location=location,
                slug=f"lieu-{i}-{j}",
                name_fr=f"Permanence dettes {i}{j}",
                name_nl=f"Schulden {i}{j}",
            )
    Service.objects.create(organisation=org, slug="ligne", name_fr="Ligne dettes")  # no place
    for params in (
        {},
        {"q": "dettes", "lang": "nl"},
        {"near": "1030"},
        {"lat": "50.85", "lon": "4.35"},
    ):
        settings.DIRECTORY_INDEX = True
        first = client.get("/api/directory/map.geojson", params)
        index = search_index.current_index()
        with CaptureQueriesContext(connection) as again:
            kept = client.get("/api/directory/map.geojson", params)
        settings.DIRECTORY_INDEX = False
        sql = client.get("/api/directory/map.geojson", params)
        assert first["Content-Type"] == sql["Content-Type"] == "application/geo+json"
        assert first.content == kept.content == sql.content
        assert len(sql.json()["features"]) == 2  # two places, four services; the line has none
        assert index is not None and not [
            q for q in again.captured_queries if "directory_" in q["sql"]
        ]  # kept with the index: no directory read
