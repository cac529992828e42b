"""Open-door booking benchmark: the race test's numbers and booking latency under
20 concurrent clients.

Run from the repo root: ``python bench/opendoors.py``. With DATABASE_URL set
(PostgreSQL) it runs there (``migrate`` is applied first, the bench's rows are
deleted at the end); otherwise on a throw-away SQLite file, where concurrent
writers mostly measure SQLite's single-writer lock (errors are reported, not hidden).
E-mails are rendered (text + HTML + .ics) but kept in memory.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.base")
os.environ["EMAIL_URL"] = "memorymail://"
os.environ["PUBLIC_FORM_RATE_LIMIT"] = "1000000/h"
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("LOG_LEVEL", "ERROR")
if not os.environ.get("DATABASE_URL"):
    os.environ["MAILLAGE_VAR_DIR"] = tempfile.mkdtemp(prefix="opendoors-bench-")

import django  # noqa: E402

django.setup()

from django.conf import settings as _settings  # noqa: E402

SQLITE_IMMEDIATE = not _settings.IS_POSTGRES and os.environ.get("BENCH_SQLITE_DEFAULT") != "1"
if SQLITE_IMMEDIATE:
    # Deferred SQLite transactions that read then write fail at once with "database
    # is locked" under concurrency; BEGIN IMMEDIATE + a busy timeout queue them instead
    # (BENCH_SQLITE_DEFAULT=1 measures the project's current default settings).
    _settings.DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 30}
    )

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from events.opendoors import services  # noqa: E402
from events.opendoors.models import Booking, BookingStatus, OpenDoorWeek  # noqa: E402
from tests.opendoors.race import without_booking_mail, without_row_lock  # noqa: E402

CLIENTS = 20
BOOKINGS_PER_CLIENT = 10


def setup_week() -> OpenDoorWeek:
    import datetime

    from bassins.models import Bassin
    from events.opendoors.models import Registration

    today = timezone.localdate()
    bassin = Bassin.objects.filter(slug="nord").first() or Bassin.objects.create(
        slug="nord",
        name_fr="Nord",
        name_nl="Noord",
        population=1,
        population_date=today,
    )
    OpenDoorWeek.objects.filter(slug="bench-opendoors").delete()
    week = OpenDoorWeek.objects.create(
        bassin=bassin,
        year=today.year,
        slug="bench-opendoors",
        name_fr="Bench",
        name_nl="Bench",
        start_date=today + datetime.timedelta(days=10),
        end_date=today + datetime.timedelta(days=14),
        registration_opens=today - datetime.timedelta(days=30),
        registration_closes=today - datetime.timedelta(days=1),
        booking_opens=today - datetime.timedelta(days=1),
        booking_closes=today + datetime.timedelta(days=13),
        is_demo=True,
        is_published=False,
    )
    Registration.objects.create(
        week=week,
        organisation_name="Bench org",
        contact_name="x",
        contact_email="x@example.org",
        street="Rue 1",
        postal_code="1090",
        discover="bench",
        status="approved",
        is_demo=True,
    )
    return week


def new_slot(week, capacity):
    import datetime

    registration = week.registrations.get()
    return registration.slots.create(
        date=week.start_date,
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        capacity=capacity,
    )


def run_threads(count, target):
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def wrapper(n):
        try:
            barrier.wait(timeout=60)
            results[n] = target(n)
        except Exception as error:  # noqa: BLE001
            results[n] = f"error: {type(error).__name__}: {error}"[:120]
        finally:
            connection.close()

    threads = [threading.Thread(target=wrapper, args=(n,)) for n in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def race(week, lock: bool, race_window: float = 0.0):
    slot = new_slot(week, capacity=5)

    def one(n):
        return services.book_slot(
            slot.pk,
            name=f"v{n}",
            email=f"race{n}@example.org",
            organisation="o",
            profession="p",
        ).booking.status

    with (
        without_booking_mail(),
        contextlib.nullcontext() if lock else without_row_lock(race_window),
    ):
        results, elapsed = run_threads(50, one)
    outcomes = Counter(r if not str(r).startswith("error") else "error" for r in results)
    stored = Booking.objects.filter(slot=slot, status=BookingStatus.CONFIRMED).count()
    errors = [r for r in results if str(r).startswith("error")]
    return outcomes, stored, elapsed, errors[:2]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def latency(week, via_http: bool, same_slot: bool, clients: int = CLIENTS):
    slots = (
        [new_slot(week, capacity=clients * BOOKINGS_PER_CLIENT // 2)] * clients
        if same_slot
        else [new_slot(week, capacity=5) for _ in range(clients)]
    )
    timings: list[float] = []
    guard = threading.Lock()

    def one(n):
        client = Client() if via_http else None
        mine = []
        for i in range(BOOKINGS_PER_CLIENT):
            slot = slots[n]
            email = f"lat{n}-{i}-{time.monotonic_ns()}@example.org"
            started = time.perf_counter()
            if via_http:
                response = client.post(
                    f"/fr/portes-ouvertes/{week.slug}/reserver/{slot.pk}/",
                    {
                        "name": "Bench",
                        "email": email,
                        "organisation": "o",
                        "profession": "p",
                        "consent": "on",
                        "submission_token": email,
                    },
                    REMOTE_ADDR=f"10.0.{n}.{i}",
                )
                assert response.status_code == 200, response.status_code
            else:
                services.book_slot(
                    slot.pk, name="Bench", email=email, organisation="o", profession="p"
                )
            mine.append(time.perf_counter() - started)
        with guard:
            timings.extend(mine)
        return "ok"

    results, elapsed = run_threads(clients, one)
    errors = [r for r in results if r != "ok"]
    return timings, elapsed, errors


def main():
    call_command("migrate", verbosity=0)
    engine = "PostgreSQL" if settings.IS_POSTGRES else "SQLite (no DATABASE_URL)"
    if SQLITE_IMMEDIATE:
        engine += ", transaction_mode=IMMEDIATE, timeout=30 s"
    print(f"Open-door booking benchmark on {engine}, {os.cpu_count()} CPU(s)\n")
    # Saved published weeks go to the agenda: publish with update() (no signal) so
    # the bench leaves no agenda event behind.
    week_id = setup_week().pk
    OpenDoorWeek.objects.filter(pk=week_id).update(is_published=True)
    week = OpenDoorWeek.objects.get(pk=week_id)
    try:
        print("Race: 50 simultaneous bookings (own connection each) on a slot of 5 places")
        for label, lock, window in [
            ("with SELECT ... FOR UPDATE", True, 0.0),
            ("without lock", False, 0.0),
            ("without lock, 50 ms between check and insert", False, 0.05),
        ]:
            outcomes, stored, elapsed, errors = race(week, lock, window)
            print(
                f"  {label:<46} confirmed={stored:>2} "
                f"waitlisted={outcomes.get(BookingStatus.WAITLISTED, 0):>2} "
                f"errors={outcomes.get('error', 0):>2}  ({elapsed:.2f}s)"
            )
            for error in errors:
                print(f"      e.g. {error}")
        print(
            f"\nLatency: {CLIENTS} concurrent clients x {BOOKINGS_PER_CLIENT} bookings "
            "(confirmation e-mail rendered with .ics)"
        )
        for label, via_http, same_slot, clients in [
            ("service, 1 client (baseline)", False, False, 1),
            ("service, one slot each", False, False, CLIENTS),
            ("service, all on the same slot", False, True, CLIENTS),
            ("HTTP POST, 1 client (baseline)", True, False, 1),
            ("HTTP POST (Django test client), one slot each", True, False, CLIENTS),
            ("HTTP POST, all on the same slot", True, True, CLIENTS),
        ]:
            timings, elapsed, errors = latency(week, via_http, same_slot, clients)
            if timings:
                print(
                    f"  {label:<46} p50={statistics.median(timings) * 1000:6.1f} ms "
                    f"p95={percentile(timings, 95) * 1000:6.1f} ms "
                    f"max={max(timings) * 1000:6.1f} ms  "
                    f"{len(timings) / elapsed:5.1f} bookings/s  errors={len(errors)}"
                )
            else:
                print(f"  {label:<46} all failed: {errors[:1]}")
    finally:
        OpenDoorWeek.objects.filter(slug="bench-opendoors").delete()


if __name__ == "__main__":
    main()
