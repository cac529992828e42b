"""Directory search benchmark: 5,000 organisations, 15,000 services.

Run from the repository root: ``python bench/directory.py`` (the project's virtualenv).
Uses PostgreSQL when DATABASE_URL points to it (the figures that matter), SQLite
otherwise. Builds a throw-away test database, bulk-creates the data, rebuilds the
search columns, then times typical searches with facets through the real view
(p50/p95 over repeated runs) and counts queries per request.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

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


def build():
    import datetime

    from bassins.models import Bassin, Commune, Language, Theme
    from directory.models import (
        ContactModality,
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
                for_whom=rng.choice(["professionals", "public", "both"]),
                area_whole_region=rng.random() < 0.1,
                last_verified=org.last_verified,
                is_demo=True,
            )
            services.append(service)
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


def main():
    from io import StringIO

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import get_runner

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        call_command("load_reference_data", stdout=StringIO())
        started = time.perf_counter()
        build()
        from directory.models import Organisation, Service

        print(
            f"database: {connection.vendor}; organisations: {Organisation.objects.count()}, "
            f"services: {Service.objects.count()}; built in {time.perf_counter() - started:.1f}s"
        )
        client = Client()
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
            timings.sort()
            p50 = statistics.median(timings)
            p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
            count = response.context["page_obj"].paginator.count
            print(
                f"{label:<16} {count:>7} {p50:>8.1f} {p95:>8.1f} {len(context.captured_queries):>8}"
            )
            api_timings = []
            for _ in range(max(5, RUNS // 3)):
                t0 = time.perf_counter()
                client.get("/api/directory/search", params)
                api_timings.append((time.perf_counter() - t0) * 1000)
            print(f"{'  (api)':<16} {'':>7} {statistics.median(api_timings):>8.1f}")
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
