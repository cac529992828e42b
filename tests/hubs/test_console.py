"""The serve command's console: one line per log record, and the reference-data
loader's Wagtail page actions summed up in one line."""

import io
import logging
import logging.config

import pytest
from django.conf import settings
from django.core.management import call_command


def console_handlers(name: str) -> list[logging.Handler]:
    """The handlers a record of logger ``name`` reaches (pytest's own left out)."""
    logger, found = logging.getLogger(name), []
    while logger is not None:
        found += [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]
        if not logger.propagate:
            break
        logger = logger.parent
    return found


def test_a_django_request_record_reaches_one_console_handler():
    from django.utils.log import DEFAULT_LOGGING

    logging.config.dictConfig(DEFAULT_LOGGING)  # what Django applies before LOGGING
    logging.config.dictConfig(settings.LOGGING)
    assert len(console_handlers("django.request")) == 1
    assert len(console_handlers("django.server")) == 1


@pytest.mark.django_db
def test_reference_loader_sums_up_wagtail_page_actions(empty_database, caplog):
    out = io.StringIO()
    with caplog.at_level(logging.INFO):
        call_command("load_reference_data", stdout=out)
    assert "Page created" not in caplog.text
    assert "wagtail pages: " in out.getvalue()
    assert "created" in out.getvalue()
