"""Shared fixtures of the calendars tests: the agenda's reference data, a local HTTP
server standing in for partners' calendars (no test reaches the internet), eager tasks."""

import pytest

from tests.events.conftest import agenda_reference  # noqa: F401

from .stub_server import StubServer


@pytest.fixture
def stub(settings):
    settings.CALENDARS_ALLOW_PRIVATE_ADDRESSES = True
    settings.CALENDARS_CONNECT_TIMEOUT = 1.0
    settings.CALENDARS_READ_TIMEOUT = 0.5
    settings.CALENDARS_FETCH_SECONDS = 1.5
    settings.CALENDARS_MAX_BYTES = 200_000
    settings.CALENDARS_MAX_REDIRECTS = 3
    with StubServer() as server:
        yield server


@pytest.fixture
def eager_tasks(settings):
    from maillage.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
