"""The public proposal steps of core.proposals, held for each flow that uses them: an
event proposed to the agenda and an organisation asking to be listed in the directory.

Each flow's own rules (what is stored, its moderation) are tested in its app:
tests/events/test_proposals.py and tests/directory/test_listing.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core import mail
from django.db.models import Model

from directory.models import ListingRequest
from events.models import Event
from tests.directory.test_listing import listing_data
from tests.events.test_proposals import proposal_data

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class PublicFlow:
    form_url: str
    data: Callable[..., dict]
    model: type[Model]
    title_field: str
    confirm_button: str
    team_address: str
    proposed_by: dict  # the lookup of the proposals the test's data makes

    def stored(self):
        return self.model.objects.filter(**self.proposed_by)

    def link(self) -> str:
        """The path of the confirmation link of the last e-mail."""
        url = re.search(r"https?://\S+/confirm(?:er|eren)/\S+/", mail.outbox[-1].body).group(0)
        return "/" + url.split("://", 1)[1].split("/", 1)[1]

    def status(self) -> str:
        return self.stored().get().status


FLOWS = {
    "event": PublicFlow(
        form_url="/fr/agenda/proposer/",
        data=proposal_data,
        model=Event,
        title_field="title_fr",
        confirm_button="Confirmer ma proposition",
        team_address="info@bassin-nord.brussels",
        proposed_by={"proposer_email": "awa@example.org"},
    ),
    "listing": PublicFlow(
        form_url="/fr/repertoire/inscrire/",
        data=listing_data,
        model=ListingRequest,
        title_field="name_fr",
        confirm_button="Confirmer ma demande",
        team_address="info@bassin-nord.brussels",
        proposed_by={},
    ),
}


@pytest.fixture(params=FLOWS.values(), ids=FLOWS.keys())
def flow(request, reference_data) -> PublicFlow:
    return request.param


def test_a_proposal_is_stored_unconfirmed_and_its_signed_link_mailed_to_the_proposer(client, flow):
    assert client.post(flow.form_url, flow.data()).status_code == 302
    assert flow.status() == "unconfirmed"
    assert len(mail.outbox) == 1
    assert "/confirmer/" in mail.outbox[0].body


def test_opening_the_confirmation_link_changes_nothing_until_the_button_is_pressed(client, flow):
    """Mail scanners open links: a GET shows a button, only its POST confirms."""
    client.post(flow.form_url, flow.data())
    path = flow.link()
    for method in (client.get, client.head):
        assert method(path).status_code == 200
    page = client.get(path).content.decode()
    assert 'method="post"' in page and flow.confirm_button in page
    assert flow.status() == "unconfirmed"
    assert not [m for m in mail.outbox if m.to == [flow.team_address]]
    assert client.post(path).status_code == 200
    assert flow.status() == "pending"


def test_confirming_tells_the_team_of_the_area_once_even_if_clicked_twice(client, flow):
    client.post(flow.form_url, flow.data())
    path = flow.link()
    assert client.post(path).status_code == 200
    assert client.post(path).status_code == 200
    assert len([m for m in mail.outbox if m.to == [flow.team_address]]) == 1
    assert flow.status() == "pending"


def test_a_double_submit_stores_one_proposal_and_mails_its_link_again(client, flow):
    client.post(flow.form_url, flow.data())
    client.post(flow.form_url, flow.data())
    assert flow.stored().count() == 1
    assert len(mail.outbox) == 2


def test_forged_and_expired_links_are_refused(client, flow, settings):
    forged = flow.form_url + "confirmer/jeton-contrefait/"
    assert client.get(forged).status_code == 400
    assert client.post(forged).status_code == 400
    client.post(flow.form_url, flow.data())
    path = flow.link()
    settings.SIGNED_LINK_MAX_AGE_DAYS = -1
    assert client.post(path).status_code == 410
    assert flow.status() == "unconfirmed"


def test_a_link_to_a_proposal_that_is_gone_is_a_404(client, flow):
    client.post(flow.form_url, flow.data())
    path = flow.link()
    flow.stored().delete()
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 404


def test_the_honeypot_refuses_the_form_and_stores_nothing(client, flow):
    response = client.post(flow.form_url, flow.data(website_url="http://spam.example"))
    assert response.status_code == 400
    assert "field-error" in response.content.decode()
    assert not flow.stored().exists()
    assert not mail.outbox


def test_over_the_rate_limit_a_form_is_a_429_and_stores_nothing_more(client, flow, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = "2/h"
    codes = [
        client.post(flow.form_url, flow.data(**{flow.title_field: f"T{i}"})).status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]
    assert flow.stored().count() == 2
