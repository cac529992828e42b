"""Sending: one message per subscriber, headers, parts, language, idempotence, recovery."""

import contextlib
import datetime
import smtplib

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.utils import timezone

from newsletters import sending, tasks
from newsletters.models import Delivery, DeliveryStatus, Mailing, MailingStatus, Subscriber

from .conftest import drafted_issue, make_subscribers, publish


def _send(issue):
    tasks.send_issue(issue.pk)
    return Mailing.objects.get(issue=issue)


@pytest.mark.django_db
def test_publishing_sends_the_issue_once_to_each_subscriber_of_that_bassin_and_language(
    reference_data, django_capture_on_commit_callbacks
):
    make_subscribers(7, "nord", "fr")
    make_subscribers(3, "nord", "nl")
    make_subscribers(2, "sud", "fr", prefix="sud")
    issue = drafted_issue("nord", "fr")
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    assert len(mail.outbox) == 7
    assert len({m.to[0] for m in mail.outbox}) == 7
    assert all(m.to[0].endswith(".fr@example.org") and "sud" not in m.to[0] for m in mail.outbox)
    mailing = Mailing.objects.get(issue=issue)
    assert mailing.status == MailingStatus.DONE
    assert sending.report(mailing.pk)["sent"] == 7

    # Republishing, or running the task again, sends nobody anything.
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    tasks.send_issue(issue.pk)
    assert len(mail.outbox) == 7
    assert Delivery.objects.filter(mailing=mailing).count() == 7


@pytest.mark.django_db
def test_every_message_has_one_click_unsubscribe_headers_html_and_text_in_the_language(
    reference_data,
):
    make_subscribers(1, "sud", "nl")
    issue = drafted_issue("sud", "nl")
    publish(issue, send=False)
    _send(issue)
    [message] = mail.outbox
    headers = message.extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith("<http")
    assert "/info-prevention/desinscription/" in headers["List-Unsubscribe"]
    assert headers["Message-ID"].startswith("<ips.")
    assert message.body  # text part
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert 'style="' in html  # CSS inlined
    assert "<style" not in html
    assert "Borstkanker" in message.subject  # October 2025: breast cancer, in Dutch
    assert "Mij uitschrijven" in message.body
    assert "__MAILLAGE_" not in message.body + html
    assert "&#x27;" not in message.body
    raw = message.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw


@pytest.mark.django_db
def test_suppressed_or_unsubscribed_addresses_are_never_mailed(reference_data):
    subscribers = make_subscribers(4)
    sending.suppress_address(subscribers[0].email, "hard-bounce")
    Subscriber.objects.filter(pk=subscribers[1].pk).update(status="unsubscribed")
    issue = drafted_issue()
    publish(issue, send=False)
    mailing = _send(issue)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in subscribers[2:])
    assert Delivery.objects.filter(mailing=mailing).count() == 2


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_worker_is_sent_again_by_recovery(reference_data, settings):
    make_subscribers(5)
    issue = drafted_issue()
    publish(issue, send=False)
    mailing = sending.start_issue_mailing(issue.pk)
    # A worker claimed two deliveries and died before sending them.
    claimed = sending.claim(mailing.pk, "dead-worker", 2)
    assert len(claimed) == 2
    sending.deliver_batch(mailing.pk)
    assert len(mail.outbox) == 3  # the live worker never touches someone else's claim
    assert sending.recover_stale_claims() == {}  # too recent: maybe still being sent
    later = timezone.now() + datetime.timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT + 1)
    assert sending.recover_stale_claims(now=later) == {mailing.pk: 1}
    sending.deliver_batch(mailing.pk)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Subscriber.objects.values_list("email", flat=True)
    )
    assert sending.report(mailing.pk)["sent"] == 5
    assert Mailing.objects.get(pk=mailing.pk).status == MailingStatus.DONE


class RefusingBackend:
    """Refuses one address permanently (550), accepts the others."""

    def __init__(self, *args, **kwargs):
        self.sent = []

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        for message in messages:
            if message.to[0].startswith("pro00000"):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
            mail.outbox.append(message)
        return len(messages)


@pytest.mark.django_db
def test_a_permanent_refusal_fails_and_suppresses_the_address(reference_data, settings):
    settings.EMAIL_BACKEND = "tests.newsletters.test_sending.RefusingBackend"
    subscribers = make_subscribers(3)
    issue = drafted_issue()
    publish(issue, send=False)
    mailing = _send(issue)
    report = sending.report(mailing.pk)
    assert report["sent"] == 2 and report["failed"] == 1
    assert Subscriber.objects.get(pk=subscribers[0].pk).suppressed_at is not None


@pytest.mark.django_db
def test_an_anymail_hard_bounce_marks_the_delivery_and_suppresses_forever(reference_data):
    subscribers = make_subscribers(2)
    issue = drafted_issue()
    publish(issue, send=False)
    mailing = _send(issue)
    event = AnymailTrackingEvent(event_type="bounced", recipient=subscribers[0].email.upper())
    tracking.send(sender=object, event=event, esp_name="Test")
    assert sending.report(mailing.pk)["bounced"] == 1
    assert Subscriber.objects.get(pk=subscribers[0].pk).suppressed_reason == "hard-bounce"
    # The next issue skips the address.
    mail.outbox.clear()
    other = drafted_issue(month=datetime.date(2025, 11, 1))
    publish(other, send=False)
    _send(other)
    assert [m.to[0] for m in mail.outbox] == [subscribers[1].email]


@pytest.mark.django_db
def test_the_agenda_is_frozen_when_sending_starts(reference_data):
    issue = drafted_issue()
    publish(issue, send=False)
    mailing = sending.start_issue_mailing(issue.pk)
    assert mailing.payload["agenda"] == []
    Mailing.objects.filter(pk=mailing.pk).update(
        payload={"agenda": [{"title": "Frozen", "start": "2025-10-02T10:00:00+02:00"}]}
    )
    assert [i["title"] for i in issue.agenda_items()] == ["Frozen"]


@pytest.mark.django_db
def test_delivery_is_unique_per_mailing_and_subscriber(reference_data):
    from django.db import IntegrityError, transaction

    [subscriber] = make_subscribers(1)
    issue = drafted_issue()
    publish(issue, send=False)
    mailing = sending.start_issue_mailing(issue.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(mailing=mailing, subscriber=subscriber)
    assert Delivery.objects.get(mailing=mailing).status == DeliveryStatus.PENDING


@pytest.mark.django_db
def test_over_real_smtp_each_message_is_complete_and_personal(reference_data, settings, client):
    """The SMTP fast path (one serialized template, per-recipient swaps) sends the same
    thing as Django's message building: headers, both parts, the person's own links."""
    from email import message_from_bytes
    from email.policy import default

    from .smtpsink import SmtpSink

    sink = SmtpSink().start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        subscribers = make_subscribers(3)
        issue = drafted_issue()
        publish(issue, send=False)
        mailing = _send(issue)
        sink.wait_for(lambda: sink.count == 3, timeout=10, what="3 messages")
    finally:
        sink.stop()
    assert sending.report(mailing.pk)["sent"] == 3
    seen_links = set()
    for raw, (recipient, message_id) in zip(sink.handler.raw, sink.messages, strict=True):
        message = message_from_bytes(raw, policy=default)
        assert message["To"] == recipient
        assert message["Message-ID"] == message_id
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe = message["List-Unsubscribe"].strip("<>")
        seen_links.add(unsubscribe)
        assert message.get_content_type() == "multipart/alternative"
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert "Cancer du sein" in text and "Cancer du sein" in html
        assert unsubscribe in text and unsubscribe.replace("&", "&amp;") in html
        assert max(len(line) for line in raw.split(b"\r\n")) <= 998
        path = "/" + unsubscribe.split("://", 1)[1].split("/", 1)[1]
        assert client.post(path).status_code == 200
    assert len(seen_links) == 3
    assert {s.email for s in subscribers} == {r for r, _ in sink.messages}
    assert not Subscriber.objects.filter(status="active").exists()


@pytest.mark.django_db
def test_a_claim_takes_pending_rows_in_order_once_and_loads_their_subscribers(
    reference_data, django_assert_num_queries
):
    make_subscribers(5)
    issue = drafted_issue()
    publish(issue, send=False)
    mailing = sending.start_issue_mailing(issue.pk)
    with django_assert_num_queries(2):  # the claiming statement, the subscribers
        first = sending.claim(mailing.pk, "worker-a", 3)
        addresses = [d.subscriber.email for d in first]
    second = sending.claim(mailing.pk, "worker-b", 3)
    assert [d.pk for d in first] == sorted(d.pk for d in first)
    assert len(addresses) == 3 and len(second) == 2
    assert {d.pk for d in first}.isdisjoint(d.pk for d in second)
    assert sending.claim(mailing.pk, "worker-c", 3) == []
    for token, deliveries in (("worker-a", first), ("worker-b", second)):
        rows = Delivery.objects.filter(pk__in=[d.pk for d in deliveries])
        assert all(
            (row.status, row.claim_token, row.attempts) == (DeliveryStatus.CLAIMED, token, 1)
            and row.claimed_at is not None
            for row in rows
        )
        assert [d.attempts for d in deliveries] == [1] * len(deliveries)


@pytest.mark.django_db
def test_only_the_worker_holding_the_claim_can_mark_a_delivery_sent(reference_data):
    make_subscribers(1)
    issue = drafted_issue()
    publish(issue, send=False)
    mailing = sending.start_issue_mailing(issue.pk)
    [delivery] = sending.claim(mailing.pk, "first-worker", 1)
    # Recovery gave the claim to another worker: the first one's late mark does nothing.
    Delivery.objects.filter(pk=delivery.pk).update(claim_token="second-worker")
    assert sending.mark_sent(delivery, "first-worker", "") == 0
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.CLAIMED
    assert sending.mark_sent(delivery, "second-worker", "provider-1") == 1
    row = Delivery.objects.get(pk=delivery.pk)
    assert row.status == DeliveryStatus.SENT and row.sent_at is not None
    assert row.message_id == sending.message_id_for(delivery.pk, mailing.pk)
    assert row.provider_message_id == "provider-1"
    assert sending.mark_sent(delivery, "second-worker", "") == 0  # marked once


def _smtp_settings(settings, port: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


@contextlib.contextmanager
def _on_sent_mark(name: str, body: str):
    """A PostgreSQL trigger running ``body`` (PL/pgSQL) on every UPDATE marking a delivery
    sent, for the block's duration."""
    from django.db import connection

    table = Delivery._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} FOR EACH ROW "
            f"WHEN (NEW.status = 'sent') EXECUTE FUNCTION {name}()"
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER {name} ON {table}")
            cursor.execute(f"DROP FUNCTION {name}()")


@pytest.mark.django_db(transaction=True)
def test_every_accepted_message_is_committed_as_sent_before_the_next_one_is_offered(
    require_postgres, reference_data, settings, monkeypatch
):
    """The mark of a message may still be in flight during the next one's MAIL and RCPT,
    never at its DATA: seen from another session, each DATA finds every message
    accepted before it recorded (what the kill test relies on). A trigger makes each
    mark slow, so that one still running at a DATA would show."""
    from django.db import connections

    from .smtpsink import SmtpSink

    table = Delivery._meta.db_table
    with _on_sent_mark("slow_mark", "PERFORM pg_sleep(0.05); RETURN NEW;"):
        sink = SmtpSink().start()
        observer = connections.create_connection("default")
        try:
            _smtp_settings(settings, sink.port)
            make_subscribers(6)
            issue = drafted_issue()
            publish(issue, send=False)
            mailing = sending.start_issue_mailing(issue.pk)
            recorded_at_data = []
            real_putcmd = smtplib.SMTP.putcmd

            def putcmd(smtp, command, args=""):
                if command.lower() == "data":
                    with observer.cursor() as cursor:
                        cursor.execute(
                            f"SELECT count(*) FROM {table} WHERE mailing_id = %s AND status = %s",
                            [mailing.pk, DeliveryStatus.SENT.value],
                        )
                        recorded_at_data.append(cursor.fetchone()[0])
                return real_putcmd(smtp, command, args)

            monkeypatch.setattr(smtplib.SMTP, "putcmd", putcmd)
            result = sending.deliver_batch(mailing.pk)
        finally:
            observer.close()
            sink.stop()
    assert recorded_at_data == [0, 1, 2, 3, 4, 5]
    assert result.sent == 6 and sink.count == 6
    assert sending.report(mailing.pk)["sent"] == 6


@pytest.mark.django_db(transaction=True)
def test_a_mark_that_fails_stops_the_batch_and_is_not_blamed_on_the_next_message(
    require_postgres, reference_data, settings
):
    """A mark refused by PostgreSQL is read before the next message's DATA: the batch
    stops with the database's error, the next message never reaches DATA and no delivery
    is marked failed for it (the accepted one is sent again, same Message-ID)."""
    from django.db import DatabaseError

    from .smtpsink import SmtpSink

    with _on_sent_mark("refuse_mark", "RAISE EXCEPTION 'mark refused for the test';"):
        sink = SmtpSink().start()
        try:
            _smtp_settings(settings, sink.port)
            make_subscribers(3)
            issue = drafted_issue()
            publish(issue, send=False)
            mailing = sending.start_issue_mailing(issue.pk)
            with pytest.raises(DatabaseError, match="mark refused for the test"):
                sending.deliver_batch(mailing.pk)
        finally:
            sink.stop()
    assert sink.count == 1
    statuses = set(Delivery.objects.filter(mailing=mailing).values_list("status", flat=True))
    assert not statuses & {DeliveryStatus.SENT, DeliveryStatus.FAILED}


class RefusingHandler:
    """Refuses ``refused`` at RCPT (550), answers 451 to the DATA of ``deferred`` and
    accepts the others."""

    def __init__(self, refused: str, deferred: str):
        self.refused, self.deferred = refused, deferred
        self.accepted = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refused:
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if envelope.rcpt_tos == [self.deferred]:
            return "451 try again later"
        self.accepted.extend(envelope.rcpt_tos)
        return "250 OK"


@pytest.mark.django_db
def test_over_smtp_a_refused_recipient_fails_and_a_temporary_refusal_is_retried_later(
    reference_data, settings
):
    from aiosmtpd.controller import Controller

    from .smtpsink import free_port

    make_subscribers(4)
    issue = drafted_issue()
    publish(issue, send=False)
    mailing = sending.start_issue_mailing(issue.pk)
    # In sending order: refused, accepted, deferred, never reached.
    refused, accepted, deferred, unreached = (
        Delivery.objects.filter(mailing=mailing)
        .order_by("pk")
        .values_list("subscriber__email", flat=True)
    )
    handler = RefusingHandler(refused, deferred)
    server = Controller(handler, hostname="127.0.0.1", port=free_port())
    server.start()
    try:
        _smtp_settings(settings, server.port)
        result = sending.deliver_batch(mailing.pk)
    finally:
        server.stop()
    assert (result.sent, result.failed) == (1, 1)
    assert "451" in result.transient_error
    assert handler.accepted == [accepted]
    statuses = dict(
        Delivery.objects.filter(mailing=mailing).values_list("subscriber__email", "status")
    )
    assert statuses == {
        refused: DeliveryStatus.FAILED,
        accepted: DeliveryStatus.SENT,
        deferred: DeliveryStatus.PENDING,
        unreached: DeliveryStatus.PENDING,
    }
    assert Subscriber.objects.get(email=refused).suppressed_at is not None
    assert Subscriber.objects.get(email=deferred).suppressed_at is None


def test_the_sending_loop_puts_on_the_wire_what_smtplib_would():
    """``sending.sendmail`` (DATA split to let the loop work during the server's read)
    sends the bytes ``smtplib.SMTP.sendmail`` sends: dots doubled, CRLF.CRLF added."""
    from .smtpsink import SmtpSink

    message = b"Subject: test\r\n\r\n.a line with a dot\r\n..two\r\nno final newline"
    steps = []
    sink = SmtpSink().start()
    try:
        with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
            smtp.sendmail("from@example.org", ["to@example.org"], message)
            sending.sendmail(
                smtp,
                "from@example.org",
                "to@example.org",
                message,
                lambda: steps.append("before data"),
                lambda: steps.append("while accepting"),
            )
        sink.wait_for(lambda: sink.count == 2, timeout=10, what="2 messages")
    finally:
        sink.stop()
    assert sink.handler.raw[0] == sink.handler.raw[1]
    assert steps == ["before data", "while accepting"]
