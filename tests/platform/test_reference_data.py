import pytest
from django.core.management import call_command

from bassins.models import Bassin, BassinPage, PostalCode
from bassins.queries import suggest_bassin


def test_load_reference_data_twice_changes_nothing(empty_database, capsys):
    call_command("load_reference_data")
    first = capsys.readouterr().out
    call_command("load_reference_data")
    second = capsys.readouterr().out
    assert "Reference data loaded: 0 change(s)." not in first
    assert "Reference data loaded: 0 change(s)." in second
    assert Bassin.objects.count() == 5
    assert BassinPage.objects.count() == 10
    assert PostalCode.objects.count() == 22


@pytest.mark.django_db
def test_population_and_helpdesk_are_the_seed_figures(reference_data):
    nord = Bassin.objects.get(slug="nord")
    assert nord.population == 223_509
    assert nord.helpdesk_phone == "02 318 60 54"
    assert Bassin.objects.get(slug="centre-ouest").population == 312_616


@pytest.mark.django_db
@pytest.mark.parametrize(
    "code, bassin, ambiguous",
    [
        ("1020", "nord", False),
        ("1120", "nord", False),
        ("1130", "nord", False),
        ("1000", "centre-ouest", True),
        ("1040", "sud-est", True),
        ("1210", "nord-est", False),
    ],
)
def test_postal_code_suggests_a_bassin(reference_data, code, bassin, ambiguous):
    suggestion = suggest_bassin(code)
    assert suggestion["bassin"].slug == bassin
    assert suggestion["ambiguous"] is ambiguous


@pytest.mark.django_db
def test_unknown_postal_code_suggests_nothing(reference_data):
    assert suggest_bassin("9999") == {
        "bassin": None,
        "candidates": [],
        "ambiguous": False,
        "note": "",
    }
