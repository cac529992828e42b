"""Booking e-mails travel through Redis to a real Celery worker (mail queue)."""

import time

import pytest

from events.opendoors import services

from . import factories

pytestmark = pytest.mark.integration


def test_confirmation_email_is_sent_by_a_real_worker(
    require_postgres, require_redis, transactional_db, tmp_path
):
    from maillage.celery import app
    from tests.conftest import WorkerProcess

    app.conf.task_always_eager = False  # the autouse fixture restores it
    app.control.purge()
    worker = WorkerProcess(extra_env={"EMAIL_URL": f"filemail:///{tmp_path}"}).start()
    try:
        slot = factories.slot(capacity=1)
        services.book_slot(
            slot.pk,
            name="Lou",
            email="lou@example.org",
            organisation="CPAS",
            profession="AS",
            language="nl",
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(tmp_path.iterdir()):
            time.sleep(0.5)
        files = list(tmp_path.iterdir())
        assert files, "the worker sent no e-mail"
        raw = files[0].read_text(errors="replace")
        assert "lou@example.org" in raw
        assert "text/calendar" in raw and "text/html" in raw
    finally:
        worker.stop()
