import datetime
import os

import pytest
from django.core.management import call_command
from django.db import transaction

from directory.models import Organisation, ScheduleSlot, Service


@pytest.fixture(scope="module")
def directory_data(django_db_setup, django_db_blocker):
    """The real reference data, loaded once per test module inside an outer transaction.

    Each test still runs in its own savepoint (pytest-django ``db``), like Django's
    ``TestCase.setUpTestData``; the module's transaction is rolled back at the end, so
    other test modules see an empty database. Not for ``transactional_db`` tests.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with open(os.devnull, "w") as devnull:
                call_command("load_reference_data", verbosity=0, stdout=devnull)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def make_services(db):
    """Create ``n`` extra organisations with one service each (for query-count tests)."""

    def make(n: int, prefix: str = "extra"):
        created = []
        for i in range(n):
            org = Organisation.objects.create(slug=f"{prefix}-{i}", name_fr=f"Asbl {prefix} {i}")
            service = Service.objects.create(
                organisation=org,
                slug=f"{prefix}-service-{i}",
                name_fr=f"Permanence sociale {prefix} {i}",
                name_nl=f"Sociale permanentie {prefix} {i}",
                description_fr="Aide pour les dettes et le logement.",
                area_whole_region=True,
                last_verified=datetime.date(2025, 6, 1),
            )
            ScheduleSlot.objects.create(
                service=service,
                weekday=1,
                opens_at=datetime.time(9),
                closes_at=datetime.time(12),
            )
            created.append(service)
        return created

    return make
