"""core.widgets' filter widgets write exactly the markup of Django's own widgets."""

import datetime

import pytest
from django import forms

from core.widgets import FilterCheckboxes, FilterDateInput, FilterSelect, FilterTextInput

CHOICES = [
    ("nord", "Nord (3)"),
    ("sud-est", 'Sud-Est <b>"&"</b>'),
    ("", "Vide"),
    ("42", "Quarante-deux"),
    (None, "Aucun"),
    (43, "Nombre"),
]


@pytest.mark.parametrize(
    "value, attrs",
    [
        (None, None),
        ([], {"id": "id_bassin"}),
        (["nord", "42"], {"id": "id_bassin", "class": "choices", "data-x": 'a"b'}),
        (["sud-est"], {"required": True, "disabled": False}),
        (["", "nord"], {"class": "c", "id": "id_b", "aria-invalid": "true"}),
        (["42"], {"id": 'i"d', "data-y": "<x>"}),
        ([42, None], {"id": ""}),
    ],
)
def test_same_markup_as_django(value, attrs):
    ours = FilterCheckboxes(choices=CHOICES).render("bassin", value, attrs)
    django = forms.CheckboxSelectMultiple(choices=CHOICES).render("bassin", value, attrs)
    assert ours == django


def test_groups_fall_back_to_django_templates():
    grouped = [("Bruxelles", [("nord", "Nord"), ("sud", "Sud")]), ("x", "X")]
    ours = FilterCheckboxes(choices=grouped).render("b", ["sud"], {"id": "id_b"})
    assert ours == forms.CheckboxSelectMultiple(choices=grouped).render(
        "b", ["sud"], {"id": "id_b"}
    )
    assert "<label>Bruxelles</label>" in ours


def test_in_a_bound_form_the_ticked_boxes_stay_ticked():
    class Form(forms.Form):
        kind = forms.MultipleChoiceField(choices=CHOICES, widget=FilterCheckboxes, required=False)

    html = str(Form({"kind": ["42"]})["kind"])
    assert 'value="42" id="id_kind_3" checked' in html
    assert 'value="nord" id="id_kind_0" checked' not in html


@pytest.mark.parametrize(
    "value, attrs",
    [
        (None, None),
        ("", {"id": "id_language"}),
        ("42", {"id": "id_language", "class": "choices", "data-x": 'a"b'}),
        ("sud-est", {"required": True, "disabled": False}),
        ("", {"class": "x", "aria-invalid": "true"}),
        (42, {"id": 'i"d'}),
    ],
)
def test_the_select_has_the_same_markup_as_django(value, attrs):
    ours = FilterSelect(choices=CHOICES).render("language", value, attrs)
    django = forms.Select(choices=CHOICES).render("language", value, attrs)
    assert ours == django


def test_a_select_with_groups_falls_back_to_django_templates():
    grouped = [("Bruxelles", [("nord", "Nord"), ("sud", "Sud")]), ("x", "X")]
    ours = FilterSelect(choices=grouped).render("b", "sud", {"id": "id_b"})
    assert ours == forms.Select(choices=grouped).render("b", "sud", {"id": "id_b"})
    assert '<optgroup label="Bruxelles">' in ours


@pytest.mark.parametrize(
    "value, attrs",
    [
        (None, None),
        ("", {"id": "id_q"}),
        ('santé <b>"&"</b>', {"id": "id_q", "maxlength": 200, "required": True, "disabled": False}),
        (42, {"class": "x", "data-x": 'a"b'}),
    ],
)
def test_the_text_input_has_the_same_markup_as_django(value, attrs):
    widget_attrs = {"type": "search", "maxlength": 200}
    ours = FilterTextInput(attrs=widget_attrs).render("q", value, attrs)
    assert ours == forms.TextInput(attrs=widget_attrs).render("q", value, attrs)


@pytest.mark.parametrize(
    "value, attrs",
    [
        (None, None),
        (datetime.date(2026, 3, 1), {"id": "id_start"}),
        ("2026-13-01", {"id": "id_start", "required": True}),
        ('"><script>', None),
    ],
)
def test_the_date_input_has_the_same_markup_as_django(value, attrs):
    widget = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
    ours = FilterDateInput(**widget).render("start", value, attrs)
    assert ours == forms.DateInput(**widget).render("start", value, attrs)
