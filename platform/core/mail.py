"""E-mail: one builder for every message, one way to send a transactional one.

Templates come in triples, ``<name>_subject.txt``, ``<name>.txt`` and
``<name>.html``, rendered with the recipient's language active; the HTML goes
through css-inline so that mail clients that drop ``<style>`` still show it right.
``build_email`` makes the Django message; the newsletter's bulk loop uses it too.

A transactional message (a confirmation, a moderation decision, a reminder) goes
through ``send_transactional``:

1. it is rendered at once and written to the ``OutboundEmail`` outbox, one row per
   recipient, in the caller's transaction (a rolled-back change sends nothing);
2. after the commit, the Celery task ``core.tasks.send_outbound_email`` sends it
   (``mail`` queue), retried with back-off on SMTP and network errors; the beat
   entry ``core: send queued e-mails`` re-queues what a lost broker message or a
   dead worker left behind;
3. ``key`` makes it idempotent: a key already in the outbox is not queued again;
4. at most ``TRANSACTIONAL_EMAIL_MAX_PER_RECIPIENT_PER_HOUR`` messages per address
   per hour, whatever form caused them (``cap=False`` only for staff notifications
   to addresses of our own user accounts).
"""

from __future__ import annotations

import base64
import datetime
import logging
import uuid
from collections.abc import Iterable

import css_inline
from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboundEmail
from .text import printable, single_line

logger = logging.getLogger(__name__)

SEND_TASK = "core.tasks.send_outbound_email"
# A row claimed this long ago without being sent belongs to a worker that died.
STALE_CLAIM = datetime.timedelta(minutes=15)
# A queued row older than this was not picked up after its commit: queue it again.
UNSENT_AFTER = datetime.timedelta(minutes=2)

_inliner = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


def normalise_email(email: str) -> str:
    """The form an address is stored and compared in (one subscriber, one booking per
    address): surrounding spaces dropped, lower-cased. Used by every app that dedupes
    people by e-mail (open-door bookings, newsletter subscribers) and by the cap."""
    return (email or "").strip().lower()


def mask_email(email: str) -> str:
    """``m***@example.org``: enough to follow a problem in the logs, not a contact."""
    local, _at, domain = (email or "").partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def render_email(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """Return ``(subject, text, html)`` rendered in ``language``.

    The subject and the text part are rendered without HTML autoescaping (the "text"
    template engine): they are not HTML.
    """
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, "language": language, **context}
        # Control characters that reached the data (admin, imports) never reach a header.
        subject = single_line(render_to_string(f"{template}_subject.txt", context, using="text"))
        text = printable(render_to_string(f"{template}.txt", context, using="text"))
        html = _inliner.inline(render_to_string(f"{template}.html", context))
    return subject, text, html


def compose_email(
    subject: str,
    text: str,
    html: str,
    to: Iterable[str],
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
    headers: dict | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    """The multipart message (text + HTML alternative + attachments) every e-mail is."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        headers=headers or {},
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def build_email(
    template: str,
    context: dict,
    to: Iterable[str],
    language: str,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
    headers: dict | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    """Render ``template`` in ``language`` and compose the message."""
    subject, text, html = render_email(template, context, language)
    return compose_email(subject, text, html, to, attachments, headers, connection)


# --- transactional e-mail --------------------------------------------------------------


def _stored_attachments(attachments) -> list[dict]:
    stored = []
    for filename, content, mimetype in attachments:
        if isinstance(content, bytes):
            content, encoding = base64.b64encode(content).decode("ascii"), "base64"
        else:
            encoding = "text"
        stored.append(
            {"filename": filename, "content": content, "mimetype": mimetype, "encoding": encoding}
        )
    return stored


def _message_attachments(stored: list[dict]) -> list[tuple[str, bytes | str, str]]:
    return [
        (
            item["filename"],
            base64.b64decode(item["content"]) if item["encoding"] == "base64" else item["content"],
            item["mimetype"],
        )
        for item in stored
    ]


def recent_count(recipient: str, now: datetime.datetime | None = None) -> int:
    """Messages accepted for ``recipient`` in the last hour (the cap's counter)."""
    since = (now or timezone.now()) - datetime.timedelta(hours=1)
    return (
        OutboundEmail.objects.filter(recipient=recipient, created_at__gte=since)
        .exclude(status=OutboundEmail.Status.CAPPED)
        .count()
    )


def _enqueue(pks: list[int]) -> None:
    for pk in pks:
        current_app.signature(SEND_TASK, args=[pk]).delay()


def _after_commit(pks: list[int]) -> None:
    """Queue the sending once the caller's transaction commits (at once outside one).

    ``robust``: a broker that cannot be reached must not undo the caller's work; the
    rows stay queued and ``requeue_unsent`` picks them up."""
    transaction.on_commit(lambda: _enqueue(pks), robust=True)


def send_transactional(
    template: str,
    context: dict,
    to: Iterable[str],
    language: str,
    *,
    key: str | None = None,
    attachments: Iterable[tuple[str, bytes | str, str]] = (),
    headers: dict | None = None,
    cap: bool = True,
) -> int:
    """Queue one message per address of ``to``; returns how many were queued.

    ``key`` names the message for idempotency (e.g. ``"proposal-confirm:<uid>"``):
    an address that already has a message with that key gets nothing new. Without a
    key every call is a new message. A message over the per-recipient cap is
    recorded as ``capped`` and not sent.
    """
    recipients = list(dict.fromkeys(normalise_email(a) for a in to if a))
    if not recipients:
        return 0
    keys = {r: f"{key}:{r}" if key else uuid.uuid4().hex for r in recipients}
    if key:
        known = OutboundEmail.objects.filter(key__in=keys.values()).values_list("key", flat=True)
        known = set(known)
        keys = {r: k for r, k in keys.items() if k not in known}
        if not keys:
            return 0
    subject, text, html = render_email(template, context, language)
    stored = _stored_attachments(attachments)
    limit = settings.TRANSACTIONAL_EMAIL_MAX_PER_RECIPIENT_PER_HOUR
    rows = []
    for recipient, row_key in keys.items():
        values = {"key": row_key, "recipient": recipient, "template": template}
        if cap and recent_count(recipient) >= limit:
            values["status"] = OutboundEmail.Status.CAPPED
            logger.warning(
                "mail: %s not sent to %s: %s per hour reached",
                template,
                mask_email(recipient),
                limit,
            )
        else:
            values |= {
                "subject": subject,
                "text": text,
                "html": html,
                "attachments": stored,
                "headers": headers or {},
            }
        rows.append(OutboundEmail(**values))
    # The unique key also settles a race with a concurrent request for the same message:
    # its row wins, ours is skipped, and the claim in deliver_outbound sends it once.
    OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True)
    queued = list(
        OutboundEmail.objects.filter(
            key__in=[row.key for row in rows], status=OutboundEmail.Status.QUEUED
        ).values_list("pk", flat=True)
    )
    if queued:
        _after_commit(queued)
    return len(queued)


def deliver_outbound(pk: int) -> bool:
    """Send one queued message; True when this call sent it.

    The row is claimed first (queued → sending) so two workers never send it twice;
    after sending, the content is blanked. An error puts the row back in the queue
    and is raised again for the task's retry.
    """
    claimed = OutboundEmail.objects.filter(pk=pk, status=OutboundEmail.Status.QUEUED).update(
        status=OutboundEmail.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    row = OutboundEmail.objects.get(pk=pk)
    message = compose_email(
        row.subject,
        row.text,
        row.html,
        [row.recipient],
        _message_attachments(row.attachments),
        row.headers,
    )
    try:
        message.send()
    except Exception as error:
        OutboundEmail.objects.filter(pk=pk).update(
            status=OutboundEmail.Status.QUEUED, last_error=str(error)[:500]
        )
        logger.warning("mail: %s to %s failed: %s", row.template, mask_email(row.recipient), error)
        raise
    OutboundEmail.objects.filter(pk=pk).update(
        status=OutboundEmail.Status.SENT,
        sent_at=timezone.now(),
        subject="",
        text="",
        html="",
        attachments=[],
        headers={},
        last_error="",
    )
    return True


def mark_failed(pk: int, error: str) -> None:
    """The task gave up retrying: keep the row (and its content) for an operator."""
    OutboundEmail.objects.filter(pk=pk).exclude(status=OutboundEmail.Status.SENT).update(
        status=OutboundEmail.Status.FAILED, last_error=error[:500]
    )


def requeue_unsent(now: datetime.datetime | None = None) -> int:
    """Queue again what was left behind: queued rows never picked up and claims of
    dead workers. Returns the number queued."""
    now = now or timezone.now()
    OutboundEmail.objects.filter(
        status=OutboundEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM
    ).update(status=OutboundEmail.Status.QUEUED)
    pks = list(
        OutboundEmail.objects.filter(
            status=OutboundEmail.Status.QUEUED, created_at__lt=now - UNSENT_AFTER
        ).values_list("pk", flat=True)[:500]
    )
    _enqueue(pks)
    return len(pks)


def purge_outbox(now: datetime.datetime | None = None) -> int:
    """Delete rows older than ``TRANSACTIONAL_EMAIL_RETENTION_DAYS`` (sent, capped,
    failed); returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(
        days=settings.TRANSACTIONAL_EMAIL_RETENTION_DAYS
    )
    deleted, _ = (
        OutboundEmail.objects.filter(created_at__lt=cutoff)
        .exclude(status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.SENDING])
        .delete()
    )
    return deleted


def send_email(*args, **kwargs) -> int:
    """Build and send one message at once; returns the number sent (0 or 1)."""
    return build_email(*args, **kwargs).send()


__all__ = [
    "build_email",
    "compose_email",
    "render_email",
    "send_email",
    "send_transactional",
    "get_connection",
]
