"""Directory search and map benchmark: 5,000 organisations, 15,000 services.

Run from the repository root: ``python bench/directory.py`` (the project's virtualenv).
Uses PostgreSQL when DATABASE_URL points to it (the figures that matter), SQLite
otherwise. Builds a throw-away test database, bulk-creates the data (with locations,
availability and hours), exports it as an HSDS package and loads it back through
``import_hsds`` (so the rows searched came in through the import), then times
typical searches with facets through the real view (p50/p95 over repeated runs) and
counts queries per request.

Two modes, both run by default (``BENCH_MODE=inprocess`` or ``http`` for one):
- in-process: one client, Django's test client, p50/p95 and SQL queries per request;
- http: a real server (gunicorn, ``BENCH_WORKERS`` processes, default 4) on the same
  database and ``BENCH_CLIENTS`` (default 10) concurrent clients cycling through the
  queries for ``BENCH_SECONDS`` (default 20), page and API separately: p50/p95 and
  requests per second. The load average is printed with each figure: the machine is
  shared, so compare runs made back to back.

Over HTTP the six searches are measured mixed, then random searches (words, facets,
pages drawn at random: mostly never asked before, so nothing kept for them).

Then (in-process) the map's GeoJSON endpoint (``/api/directory/map.geojson``, goal
p95 < 100 ms) on the same data, where every organisation has one location (half with
coordinates, half at their commune's reference point) holding its three services.
"""

from __future__ import annotations

import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

ORGANISATIONS = int(os.environ.get("BENCH_ORGS", 5000))
SERVICES_PER_ORG = 3
RUNS = int(os.environ.get("BENCH_RUNS", 30))
MODE = os.environ.get("BENCH_MODE", "both")
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 10))
WORKERS = int(os.environ.get("BENCH_WORKERS", 4))
SECONDS = float(os.environ.get("BENCH_SECONDS", 20))
# Keep the test database between runs and reuse its data (the build takes minutes on a
# loaded machine): compare two versions of the code on the very same rows.
KEEPDB = os.environ.get("BENCH_KEEPDB") == "1"
WORDS_FR = [
    "aide",
    "sociale",
    "logement",
    "dettes",
    "médiation",
    "santé",
    "mentale",
    "handicap",
    "séjour",
    "alimentation",
    "accompagnement",
    "permanence",
    "jeunes",
    "seniors",
    "famille",
    "violence",
    "emploi",
    "formation",
    "soins",
    "infirmiers",
    "domicile",
    "prévention",
    "vaccination",
    "dépistage",
    "cancer",
    "diabète",
    "tabac",
]
WORDS_NL = [
    "hulp",
    "welzijn",
    "huisvesting",
    "schulden",
    "bemiddeling",
    "geestelijke",
    "gezondheid",
    "handicap",
    "verblijf",
    "voeding",
    "begeleiding",
    "permanentie",
    "jongeren",
    "ouderen",
    "gezin",
    "geweld",
    "werk",
    "opleiding",
    "zorg",
    "thuis",
    "preventie",
    "vaccinatie",
    "opsporing",
    "kanker",
    "diabetes",
    "tabak",
]
QUERIES = [
    ("text", {"q": "dettes"}),
    ("text nl", {"q": "schulden"}),
    ("text + facets", {"q": "santé mentale", "bassin": "nord", "language": "nl"}),
    ("facets only", {"theme": ["logement", "dettes"], "professionals": "on"}),
    ("open now", {"open_now": "on", "modality": "telephone"}),
    ("browse all", {}),
]
MAP_QUERIES = [
    ("map all", {}),
    ("map bassin", {"bassin": "nord"}),
    ("map near 1030", {"near": "1030"}),
    ("map near me+text", {"q": "dettes", "lat": "50.85", "lon": "4.35"}),
]


def build():
    import datetime
    from decimal import Decimal

    from bassins.models import Bassin, Commune, Language, PostalCode, Theme
    from directory.models import (
        ContactModality,
        Location,
        Organisation,
        ScheduleSlot,
        Service,
    )
    from directory.search import rebuild_search_index

    rng = random.Random(42)
    # Realistic selectivity: a large neutral vocabulary, and each text carries only a few
    # domain words, so "dettes" matches about one service in ten rather than all of them.
    filler = [f"mot{i}" for i in range(3000)]

    def text(domain, k_domain, k_filler):
        words = rng.choices(domain, k=k_domain) + rng.choices(filler, k=k_filler)
        rng.shuffle(words)
        return " ".join(words)

    bassins = list(Bassin.objects.all())
    communes = list(Commune.objects.all())
    themes = list(Theme.objects.all())
    languages = list(Language.objects.all()[:6])
    modalities = list(ContactModality.objects.all())
    orgs = [
        Organisation(
            slug=f"bench-org-{i}",
            name_fr=f"Asbl {rng.choice(filler)} {i}",
            name_nl=f"Vzw {rng.choice(filler)} {i}",
            description_fr=text(WORDS_FR, 1, 20),
            description_nl=text(WORDS_NL, 1, 20),
            last_verified=datetime.date(2025, 1, 1) + datetime.timedelta(days=rng.randint(0, 600)),
            is_demo=True,
        )
        for i in range(ORGANISATIONS)
    ]
    Organisation.objects.bulk_create(orgs, batch_size=1000)
    orgs = list(Organisation.objects.filter(is_demo=True))
    services = []
    for org in orgs:
        for j in range(SERVICES_PER_ORG):
            service = Service(
                organisation=org,
                slug=f"{org.slug}-s{j}",
                name_fr=f"{rng.choice(WORDS_FR).capitalize()} {rng.choice(filler)}",
                name_nl=f"{rng.choice(WORDS_NL).capitalize()} {rng.choice(filler)}",
                description_fr=text(WORDS_FR, 2, 40),
                description_nl=text(WORDS_NL, 2, 40),
                is_help_line=rng.random() < 0.05,
                availability=rng.choice(
                    ["unknown", "accepting", "waiting_list", "not_accepting", "accepting"]
                ),
                availability_date=datetime.date.today() - datetime.timedelta(rng.randint(0, 90)),
                availability_wait_weeks=rng.randint(1, 12),
                for_whom=rng.choice(["professionals", "public", "both"]),
                area_whole_region=rng.random() < 0.1,
                last_verified=org.last_verified,
                is_demo=True,
            )
            services.append(service)
    postal_codes = {
        slug: code
        for code, slug in PostalCode.objects.values_list("code", "communes__slug")
        if slug is not None
    }
    locations = []
    for i, org in enumerate(orgs):
        commune = rng.choice(communes)
        location = Location(
            organisation=org,
            address=f"Rue {rng.choice(filler)} {i}",
            postal_code=postal_codes.get(commune.slug, "1000"),
            commune=commune,
        )
        if i % 2:
            location.latitude = Decimal(f"{rng.uniform(50.78, 50.90):.6f}")
            location.longitude = Decimal(f"{rng.uniform(4.27, 4.46):.6f}")
        location.apply_map_point(commune.slug)
        locations.append(location)
    Location.objects.bulk_create(locations, batch_size=1000)
    location_of = dict(Location.objects.values_list("organisation_id", "pk"))
    for service in services:
        service.location_id = location_of[service.organisation_id]
    Service.objects.bulk_create(services, batch_size=1000)
    services = list(Service.objects.filter(is_demo=True).only("pk"))
    through = Service.themes.through
    through.objects.bulk_create(
        [through(service_id=s.pk, theme_id=t.pk) for s in services for t in rng.sample(themes, 2)],
        batch_size=5000,
    )
    through = Service.area_bassins.through
    through.objects.bulk_create(
        [through(service_id=s.pk, bassin_id=rng.choice(bassins).pk) for s in services],
        batch_size=5000,
    )
    through = Service.area_communes.through
    through.objects.bulk_create(
        [through(service_id=s.pk, commune_id=rng.choice(communes).pk) for s in services],
        batch_size=5000,
    )
    through = Service.languages.through
    through.objects.bulk_create(
        [
            through(service_id=s.pk, language_id=lang.pk)
            for s in services
            for lang in rng.sample(languages, 2)
        ],
        batch_size=5000,
    )
    through = Service.modalities.through
    through.objects.bulk_create(
        [
            through(service_id=s.pk, contactmodality_id=m.pk)
            for s in services
            for m in rng.sample(modalities, 2)
        ],
        batch_size=5000,
    )
    ScheduleSlot.objects.bulk_create(
        [
            ScheduleSlot(
                service_id=s.pk,
                weekday=day,
                opens_at=datetime.time(9),
                closes_at=datetime.time(rng.choice([12, 17])),
            )
            for s in services
            for day in rng.sample(range(5), 3)
        ],
        batch_size=5000,
    )
    rebuild_search_index()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def reload_through_hsds() -> float:
    """Export what ``build`` made as an HSDS package (the project's own export), empty
    the directory, and import the package back with ``import_hsds``: the rows the
    searches read came in through the import. Returns the import's seconds."""
    import tempfile

    from directory.exports import write_hsds
    from directory.hsds_import import import_hsds
    from directory.models import Organisation

    with tempfile.TemporaryDirectory() as folder:
        package = Path(folder)
        write_hsds(package)
        # Every organisation and, through the foreign keys, everything that hangs on it
        # (services, places, phones, hours, links); the reference tables stay.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {Organisation._meta.db_table} CASCADE")
        else:
            Organisation.objects.all().delete()
        started = time.perf_counter()
        import_hsds(package)
        elapsed = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return elapsed


def load() -> str:
    return "load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def percentile(timings: list[float], fraction: float) -> float:
    ordered = sorted(timings)
    return ordered[max(0, int(len(ordered) * fraction + 0.5) - 1)]


def in_process(client) -> None:
    print(f"in-process, one client ({load()})")
    print(f"{'query':<16} {'results':>7} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, params in QUERIES:
        client.get("/fr/repertoire/", params)  # warm-up
        timings = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as context:
                t0 = time.perf_counter()
                response = client.get("/fr/repertoire/", params)
                timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.status_code
        count = response.context["page_obj"].paginator.count
        print(
            f"{label:<16} {count:>7} {statistics.median(timings):>8.1f} "
            f"{percentile(timings, 0.95):>8.1f} {len(context.captured_queries):>8}"
        )
        api_timings = []
        for _ in range(max(5, RUNS // 3)):
            with CaptureQueriesContext(connection) as context:
                t0 = time.perf_counter()
                client.get("/api/directory/search", params)
                api_timings.append((time.perf_counter() - t0) * 1000)
        print(
            f"{'  (api)':<16} {'':>7} {statistics.median(api_timings):>8.1f} "
            f"{percentile(api_timings, 0.95):>8.1f} {len(context.captured_queries):>8}"
        )
    print(f"({load()})")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def facet_values() -> dict[str, list[str]]:
    from bassins.models import Bassin, Language, Theme

    return {
        "bassin": list(Bassin.objects.values_list("slug", flat=True)),
        "theme": list(Theme.objects.values_list("slug", flat=True)),
        "language": list(Language.objects.values_list("code", flat=True)),
    }


def random_search(rng: random.Random, values: dict[str, list[str]]) -> dict:
    """A search as people build them: one or two words (FR or NL) most of the time, a
    few facets, sometimes "professionals" or a later page. Mostly never seen before."""
    params: dict = {}
    if rng.random() < 0.7:
        params["q"] = " ".join(rng.sample(WORDS_FR + WORDS_NL, rng.randint(1, 2)))
    for name, choices in values.items():
        if rng.random() < 0.3:
            params[name] = rng.sample(choices, rng.randint(1, 2))
    if rng.random() < 0.2:
        params["professionals"] = "on"
    if rng.random() < 0.2:
        params["page"] = rng.randint(2, 4)
    return params


def _hammer(
    base: str,
    path: str,
    deadline: float,
    timings: list,
    errors: list,
    seed: int,
    values: dict | None = None,
):
    """One client: the six fixed searches mixed, or random ones when ``values``."""
    import requests

    session = requests.Session()
    rng = random.Random(seed)
    queries = [params for _, params in QUERIES]
    while time.perf_counter() < deadline:
        params = random_search(rng, values) if values else rng.choice(queries)
        url = f"{base}{path}?{urlencode(params, doseq=True)}"
        t0 = time.perf_counter()
        response = session.get(url, timeout=30)
        elapsed = (time.perf_counter() - t0) * 1000
        if response.status_code != 200:
            errors.append(response.status_code)
        timings.append(elapsed)


def over_http() -> None:
    """A real server and ``CLIENTS`` concurrent clients, page then API."""
    import requests

    if connection.vendor != "postgresql":
        print("http mode: PostgreSQL only (SQLite's test database lives in memory)")
        return
    port = _free_port()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=_database_url(),
        DJANGO_SETTINGS_MODULE="maillage.settings.test",
        PYTHONPATH=f"{ROOT / 'platform'}:{ROOT}",
    )
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "maillage.wsgi",
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(f"{base}/api/directory/search", timeout=120)
                break
            except requests.ConnectionError:
                time.sleep(0.5)
        for _ in range(3 * WORKERS):  # every worker imports and connects once
            for _label, params in QUERIES:
                requests.get(f"{base}/fr/repertoire/", params=params, timeout=30)
                requests.get(f"{base}/api/directory/search", params=params, timeout=30)
        print(
            f"http, {CLIENTS} concurrent clients, gunicorn {WORKERS} workers, "
            f"{SECONDS:.0f}s each, the {len(QUERIES)} queries mixed"
        )
        print(f"{'endpoint':<24} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8}  load")
        values = facet_values()
        for label, path, mix in (
            ("api (search+facets)", "/api/directory/search", None),
            ("page /fr/repertoire/", "/fr/repertoire/", None),
            ("api, random searches", "/api/directory/search", values),
            ("page, random searches", "/fr/repertoire/", values),
        ):
            timings: list[float] = []
            errors: list[int] = []
            deadline = time.perf_counter() + SECONDS
            threads = [
                threading.Thread(
                    target=_hammer, args=(base, path, deadline, timings, errors, i, mix)
                )
                for i in range(CLIENTS)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert not errors, errors[:5]
            print(
                f"{label:<24} {len(timings):>8} {len(timings) / SECONDS:>7.1f} "
                f"{statistics.median(timings):>8.1f} {percentile(timings, 0.95):>8.1f}  {load()}"
            )
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def map_geojson(client):
    """p50/p95 of the map's GeoJSON endpoint (goal: p95 < 100 ms)."""
    header = ("map (GeoJSON)", "places", "p50 ms", "p95 ms", "queries", "kB")
    print("{:<20} {:>7} {:>8} {:>8} {:>8} {:>6}".format(*header))
    for label, params in MAP_QUERIES:
        client.get("/api/directory/map.geojson", params)  # warm-up
        timings = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as context:
                t0 = time.perf_counter()
                response = client.get("/api/directory/map.geojson", params)
                timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.status_code
        places = len(response.json()["features"])
        print(
            f"{label:<20} {places:>7} {statistics.median(timings):>8.1f} "
            f"{percentile(timings, 0.95):>8.1f} "
            f"{len(context.captured_queries):>8} {len(response.content) / 1024:>6.0f}"
        )
    # A map never asked before in this process (nothing kept): random filters each time.
    rng, values, timings = random.Random(7), facet_values(), []
    for _ in range(RUNS):
        params = random_search(rng, values)
        params.pop("page", None)
        t0 = time.perf_counter()
        response = client.get("/api/directory/map.geojson", params)
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
    print(
        f"{'map, random (new)':<20} {'':>7} {statistics.median(timings):>8.1f} "
        f"{percentile(timings, 0.95):>8.1f}"
    )


def main():
    from io import StringIO

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import get_runner

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False, keepdb=KEEPDB)
    old = runner.setup_databases()
    try:
        from directory.models import Organisation, Service

        call_command("load_reference_data", stdout=StringIO())
        started = time.perf_counter()
        if Service.objects.count() < ORGANISATIONS * SERVICES_PER_ORG:
            build()
            print(f"built, then loaded through import_hsds in {reload_through_hsds():.1f}s")

        print(
            f"database: {connection.vendor}; organisations: {Organisation.objects.count()}, "
            f"services: {Service.objects.count()}; built in {time.perf_counter() - started:.1f}s"
        )
        if MODE in ("both", "inprocess"):
            in_process(Client())
        if MODE in ("both", "http"):
            over_http()
        if MODE in ("both", "inprocess"):
            map_geojson(Client())
    finally:
        if not KEEPDB:
            runner.teardown_databases(old)


if __name__ == "__main__":
    main()
