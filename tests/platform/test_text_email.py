"""Plain-text e-mails and subjects carry the text as typed, never HTML entities."""

import pytest
from django.core import mail

from core.mail import render_email

NAME = 'L\'Îlot <Asbl> & "Co"'


@pytest.mark.django_db
def test_subject_and_text_part_are_not_html_escaped_but_the_html_part_is():
    from directory.models import Organisation

    organisation = Organisation(slug="ilot", name_fr=NAME)
    subject, text, html = render_email(
        "directory/email/verification_reminder",
        {"organisation": organisation, "edit_url": "https://x.example/e", "months": 12},
        "fr",
    )
    assert NAME in subject and NAME in text
    for entity in ("&#x27;", "&lt;", "&amp;", "&quot;"):
        assert entity not in subject and entity not in text
    assert "&lt;Asbl&gt; &amp;" in html  # the HTML part stays escaped


@pytest.mark.django_db
def test_a_sent_reminder_keeps_the_name_as_typed(directory_data_free_reminder):
    message = mail.outbox[-1]
    assert NAME in message.subject and NAME in message.body


@pytest.fixture
def directory_data_free_reminder(db, settings):
    import datetime

    from directory import services
    from directory.models import Maintainer, Organisation

    settings.DIRECTORY_VERIFY_AFTER_MONTHS = 12
    ilot = Organisation.objects.create(
        slug="ilot", name_fr=NAME, last_verified=datetime.date(2020, 1, 1)
    )
    Maintainer.objects.create(organisation=ilot, email="fiche@ilot.example")
    assert services.send_verification_reminders() == 1
