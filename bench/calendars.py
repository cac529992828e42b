"""Partners' calendars benchmark: import a 10,000-event iCal file (500 recurring series).

    DATABASE_URL=postgres://... /work/main/.venv/bin/python bench/calendars.py

Writes a partner's .ics (9,500 single events, 5% of them all-day multi-day, a third in
UTC, HTML descriptions; 500 weekly or monthly series with EXDATEs, a cancelled and a
moved occurrence each), then times, through ``manage.py import_ical`` (progress bar
and all), in one run:

* the first import into an empty source (goal: under a minute on PostgreSQL);
* the same file again (everything unchanged);
* the file with 200 events changed (SEQUENCE + 1) and 100 removed (cancelled here).

Without DATABASE_URL it uses a throw-away SQLite file (figures then only indicative).
"""

from __future__ import annotations

import datetime
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
TMP = Path(tempfile.mkdtemp(prefix="maillage-bench-calendars-"))
os.environ.setdefault("MAILLAGE_VAR_DIR", str(TMP))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.base")
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-not-secret")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

EVENTS = 10_000
SERIES = 500
GOAL_SECONDS = 60


def vevent(uid: str, lines: list[str]) -> str:
    return (
        "BEGIN:VEVENT\r\n"
        + "".join(f"{line}\r\n" for line in [f"UID:{uid}", *lines])
        + ("END:VEVENT\r\n")
    )


def local(value: datetime.datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


def generate(changed: int = 0, removed: int = 0) -> bytes:
    """The partner's file; ``changed``/``removed`` alter the first single events."""
    rng = random.Random(12)
    today = datetime.date.today()
    stamp = "DTSTAMP:" + datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    parts = [
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Bench//Partenaire//FR\r\n"
        "X-WR-TIMEZONE:Europe/Brussels\r\n"
    ]
    for index in range(SERIES):
        day = today + datetime.timedelta(days=rng.randint(1, 60))
        start = datetime.datetime.combine(day, datetime.time(rng.choice([9, 10, 14, 18])))
        weekly = index % 2 == 0
        if not weekly and start.day > 28:  # a month day every month has
            start -= datetime.timedelta(days=3)
        rule = "RRULE:FREQ=WEEKLY;COUNT=20" if weekly else "RRULE:FREQ=MONTHLY;COUNT=12"
        step = datetime.timedelta(days=7) if weekly else datetime.timedelta(days=28)
        second, third = start + step, start + 2 * step
        if not weekly:  # monthly by month day: the real next dates
            second = start.replace(month=start.month % 12 + 1, year=start.year + start.month // 12)
            month = second.month % 12 + 1
            third = second.replace(month=month, year=second.year + second.month // 12)
            month = third.month % 12 + 1
            fourth = third.replace(month=month, year=third.year + third.month // 12)
        lines = [
            stamp,
            "SEQUENCE:0",
            f"SUMMARY:Série {index}",
            f"DTSTART;TZID=Europe/Brussels:{local(start)}",
            f"DTEND;TZID=Europe/Brussels:{local(start + datetime.timedelta(hours=2))}",
            rule,
            f"EXDATE;TZID=Europe/Brussels:{local(start + 3 * step if weekly else fourth)}",
            f"LOCATION:Salle {index % 40}",
            "DESCRIPTION:<p>Atelier <b>récurrent</b> &amp; gratuit.</p>",
        ]
        parts.append(vevent(f"series-{index}@bench", lines))
        parts.append(
            vevent(
                f"series-{index}@bench",
                [
                    stamp,
                    f"RECURRENCE-ID;TZID=Europe/Brussels:{local(second)}",
                    f"SUMMARY:Série {index}",
                    f"DTSTART;TZID=Europe/Brussels:{local(second)}",
                    f"DTEND;TZID=Europe/Brussels:{local(second + datetime.timedelta(hours=2))}",
                    "STATUS:CANCELLED",
                ],
            )
        )
        moved = third + datetime.timedelta(days=1, hours=1)
        parts.append(
            vevent(
                f"series-{index}@bench",
                [
                    stamp,
                    f"RECURRENCE-ID;TZID=Europe/Brussels:{local(third)}",
                    f"SUMMARY:Série {index} (déplacé)",
                    f"DTSTART;TZID=Europe/Brussels:{local(moved)}",
                    f"DTEND;TZID=Europe/Brussels:{local(moved + datetime.timedelta(hours=2))}",
                ],
            )
        )
    for index in range(EVENTS - SERIES):
        # Each event draws from its own generator: leaving one out must not move the dates
        # of every later one (which would make them all "changed").
        rng = random.Random(f"single-{index}")
        if index < removed:
            continue
        day = today + datetime.timedelta(days=rng.randint(-30, 330))
        sequence = 1 if index < removed + changed else 0
        title = f"Activité {index}" + (" (modifiée)" if sequence else "")
        if index % 20 == 0:
            end = day + datetime.timedelta(days=rng.randint(1, 4))
            times = [f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}"]
        elif index % 3 == 0:
            start = datetime.datetime.combine(day, datetime.time(rng.randint(7, 16)))
            times = [
                f"DTSTART:{start:%Y%m%dT%H%M%S}Z",
                f"DTEND:{start + datetime.timedelta(hours=1):%Y%m%dT%H%M%S}Z",
            ]
        else:
            start = datetime.datetime.combine(day, datetime.time(rng.randint(8, 19)))
            times = [
                f"DTSTART;TZID=Europe/Brussels:{local(start)}",
                f"DTEND;TZID=Europe/Brussels:{local(start + datetime.timedelta(hours=2))}",
            ]
        lines = [
            stamp,
            f"SEQUENCE:{sequence}",
            f"SUMMARY:{title}",
            *times,
            f"LOCATION:Lieu {index % 100}\\, rue de la Santé {index % 50}",
            'DESCRIPTION:<div>Inscription : <a href="https://example.org">ici</a></div>',
            f"URL:https://partner.example.org/activite/{index}",
        ]
        parts.append(vevent(f"single-{index}@bench", lines))
    parts.append("END:VCALENDAR\r\n")
    return "".join(parts).encode()


def timed_import(path: Path) -> tuple[float, str]:
    out = io.StringIO()
    started, cpu = time.perf_counter(), time.process_time()
    call_command("import_ical", str(path), "--bassin", "nord", "--kind", "formation", stdout=out)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    lines = out.getvalue().splitlines()
    print(lines[-2].split("\r")[-1] if len(lines) > 1 else "")  # the progress bar's end
    # Wall time depends on the machine's load; the CPU time of this process does less.
    return elapsed, f"(Python CPU {cpu:.1f}s, load average {os.getloadavg()[0]:.1f}) {lines[-1]}"


def main() -> None:
    call_command("migrate", verbosity=0)
    from bassins.models import Bassin
    from events.calendars.models import CalendarSource
    from events.models import Event, EventKind, Occurrence

    if Bassin.objects.count() < 5 or not EventKind.objects.exists():
        with open(os.devnull, "w") as devnull:
            call_command("load_reference_data", verbosity=0, stdout=devnull)
    path = TMP / "partenaire-bench.ics"
    for source in CalendarSource.objects.filter(name=path.name):
        Event.objects.filter(source=source.event_source).delete()
        source.delete()
    body = generate()
    path.write_bytes(body)
    print(
        f"database: {connection.vendor}; file {len(body) / 1024 / 1024:.1f} MiB, "
        f"{body.count(b'BEGIN:VEVENT')} VEVENTs ({EVENTS} events, {SERIES} series)"
    )
    first, summary = timed_import(path)
    source = CalendarSource.objects.get(name=path.name)
    occurrences = Occurrence.objects.filter(event__source=source.event_source).count()
    print(f"first import: {first:.1f}s — {summary}; {occurrences} occurrences")
    again, summary = timed_import(path)
    print(f"same file again: {again:.1f}s — {summary}")
    path.write_bytes(generate(changed=200, removed=100))
    edited, summary = timed_import(path)
    print(f"200 changed, 100 removed: {edited:.1f}s — {summary}")
    # Of the 100 removed, only those still to come are cancelled: past dates stay as they were.
    expected = "0 nouveau(x), 200 modifié(s), 9700 inchangé(s)"
    if expected not in summary:
        print(f"UNEXPECTED: the edited file's summary should say {expected}")
    verdict = "OK" if first < GOAL_SECONDS else "OVER"
    print(f"goal: first import under {GOAL_SECONDS}s on PostgreSQL: {first:.1f}s {verdict}")
    for source in CalendarSource.objects.filter(name=path.name):
        Event.objects.filter(source=source.event_source).delete()
        source.delete()
    if connection.vendor == "postgresql" and first >= GOAL_SECONDS:
        sys.exit(1)


if __name__ == "__main__":
    main()
