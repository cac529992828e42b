"""HSDS import benchmark: a package of 5,000 organisations and 15,000 services.

Run from the repository root: ``python bench/hsds_import.py`` (the project's virtualenv).
Uses PostgreSQL when DATABASE_URL points to it (the figures that matter), SQLite
otherwise. Builds a throw-away test database with the reference data, writes an HSDS
3.0 package (one location in Brussels per organisation; per service two weekly slots,
one phone, two languages, a theme, a bassin and a Dutch name), then times
``import_hsds`` into the empty directory, a second import of the same package (every
record unchanged) and a dry run. Goal: the first import under 60 s.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ORGANISATIONS = int(os.environ.get("BENCH_ORGS", 5000))
SERVICES_PER_ORG = 3
DAYS = ["MO", "TU", "WE", "TH", "FR"]


def write_package(directory: Path) -> None:
    from bassins.models import Bassin, Language, PostalCode, Theme
    from core.csvfiles import csv_text
    from directory.exports import HSDS_RESOURCES

    rng = random.Random(42)
    postal_codes = list(PostalCode.objects.values_list("code", flat=True))
    bassins = list(Bassin.objects.values_list("slug", flat=True))
    languages = list(Language.objects.values_list("code", flat=True)[:6])
    themes = list(Theme.objects.values_list("slug", flat=True))
    tables: dict[str, list[dict]] = {name: [] for name in HSDS_RESOURCES}
    nl_name = str(uuid.uuid4())
    tables["taxonomy_term"].append({"id": nl_name, "code": "nl:name", "name": "nl"})
    theme_terms = {slug: str(uuid.uuid4()) for slug in themes}
    tables["taxonomy_term"] += [
        {"id": term, "code": slug, "name": slug} for slug, term in theme_terms.items()
    ]
    for i in range(ORGANISATIONS):
        org = str(uuid.uuid4())
        tables["organization"].append(
            {
                "id": org,
                "name": f"Asbl banc d'essai {i}",
                "description": f"Aide sociale et santé, quartier {i % 97}.",
                "email": f"info{i}@bench.example",
                "website": f"https://bench{i}.example",
            }
        )
        location = str(uuid.uuid4())
        tables["location"].append({"id": location, "organization_id": org, "name": "Siège"})
        tables["address"].append(
            {
                "id": str(uuid.uuid4()),
                "location_id": location,
                "address_1": f"Rue du Banc {i}",
                "city": "Bruxelles",
                "postal_code": rng.choice(postal_codes),
                "country": "BE",
            }
        )
        for j in range(SERVICES_PER_ORG):
            service = str(uuid.uuid4())
            tables["service"].append(
                {
                    "id": service,
                    "organization_id": org,
                    "name": f"Permanence {j} de l'asbl {i}",
                    "description": "Accueil, écoute et orientation.",
                    "status": "active",
                    "fees_description": "Gratuit",
                    "assured_date": "2026-01-15",
                }
            )
            tables["attribute"] += [
                {
                    "id": str(uuid.uuid4()),
                    "link_id": service,
                    "taxonomy_term_id": nl_name,
                    "link_type": "translation",
                    "link_entity": "service",
                    "value": f"Permanentie {j} van vzw {i}",
                },
                {
                    "id": str(uuid.uuid4()),
                    "link_id": service,
                    "taxonomy_term_id": theme_terms[rng.choice(themes)],
                    "link_type": "service_type",
                    "link_entity": "service",
                },
            ]
            tables["service_at_location"].append(
                {"id": str(uuid.uuid4()), "service_id": service, "location_id": location}
            )
            tables["phone"].append(
                {"id": str(uuid.uuid4()), "service_id": service, "number": f"02 {i:03d} {j:02d}"}
            )
            for day in rng.sample(DAYS, 2):
                tables["schedule"].append(
                    {
                        "id": str(uuid.uuid4()),
                        "service_id": service,
                        "freq": "WEEKLY",
                        "byday": day,
                        "opens_at": "09:00:00",
                        "closes_at": "12:30:00",
                    }
                )
            tables["language"] += [
                {"id": str(uuid.uuid4()), "service_id": service, "code": code}
                for code in rng.sample(languages, 2)
            ]
            tables["service_area"].append(
                {
                    "id": str(uuid.uuid4()),
                    "service_id": service,
                    "name": "bassin",
                    "uri": f"https://maillage.example/area/bassin/{rng.choice(bassins)}",
                }
            )
    for name, rows in tables.items():
        path, columns = HSDS_RESOURCES[name]
        (directory / path).write_text(csv_text(columns, rows, bom=False), encoding="utf-8")


def main():
    from io import StringIO

    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import get_runner

    from directory.hsds_import import import_hsds
    from directory.models import Organisation, Service

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        call_command("load_reference_data", stdout=StringIO())
        with tempfile.TemporaryDirectory() as folder:
            package = Path(folder)
            write_package(package)
            size = sum(p.stat().st_size for p in package.iterdir()) / 1e6
            print(f"database: {connection.vendor}; package: {size:.1f} MB")
            for label, dry_run in (
                ("first import", False),
                ("same again", False),
                ("dry run", True),
            ):
                started = time.perf_counter()
                report = import_hsds(package, dry_run=dry_run)
                elapsed = time.perf_counter() - started
                services = report.counts["service"]
                print(
                    f"{label:<13} {elapsed:6.1f} s   services: {services['created']} created, "
                    f"{services['updated']} updated, {services['unchanged']} unchanged"
                )
        print(
            f"in the directory: {Organisation.objects.filter(is_demo=False).count()} "
            f"organisations, {Service.objects.filter(is_demo=False).count()} services"
        )
    finally:
        runner.teardown_databases(old)


if __name__ == "__main__":
    main()
