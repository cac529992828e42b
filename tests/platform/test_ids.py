"""core.ids: an id that cannot be a database key is refused before any query."""

import pytest
from django import forms

from bassins.models import Bassin
from core.ids import MAX_ID, IdModelChoiceField, IdModelMultipleChoiceField, parse_id

HUGE = [str(2**63), str(2**64 + 5), "9" * 40, "-1", "0", "1e3", "١٢", " ", "abc"]


def test_parse_id_accepts_every_key_and_nothing_else():
    assert parse_id("1") == 1 and parse_id(" 42 ") == 42 and parse_id(str(MAX_ID)) == MAX_ID
    for value in HUGE:
        with pytest.raises(ValueError):
            parse_id(value)


class ChoiceForm(forms.Form):
    one = IdModelChoiceField(queryset=Bassin.objects.all(), required=False)
    many = IdModelMultipleChoiceField(queryset=Bassin.objects.all(), required=False)


@pytest.mark.django_db
@pytest.mark.parametrize("value", HUGE)
def test_an_impossible_id_is_an_invalid_choice_not_a_500(value):
    form = ChoiceForm({"one": value, "many": [value]})
    assert not form.is_valid()
    if value.strip():
        assert form.errors["one"] and form.errors["many"]


@pytest.mark.django_db
def test_real_ids_still_choose_rows():
    bassin = Bassin.objects.create(
        slug="test", name_fr="Test", name_nl="Test", population=1, population_date="2025-01-01"
    )
    form = ChoiceForm({"one": str(bassin.pk), "many": [str(bassin.pk)]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["one"] == bassin and list(form.cleaned_data["many"]) == [bassin]
