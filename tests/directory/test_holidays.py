"""Opening hours respect Belgian public holidays and each service's closure periods,
everywhere "open now" is computed: the search filter, its count, the cards, the API."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from directory.models import ScheduleException, ScheduleSlot, Service
from directory.queries import (
    Criteria,
    is_open,
    open_now_count,
    public_holiday,
    search_services,
    service_display_queryset,
)

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")
CHRISTMAS_10H = datetime.datetime(2026, 12, 25, 10, 0, tzinfo=BRUSSELS)  # a Friday
FRIDAY_BEFORE_10H = datetime.datetime(2026, 12, 18, 10, 0, tzinfo=BRUSSELS)
WHIT_MONDAY_10H = datetime.datetime(2026, 5, 25, 10, 0, tzinfo=BRUSSELS)


def open_slugs(now):
    return {s.slug for s in search_services(Criteria(open_now=True), now=now).queryset}


def test_the_holidays_are_belgian_and_named_in_both_languages():
    assert public_holiday(datetime.date(2026, 12, 25)) == "Noël"
    assert public_holiday(datetime.date(2026, 12, 25), "nl") == "Kerstmis"
    assert public_holiday(datetime.date(2026, 7, 21))  # National Day
    assert public_holiday(datetime.date(2026, 5, 25)) == "Lundi de Pentecôte"
    assert public_holiday(datetime.date(2026, 12, 18)) == ""
    assert public_holiday(datetime.date(2026, 7, 14)) == ""  # France's, not Belgium's


def test_nothing_is_open_at_10h_on_christmas_day(directory_data):
    # The same weekday a week earlier: the lines with Friday hours are open.
    assert len(open_slugs(FRIDAY_BEFORE_10H)) >= 5
    assert open_slugs(CHRISTMAS_10H) == set()
    all_services = Service.objects.all()
    assert open_now_count(all_services, CHRISTMAS_10H) == 0
    result = search_services(Criteria(), now=CHRISTMAS_10H)
    assert result.counts["open_now"] == 0
    displayed = service_display_queryset(Service.objects.filter(schedule__isnull=False).distinct())
    assert {is_open(s, CHRISTMAS_10H) for s in displayed} == {False}
    assert open_slugs(WHIT_MONDAY_10H) == set()


def test_a_line_open_on_public_holidays_keeps_its_hours(directory_data):
    line = Service.objects.filter(schedule__weekday=4).distinct().first()
    line.open_on_public_holidays = True
    line.save()
    assert open_slugs(CHRISTMAS_10H) == {line.slug}
    assert open_now_count(Service.objects.all(), CHRISTMAS_10H) == 1
    shown = service_display_queryset(Service.objects.filter(pk=line.pk)).get()
    assert is_open(shown, CHRISTMAS_10H) is True
    # Its own closure period still wins.
    ScheduleException.objects.create(
        service=line, start=datetime.date(2026, 12, 24), end=datetime.date(2027, 1, 2)
    )
    assert open_slugs(CHRISTMAS_10H) == set()
    shown = service_display_queryset(Service.objects.filter(pk=line.pk)).get()
    assert is_open(shown, CHRISTMAS_10H) is False


def test_closure_periods_are_honoured_by_the_filter_the_count_and_the_card(directory_data):
    line = Service.objects.filter(schedule__weekday=4).distinct().first()
    assert line.slug in open_slugs(FRIDAY_BEFORE_10H)
    ScheduleException.objects.create(
        service=line,
        start=datetime.date(2026, 12, 14),
        end=datetime.date(2026, 12, 18),
        note_fr="Formation de l'équipe",
        note_nl="Opleiding van het team",
    )
    assert line.slug not in open_slugs(FRIDAY_BEFORE_10H)
    before = open_now_count(Service.objects.all(), FRIDAY_BEFORE_10H)
    assert before == len(open_slugs(FRIDAY_BEFORE_10H))
    shown = service_display_queryset(Service.objects.filter(pk=line.pk)).get()
    assert is_open(shown, FRIDAY_BEFORE_10H) is False


def test_the_card_says_closed_and_why(client, directory_data):
    line = Service.objects.filter(schedule__weekday=4, is_help_line=True).distinct().first()
    today = datetime.date.today()
    ScheduleException.objects.create(
        service=line, start=today, end=today + datetime.timedelta(days=3), note_fr="Congés"
    )
    html = client.get(f"/fr/repertoire/organisation/{line.organisation.slug}/").content.decode()
    card = html[html.index(f'id="service-{line.slug}"') :]
    card = card[: card.index("</article>")]
    assert 'data-testid="closure"' in card and "Congés" in card
    assert "Ouvert maintenant" not in card
    assert "fermé les jours fériés" in card


def test_the_open_on_public_holidays_flag_is_in_the_admin_form(admin_client, directory_data):
    service = Service.objects.get(slug="medimmigrant-permanence")
    html = admin_client.get(f"/admin/snippets/directory/service/edit/{service.pk}/").content
    assert b'name="open_on_public_holidays"' in html
    assert ScheduleSlot.objects.filter(service=service).exists()


def test_hsds_schedules_say_holidays_and_closures(directory_data):
    from directory.exports import hsds_tables

    line = Service.objects.filter(schedule__isnull=False).distinct().first()
    start = datetime.date.today() + datetime.timedelta(days=5)
    ScheduleException.objects.create(
        service=line, start=start, end=start + datetime.timedelta(days=2), note_fr="Congés"
    )
    rows = [r for r in hsds_tables()["schedule"] if r["service_id"] == str(line.public_id)]
    assert rows
    for row in rows:
        assert "Fermé les jours fériés belges." in row["notes"]
        assert f"Fermé du {start.isoformat()}" in row["notes"] and "(Congés)" in row["notes"]
