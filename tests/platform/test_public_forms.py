"""Every form of the site refuses a control character in a single-line field, with a
message (core.text.NoControlCharactersFormMixin).

The forms are found, not listed: every ``Form`` subclass defined in the project's apps
once the URL configuration (every view, hence every form it uses) and each app's
``forms`` module are imported. Wagtail's admin forms (staff, Wagtail's own validation:
the admin modules' and those built inside a viewset) and abstract mixins (``...Mixin``)
are left out. A new form that needs
arguments to be built gets them in ``form_arguments``; until then this test fails
naming it."""

from __future__ import annotations

import importlib
import importlib.util
import inspect

import pytest
from django import forms
from django.urls import get_resolver
from wagtail.admin.forms import WagtailAdminModelForm

from core.text import NoControlCharactersFormMixin
from directory.models import Organisation
from tests.opendoors import factories as opendoors

PROJECT = ("events", "directory", "newsletters", "exchanges", "bassins", "core", "maillage")
FORM_MODULES = [
    f"{package}.forms"
    for package in (*PROJECT, "events.opendoors", "events.calendars")
    if importlib.util.find_spec(f"{package}.forms")
]
VERTICAL_TAB = "a\x0bb"
# Staff forms of Wagtail's admin (built by viewsets, validated by Wagtail's own forms).
ADMIN_MODULES = {"viewsets", "wagtail_hooks", "admin_views"}

get_resolver().url_patterns  # noqa: B018 -- imports every view, hence every form in use
for module in FORM_MODULES:
    importlib.import_module(module)


def project_forms() -> list[type[forms.BaseForm]]:
    found, pending = set(), [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if (
            cls.__module__.split(".")[0] in PROJECT
            and not cls.__name__.endswith("Mixin")
            and "<locals>" not in cls.__qualname__
            and cls.__module__.rsplit(".", 1)[-1] not in ADMIN_MODULES
            and not issubclass(cls, WagtailAdminModelForm)
        ):
            found.add(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


@pytest.fixture
def form_arguments(reference_data):
    """Keyword arguments of the forms whose constructor requires some."""
    week = opendoors.week()
    organisation = Organisation.objects.order_by("pk").first()
    services = list(organisation.services.all())
    return {
        "organisation": organisation,
        "values": {},
        "services": services,
        "week": week,
        "year": 2026,
    }


def build(cls, data, arguments):
    required = [
        name
        for name, parameter in inspect.signature(cls.__init__).parameters.items()
        if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty
    ]
    missing = [name for name in required if name not in arguments]
    assert not missing, f"{cls.__qualname__} needs {missing}: add them to form_arguments"
    return cls(data, **{name: arguments[name] for name in required})


def single_line_fields(form) -> list[str]:
    # A UUIDField is a CharField that refuses anything but a UUID itself ("Saisissez un
    # UUID valide."), before any text check could run: it holds no text.
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, forms.UUIDField)
        and not isinstance(field.widget, forms.Textarea)
    ]


def test_the_walk_finds_the_public_forms_of_every_app():
    modules = {cls.__module__ for cls in project_forms()}
    for module in ("directory.forms", "newsletters.forms", "exchanges.forms", "events.forms"):
        assert module in modules
    assert len(project_forms()) >= 20


@pytest.mark.parametrize("cls", project_forms(), ids=lambda cls: cls.__qualname__)
def test_every_form_refuses_a_vertical_tab_in_each_single_line_field(cls, form_arguments):
    assert issubclass(cls, NoControlCharactersFormMixin), f"{cls.__qualname__} lacks the mixin"
    fields = single_line_fields(build(cls, None, form_arguments))
    form = build(cls, dict.fromkeys(fields, VERTICAL_TAB), form_arguments)
    assert fields == [] or not form.is_valid()
    for name in fields:
        messages = [str(message) for message in form.errors.get(name, [])]
        assert any("caractère de contrôle" in message for message in messages), (name, messages)
