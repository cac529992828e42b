"""import_calendar: UID + source idempotency, SEQUENCE, removals, moderation, dry run."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from events.calendars.models import CalendarSource, ImportedEvent
from events.calendars.services import import_calendar
from events.models import Event, EventStatus, OccurrenceStatus, RegistrationMode
from events.opendoors.models import BookingStatus
from tests.opendoors.agenda import register

from .factories import CANCELLED_22, MOVED_05, SINGLE, WEEKLY, make_source, vcalendar

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
UTC = datetime.UTC


def days(event):
    return [
        (o.start.astimezone(BRUSSELS).strftime("%m-%d %H:%M"), o.status)
        for o in event.occurrences.order_by("recurrence_id")
    ]


def test_series_with_exdate_cancelled_and_moved_occurrences(agenda_reference):
    source = make_source()
    report = import_calendar(source, vcalendar(WEEKLY, CANCELLED_22, MOVED_05, SINGLE))
    assert (report.total, report.created) == (2, 2)
    event = Event.objects.get(title_fr="Groupe de parole")
    assert event.status == EventStatus.PUBLISHED
    assert [b.slug for b in event.bassins.all()] == ["nord"]
    assert event.organiser == "Maison médicale du Nord"
    assert days(event) == [
        ("03-15 10:00", "confirmed"),
        ("03-22 10:00", "cancelled"),
        ("04-06 14:00", "moved"),
        ("04-12 10:00", "confirmed"),
    ]
    moved = event.occurrences.get(status=OccurrenceStatus.MOVED)
    assert (moved.title_fr, moved.venue_name) == ("Groupe de parole (salle 2)", "Salle 2")


def test_html_description_is_reduced_to_text(agenda_reference):
    import_calendar(make_source(), vcalendar(SINGLE))
    event = Event.objects.get(title_fr="Conférence santé")
    assert event.description_fr == "Inscription gratuite & ouverte\nBienvenue"
    assert event.start.astimezone(datetime.UTC).hour == 12


def test_second_import_updates_and_never_duplicates(agenda_reference):
    source = make_source()
    import_calendar(source, vcalendar(WEEKLY, SINGLE))
    event = Event.objects.get(title_fr="Groupe de parole")
    again = import_calendar(source, vcalendar(WEEKLY, SINGLE))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    event.refresh_from_db()
    assert event.sequence == 0
    changed = WEEKLY.replace("Groupe de parole", "Groupe de parole du lundi").replace(
        "SEQUENCE:0", "SEQUENCE:1"
    )
    report = import_calendar(source, vcalendar(changed, SINGLE))
    assert (report.created, report.updated) == (0, 1)
    assert Event.objects.filter(source=source.event_source).count() == 2
    event.refresh_from_db()
    assert event.title_fr == "Groupe de parole du lundi" and event.sequence == 1


def test_export_time_alone_is_not_a_change(agenda_reference):
    source = make_source()
    import_calendar(source, vcalendar(WEEKLY))
    restamped = WEEKLY.replace("DTSTAMP:20270101T000000Z", "DTSTAMP:20270202T101010Z")
    assert import_calendar(source, vcalendar(restamped)).unchanged == 1


def test_an_older_sequence_does_not_overwrite_a_newer_one(agenda_reference):
    source = make_source()
    newer = WEEKLY.replace("SEQUENCE:0", "SEQUENCE:3").replace("Groupe de parole", "Version 3")
    import_calendar(source, vcalendar(newer))
    older = WEEKLY.replace("SEQUENCE:0", "SEQUENCE:2").replace("Groupe de parole", "Version 2")
    report = import_calendar(source, vcalendar(older))
    assert report.older == 1 and report.updated == 0
    assert Event.objects.get(source=source.event_source).title_fr == "Version 3"


def test_the_same_uid_in_two_sources_makes_two_events(agenda_reference):
    import_calendar(make_source("A"), vcalendar(SINGLE))
    import_calendar(make_source("B", url="https://b.example.org/cal.ics"), vcalendar(SINGLE))
    assert Event.objects.filter(title_fr="Conférence santé").count() == 2


def test_an_event_removed_from_the_source_is_cancelled_here(agenda_reference, settings):
    source = make_source()
    import_calendar(source, vcalendar(WEEKLY, SINGLE))
    report = import_calendar(source, vcalendar(WEEKLY))
    assert report.cancelled == 1
    single = Event.objects.get(title_fr="Conférence santé")
    assert {o.status for o in single.occurrences.all()} == {OccurrenceStatus.CANCELLED}
    assert single.sequence == 1
    assert ImportedEvent.objects.get(event=single).is_removed
    # It comes back: confirmed again.
    import_calendar(source, vcalendar(WEEKLY, SINGLE))
    assert {o.status for o in single.occurrences.all()} == {OccurrenceStatus.CONFIRMED}


def test_a_moderated_source_sends_new_events_to_the_moderation_queue(agenda_reference):
    source = make_source(trusted=False)
    report = import_calendar(source, vcalendar(SINGLE))
    assert report.pending == 1
    assert Event.objects.get(title_fr="Conférence santé").status == EventStatus.PENDING


def test_an_event_deleted_by_the_team_does_not_come_back(agenda_reference):
    source = make_source()
    import_calendar(source, vcalendar(SINGLE))
    Event.objects.get(title_fr="Conférence santé").delete()
    changed = SINGLE.replace("Conférence santé", "Conférence santé (nouvelle salle)")
    report = import_calendar(source, vcalendar(changed))
    assert report.deleted_here == 1
    assert not Event.objects.filter(source=source.event_source).exists()


def test_an_unreadable_event_is_listed_and_the_others_are_imported(agenda_reference):
    broken = SINGLE.replace("single-1", "broken").replace("DTSTART:20270510T120000Z\n", "")
    bad_rule = WEEKLY.replace("weekly-1", "bad-rule").replace("COUNT=5", "COUNT=5;BYDAY=XX")
    report = import_calendar(make_source(), vcalendar(WEEKLY, broken, bad_rule))
    assert report.created == 1
    assert len(report.skipped) == 2
    assert any("DTSTART" in line for line in report.skipped)


def single(uid: str, *lines: str, drop: str = "") -> str:
    """SINGLE under another UID, ``drop`` removed and ``lines`` added."""
    text = SINGLE.replace("single-1", uid)
    if drop:
        text = text.replace(drop, "")
    return text + "\n".join(lines) + "\n"


# Each of these once stopped the whole import (a 500 for the command, "unexpected error"
# for a polled source), or would have, on PostgreSQL: now each is one event listed as
# unreadable, or imported with the impossible part left out.
SKIPPED = {
    "date past the calendar's end": single(
        "y9999",
        "DTSTART;VALUE=DATE:99991231",
        drop="DTSTART:20270510T120000Z\nDTEND:20270510T140000Z",
    ),
    "instant past the calendar's end": single(
        "t9999", "DTSTART:99991231T233000Z", drop="DTSTART:20270510T120000Z\nDTEND:20270510T140000Z"
    ),
    "endless duration": single("long", "DURATION:P99999999W", drop="DTEND:20270510T140000Z\n"),
    "zero interval": single("zero", "RRULE:FREQ=DAILY;INTERVAL=0"),
    "zero interval exclusion": single(
        "zero-ex", "RRULE:FREQ=DAILY;COUNT=3", "EXRULE:FREQ=DAILY;INTERVAL=0"
    ),
    "hour 25": single("h25", "RRULE:FREQ=DAILY;BYHOUR=25;COUNT=2"),
    "position 400": single("pos", "RRULE:FREQ=MONTHLY;BYSETPOS=400;BYDAY=MO"),
    "every second of 30 February": single("sec", "RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30"),
    "every minute": single("min", "RRULE:FREQ=MINUTELY;COUNT=5"),
}
KEPT = {
    "huge sequence": single("seq", "SEQUENCE:99999999999999"),
    "geo off the Earth": single("geo", "GEO:1000;0"),
    "NUL in texts": single("nul", "LOCATION:Salle\x00 1"),
}


def test_one_impossible_event_never_stops_the_others(agenda_reference):
    body = vcalendar(WEEKLY, *SKIPPED.values(), *KEPT.values())
    report = import_calendar(make_source(), b"\xef\xbb\xbf" + body)  # with a BOM, too
    assert report.created == 1 + len(KEPT)
    assert len(report.skipped) == len(SKIPPED), report.skipped
    imported = ImportedEvent.objects.get(uid="seq@partner")
    assert imported.remote_sequence == 2**31 - 1
    geo = ImportedEvent.objects.get(uid="geo@partner").event
    assert (geo.latitude, geo.longitude) == (None, None)
    assert ImportedEvent.objects.get(uid="nul@partner").event.venue_name == "Salle 1"


def test_floating_and_other_zones_are_read_as_brussels_wall_clock(agenda_reference):
    floating = SINGLE.replace("UID:single-1", "UID:floating").replace(
        "DTSTART:20270510T120000Z\nDTEND:20270510T140000Z",
        "DTSTART:20270510T090000\nDTEND:20270510T100000",
    )
    new_york = (
        SINGLE.replace("UID:single-1", "UID:ny")
        .replace("Conférence santé", "Webinaire")
        .replace(
            "DTSTART:20270510T120000Z\nDTEND:20270510T140000Z",
            "DTSTART;TZID=America/New_York:20270510T080000\n"
            "DTEND;TZID=America/New_York:20270510T090000",
        )
    )
    import_calendar(make_source(), vcalendar(floating, new_york))
    assert Event.objects.get(source_key__isnull=False, title_fr="Webinaire").start_time == (
        datetime.time(14, 0)
    )
    floating_event = Event.objects.filter(title_fr="Conférence santé").get()
    assert floating_event.start_time == datetime.time(9, 0)


def test_all_day_multi_day_and_dutch_source(agenda_reference):
    salon = """
    UID:salon@partner
    SUMMARY;LANGUAGE=nl:Gezondheidsbeurs
    DTSTART;VALUE=DATE:20271029
    DTEND;VALUE=DATE:20271101
    """
    import_calendar(make_source(language="fr"), vcalendar(salon))
    event = Event.objects.get(title_nl="Gezondheidsbeurs")
    assert event.all_day and (event.start_date, event.end_date) == (
        datetime.date(2027, 10, 29),
        datetime.date(2027, 10, 31),
    )
    assert event.title_fr == "Gezondheidsbeurs" and event.language_list == ["nl"]


def test_dry_run_counts_and_writes_nothing(agenda_reference):
    source = make_source()
    report = import_calendar(source, vcalendar(WEEKLY, SINGLE), dry_run=True)
    assert report.created == 2
    assert not Event.objects.filter(source=source.event_source).exists()
    assert not ImportedEvent.objects.exists()


def test_import_ical_command_publishes_with_a_progress_bar_and_is_idempotent(
    agenda_reference, tmp_path, capsys
):
    path = tmp_path / "partenaire.ics"
    path.write_bytes(vcalendar(WEEKLY, CANCELLED_22, SINGLE))
    call_command("import_ical", str(path), "--bassin", "sud", "--kind", "formation")
    out = capsys.readouterr().out
    assert "[##############################] 2/2" in out and "2 nouveau(x)" in out
    imported = Event.objects.filter(
        bassins__slug="sud", source=CalendarSource.objects.get().event_source
    )
    assert set(imported.values_list("status", flat=True)) == {EventStatus.PUBLISHED}
    call_command("import_ical", str(path), "--bassin", "sud")
    out = capsys.readouterr().out
    # Recognised by their fingerprints: nothing left to write (the source created by the
    # first run held its audience as an enum member, which once changed every fingerprint).
    assert "2 inchangé(s)" in out and "] 0/0" in out
    source = CalendarSource.objects.get()
    assert Event.objects.filter(bassins__slug="sud", source=source.event_source).count() == 2
    # Another bassin for the same file: refused with what to do, nothing imported elsewhere.
    with pytest.raises(CommandError, match="déjà la source .* pour : sud.* --bassin sud"):
        call_command("import_ical", str(path), "--bassin", "nord")
    assert not Event.objects.filter(bassins__slug="nord", source=source.event_source).exists()


def test_import_ical_command_dry_run_and_moderate(agenda_reference, tmp_path, capsys):
    path = tmp_path / "partenaire.ics"
    path.write_bytes(vcalendar(SINGLE))
    call_command("import_ical", str(path), "--bassin", "sud", "--dry-run")
    assert "essai à blanc" in capsys.readouterr().out
    assert not Event.objects.filter(title_fr="Conférence santé").exists()
    assert not CalendarSource.objects.exists()
    call_command("import_ical", str(path), "--bassin", "sud", "--moderate")
    assert Event.objects.get(title_fr="Conférence santé").status == EventStatus.PENDING


def test_import_ical_command_says_what_is_wrong(agenda_reference, tmp_path):
    with pytest.raises(CommandError, match="Bassin inconnu"):
        call_command("import_ical", "x.ics", "--bassin", "atlantide")
    with pytest.raises(CommandError, match="introuvable"):
        call_command("import_ical", str(tmp_path / "absent.ics"), "--bassin", "nord")
    garbage = tmp_path / "garbage.ics"
    garbage.write_bytes(b"<html>not a calendar</html>")
    with pytest.raises(CommandError, match="iCal"):
        call_command("import_ical", str(garbage), "--bassin", "nord")


@pytest.mark.parametrize("cancel", ["one date", "the whole series"])
def test_a_date_the_partner_cancels_cancels_its_registrations_and_tells_the_people(
    agenda_reference, mailoutbox, django_capture_on_commit_callbacks, cancel
):
    source = make_source()
    import_calendar(source, vcalendar(WEEKLY))
    event = Event.objects.get(title_fr="Groupe de parole")
    # The bassin team opens registrations on Maillage for the partner's event.
    Event.objects.filter(pk=event.pk).update(registration=RegistrationMode.INTERNAL, capacity=5)
    date_22 = event.occurrences.get(recurrence_id=datetime.datetime(2027, 3, 22, 9, 0, tzinfo=UTC))
    other = event.occurrences.get(recurrence_id=datetime.datetime(2027, 3, 15, 9, 0, tzinfo=UTC))
    booking = register(date_22, 1).booking
    kept = register(other, 2).booking
    mailoutbox.clear()
    edited = WEEKLY.replace("SEQUENCE:0", "SEQUENCE:1")
    if cancel == "one date":
        body = vcalendar(edited, CANCELLED_22.replace("DTSTAMP", "SEQUENCE:1\nDTSTAMP"))
    else:
        body = vcalendar(edited + "STATUS:CANCELLED")
    with django_capture_on_commit_callbacks(execute=True):
        assert import_calendar(source, body).updated == 1
    booking.refresh_from_db()
    kept.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    expected = BookingStatus.CANCELLED if cancel == "the whole series" else BookingStatus.CONFIRMED
    assert kept.status == expected
    told = {message.to[0] for message in mailoutbox}
    assert "participant1@example.org" in told
    assert ("participant2@example.org" in told) == (cancel == "the whole series")
    # Importing the same file again tells nobody twice.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        import_calendar(source, body)
    assert mailoutbox == []


NEW_YORK_WEEKLY = """
UID:ny-weekly@partner
DTSTAMP:20270101T000000Z
SUMMARY:Webinaire New York
DTSTART;TZID=America/New_York:20270301T120000
DTEND;TZID=America/New_York:20270301T130000
RRULE:FREQ=WEEKLY;COUNT=6
"""
UTC_WEEKLY = """
UID:utc-weekly@partner
DTSTAMP:20270101T000000Z
SUMMARY:Réunion UTC
DTSTART:20270315T090000Z
DTEND:20270315T100000Z
RRULE:FREQ=WEEKLY;COUNT=4
"""


def test_a_series_in_another_zone_recurs_in_that_zones_time(agenda_reference):
    import recurring_ical_events

    body = vcalendar(NEW_YORK_WEEKLY, UTC_WEEKLY, WEEKLY)
    import_calendar(make_source(), body)
    expected = recurring_ical_events.of(icalendar.Calendar.from_ical(body))
    for title in ("Webinaire New York", "Réunion UTC", "Groupe de parole"):
        event = Event.objects.get(title_fr=title)
        ours = [o.start for o in event.occurrences.order_by("start")]
        theirs = sorted(
            o["DTSTART"].dt.astimezone(UTC)
            for o in expected.between((2027, 1, 1), (2028, 1, 1))
            if str(o["SUMMARY"]) == title
        )
        assert ours == theirs, title
    # New York keeps summer time from 14 March, Brussels from 28 March: 18:00, then 17:00
    # for two weeks, then 18:00 again, in Brussels.
    new_york = Event.objects.get(title_fr="Webinaire New York")
    hours = [o.start.astimezone(BRUSSELS).hour for o in new_york.occurrences.order_by("start")]
    assert hours == [18, 18, 17, 17, 18, 18]
    utc = Event.objects.get(title_fr="Réunion UTC")
    hours = [o.start.astimezone(BRUSSELS).hour for o in utc.occurrences.order_by("start")]
    assert hours == [10, 10, 11, 11]
    # A Brussels series stays a rule.
    assert Event.objects.get(title_fr="Groupe de parole").recurrence.rrules


def test_a_date_the_partner_moves_tells_its_registrants_the_new_time(
    agenda_reference, mailoutbox, django_capture_on_commit_callbacks
):
    source = make_source()
    import_calendar(source, vcalendar(WEEKLY))
    event = Event.objects.get(title_fr="Groupe de parole")
    Event.objects.filter(pk=event.pk).update(registration=RegistrationMode.INTERNAL, capacity=5)
    april_5 = event.occurrences.get(recurrence_id=datetime.datetime(2027, 4, 5, 8, 0, tzinfo=UTC))
    booking = register(april_5, 1).booking
    mailoutbox.clear()
    body = vcalendar(
        WEEKLY.replace("SEQUENCE:0", "SEQUENCE:1"),
        MOVED_05.replace("DTSTAMP", "SEQUENCE:1\nDTSTAMP"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_calendar(source, body)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.sequence == 1
    (message,) = mailoutbox
    assert message.subject.startswith("Nouvel horaire") and "6 avril" in message.subject
