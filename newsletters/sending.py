"""Idempotent, resumable sending of mailings (issues and weekly digests).

The contract (see docs/newsletters.md, "Sending"):

1. ``start_*_mailing`` freezes the content (rendered once, agenda snapshot kept on the
   ``Mailing``) and creates one ``Delivery`` per recipient; the unique constraint
   (mailing, subscriber) makes a second start a no-op.
2. ``deliver_batch`` claims pending deliveries a few at a time (one
   ``UPDATE ... RETURNING`` whose rows come from ``FOR UPDATE SKIP LOCKED`` on
   PostgreSQL, so concurrent workers never claim the same row), sends each through one
   SMTP connection, and marks each one ``sent`` in its own short statement right after
   the server accepted it; that statement's answer is awaited before the next message's
   DATA at the latest (``SentMarks``).
3. ``recover_stale_claims`` puts back claims older than NEWSLETTER_CLAIM_TIMEOUT (their
   worker died) and re-dispatches work; a worker that restarts runs it by itself.

Residual window: a worker killed after the SMTP server answered 250 but before the
``sent`` UPDATE committed (at most until its next message's DATA) leaves that one delivery
claimed; recovery re-sends it with the *same* Message-ID (at-least-once), which lets
receiving systems that deduplicate by Message-ID drop the copy. We prefer that to
at-most-once: a silent gap is worse than a rare duplicate of an information letter.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import logging
import math
import re
import select
import smtplib
import textwrap
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.db import DatabaseError, transaction
from django.db import connection as database
from django.db.models import Count, Max, Q
from django.utils import timezone
from psycopg import pq

from core.mail import compose_email
from core.privacy import mask_emails

from . import links
from .agenda import month_agenda, occurrences, week_bounds
from .models import (
    Delivery,
    DeliveryStatus,
    Mailing,
    MailingKind,
    MailingStatus,
    NewsletterIssue,
    Subscriber,
    SubscriberStatus,
)
from .rendering import (
    PREFERENCES_PLACEHOLDER,
    UNSUBSCRIBE_PLACEHOLDER,
    render_digest_message,
    render_issue_message,
)

logger = logging.getLogger(__name__)


def chunk_size() -> int:
    return max(1, settings.NEWSLETTER_CHUNK_SIZE)


def claim_batch() -> int:
    return max(1, settings.NEWSLETTER_CLAIM_BATCH)


def claim_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.NEWSLETTER_CLAIM_TIMEOUT)


def max_attempts() -> int:
    return settings.NEWSLETTER_MAX_ATTEMPTS


def mail_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "maillage.local"


def message_id_for(delivery_pk: int, mailing_pk: int) -> str:
    """Stable per delivery: a re-send after an uncertain outcome carries the same id."""
    return f"<ips.{mailing_pk}.{delivery_pk}@{mail_domain()}>"


# --- Starting a mailing --------------------------------------------------------------------


def issue_recipients(issue: NewsletterIssue):
    return Subscriber.objects.filter(
        status=SubscriberStatus.ACTIVE,
        suppressed_at__isnull=True,
        language=issue.language,
        bassins=issue.bassin_id,
    )


def _create_deliveries(mailing: Mailing, subscriber_ids) -> int:
    rows = [Delivery(mailing=mailing, subscriber_id=pk) for pk in subscriber_ids]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def start_issue_mailing(issue_id: int) -> Mailing:
    """Freeze the issue and create its deliveries. Calling it again changes nothing."""
    with transaction.atomic():
        issue = (
            NewsletterIssue.objects.select_for_update(of=("self",))
            .select_related("bassin", "locale", "theme")
            .get(pk=issue_id)
        )
        mailing = Mailing.objects.filter(issue=issue).first()
        if mailing is None:
            agenda = month_agenda(issue.bassin, issue.month, issue.language)
            subject, text, html = render_issue_message(issue, agenda)
            mailing = Mailing.objects.create(
                key=f"issue:{issue.pk}",
                kind=MailingKind.ISSUE,
                issue=issue,
                language=issue.language,
                subject=subject,
                text_body=text,
                html_body=html,
                payload={"agenda": agenda},
            )
        if mailing.status == MailingStatus.PREPARING:
            _create_deliveries(mailing, issue_recipients(issue).values_list("pk", flat=True))
            mailing.status = MailingStatus.SENDING
            mailing.save(update_fields=["status"])
    return mailing


def start_digest_mailing(week_start: datetime.date) -> Mailing | None:
    """The weekly agenda digest: only subscribers whose bassins have something that week."""
    key = f"digest:{week_start.isoformat()}"
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().filter(key=key).first()
        if mailing is None:
            start, end = week_bounds(week_start)
            wanted = (
                Subscriber.digest_bassins.through.objects.filter(
                    subscriber__status=SubscriberStatus.ACTIVE,
                    subscriber__suppressed_at__isnull=True,
                )
                .values_list("subscriber__language", "bassin__slug")
                .distinct()
            )
            agenda: dict[str, dict[str, list[dict]]] = {}
            for language, slug in wanted:
                items = occurrences(start, end, [slug], language)
                if items:
                    agenda.setdefault(language, {})[slug] = items
            mailing = Mailing.objects.create(
                key=key,
                kind=MailingKind.DIGEST,
                payload={"week_start": week_start.isoformat(), "agenda": agenda},
            )
        if mailing.status == MailingStatus.PREPARING:
            # Only those whose bassins have something that week, in their language.
            busy = Q(pk__in=[])
            for language, by_bassin in mailing.payload["agenda"].items():
                busy |= Q(language=language, digest_bassins__slug__in=list(by_bassin))
            recipients = (
                Subscriber.objects.filter(busy, status=SubscriberStatus.ACTIVE)
                .filter(suppressed_at__isnull=True)
                .distinct()
                .values_list("pk", flat=True)
            )
            _create_deliveries(mailing, recipients)
            mailing.status = MailingStatus.SENDING
            mailing.save(update_fields=["status"])
    return mailing


# --- Claiming and sending ------------------------------------------------------------------


def claim(mailing_id: int, token: str, limit: int) -> list[Delivery]:
    """Claim up to ``limit`` pending deliveries for this worker run, subscribers loaded.

    One statement takes the rows (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
    concurrent workers never take the same row; SQLite runs one writer at a time) and
    returns them; one query reads their subscribers. Two round trips instead of five
    (a transaction around ``select_for_update``, ``update`` and a re-read): see
    docs/newsletters.md for the figures.
    """
    with database.cursor() as cursor:
        cursor.execute(
            _claim_sql(database.vendor),
            [
                DeliveryStatus.CLAIMED.value,
                token,
                database.ops.adapt_datetimefield_value(timezone.now()),
                mailing_id,
                DeliveryStatus.PENDING.value,
                limit,
            ],
        )
        rows = sorted(cursor.fetchall())
    subscribers = Subscriber.objects.in_bulk([subscriber_id for _, subscriber_id, _ in rows])
    claimed = []
    for pk, subscriber_id, attempts in rows:
        if subscriber_id not in subscribers:
            continue  # deleted meanwhile, and its delivery with it (CASCADE)
        delivery = Delivery(
            pk=pk,
            mailing_id=mailing_id,
            subscriber_id=subscriber_id,
            status=DeliveryStatus.CLAIMED,
            claim_token=token,
            attempts=attempts,
        )
        delivery.subscriber = subscribers[subscriber_id]
        claimed.append(delivery)
    return claimed


def _columns(*names: str) -> dict[str, str]:
    """Quoted table (key ``table``) and column names of ``Delivery``."""
    quote = database.ops.quote_name
    names_to_sql = {name: quote(Delivery._meta.get_field(name).column) for name in names}
    return {"table": quote(Delivery._meta.db_table), **names_to_sql}


@functools.cache
def _claim_sql(vendor: str) -> str:
    c = _columns("id", "mailing", "subscriber", "status", "claim_token", "claimed_at", "attempts")
    lock = " FOR UPDATE SKIP LOCKED" if database.features.has_select_for_update_skip_locked else ""
    return (
        f"UPDATE {c['table']} SET {c['status']} = %s, {c['claim_token']} = %s, "
        f"{c['claimed_at']} = %s, {c['attempts']} = {c['attempts']} + 1 "
        f"WHERE {c['id']} IN (SELECT {c['id']} FROM {c['table']} "
        f"WHERE {c['mailing']} = %s AND {c['status']} = %s ORDER BY {c['id']} LIMIT %s{lock}) "
        f"RETURNING {c['id']}, {c['subscriber']}, {c['attempts']}"
    )


class Pacer:
    """Keeps this process under ``rate`` messages per second."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.next_at = time.monotonic()

    def wait(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        if self.next_at > now:
            time.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = max(self.next_at, now) + self.interval


TO_SLOT = "maillage-recipient@placeholder.invalid"
MESSAGE_ID_SLOT = "<maillage-message-id@placeholder.invalid>"
_TAG_BOUNDARY = re.compile(r">(?=<)")


def short_lines(content: str, html: bool = False, limit: int = 400) -> str:
    """Break lines longer than ``limit`` at spaces (and, in HTML, between tags).

    A newline is whitespace in HTML and a soft break in text mail, so nothing visible
    changes, and the bodies stay under the 998-octet line limit without encoding.
    """
    if html:
        content = _TAG_BOUNDARY.sub(">\n", content)
    lines = []
    for line in content.split("\n"):
        if len(line) <= limit:
            lines.append(line)
        else:
            lines.append(
                textwrap.fill(
                    line,
                    width=76,
                    break_long_words=False,
                    break_on_hyphens=False,
                    drop_whitespace=True,
                    replace_whitespace=False,
                )
            )
    return "\n".join(lines)


class MessageFactory:
    """Builds each subscriber's message from the mailing's frozen content.

    Two paths, same bytes on the wire:
    - ``build`` makes a Django ``EmailMessage`` (any backend: SMTP, anymail, console);
    - ``smtp_bytes`` serializes the message once per variant with placeholders and
      only swaps the recipient, Message-ID and signed links per subscriber (see
      ``outgoing_message`` for when, and bench/newsletters.py for why).
    """

    def __init__(self, mailing: Mailing):
        self.mailing = mailing
        self.from_email = settings.DEFAULT_FROM_EMAIL
        self.envelope_from = sanitize_address(self.from_email, "utf-8")
        self._parts_cache: dict = {}
        self._raw_cache: dict = {}

    def variant(self, subscriber: Subscriber) -> tuple:
        if self.mailing.kind == MailingKind.ISSUE:
            return ("issue",)
        agenda = self.mailing.payload["agenda"].get(subscriber.language, {})
        return (
            subscriber.language,
            tuple(sorted(s for s in subscriber.digest_slugs if s in agenda)),
        )

    def parts(self, subscriber: Subscriber) -> tuple[str, str, str]:
        key = self.variant(subscriber)
        if key not in self._parts_cache:
            if self.mailing.kind == MailingKind.ISSUE:
                subject, text, html = (
                    self.mailing.subject,
                    self.mailing.text_body,
                    self.mailing.html_body,
                )
            else:
                subject, text, html = render_digest_message(
                    self.mailing.payload, key[1], subscriber.language
                )
            # Short lines keep both parts 8bit (no quoted-printable), see ``raw``.
            self._parts_cache[key] = (subject, short_lines(text), short_lines(html, html=True))
        return self._parts_cache[key]

    def _message(self, subject, text, html, to, message_id, unsubscribe, connection=None):
        return compose_email(
            subject,
            text,
            html,
            [to],
            headers={
                "Message-ID": message_id,
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": f"Info Prevention Sante <ips.{mail_domain()}>",
            },
            connection=connection,
        )

    @staticmethod
    def _links(subscriber: Subscriber) -> tuple[str, str]:
        return links.unsubscribe_url(subscriber), links.preferences_url(subscriber)

    def build(self, delivery: Delivery, connection) -> EmailMultiAlternatives:
        subscriber = delivery.subscriber
        subject, text, html = self.parts(subscriber)
        unsubscribe, preferences = self._links(subscriber)
        for placeholder, value in (
            (UNSUBSCRIBE_PLACEHOLDER, unsubscribe),
            (PREFERENCES_PLACEHOLDER, preferences),
        ):
            text = text.replace(placeholder, value)
            html = html.replace(placeholder, value)
        return self._message(
            subject,
            text,
            html,
            subscriber.email,
            message_id_for(delivery.pk, delivery.mailing_id),
            unsubscribe,
            connection,
        )

    def smtp_bytes(self, delivery: Delivery) -> bytes | None:
        """The serialized message for this delivery, or None when no safe template.

        The template is safe when serializing kept every placeholder verbatim (8bit
        bodies, short lines): swapping bytes then gives what ``build`` would.
        """
        subscriber = delivery.subscriber
        key = self.variant(subscriber)
        if key not in self._raw_cache:
            subject, text, html = self.parts(subscriber)
            template = (
                self._message(
                    subject, text, html, TO_SLOT, MESSAGE_ID_SLOT, UNSUBSCRIBE_PLACEHOLDER
                )
                .message()
                .as_bytes(linesep="\r\n")
            )
            verbatim = (
                template.count(TO_SLOT.encode()) == 1
                and template.count(MESSAGE_ID_SLOT.encode()) == 1
                and template.count(UNSUBSCRIBE_PLACEHOLDER.encode())
                == 1 + text.count(UNSUBSCRIBE_PLACEHOLDER) + html.count(UNSUBSCRIBE_PLACEHOLDER)
                and max(len(line) for line in template.split(b"\r\n")) < 700
            )
            self._raw_cache[key] = template if verbatim else None
        template = self._raw_cache[key]
        if template is None:
            return None
        unsubscribe, preferences = self._links(subscriber)
        return (
            template.replace(TO_SLOT.encode(), subscriber.email.encode())
            .replace(
                MESSAGE_ID_SLOT.encode(), message_id_for(delivery.pk, delivery.mailing_id).encode()
            )
            .replace(UNSUBSCRIBE_PLACEHOLDER.encode(), unsubscribe.encode())
            .replace(PREFERENCES_PLACEHOLDER.encode(), preferences.encode())
        )


def _digest_prefetch(deliveries: list[Delivery]) -> None:
    through = Subscriber.digest_bassins.through
    ids = [d.subscriber_id for d in deliveries]
    slugs: dict[int, list[str]] = {pk: [] for pk in ids}
    for subscriber_id, slug in through.objects.filter(subscriber_id__in=ids).values_list(
        "subscriber_id", "bassin__slug"
    ):
        slugs[subscriber_id].append(slug)
    for delivery in deliveries:
        delivery.subscriber.digest_slugs = slugs[delivery.subscriber_id]


PERMANENT = "permanent"
TRANSIENT = "transient"


def _classify(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        return PERMANENT if codes and all(500 <= c < 600 for c in codes) else TRANSIENT
    if isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600:
        return PERMANENT
    return TRANSIENT


@dataclass
class BatchResult:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    released: int = 0
    transient_error: str = ""


def _mark(delivery: Delivery, token: str, **values) -> int:
    return Delivery.objects.filter(
        pk=delivery.pk, claim_token=token, status=DeliveryStatus.CLAIMED
    ).update(**values)


@functools.cache
def _mark_sent_sql(vendor: str) -> str:
    """The statement ``_mark`` would build for a send, written once per database."""
    c = _columns("id", "status", "sent_at", "message_id", "provider_message_id", "claim_token")
    return (
        f"UPDATE {c['table']} SET {c['status']} = %s, {c['sent_at']} = %s, "
        f"{c['message_id']} = %s, {c['provider_message_id']} = %s "
        f"WHERE {c['id']} = %s AND {c['claim_token']} = %s AND {c['status']} = %s"
    )


def mark_sent(delivery: Delivery, token: str, provider_message_id: str) -> int:
    """``_mark(delivery, token, status=SENT, ...)`` as one hand-written statement: once
    commits stopped waiting for the disk, building the ORM query cost more than the
    statement itself (bench/newsletters.py prints both)."""
    with database.cursor() as cursor:
        cursor.execute(
            _mark_sent_sql(database.vendor),
            [
                DeliveryStatus.SENT.value,
                database.ops.adapt_datetimefield_value(timezone.now()),
                message_id_for(delivery.pk, delivery.mailing_id),
                provider_message_id[:200],
                delivery.pk,
                token,
                DeliveryStatus.CLAIMED.value,
            ],
        )
        return cursor.rowcount


@functools.cache
def _numbered_mark_sent_sql(vendor: str) -> bytes:
    """``_mark_sent_sql`` with libpq's numbered parameters ($1, $2, ...)."""
    pieces = _mark_sent_sql(vendor).split("%s")
    numbered = pieces[0] + "".join(f"${n}{piece}" for n, piece in enumerate(pieces[1:], 1))
    return numbered.encode()


def _wait(sock: int, write: bool = False) -> int:
    """Block until ``sock`` is readable (or writable, with ``write``); the events seen.
    ``poll``, not ``select.select``: that one refuses descriptors above 1023."""
    poller = select.poll()
    poller.register(sock, select.POLLIN | (select.POLLOUT if write else 0))
    return poller.poll()[0][1]


class SentMarks:
    """Records each accepted message as ``sent``, never more than one message behind.

    On PostgreSQL outside a transaction (a worker's case) the mark of a message goes out
    right after the server's 250 without waiting for the answer: PostgreSQL runs and
    commits it while the next message's MAIL and RCPT go to the SMTP server, and
    ``settle`` reads the answer before that message's DATA, or before any other statement
    on the connection (``settled_first``). A kill therefore still finds every message
    the SMTP server accepted recorded, except at most the one whose 250 just arrived, as
    when each mark waited: the mark's round trip overlaps SMTP instead of following it
    (docs/newsletters.md, Issue 12). Elsewhere (SQLite, inside a transaction)
    ``record`` is ``mark_sent``.
    """

    def __init__(self, token: str, result: BatchResult):
        self.token = token
        self.result = result
        self.in_flight: pq.abc.PGconn | None = None

    def record(self, delivery: Delivery, provider_message_id: str) -> None:
        self.settle()
        if database.vendor != "postgresql" or not database.get_autocommit():
            self.result.sent += mark_sent(delivery, self.token, provider_message_id)
            return
        database.ensure_connection()
        pgconn = database.connection.pgconn
        values = (
            DeliveryStatus.SENT.value,
            timezone.now().isoformat(),
            message_id_for(delivery.pk, delivery.mailing_id),
            provider_message_id[:200],
            str(delivery.pk),
            self.token,
            DeliveryStatus.CLAIMED.value,
        )
        # libpq's errors (a dropped connection) come out as Django's, as from a cursor.
        with database.wrap_database_errors:
            pgconn.send_query_params(
                _numbered_mark_sent_sql(database.vendor), [value.encode() for value in values]
            )
            self.in_flight = pgconn
            while pgconn.flush():  # the connection is non-blocking: send all of it now
                if _wait(pgconn.socket, write=True) & select.POLLIN:
                    pgconn.consume_input()

    def settle(self) -> None:
        """Wait for the mark in flight, if any, and count it."""
        pgconn = self.in_flight
        if pgconn is None:
            return
        error = ""
        try:
            with database.wrap_database_errors:
                pgconn.consume_input()
                while pgconn.is_busy():
                    _wait(pgconn.socket)
                    pgconn.consume_input()
                while (answer := pgconn.get_result()) is not None:
                    if answer.status == pq.ExecStatus.COMMAND_OK:
                        self.result.sent += answer.command_tuples or 0
                    else:
                        error = answer.get_error_message()
        except BaseException:
            # Interrupted before its answer was read (a dropped connection, a time
            # limit): the connection cannot run another statement, so it is closed.
            self.in_flight = None
            database.close()
            raise
        self.in_flight = None
        if error:
            raise DatabaseError(f"recording a sent message failed: {error}")

    @contextlib.contextmanager
    def settled_first(self):
        """Any statement run through Django meanwhile waits for the mark in flight, and
        so does leaving the block."""

        def settle_first(execute, sql, params, many, context):
            self.settle()
            return execute(sql, params, many, context)

        with database.execute_wrapper(settle_first):
            try:
                yield
            finally:
                self.settle()


def deliver_batch(mailing_id: int, max_messages: int | None = None) -> BatchResult:
    """Send up to ``max_messages`` pending deliveries of a mailing. Safe to run anywhere,
    any number of times, concurrently."""
    result = BatchResult()
    mailing = Mailing.objects.filter(pk=mailing_id, status=MailingStatus.SENDING).first()
    if mailing is None:
        return result
    budget = max_messages or chunk_size()
    token = uuid.uuid4().hex
    factory = MessageFactory(mailing)
    pacer = Pacer(settings.NEWSLETTER_SEND_RATE)
    connection = get_connection(timeout=settings.NEWSLETTER_SMTP_TIMEOUT)
    marks = SentMarks(token, result)
    upcoming = Upcoming(factory, connection)
    try:
        _commit_without_waiting_for_disk()
        with marks.settled_first():
            while budget > 0 and not result.transient_error:
                batch = claim(mailing_id, token, min(claim_batch(), budget))
                if not batch:
                    break
                budget -= len(batch)
                if mailing.kind == MailingKind.DIGEST:
                    _digest_prefetch(batch)
                for position, delivery in enumerate(batch):
                    if result.transient_error:
                        # Give the rest of the batch back untouched for a later attempt.
                        _release(batch[position:], token, result)
                        break
                    following = batch[position + 1] if position + 1 < len(batch) else None
                    _send_one(upcoming, delivery, following, token, pacer, marks)
    finally:
        _commit_waiting_for_disk()
        try:
            connection.close()
        except Exception:  # noqa: BLE001 - closing a dead connection must not hide the result
            logger.debug("closing the mail connection failed", exc_info=True)
    finish_if_complete(mailing_id)
    return result


# Recording a send is one short UPDATE committed right after the SMTP server's 250. On
# PostgreSQL each commit waits for its WAL record to reach the disk, which made the mark
# cost as much as the SMTP exchange itself. While a batch is sent the commits do not wait
# (``synchronous_commit = off`` for this session only): a committed mark is visible at
# once and survives the worker being killed (the kill test), and PostgreSQL writes it to
# disk within 3 x wal_writer_delay (600 ms by default). Only a crash of the database
# server itself in that window can lose marks, whose deliveries are then sent again after
# recovery: the one case of a duplicate, which we accept for a newsletter.
def _commit_without_waiting_for_disk() -> None:
    if database.vendor == "postgresql" and not database.in_atomic_block:
        with database.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")


def _commit_waiting_for_disk() -> None:
    if database.vendor == "postgresql" and not database.in_atomic_block:
        with contextlib.suppress(Exception), database.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _release(deliveries: list[Delivery], token: str, result: BatchResult) -> None:
    for delivery in deliveries:
        final = delivery.attempts >= max_attempts()
        result.released += _mark(
            delivery,
            token,
            status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING,
            claim_token="",
            error=result.transient_error[:1000],
        )


def _send_one(upcoming, delivery, following, token, pacer, marks: SentMarks) -> None:
    result, factory, connection = marks.result, upcoming.factory, upcoming.connection
    subscriber = delivery.subscriber
    if not subscriber.can_receive:
        result.skipped += _mark(delivery, token, status=DeliveryStatus.SKIPPED)
        return
    outgoing = upcoming.take(delivery)
    pacer.wait()
    try:
        transmit(
            factory,
            outgoing,
            subscriber.email,
            connection,
            marks.settle,
            functools.partial(upcoming.prepare, following),
        )
    except DatabaseError:
        raise  # the previous message's mark failed: not this message's transport
    except Exception as error:  # noqa: BLE001 - every transport error is classified
        kind = _classify(error)
        # SMTP replies quote the recipient: the log line carries it masked
        logger.warning("delivery %s: %s error %s", delivery.pk, kind, mask_emails(repr(error)))
        if kind == PERMANENT:
            result.failed += _mark(delivery, token, status=DeliveryStatus.FAILED, error=str(error))
            suppress_address(subscriber.email, "smtp-permanent")
        else:
            result.transient_error = repr(error)
            _release([delivery], token, result)
        with contextlib.suppress(Exception):
            connection.close()
        return
    status = getattr(outgoing, "anymail_status", None)
    provider_id = (getattr(status, "message_id", None) or "") if status else ""
    # The one short statement that records the send, right after the server's 250.
    marks.record(delivery, provider_id)


def outgoing_message(
    factory: MessageFactory, delivery: Delivery, connection
) -> bytes | EmailMultiAlternatives:
    """What goes to the mail connection for one delivery.

    With Django's SMTP backend: the factory's byte template with this subscriber's
    values swapped in (``smtp_bytes``), because building and serializing an
    ``EmailMessage`` per recipient costs more than the SMTP exchange itself
    (bench/newsletters.py prints both). Other backends (anymail, console, locmem), or a
    template that did not keep its placeholders verbatim: the ``EmailMessage``.
    """
    raw = factory.smtp_bytes(delivery) if isinstance(connection, SmtpBackend) else None
    return raw if raw is not None else factory.build(delivery, connection)


class Upcoming:
    """The next delivery's message, made while the SMTP server reads the current one.

    Our own work per message (signed links, byte swaps) then runs on one core while the
    server parses the previous message on the other, instead of after its 250.
    """

    def __init__(self, factory: MessageFactory, connection):
        self.factory = factory
        self.connection = connection
        self.made: tuple[int, bytes | EmailMultiAlternatives] | None = None

    def prepare(self, delivery: Delivery | None) -> None:
        if delivery is None or not delivery.subscriber.can_receive:
            return
        try:
            self.made = (delivery.pk, outgoing_message(self.factory, delivery, self.connection))
        except Exception:  # noqa: BLE001 - ``take`` makes it again, where a failure belongs
            logger.debug("making delivery %s's message ahead failed", delivery.pk, exc_info=True)

    def take(self, delivery: Delivery) -> bytes | EmailMultiAlternatives:
        made, self.made = self.made, None
        if made and made[0] == delivery.pk:
            return made[1]
        return outgoing_message(self.factory, delivery, self.connection)


def transmit(
    factory: MessageFactory,
    outgoing,
    recipient: str,
    connection,
    before_data=None,
    while_accepting=None,
) -> None:
    """Send what ``outgoing_message`` made (bytes straight over SMTP, or the message).

    Over SMTP, ``before_data`` runs between RCPT and DATA (its wait overlaps the server's
    answers to MAIL and RCPT) and ``while_accepting`` once the message is sent, before
    the server's answer is read. Other backends run both before sending.
    """
    if isinstance(outgoing, bytes):
        if connection.connection is None:
            connection.open()
        sendmail(
            connection.connection,
            factory.envelope_from,
            recipient,
            outgoing,
            before_data,
            while_accepting,
        )
    else:
        for step in (before_data, while_accepting):
            if step:
                step()
        connection.send_messages([outgoing])


def sendmail(
    smtp: smtplib.SMTP,
    sender: str,
    recipient: str,
    message: bytes,
    before_data=None,
    while_accepting=None,
) -> None:
    """``smtp.sendmail(sender, [recipient], message)``, same commands, replies and
    errors, calling ``before_data`` (if any) between RCPT and DATA, and
    ``while_accepting`` (if any) between the message's last line and reading the
    server's answer."""
    smtp.ehlo_or_helo_if_needed()
    options = [f"size={len(message)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
    code, reply = smtp.mail(sender, options)
    if code != 250:
        _abandon_transaction(smtp, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    code, reply = smtp.rcpt(recipient)
    if code not in (250, 251):
        _abandon_transaction(smtp, code)
        raise smtplib.SMTPRecipientsRefused({recipient: (code, reply)})
    if before_data:
        before_data()
    smtp.putcmd("data")
    code, reply = smtp.getreply()
    if code != 354:
        raise smtplib.SMTPDataError(code, reply)
    # As smtplib.SMTP.data: a line starting with "." gets another one (looked for with a
    # plain search first: our messages have none), then CRLF.CRLF.
    content = message
    if message.startswith(b".") or b"\n." in message:
        content = _LINE_STARTING_WITH_DOT.sub(b"..", message)
    smtp.send(content + (b".\r\n" if content.endswith(b"\r\n") else b"\r\n.\r\n"))
    if while_accepting:
        while_accepting()
    code, reply = smtp.getreply()
    if code != 250:
        _abandon_transaction(smtp, code)
        raise smtplib.SMTPDataError(code, reply)


_LINE_STARTING_WITH_DOT = re.compile(rb"(?m)^\.")


def _abandon_transaction(smtp: smtplib.SMTP, code: int) -> None:
    if code == 421:  # the server is closing the connection
        smtp.close()
    else:
        with contextlib.suppress(smtplib.SMTPServerDisconnected):
            smtp.rset()


# --- Completion, dispatch and recovery -------------------------------------------------


def finish_if_complete(mailing_id: int) -> bool:
    open_work = Delivery.objects.filter(
        mailing_id=mailing_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]
    ).exists()
    if open_work:
        return False
    return bool(
        Mailing.objects.filter(pk=mailing_id, status=MailingStatus.SENDING).update(
            status=MailingStatus.DONE, finished_at=timezone.now()
        )
    )


def pending_count(mailing_id: int) -> int:
    return Delivery.objects.filter(mailing_id=mailing_id, status=DeliveryStatus.PENDING).count()


def chunks_needed(mailing_id: int) -> int:
    return math.ceil(pending_count(mailing_id) / chunk_size())


def recover_stale_claims(now: datetime.datetime | None = None) -> dict[int, int]:
    """Give back claims whose worker died; return {mailing_id: chunks to dispatch}.

    A mailing needs new chunks when claims were released, or when it has pending work
    and nothing moved for a claim timeout (its queued tasks were lost with a worker).
    """
    now = now or timezone.now()
    limit = now - claim_timeout()
    work: dict[int, int] = {}
    for mailing_id in Mailing.objects.filter(status=MailingStatus.SENDING).values_list(
        "pk", flat=True
    ):
        released = Delivery.objects.filter(
            mailing_id=mailing_id, status=DeliveryStatus.CLAIMED, claimed_at__lt=limit
        ).update(status=DeliveryStatus.PENDING, claim_token="")
        stats = Delivery.objects.filter(mailing_id=mailing_id).aggregate(
            pending=Count("pk", filter=Q(status=DeliveryStatus.PENDING)),
            last_claim=Max("claimed_at"),
            last_sent=Max("sent_at"),
        )
        moments = [m for m in (stats["last_claim"], stats["last_sent"]) if m]
        idle = not moments or max(moments) < limit
        if stats["pending"] and (released or idle):
            work[mailing_id] = math.ceil(stats["pending"] / chunk_size())
            logger.warning(
                "mailing %s: %s stale claim(s) released, %s pending, re-dispatching",
                mailing_id,
                released,
                stats["pending"],
            )
        elif not stats["pending"]:
            finish_if_complete(mailing_id)
    return work


def report(mailing_id: int) -> dict[str, int]:
    """Send report: counts per status (sent, failed, pending, bounced, ...)."""
    counts = dict(
        Delivery.objects.filter(mailing_id=mailing_id)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in DeliveryStatus.values}


# --- Bounces and complaints ----------------------------------------------------------------


def suppress_address(email: str, reason: str) -> int:
    """Never mail this address again (hard bounce, complaint, permanent refusal)."""
    return Subscriber.objects.filter(email__iexact=email, suppressed_at__isnull=True).update(
        suppressed_at=timezone.now(), suppressed_reason=reason[:40]
    )


def record_bounce(email: str, reason: str, provider_message_id: str = "") -> None:
    suppress_address(email, reason)
    deliveries = Delivery.objects.filter(subscriber__email__iexact=email)
    if provider_message_id:
        matched = deliveries.filter(provider_message_id=provider_message_id)
        if matched.exists():
            deliveries = matched
    latest = deliveries.filter(status=DeliveryStatus.SENT).order_by("-sent_at").first()
    if latest:
        Delivery.objects.filter(pk=latest.pk).update(status=DeliveryStatus.BOUNCED, error=reason)
