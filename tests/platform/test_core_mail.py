"""core.mail: one builder, one way to send a transactional e-mail (outbox + Celery),
per-message idempotency and the per-recipient cap (issue 9)."""

import logging
import smtplib

import pytest
from django.core import mail as django_mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction

from core.mail import normalise_email, requeue_unsent, send_transactional
from core.models import OutboundEmail

TEMPLATE = "newsletters/email/already_subscribed"
CONTEXT = {"subscriber": None, "preferences_url": "https://example.org/p/"}


def queue(to, **kwargs):
    return send_transactional(TEMPLATE, CONTEXT, to, "fr", **kwargs)


class FailingOnceBackend(LocmemBackend):
    """The mail server refuses the first message it is given, then recovers."""

    failures = 0

    def send_messages(self, messages):
        if FailingOnceBackend.failures == 0:
            FailingOnceBackend.failures += 1
            raise smtplib.SMTPServerDisconnected("connection lost")
        return super().send_messages(messages)


def test_normalise_email_is_the_one_form_every_app_stores_and_compares():
    assert normalise_email("  Marie.Dupont@Example.ORG \n") == "marie.dupont@example.org"
    assert normalise_email("") == "" and normalise_email(None) == ""


def test_apps_use_the_shared_normalisation():
    from events.opendoors import services as opendoors
    from newsletters import subscriptions

    assert opendoors.normalise_email is normalise_email
    assert subscriptions.normalise_email is normalise_email


@pytest.mark.django_db
def test_a_transactional_email_is_sent_once_and_its_content_forgotten():
    assert queue(["Ana@Example.org"]) == 1
    [message] = django_mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.alternatives[0][1] == "text/html"
    row = OutboundEmail.objects.get()
    assert row.status == OutboundEmail.Status.SENT and row.sent_at
    assert row.text == "" and row.html == "" and row.subject == ""


@pytest.mark.django_db
def test_the_same_idempotency_key_sends_one_message():
    assert queue(["ana@example.org"], key="confirm:42") == 1
    assert queue(["ana@example.org"], key="confirm:42") == 0
    assert queue(["bob@example.org"], key="confirm:42") == 1  # the key is per recipient
    assert len(django_mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.mail_after_commit
def test_email_leaves_after_the_commit_and_never_for_a_rolled_back_change():
    with transaction.atomic():
        queue(["ana@example.org"])
        assert django_mail.outbox == []  # written to the outbox, not sent yet
    assert [m.to for m in django_mail.outbox] == [["ana@example.org"]]
    with pytest.raises(RuntimeError), transaction.atomic():
        queue(["bob@example.org"])
        raise RuntimeError("the change fails")
    assert len(django_mail.outbox) == 1
    assert not OutboundEmail.objects.filter(recipient="bob@example.org").exists()


@pytest.mark.django_db
def test_a_refused_message_stays_queued_and_is_retried_until_it_leaves(settings):
    from celery.exceptions import Retry

    from core.tasks import send_outbound_email

    assert smtplib.SMTPException in send_outbound_email.autoretry_for
    assert send_outbound_email.max_retries >= 5
    settings.EMAIL_BACKEND = f"{__name__}.FailingOnceBackend"
    FailingOnceBackend.failures = 0
    with pytest.raises(Retry):  # eager Celery surfaces the retry the worker would schedule
        queue(["ana@example.org"])
    row = OutboundEmail.objects.get()
    assert (row.status, row.attempts, row.last_error) == ("queued", 1, "connection lost")
    OutboundEmail.objects.update(created_at=row.created_at.replace(2020))
    assert requeue_unsent() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    assert [m.to for m in django_mail.outbox] == [["ana@example.org"]]


@pytest.mark.django_db
def test_messages_left_queued_are_sent_by_the_sweeper(monkeypatch):
    from core import mail

    monkeypatch.setattr(mail, "_after_commit", lambda pks: None)  # the broker lost them
    queue(["ana@example.org"])
    assert django_mail.outbox == []
    OutboundEmail.objects.update(created_at=OutboundEmail.objects.get().created_at.replace(2020))
    assert requeue_unsent() == 1
    assert [m.to for m in django_mail.outbox] == [["ana@example.org"]]
    assert requeue_unsent() == 0


@pytest.mark.django_db
def test_at_most_n_transactional_emails_per_recipient_per_hour_across_all_forms(settings, caplog):
    """Issue 9: one address got 37 e-mails in seconds from one client. Whatever forms
    cause them (a booking, subscriptions, preference links), the cap holds."""
    from events.opendoors import services as opendoors
    from newsletters import subscriptions
    from tests.opendoors import factories

    settings.TRANSACTIONAL_EMAIL_MAX_PER_RECIPIENT_PER_HOUR = 3
    victim = "victim@example.org"
    slot = factories.slot(capacity=5)
    opendoors.book_slot(
        slot.pk, name="V", email=victim, organisation="O", profession="P", language="fr"
    )
    with caplog.at_level(logging.WARNING, logger="core.mail"):
        for _ in range(4):
            subscriptions.request_subscription(victim, "fr", [], [])
        subscriptions.send_preferences_link(victim)
    assert len([m for m in django_mail.outbox if m.to == [victim]]) == 3
    assert OutboundEmail.objects.filter(recipient=victim, status="capped").count() == 3
    assert victim not in caplog.text and "v***@example.org" in caplog.text
    # Other addresses are not affected, and staff notifications are never capped.
    assert queue(["other@example.org"]) == 1
    assert queue([victim], cap=False) == 1
