"""The pages of the exchange space run a fixed number of SQL queries, whatever the
number of channels, messages, replies, linked cards, attachments or requests."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Organisation, Service
from exchanges import services
from exchanges.models import Attachment, Channel, Message, ReferentRequest
from tests.events.factories import make_event

from .conftest import login


def queries_of(client, path: str) -> int:
    """Queries of a GET of ``path`` once the session and the process caches are warm,
    with the shared cache empty (the worst case)."""
    client.get(path)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.fixture
def linked_records(bassins):
    event = make_event("Atelier du Sud", bassins=["sud"])
    organisation = Organisation.objects.create(slug="maison-sud", name_fr="Maison Sud")
    for number in range(3):
        service = Service.objects.create(
            organisation=organisation,
            slug=f"accueil-{number}",
            name_fr=f"Accueil {number}",
            saturation_note_fr="Complet",
        )
        service.area_bassins.add(bassins["sud"])
    return event, organisation


def grow_channel(channel, people, linked_records, threads: int) -> None:
    """``threads`` messages, each with two replies, links to an event and a directory
    entry, and an attachment."""
    event, organisation = linked_records
    authors = [people["member_a"], people["member_a2"]]
    for number in range(threads):
        body = (
            f"Message {number} : /fr/agenda/evenement/{event.pk}/ et "
            f"/fr/repertoire/organisation/{organisation.slug}/"
        )
        message = Message.objects.create(channel=channel, author=authors[number % 2], body=body)
        Attachment.objects.create(
            message=message,
            file=ContentFile(b"%PDF-1.4", name=f"note-{number}.pdf"),
            original_name=f"note-{number}.pdf",
            content_type="application/pdf",
            size=8,
        )
        for reply in range(2):
            Message.objects.create(
                channel=channel, parent=message, author=authors[reply], body=f"{body} ({reply})"
            )


def grow_channels(bassins, count: int) -> None:
    for number in range(count):
        Channel.objects.create(
            slug=f"extra-{number}",
            name_fr=f"Extra {number}",
            name_nl=f"Extra {number}",
            bassin=bassins["sud"] if number % 2 else None,
        )


def test_the_channel_page_query_count_does_not_grow_with_its_messages(
    client, people, channels, linked_records
):
    login(client, people["member_a"])
    path = "/fr/echanges/canal/sud-sante-mentale/"
    grow_channel(channels["sud"], people, linked_records, threads=2)
    few = queries_of(client, path)
    grow_channel(channels["sud"], people, linked_records, threads=20)
    assert queries_of(client, path) == few
    assert few <= 25


def test_a_moderator_sees_the_channel_page_in_the_same_number_of_queries(
    client, people, channels, linked_records
):
    login(client, people["moderator"])
    path = "/fr/echanges/canal/sud-sante-mentale/"
    grow_channel(channels["sud"], people, linked_records, threads=2)
    few = queries_of(client, path)
    grow_channel(channels["sud"], people, linked_records, threads=20)
    assert queries_of(client, path) == few


def test_the_thread_and_search_pages_query_count_does_not_grow(
    client, people, channels, linked_records
):
    login(client, people["member_a"])
    grow_channel(channels["sud"], people, linked_records, threads=2)
    thread = Message.objects.filter(parent__isnull=True).first()
    paths = [f"/fr/echanges/message/{thread.pk}/", "/fr/echanges/recherche/?q=Message"]
    few = [queries_of(client, path) for path in paths]
    grow_channel(channels["sud"], people, linked_records, threads=20)
    for number in range(20):
        Message.objects.create(
            channel=channels["sud"], parent=thread, author=people["member_a2"], body=f"Re {number}"
        )
    assert [queries_of(client, path) for path in paths] == few


def test_the_channel_list_query_count_does_not_grow_with_channels(
    client, people, channels, bassins, linked_records
):
    login(client, people["member_a"])
    few = queries_of(client, "/fr/echanges/")
    grow_channels(bassins, 12)
    grow_channel(channels["sud"], people, linked_records, threads=5)
    assert queries_of(client, "/fr/echanges/") == few
    assert few <= 20


def open_requests(people, bassins, count: int) -> None:
    for number in range(count):
        services.open_referent_request(
            people["member_a"], bassins["sud"], f"Situation {number}", "Quelles pistes ?"
        )


@pytest.mark.parametrize(
    "who, path",
    [
        ("referent", "/admin/echanges/referent/"),
        ("referent", "/fr/echanges/referent/"),
        ("member_a", "/fr/echanges/referent/"),
    ],
)
def test_the_referent_queue_query_count_does_not_grow_with_requests(
    client, people, bassins, who, path
):
    login(client, people[who])
    open_requests(people, bassins, 2)
    few = queries_of(client, path)
    open_requests(people, bassins, 15)
    assert ReferentRequest.objects.count() == 17
    assert queries_of(client, path) == few


def test_the_referent_request_page_query_count_does_not_grow_with_its_messages(
    client, people, bassins
):
    request = services.open_referent_request(
        people["member_a"], bassins["sud"], "Situation", "Quelles pistes ?"
    )
    login(client, people["referent"])
    path = f"/fr/echanges/referent/{request.pk}/"
    few = queries_of(client, path)
    referent = services.queries.viewer_for(people["referent"])
    member = services.queries.viewer_for(people["member_a"].user)
    for number in range(6):
        services.add_referent_message(referent, request, f"Piste {number}")
        services.add_referent_message(member, request, f"Merci {number}")
    assert queries_of(client, path) == few
