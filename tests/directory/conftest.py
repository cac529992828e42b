import datetime

import pytest

from directory.models import Organisation, ScheduleSlot, Service


@pytest.fixture
def directory_data(reference_data):
    """The real reference data: the session's (tests/conftest.py)."""


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
