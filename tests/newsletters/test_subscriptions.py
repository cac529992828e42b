"""Double opt-in, preferences, one-click unsubscribe, signed links, abuse."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from core.signing import make_token
from newsletters import links
from newsletters.models import Subscriber, SubscriberStatus

from .conftest import make_subscribers


def _link(message, pattern=r"https?://\S+/(?:confirmer|bevestigen)/\S+/"):
    return re.search(pattern, message.body).group(0)


def _subscribe(client, email="ana@example.org", language="fr", bassins=("nord",), url=None):
    from bassins.models import Bassin

    ids = [str(b.pk) for b in Bassin.objects.filter(slug__in=bassins)]
    return client.post(
        url or "/fr/info-prevention/inscription/",
        {"email": email, "language": language, "bassins": ids, "website_url": ""},
    )


@pytest.mark.django_db
def test_double_opt_in_nothing_is_active_before_the_confirmation_link(
    client, reference_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _subscribe(client, language="nl", url="/fr/info-prevention/nord/inscription/")
    assert response.status_code == 302
    subscriber = Subscriber.objects.get(email="ana@example.org")
    assert subscriber.status == SubscriberStatus.PENDING
    assert [b.slug for b in subscriber.bassins.all()] == ["nord"]
    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert "Bevestig" in message.subject  # the subscriber chose Dutch
    assert message.alternatives and message.alternatives[0][1] == "text/html"

    url = _link(message)
    assert "/nl/info-preventie/bevestigen/" in url
    response = client.get(urlsplit(url).path)
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.confirmed_at is not None


@pytest.mark.django_db
def test_subscribing_an_active_address_again_changes_nothing_and_sends_the_preferences_link(
    client, reference_data, django_capture_on_commit_callbacks
):
    [subscriber] = make_subscribers(1, "sud")
    with django_capture_on_commit_callbacks(execute=True):
        response = _subscribe(client, email=subscriber.email.upper(), bassins=("nord",))
    assert response.status_code == 302
    assert [b.slug for b in subscriber.bassins.all()] == ["sud"]
    [message] = mail.outbox
    assert "/info-prevention/preferences/" in message.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, field",
    [
        ({"email": "not-an-address", "language": "fr"}, "email"),
        ({"email": "x" * 300 + "@example.org", "language": "fr"}, "email"),
        ({"email": "ok@example.org", "language": "de"}, "language"),
        ({"email": "ok@example.org", "language": "fr", "bassins": ["99999"]}, "bassins"),
        ({"email": "ok@example.org", "language": "fr", "bassins": [str(2**63)]}, "bassins"),
        ({"email": "ok@example.org", "language": "fr", "digest_bassins": ["9" * 30]}, None),
        ({"email": "ok@example.org", "language": "fr"}, None),  # no list chosen
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(client, reference_data, data, field):
    response = client.post("/fr/info-prevention/inscription/", data)
    assert response.status_code == 400
    assert b"field-error" in response.content
    assert not Subscriber.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_the_honeypot_refuses_bots(client, reference_data):
    response = client.post(
        "/fr/info-prevention/inscription/",
        {"email": "bot@example.org", "language": "fr", "website_url": "http://spam"},
    )
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_too_many_subscriptions_from_one_address_get_429(client, reference_data, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = "2/h"
    for i in range(2):
        assert _subscribe(client, email=f"p{i}@example.org").status_code == 302
    assert _subscribe(client, email="p9@example.org").status_code == 429
    assert not Subscriber.objects.filter(email="p9@example.org").exists()


@pytest.mark.django_db
def test_one_click_unsubscribe_by_post_needs_no_csrf_and_no_session(reference_data):
    [subscriber] = make_subscribers(1)
    url = links.unsubscribe_url(subscriber).split("://", 1)[1]
    path = "/" + url.split("/", 1)[1]
    client = Client(enforce_csrf_checks=True)
    # A GET (link scanner, person) only shows a button.
    assert client.get(path).status_code == 200
    assert Subscriber.objects.get(pk=subscriber.pk).status == SubscriberStatus.ACTIVE
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert not subscriber.bassins.exists()
    # Twice is fine.
    assert client.post(path, {"List-Unsubscribe": "One-Click"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("purpose", ["confirm", "preferences", "unsubscribe"])
def test_forged_or_foreign_tokens_are_refused_with_400(client, reference_data, purpose):
    [subscriber] = make_subscribers(1)
    good = links.subscriber_token(links.PREFERENCES, subscriber)
    paths = {
        "confirm": "/fr/info-prevention/confirmer/{}/",
        "preferences": "/fr/info-prevention/preferences/{}/",
        "unsubscribe": "/info-prevention/desinscription/{}/",
    }
    forged = good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB")
    # A preferences token is worthless for another purpose (and vice versa).
    foreign = links.subscriber_token(links.CONFIRM, subscriber)
    if purpose == "confirm":
        foreign = good
    for token in (forged, foreign, "x" * 600, make_token("other", {"s": subscriber.pk})):
        method = client.post if purpose == "unsubscribe" else client.get
        response = method(paths[purpose].format(token))
        assert response.status_code == 400, token
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE


@pytest.mark.django_db
def test_expired_links_get_410(client, reference_data, settings):
    from django.core import signing

    [subscriber] = make_subscribers(1)
    old = datetime.datetime.now() - datetime.timedelta(days=800)

    class OldSigner(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(old.timestamp()))

    token = signing.dumps(
        {"s": subscriber.pk, "a": links.address_check(subscriber)},
        salt=f"maillage:{links.UNSUBSCRIBE}",
        compress=True,
        serializer=signing.JSONSerializer,
    )
    token = OldSigner(salt=f"maillage:{links.UNSUBSCRIBE}").sign(token.rsplit(":", 2)[0])
    response = client.post(f"/info-prevention/desinscription/{token}/")
    assert response.status_code == 410
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE


@pytest.mark.django_db
def test_preferences_change_lists_language_and_digest_then_unsubscribe(client, reference_data):
    from bassins.models import Bassin

    [subscriber] = make_subscribers(1)
    token = links.subscriber_token(links.PREFERENCES, subscriber)
    url = f"/fr/info-prevention/preferences/{token}/"
    page = client.get(url)
    assert page.status_code == 200 and subscriber.email.encode() in page.content
    sud, nord = Bassin.objects.get(slug="sud"), Bassin.objects.get(slug="nord")
    response = client.post(
        url, {"language": "nl", "bassins": [sud.pk], "digest_bassins": [sud.pk, nord.pk]}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/nl/info-preventie/voorkeuren/")
    subscriber.refresh_from_db()
    assert subscriber.language == "nl"
    assert set(subscriber.digest_bassins.values_list("slug", flat=True)) == {"sud", "nord"}
    response = client.post(url, {"action": "unsubscribe"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


@pytest.mark.django_db
def test_an_old_confirmation_link_does_not_undo_an_unsubscription(client, reference_data):
    [subscriber] = make_subscribers(1)
    token = links.subscriber_token(links.CONFIRM, subscriber)
    Subscriber.objects.filter(pk=subscriber.pk).update(status=SubscriberStatus.UNSUBSCRIBED)
    assert client.get(f"/fr/info-prevention/confirmer/{token}/").status_code == 410
    assert Subscriber.objects.get(pk=subscriber.pk).status == SubscriberStatus.UNSUBSCRIBED
