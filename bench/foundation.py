"""Foundation benchmark: how long the public pages take, and whether that grows with data.

    python bench/foundation.py        (from the repo root; PostgreSQL when DATABASE_URL is set)

Renders the home, a bassin page, a content page and the 404 page with the reference
data, then again with 11 bassins and 20 people each, and prints ms per request,
queries per request and the ratio grown/base (measured in this one run).
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.test")
os.environ.setdefault("MAILLAGE_VAR_DIR", tempfile.mkdtemp(prefix="maillage-bench-"))

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.disable(logging.WARNING)  # page logs and "Not Found" lines would drown the figures

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

PATHS = ["/fr/", "/nl/nord/", "/fr/a-propos/", "/fr/inconnu/"]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))


def measure(client: Client) -> dict[str, tuple[float, int]]:
    figures = {}
    for path in PATHS:
        client.get(path)  # warm up
        timings = []
        for _ in range(ROUNDS):
            cache.clear()
            start = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        figures[path] = (statistics.median(timings), len(queries))
    return figures


def grow() -> None:
    from bassins.models import Bassin, BassinArea, Commune, TeamMember

    commune = Commune.objects.first()
    for number in range(6):
        Bassin.objects.create(
            slug=f"bench-{number}",
            name_fr=f"Bench {number}",
            name_nl=f"Bench {number}",
            population=1,
            population_date="2024-01-01",
            sort_order=20 + number,
        )
    for bassin in Bassin.objects.all():
        TeamMember.objects.bulk_create(
            TeamMember(bassin=bassin, name=f"Bench {n}", role="cpps") for n in range(20)
        )
        BassinArea.objects.bulk_create(
            BassinArea(bassin=bassin, commune=commune, part_fr=f"bench {n}") for n in range(5)
        )


def main() -> None:
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with open(os.devnull, "w") as devnull:
            call_command("load_reference_data", stdout=devnull)
        client = Client()
        base = measure(client)
        grow()
        grown = measure(client)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    engine = connection.vendor
    print(f"foundation bench ({engine}, median of {ROUNDS} uncached requests)")
    print(f"{'page':<16}{'base ms':>9}{'grown ms':>10}{'ratio':>7}{'queries':>9}")
    for path in PATHS:
        (b_ms, b_q), (g_ms, g_q) = base[path], grown[path]
        print(f"{path:<16}{b_ms:>9.1f}{g_ms:>10.1f}{g_ms / b_ms:>7.2f}{b_q:>5} -> {g_q}")


if __name__ == "__main__":
    main()
