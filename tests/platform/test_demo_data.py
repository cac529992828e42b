import datetime

import pytest
from django.core.management import call_command

from bassins.models import Bassin, TeamMember


@pytest.mark.django_db
def test_demo_team_is_marked_and_not_duplicated(reference_data, capsys):
    call_command("load_demo_data", today=datetime.date(2025, 5, 1))
    count = TeamMember.objects.count()
    # each bassin: a coordinator, a project officer and its CPPS target (seed 003)
    assert count == sum(2 + b.cpps_target for b in Bassin.objects.all())
    assert not TeamMember.objects.filter(is_demo=False).exists()
    assert all("(démo)" in name for name in TeamMember.objects.values_list("name", flat=True))
    call_command("load_demo_data", today=datetime.date(2025, 5, 1))
    assert TeamMember.objects.count() == count


@pytest.mark.django_db
def test_bassin_page_shows_its_demo_team(client, reference_data):
    call_command("load_demo_data")
    html = client.get("/fr/sud/").content.decode()
    assert "Sud (démo)" in html
    assert "Nord (démo)" not in html
    assert "Chargé·e de prévention et promotion santé (CPPS)" in html
    assert (
        "Medewerker preventie en gezondheidspromotie (CPPS)"
        in client.get("/nl/zuid/").content.decode()
    )
