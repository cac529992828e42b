"""Benchmark: Info Prévention Santé sending pipeline vs a bare smtplib loop.

    python bench/newsletters.py [--recipients 10000]

Creates a throw-away test database (PostgreSQL when DATABASE_URL is set, SQLite
otherwise), 10,000 subscribers and one issue, then measures, against the same local
SMTP sink (aiosmtpd, in its own process so it does not share our GIL):

1. the whole pipeline: ``send_issue`` (freeze + render once + one Delivery per
   recipient) and every chunk of ``deliver_batch`` (claim, per-recipient message with
   its signed links and headers, SMTP, mark sent), run in this process like an eager
   Celery worker, with no rate limit;
2. a bare ``smtplib`` loop sending the same already-rendered message bytes to the
   same number of recipients over one connection;
3. the render time of one issue (templates + CSS inlining);
4. the per-message cost of the shortcuts the sending loop takes, each against its
   plain Django equivalent (mean of 1,000 messages): the serialized byte template
   (``MessageFactory.smtp_bytes``) against building and serializing an
   ``EmailMessage``; the one-statement claim (``sending.claim``, 10 at a time) against
   a transaction of ``select_for_update``, ``update`` and a re-read; and the
   hand-written ``sent`` mark (``sending.mark_sent``) against the ORM's
   ``filter().update()``, both committing as the loop does (on PostgreSQL without
   waiting for the disk).

Goal: pipeline >= 70% of the bare loop's messages per second.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import smtplib
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_sink(port: int, counter, ready) -> None:
    """A counting SMTP server (own process)."""
    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server, session, envelope):
            with counter.get_lock():
                counter.value += len(envelope.rcpt_tos)
            return "250 OK"

    controller = Controller(Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


def wait_count(counter, expected: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while counter.value < expected and time.monotonic() < deadline:
        time.sleep(0.01)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=10_000)
    args = parser.parse_args()
    n = args.recipients

    port = free_port()
    counter = multiprocessing.Value("l", 0)
    ready = multiprocessing.Event()
    sink = multiprocessing.Process(target=run_sink, args=(port, counter, ready), daemon=True)
    sink.start()
    ready.wait(30)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.test")
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    settings.NEWSLETTER_SEND_RATE = 0  # measure the pipeline, not the throttle
    settings.NEWSLETTER_CHUNK_SIZE = 500
    settings.NEWSLETTER_CLAIM_BATCH = 50
    from maillage.celery import app

    app.conf.task_always_eager = True

    setup_test_environment()  # (sets the locmem backend: put SMTP back after it)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    old_name = connection.settings_dict["NAME"]
    db_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    print(f"database: {connection.vendor} ({db_name})")
    try:
        run(n, counter)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        sink.terminate()


def bench_dossiers() -> None:
    """Dossiers of a realistic size (bench data only: figures are placeholders)."""
    from bassins.models import Theme
    from newsletters.models import ThemeDossier

    paragraph = (
        "<p>" + "Texte du dossier pour le banc d'essai, avec des accents é à ç. " * 12 + "</p>"
    )
    content = [
        ("heading", "Le dossier du mois"),
        ("paragraph", paragraph * 3),
        (
            "key_figures",
            [
                {
                    "figure": f"{i * 7} %",
                    "label": "indicateur de test",
                    "source": "banc",
                    "date": "2025",
                }
                for i in range(1, 5)
            ],
        ),
        ("screening", paragraph),
        ("coverage", paragraph),
        (
            "tools",
            [
                {
                    "title": f"Outil {i}",
                    "url": f"https://example.org/outil-{i}",
                    "description": "Brochure de test",
                }
                for i in range(1, 6)
            ],
        ),
        ("addresses", paragraph),
    ]
    for slug in ("cancer-sein", "diabete"):
        ThemeDossier.objects.update_or_create(
            theme=Theme.objects.get(slug=slug),
            defaults={"content_fr": content, "content_nl": content},
        )


def published_issue(month):
    from newsletters.drafting import draft_newsletters
    from newsletters.models import NewsletterIssue

    draft_newsletters(month, log=lambda message: None)
    issue = NewsletterIssue.objects.get(
        bassin__slug="nord", locale__language_code="fr", month=month
    )
    issue.send_to_subscribers = False
    issue.save_revision().publish()
    return NewsletterIssue.objects.get(pk=issue.pk)


def run(n: int, counter) -> None:
    import datetime

    from django.conf import settings
    from django.core.mail import get_connection
    from django.utils import timezone

    from bassins import reference as bassins_reference
    from bassins.models import Bassin
    from newsletters import reference, sending, tasks
    from newsletters.models import Subscriber
    from newsletters.rendering import render_issue_message

    quiet = lambda message: None  # noqa: E731
    bassins_reference.load(log=quiet)
    reference.load(log=quiet)
    bench_dossiers()
    issues = [
        published_issue(datetime.date(2025, 10, 1)),
        published_issue(datetime.date(2025, 11, 1)),
    ]

    # Render time of one issue (templates + CSS inlining), mean of 20.
    rounds = 20
    started = time.perf_counter()
    for _ in range(rounds):
        render_issue_message(issues[0], [])
    render_ms = (time.perf_counter() - started) / rounds * 1000

    nord = Bassin.objects.get(slug="nord")
    Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=f"bench{i:06d}@example.org",
                language="fr",
                status="active",
                confirmed_at=timezone.now(),
            )
            for i in range(n)
        ],
        batch_size=2000,
    )
    through = Subscriber.bassins.through
    through.objects.bulk_create(
        [
            through(subscriber_id=pk, bassin=nord)
            for pk in Subscriber.objects.values_list("pk", flat=True)
        ],
        batch_size=2000,
    )

    def pipeline(issue) -> float:
        counter.value = 0
        started = time.perf_counter()
        tasks.send_issue(issue.pk)
        wait_count(counter, n)
        seconds = time.perf_counter() - started
        report = sending.report(issue.mailing.pk)
        assert report["sent"] == n and counter.value == n, (report, counter.value)
        return seconds

    def bare(raw: bytes) -> float:
        counter.value = 0
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", settings.EMAIL_PORT) as smtp:
            for i in range(n):
                smtp.sendmail("noreply@maillage.brussels", [f"bench{i:06d}@example.org"], raw)
        wait_count(counter, n)
        return time.perf_counter() - started

    # The same rendered message the pipeline sent to its first recipient.
    pipeline_runs = [pipeline(issues[0])]
    delivery = issues[0].mailing.deliveries.select_related("subscriber").first()
    factory = sending.MessageFactory(issues[0].mailing)
    raw = factory.smtp_bytes(delivery) or factory.build(
        delivery, get_connection()
    ).message().as_bytes(linesep="\r\n")
    # Interleaved, best of two each: this box is shared, its load changes by the second.
    bare_runs = [bare(raw)]
    pipeline_runs.append(pipeline(issues[1]))
    bare_runs.append(bare(raw))

    pipeline_rate = n / min(pipeline_runs)
    bare_rate = n / min(bare_runs)
    print(f"recipients:               {n}")
    print(f"message size:             {len(raw)} bytes (text + HTML with inlined CSS)")
    print(f"render one issue:         {render_ms:.1f} ms")
    runs = ", ".join(f"{n / s:.0f}" for s in pipeline_runs)
    print(f"pipeline:                 {pipeline_rate:.0f} msg/s (runs: {runs})")
    runs = ", ".join(f"{n / s:.0f}" for s in bare_runs)
    print(f"bare smtplib loop:        {bare_rate:.0f} msg/s (runs: {runs})")
    print(f"pipeline / bare:          {pipeline_rate / bare_rate:.0%} (goal >= 70%)")
    overhead = (min(pipeline_runs) - min(bare_runs)) / n * 1000
    print(f"pipeline cost per message beyond SMTP: {overhead:.2f} ms")
    shortcut_costs(issues[0].mailing)
    print(f"load average (1, 5, 15 min): {os.getloadavg()}")


def shortcut_costs(mailing, calls: int = 1000) -> None:
    """Per-message cost of each sending shortcut against its plain Django equivalent."""
    from django.core.mail import get_connection

    from newsletters import sending

    deliveries = list(mailing.deliveries.select_related("subscriber").order_by("pk")[:calls])
    factory = sending.MessageFactory(mailing)
    mail = get_connection()

    def per_call(function) -> float:
        started = time.perf_counter()
        for delivery in deliveries:
            function(delivery)
        return (time.perf_counter() - started) / len(deliveries) * 1000

    factory.smtp_bytes(deliveries[0])  # the template is made once per variant
    template = per_call(factory.smtp_bytes)
    built = per_call(lambda d: factory.build(d, mail).message().as_bytes(linesep="\r\n"))
    print(
        f"message per recipient:    byte template {template:.3f} ms, "
        f"EmailMessage build + serialize {built:.3f} ms"
    )

    # The loop's own conditions: on PostgreSQL its commits do not wait for the disk.
    sending._commit_without_waiting_for_disk()
    try:
        claim_and_mark_costs(deliveries, per_call)
    finally:
        sending._commit_waiting_for_disk()


def claim_and_mark_costs(deliveries, per_call) -> None:
    """The claim (at the default NEWSLETTER_CLAIM_BATCH of 10) and the ``sent`` mark,
    each as the loop does it and as the ORM would."""
    import uuid

    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from newsletters import sending
    from newsletters.models import Delivery, DeliveryStatus

    ids = [d.pk for d in deliveries]
    mailing_id = deliveries[0].mailing_id
    batch = 10

    def release():
        Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.PENDING, claim_token="")

    def orm_claim(limit: int):
        token = uuid.uuid4().hex
        with transaction.atomic():
            taken = list(
                Delivery.objects.select_for_update(skip_locked=True)
                .filter(mailing_id=mailing_id, status=DeliveryStatus.PENDING)
                .order_by("pk")
                .values_list("pk", flat=True)[:limit]
            )
            Delivery.objects.filter(pk__in=taken).update(
                status=DeliveryStatus.CLAIMED,
                claim_token=token,
                claimed_at=timezone.now(),
                attempts=F("attempts") + 1,
            )
        return list(
            Delivery.objects.filter(pk__in=taken, claim_token=token).select_related("subscriber")
        )

    def claim_cost(claim) -> float:
        release()
        started = time.perf_counter()
        for _ in range(len(deliveries) // batch):
            claim(batch)
        return (time.perf_counter() - started) / len(deliveries) * 1000

    loop_claim = claim_cost(lambda limit: sending.claim(mailing_id, uuid.uuid4().hex, limit))
    orm_claim_ms = claim_cost(orm_claim)
    print(
        f"claim ({batch} at a time):    one statement {loop_claim:.3f} ms, "
        f"ORM lock + update + re-read {orm_claim_ms:.3f} ms per message"
    )

    token = "bench"

    def claim_all():
        Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.CLAIMED, claim_token=token)

    def orm_update(delivery):
        Delivery.objects.filter(
            pk=delivery.pk, claim_token=token, status=DeliveryStatus.CLAIMED
        ).update(
            status=DeliveryStatus.SENT,
            sent_at=timezone.now(),
            message_id=sending.message_id_for(delivery.pk, delivery.mailing_id),
            provider_message_id="",
        )

    claim_all()
    raw_ms = per_call(lambda delivery: sending.mark_sent(delivery, token, ""))
    claim_all()
    orm_ms = per_call(orm_update)
    print(f"mark sent:                one statement {raw_ms:.3f} ms, ORM update {orm_ms:.3f} ms")


if __name__ == "__main__":
    main()
