"""Input refused once for the whole site (core.middleware, core.http, core.params,
core.formfields): a 4xx with a message, never a 500, whatever view reads it."""

from __future__ import annotations

import pytest
from django import forms
from django.test import RequestFactory

from core.formfields import StrictBooleanField
from core.http import redirect_back
from core.params import BadParameter, page_param
from directory.models import Service

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/fr/repertoire/", {"q": "a\x00b"}),
        ("get", "/fr/agenda/", {"x\x00": "1"}),
        ("post", "/fr/repertoire/ma-liste/ajouter/", {"service": "\x00"}),
        ("post", "/fr/repertoire/ma-liste/retirer/", {"service": "1", "next": "/fr/\x00"}),
        ("get", "/fr/repertoire/modifier/a%00b/", {}),
    ],
)
def test_a_nul_byte_anywhere_in_the_input_is_a_400_with_a_message(client, method, path, data):
    response = getattr(client, method)(path, data)
    assert response.status_code == 400
    assert "caractère nul" in response.content.decode()


def test_a_nul_byte_in_an_api_call_is_a_json_400(client):
    response = client.get("/api/directory/search", {"q": "\x00"})
    assert response.status_code == 400
    assert "nul" in response.json()["error"]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/fr/repertoire/?q=x", "/fr/repertoire/?q=x"),
        ("//evil.example/", "/fr/repertoire/ma-liste/"),
        ("https://evil.example/", "/fr/repertoire/ma-liste/"),
        ("/\\evil.example", "/fr/repertoire/ma-liste/"),
        ("0", "/fr/repertoire/ma-liste/"),
        ("2025-13-01", "/fr/repertoire/ma-liste/"),
        ("/fr/\x0b", "/fr/repertoire/ma-liste/"),
        ("", "/fr/repertoire/ma-liste/"),
    ],
)
def test_redirect_back_goes_only_to_a_path_of_this_site(target, expected):
    request = RequestFactory().post("/fr/repertoire/ma-liste/ajouter/", {"next": target})
    assert redirect_back(request, "/fr/repertoire/ma-liste/")["Location"] == expected


def test_my_list_with_a_next_that_is_no_path_redirects_to_my_list(client):
    service = Service.objects.order_by("pk").first()
    response = client.post(
        "/fr/repertoire/ma-liste/ajouter/", {"service": str(service.public_id), "next": "0"}
    )
    assert response.status_code == 302 and response["Location"] == "/fr/repertoire/ma-liste/"


class Flags(forms.Form):
    flag = StrictBooleanField()


@pytest.mark.parametrize(
    ("value", "expected"), [("true", True), ("on", True), ("false", False), ("", None)]
)
def test_a_strict_boolean_reads_the_documented_values(value, expected):
    form = Flags({"flag": value})
    assert form.is_valid() and form.cleaned_data["flag"] is expected


@pytest.mark.parametrize("value", ["null", "yes", "True", "2", "1", "0", "x" * 300])
def test_a_strict_boolean_refuses_anything_else_with_a_message(value):
    form = Flags({"flag": value})
    assert not form.is_valid()
    assert "true ou false" in form.errors["flag"][0]


@pytest.mark.parametrize("value", ["0", "-1", "abc", "1.5", str(2**63), "١"])
def test_a_page_number_that_is_not_a_whole_number_from_1_is_a_bad_parameter(value):
    with pytest.raises(BadParameter):
        page_param({"page": value})
    assert page_param({}) == 1 and page_param({"page": "3"}) == 3


FILTERED = [
    "/api/directory/search",
    "/api/directory/export.json",
    "/api/directory/export.csv",
    "/api/directory/hsds.zip",
]
UNDOCUMENTED = [
    *[
        (path, query)
        for path in FILTERED
        for query in (
            {"professionals": "null"},
            {"open_now": "maybe"},
            {"help_lines": "1"},
            {"lang": "de"},
        )
    ],
    ("/api/directory/search", {"page": "0"}),
    ("/api/directory/search", {"page": "x"}),
]


@pytest.mark.parametrize(("path", "query"), UNDOCUMENTED)
def test_directory_apis_answer_400_to_an_undocumented_value(client, path, query):
    response = client.get(path, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()


def test_an_organisation_in_an_unknown_language_is_a_400(client):
    organisation = Service.objects.order_by("pk").first().organisation
    response = client.get(f"/api/directory/organisations/{organisation.public_id}", {"lang": "de"})
    assert response.status_code == 400 and "fr ou nl" in response.json()["error"]


def test_a_forged_password_reset_link_is_the_bad_link_page(client):
    response = client.get("/fr/echanges/mot-de-passe/MQ/jeton-contrefait/")
    assert response.status_code == 400
