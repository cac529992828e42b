"""A real Celery worker (Redis + PostgreSQL) and a real SMTP server: kill -9 mid-send."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from newsletters.models import Delivery, DeliveryStatus, Mailing, MailingStatus
from tests.conftest import WorkerProcess

from .conftest import drafted_issue, make_subscribers, publish
from .smtpsink import SmtpSink

RECIPIENTS = 1000
KILL_AFTER = 400


@pytest.fixture
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.mark.integration
def test_a_worker_killed_mid_send_and_restarted_sends_each_subscriber_exactly_once(
    require_postgres, require_redis, transactional_db, reference_data, smtp_sink, settings
):
    from maillage.celery import app
    from newsletters.tasks import send_issue

    subscribers = make_subscribers(RECIPIENTS)
    issue = publish(drafted_issue(), send=False)
    worker_env = {
        "EMAIL_URL": smtp_sink.url,
        "NEWSLETTER_CLAIM_TIMEOUT": "3",
        "NEWSLETTER_SEND_RATE": "400",
        "NEWSLETTER_CHUNK_SIZE": "50",
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.control.purge()
    worker = WorkerProcess(extra_env=worker_env).start()
    try:
        # Mid-send: after KILL_AFTER accepted messages the server stops answering, so
        # both worker processes are in the middle of an SMTP transaction when killed.
        smtp_sink.hold_after(KILL_AFTER)
        send_issue.delay(issue.pk)
        smtp_sink.wait_for(
            lambda: smtp_sink.count >= KILL_AFTER and smtp_sink.handler.waiting >= 2,
            timeout=120,
            what="the worker to be mid-send",
        )
        worker.stop(kill=True)
        time.sleep(1)
        smtp_sink.release()

        mailing = Mailing.objects.get(issue=issue)
        assert mailing.status == MailingStatus.SENDING
        sent_before = Delivery.objects.filter(mailing=mailing, status=DeliveryStatus.SENT)
        # Every accepted message was recorded as sent before the kill, and only those.
        assert sent_before.count() == smtp_sink.count == KILL_AFTER
        assert Delivery.objects.filter(
            mailing=mailing, status=DeliveryStatus.CLAIMED
        ).exists()  # the dead worker's claims, released by recovery after restart

        worker = WorkerProcess(extra_env=worker_env).start()
        smtp_sink.wait_for(
            lambda: Mailing.objects.get(pk=mailing.pk).status == MailingStatus.DONE,
            timeout=180,
            what="the restarted worker to finish",
        )
        time.sleep(1)  # anything sent twice would arrive now
    except BaseException:
        worker.stop()
        print(worker.process.stdout.read().decode(errors="replace")[-5000:])
        raise
    finally:
        worker.stop()
        app.control.purge()

    received = smtp_sink.messages
    per_address = Counter(recipient for recipient, _ in received)
    assert len(received) == RECIPIENTS
    assert set(per_address) == {s.email for s in subscribers}
    assert max(per_address.values()) == 1
    assert len({message_id for _, message_id in received}) == RECIPIENTS
    assert Delivery.objects.filter(mailing=mailing, status=DeliveryStatus.SENT).count() == (
        RECIPIENTS
    )


@pytest.mark.integration
def test_marks_are_committed_without_waiting_for_disk_only_while_a_batch_is_sent(
    require_postgres, transactional_db, reference_data, smtp_sink, settings, monkeypatch
):
    """While a batch is sent, this session's commits do not wait for the WAL flush; the
    session's setting is back to the server's default afterwards (the worker's
    connection serves other tasks), and every accepted message is recorded as sent."""
    from django.db import connection

    from newsletters import sending

    def commit_mode() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return cursor.fetchone()[0]

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    make_subscribers(5)
    issue = publish(drafted_issue(), send=False)
    mailing = sending.start_issue_mailing(issue.pk)
    default = commit_mode()
    during = []
    real_transmit = sending.transmit
    monkeypatch.setattr(
        sending,
        "transmit",
        lambda *args: during.append(commit_mode()) or real_transmit(*args),
    )
    result = sending.deliver_batch(mailing.pk)
    assert result.sent == 5 and during == ["off"] * 5
    assert commit_mode() == default == "on"
    assert Delivery.objects.filter(mailing=mailing, status=DeliveryStatus.SENT).count() == 5
