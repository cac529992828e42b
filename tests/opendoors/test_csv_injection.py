"""The host's participants.csv and the team's export neutralise formula cells."""

import pytest
from django.urls import reverse
from django.utils import translation

from events.opendoors import services
from tests.csvcheck import POISON, formula_cells

from . import factories

pytestmark = pytest.mark.django_db


def test_participants_csv_has_no_formula_cell(client):
    slot = factories.slot(capacity=len(POISON))
    for i, value in enumerate(POISON):
        services.book_slot(
            slot.pk,
            name=value,
            email=f"v{i}@example.org",
            organisation=POISON[(i + 1) % len(POISON)],
            profession=POISON[(i + 2) % len(POISON)],
            phone="+32 470 00 00 0" + str(i),
        )
    token = services.registration_token(slot.registration, services.TOKEN_HOST)
    with translation.override("fr"):
        path = reverse("opendoors:host_csv", kwargs={"token": token})
    text = client.get(path).content.decode("utf-8")
    assert "HYPERLINK" in text
    assert formula_cells(text) == []
