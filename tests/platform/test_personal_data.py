"""Personal data: every retention rule erases what is past its period and keeps the rest,
each runs from its own beat entry, and ``personal_data`` lists and erases one person."""

from __future__ import annotations

import datetime
import io
import json
import logging

import pytest
from django.core import signing
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from core import reference as core_reference
from core.mail import send_transactional
from core.privacy import (
    MaskEmailsFilter,
    apply_retention,
    mask_email,
    personal_data_about,
    retention_rules,
)
from core.signing import make_token
from core.tasks import apply_retention as apply_retention_task
from directory.models import ChangeRequest, Contact, Organisation
from events.models import Event, EventKind, EventStatus
from events.opendoors.models import AppreciationResponse, Booking, Registration
from newsletters import links
from newsletters.models import Subscriber, SubscriberStatus
from tests.opendoors import factories as opendoors

pytestmark = pytest.mark.django_db

NOW = timezone.now()
LONG_AGO = NOW - datetime.timedelta(days=3 * 365)
RECENTLY = NOW - datetime.timedelta(days=2)


def subscriber(email, status=SubscriberStatus.ACTIVE, created=RECENTLY, unsubscribed=None):
    made = Subscriber.objects.create(email=email, language="fr", status=status)
    Subscriber.objects.filter(pk=made.pk).update(created_at=created, unsubscribed_at=unsubscribed)
    return made


def event(title, status=EventStatus.PUBLISHED, day=None, created=RECENTLY, **fields):
    kind, _ = EventKind.objects.get_or_create(slug="atelier", defaults={"name_fr": "Atelier"})
    day = day or NOW.date()
    made = Event.objects.create(
        title_fr=title, kind=kind, status=status, start_date=day, end_date=day, **fields
    )
    Event.objects.filter(pk=made.pk).update(created_at=created)
    return made


def old_and_new_weeks():
    old = opendoors.week(today=(LONG_AGO - datetime.timedelta(days=30)).date())
    new = opendoors.week()
    return old, new


def booking(week, email, name="Visiteur"):
    the_slot = opendoors.slot(the_week=week)
    return Booking.objects.create(
        slot=the_slot,
        status="confirmed",
        name=name,
        email=email,
        organisation="CPAS",
        profession="AS",
        consent_at=NOW,
    )


# --- retention rules --------------------------------------------------------------


def test_every_retention_rule_has_a_setting_and_a_daily_beat_entry(settings):
    names = {rule.name for rule in retention_rules()}
    assert names == {
        "newsletters.unconfirmed_subscribers",
        "newsletters.unsubscribed_subscribers",
        "events.unconfirmed_proposals",
        "events.proposer_contacts",
        "opendoors.registration_contacts",
        "opendoors.appreciation_comments",
        "directory.report_addresses",
    }
    for rule in retention_rules():
        assert isinstance(getattr(settings, rule.setting), int) and rule.period > 0
    core_reference.load(log=lambda message: None)
    entries = PeriodicTask.objects.filter(task="core.tasks.apply_retention")
    assert {json.loads(entry.kwargs)["rule"] for entry in entries} == names
    assert core_reference.load(log=lambda message: None) == 0  # idempotent


def test_the_beat_task_runs_its_rule():
    subscriber("old@example.org", SubscriberStatus.PENDING, created=LONG_AGO)
    assert (
        apply_retention_task.apply(kwargs={"rule": "newsletters.unconfirmed_subscribers"}).get()
        == 1
    )
    assert not Subscriber.objects.exists()


def test_never_confirmed_subscribers_are_deleted_after_their_period(settings):
    settings.NEWSLETTER_UNCONFIRMED_RETENTION_DAYS = 30
    subscriber("old@example.org", SubscriberStatus.PENDING, created=NOW - datetime.timedelta(31))
    subscriber("new@example.org", SubscriberStatus.PENDING, created=NOW - datetime.timedelta(29))
    subscriber("active@example.org", SubscriberStatus.ACTIVE, created=LONG_AGO)
    assert apply_retention("newsletters.unconfirmed_subscribers", NOW) == 1
    assert set(Subscriber.objects.values_list("email", flat=True)) == {
        "new@example.org",
        "active@example.org",
    }


def test_unsubscribed_subscribers_are_deleted_after_their_period(settings):
    settings.NEWSLETTER_UNSUBSCRIBED_RETENTION_DAYS = 30
    gone = NOW - datetime.timedelta(days=31)
    subscriber("gone@example.org", SubscriberStatus.UNSUBSCRIBED, LONG_AGO, unsubscribed=gone)
    subscriber("left@example.org", SubscriberStatus.UNSUBSCRIBED, LONG_AGO, unsubscribed=RECENTLY)
    assert apply_retention("newsletters.unsubscribed_subscribers", NOW) == 1
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["left@example.org"]


def test_never_confirmed_proposals_are_deleted_after_their_period(settings):
    settings.EVENTS_UNCONFIRMED_PROPOSAL_RETENTION_DAYS = 30
    made = [
        event("Ancienne", EventStatus.UNCONFIRMED, created=NOW - datetime.timedelta(days=31)),
        event("Récente", EventStatus.UNCONFIRMED, created=RECENTLY),
        event("Publiée", EventStatus.PUBLISHED, created=LONG_AGO),
    ]
    assert apply_retention("events.unconfirmed_proposals", NOW) == 1
    kept = Event.objects.filter(pk__in=[e.pk for e in made]).values_list("title_fr", flat=True)
    assert set(kept) == {"Récente", "Publiée"}


def test_proposer_contacts_are_blanked_once_the_event_is_long_over(settings):
    settings.EVENTS_PROPOSER_RETENTION_MONTHS = 12
    contact = {"proposer_name": "Prénom Nom", "proposer_email": "p@example.org"}
    over = event("Passée", day=LONG_AGO.date(), **contact)
    coming = event("À venir", day=NOW.date(), **contact)
    refused = event("Refusée", EventStatus.REJECTED, day=NOW.date(), **contact)
    Event.objects.filter(pk=refused.pk).update(moderated_at=LONG_AGO)
    assert apply_retention("events.proposer_contacts", NOW) == 2
    mine = Event.objects.filter(pk__in=[over.pk, coming.pk, refused.pk])
    blanked = mine.filter(proposer_email="").values_list("pk", flat=True)
    assert set(blanked) == {over.pk, refused.pk}
    coming.refresh_from_db()
    assert (coming.proposer_name, coming.proposer_email) == ("Prénom Nom", "p@example.org")


def test_registration_contacts_are_blanked_after_their_period(settings):
    settings.OPENDOORS_CONTACT_RETENTION_MONTHS = 24
    old, new = old_and_new_weeks()
    past = opendoors.registration(old, contact_phone="02 000 00 00")
    current = opendoors.registration(new)
    assert apply_retention("opendoors.registration_contacts", NOW) == 1
    past.refresh_from_db()
    current.refresh_from_db()
    assert (past.contact_name, past.contact_email, past.contact_phone) == ("", "", "")
    assert past.organisation_name == "Maison médicale du Canal"  # the organisation stays
    assert current.contact_email == "hote@example.org"


def test_appreciation_comments_are_anonymised_after_their_period(settings):
    settings.OPENDOORS_APPRECIATION_RETENTION_MONTHS = 12
    old, new = old_and_new_weeks()
    answers = {
        week: AppreciationResponse.objects.create(
            week=week,
            booking=booking(week, f"v{week.pk}@example.org"),
            rating=4,
            useful=True,
            come_again=True,
            comment="Merci, je suis Marie du CPAS.",
        )
        for week in (old, new)
    }
    assert apply_retention("opendoors.appreciation_comments", NOW) == 1
    for answer in answers.values():
        answer.refresh_from_db()
    assert answers[old].booking is None and answers[old].comment == ""
    assert answers[old].rating == 4  # the statistics stay
    assert answers[new].booking is not None and answers[new].comment


def test_error_report_addresses_are_blanked_after_their_period(settings):
    settings.DIRECTORY_REPORT_EMAIL_RETENTION_DAYS = 90
    organisation = Organisation.objects.create(slug="asbl", name_fr="Asbl")
    old = ChangeRequest.objects.create(
        organisation=organisation, kind="error_report", message="x", submitter_email="a@e.org"
    )
    reviewed_long_ago = ChangeRequest.objects.create(
        organisation=organisation, kind="error_report", message="y", submitter_email="b@e.org"
    )
    recent = ChangeRequest.objects.create(
        organisation=organisation, kind="error_report", message="z", submitter_email="c@e.org"
    )
    ChangeRequest.objects.filter(pk=old.pk).update(created_at=LONG_AGO)
    ChangeRequest.objects.filter(pk=reviewed_long_ago.pk).update(
        created_at=LONG_AGO, reviewed_at=NOW - datetime.timedelta(days=91), status="approved"
    )
    assert apply_retention("directory.report_addresses", NOW) == 2
    kept = ChangeRequest.objects.exclude(submitter_email="").values_list("pk", flat=True)
    assert list(kept) == [recent.pk]
    assert ChangeRequest.objects.count() == 3  # the history stays


# --- right of access and erasure ------------------------------------------------------


def a_person_everywhere(email: str):
    subscriber(email)
    event("Proposée", proposer_name="Marie", proposer_email=email)
    week = opendoors.week()
    opendoors.registration(week, contact_name="Marie", contact_email=email)
    visit = booking(week, email, name="Marie")
    AppreciationResponse.objects.create(
        week=week, booking=visit, rating=5, useful=True, come_again=True, comment="Top, Marie"
    )
    organisation = Organisation.objects.create(slug="asbl-m", name_fr="Asbl M")
    Contact.objects.create(organisation=organisation, name="Marie", email=email)
    ChangeRequest.objects.create(
        organisation=organisation, kind="error_report", message="x", submitter_email=email
    )


def run_personal_data(*args) -> str:
    out = io.StringIO()
    call_command("personal_data", *args, stdout=out)
    return out.getvalue()


def test_personal_data_lists_everything_held_about_a_person():
    a_person_everywhere("marie@example.org")
    subscriber("someone.else@example.org")
    output = run_personal_data("--email", "Marie@Example.org")
    for source in ("[newsletters.subscribers]", "[events]", "[opendoors]", "[directory]"):
        assert source in output
    for item in ("Subscriber #", "Event #", "Registration #", "Booking #", "Appreciation #"):
        assert item in output
    assert "Contact #" in output and "Change request #" in output
    assert "someone.else" not in output
    assert Subscriber.objects.count() == 2  # listing changes nothing


def test_personal_data_erase_leaves_nothing_about_the_person_and_keeps_others():
    a_person_everywhere("marie@example.org")
    subscriber("someone.else@example.org")
    output = run_personal_data("--email", "marie@example.org", "--erase")
    assert "was erased" in output
    assert personal_data_about("marie@example.org") == {}
    assert not Booking.objects.filter(name="Marie").exists()
    assert not Registration.objects.filter(contact_name="Marie").exists()
    assert AppreciationResponse.objects.get().comment == ""
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["someone.else@example.org"]
    assert "Nothing is held" in run_personal_data("--email", "marie@example.org")


def test_personal_data_refuses_a_non_address():
    with pytest.raises(CommandError, match="Not an e-mail address"):
        run_personal_data("--email", "not an address")


# --- no address in links or logs ----------------------------------------------------------


def test_newsletter_links_carry_an_id_not_the_address(client):
    person = subscriber("marie@example.org")
    token = links.subscriber_token(links.PREFERENCES, person)
    payload = json.dumps(signing.loads(token, salt=f"maillage:{links.PREFERENCES}"))
    assert "marie" not in payload and "example.org" not in payload
    assert client.get(f"/fr/info-prevention/preferences/{token}/").status_code == 200


def test_newsletter_links_stop_working_when_the_address_changes(client):
    person = subscriber("marie@example.org")
    token = links.subscriber_token(links.PREFERENCES, person)
    Subscriber.objects.filter(pk=person.pk).update(email="other@example.org")
    assert client.get(f"/fr/info-prevention/preferences/{token}/").status_code == 400


def test_links_made_with_the_address_in_them_fail_cleanly(client):
    person = subscriber("marie@example.org")
    old = signing.dumps(
        {"s": person.pk, "e": person.email}, salt=f"maillage:{links.PREFERENCES}", compress=True
    )
    response = client.get(f"/fr/info-prevention/preferences/{old}/")
    assert response.status_code == 400


def test_no_signed_link_may_carry_an_address():
    with pytest.raises(ValueError, match="e-mail address"):
        make_token("anything", {"id": 1, "who": "marie@example.org"})


def test_addresses_are_masked_in_log_records():
    assert mask_email("marie.dupont@example.org") == "m***@example.org"
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "refused %r", ({"bob@example.org": (550, b"no")},), None
    )
    MaskEmailsFilter().filter(record)
    assert "bob@example.org" not in record.getMessage()
    assert "b***@example.org" in record.getMessage()


def test_the_console_log_handler_masks_addresses(settings):
    assert "mask_emails" in settings.LOGGING["handlers"]["console"]["filters"]


def test_the_outbox_of_transactional_mail_is_listed_and_erased_with_the_person():
    send_transactional(
        "newsletters/email/confirm",
        {"confirm_url": "https://example.org/x"},
        ["marie@example.org"],
        "fr",
    )
    assert "[core.outbound_emails]" in run_personal_data("--email", "marie@example.org")
    run_personal_data("--email", "marie@example.org", "--erase")
    assert "core.outbound_emails" not in personal_data_about("marie@example.org")
