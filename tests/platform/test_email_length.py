"""Every e-mail field, in every form and every column, holds the same 254 characters."""

import importlib

import pytest
from django import forms
from django.apps import apps
from django.db import models

from core.formfields import EMAIL_MAX_LENGTH

FORM_MODULES = [
    "directory.forms",
    "newsletters.forms",
    "events.forms",
    "events.opendoors.forms",
]


def form_classes():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == name
            ):
                yield value


def test_every_e_mail_column_holds_254_characters():
    columns = [
        (model.__name__, field.name, field.max_length)
        for model in apps.get_models()
        if model._meta.app_label in {"directory", "newsletters", "events", "opendoors", "bassins"}
        for field in model._meta.fields
        if isinstance(field, models.EmailField)
    ]
    assert columns
    assert [c for c in columns if c[2] != EMAIL_MAX_LENGTH] == []


def test_every_e_mail_form_field_takes_at_most_254_characters():
    fields = [
        (form.__name__, name, field.max_length)
        for form in form_classes()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.EmailField)
    ]
    assert len(fields) >= 4
    assert [f for f in fields if f[2] != EMAIL_MAX_LENGTH] == []


def address_of_length(length: int) -> str:
    """A well-formed address of exactly ``length`` characters (labels of 60 at most)."""
    labels, remaining = [], length - len("person@") - len(".org")
    while remaining > 0:
        size = min(60, remaining - 2) if remaining > 61 else remaining
        labels.append("b" * size)
        remaining -= size + 1
    address = "person@" + ".".join(labels) + ".org"
    assert len(address) == length, (len(address), length)
    return address


@pytest.mark.parametrize("length, valid", [(254, True), (255, False), (320, False)])
def test_an_address_longer_than_the_column_is_a_form_error(length, valid):
    from directory.forms import ErrorReportForm

    address = address_of_length(length)
    form = ErrorReportForm({"message": "Le numéro a changé.", "email": address})
    assert form.is_valid() is valid
