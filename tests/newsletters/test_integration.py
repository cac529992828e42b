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
