"""Operations that change the exchange space. Each takes plain values and raises an
``ExchangeError`` subclass (whose text is for the person) when a rule says no."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from bassins.models import Bassin
from core.mail import normalise_email

from . import live, outbox, queries
from .attachments import AttachmentRefused, check_upload
from .confidentiality import CheckResult, check_text
from .models import (
    Attachment,
    Channel,
    DigestFrequency,
    ExchangeSettings,
    Follow,
    Member,
    MemberStatus,
    Message,
    MessageStatus,
    ModerationAction,
    ModerationKind,
    ReadMark,
    ReferentMessage,
    ReferentRequest,
    Report,
    RequestStatus,
)


class ExchangeError(Exception):
    """A rule refused the operation; ``str()`` tells the person why."""


class NotAllowed(ExchangeError):
    pass


class ConfidentialityProblem(ExchangeError):
    """The text identifies someone (``result.is_blocked``) or may (warnings not yet
    confirmed by the member)."""

    def __init__(self, result: CheckResult):
        self.result = result
        super().__init__(
            _("Ce texte pourrait identifier une personne aidée : reformulez-le.")
            if result.is_blocked
            else _("Vérifiez ces éléments avant de publier.")
        )


class RateLimited(ExchangeError):
    pass


# --- accounts -------------------------------------------------------------------------


def _unique_handle(display_name: str) -> str:
    base = slugify(display_name)[:32] or "membre"
    handle, n = base, 1
    while Member.objects.filter(handle=handle).exists():
        n += 1
        handle = f"{base}-{n}"
    return handle


def register_member(
    *,
    email: str,
    password: str,
    display_name: str,
    organisation: str,
    role: str,
    bassin_ids: list[int],
    language: str,
) -> Member:
    """Create the account (never staff), unconfirmed until the e-mail link is used."""
    email = normalise_email(email)
    User = get_user_model()
    if User.objects.filter(username=email).exists():
        raise ExchangeError(_("Un compte existe déjà pour cette adresse."))
    with transaction.atomic():
        user = User.objects.create_user(
            username=email, email=email, password=password, is_staff=False
        )
        member = Member.objects.create(
            user=user,
            display_name=display_name.strip(),
            handle=_unique_handle(display_name),
            organisation=organisation.strip(),
            role=role.strip(),
            language=language,
        )
        member.bassins.set(Bassin.objects.filter(pk__in=bassin_ids))
    return member


def is_trusted_address(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower()
    return domain in ExchangeSettings.load().trusted_domains()


def confirm_email(member: Member, now: datetime.datetime | None = None) -> Member:
    """The address is the member's: validated at once for a trusted domain, otherwise
    waiting for their bassin's team (who get an e-mail)."""
    if member.status != MemberStatus.UNCONFIRMED:
        return member
    now = now or timezone.now()
    member.email_confirmed_at = now
    if is_trusted_address(member.email):
        member.status = MemberStatus.ACTIVE
        member.validated_at = now
    else:
        member.status = MemberStatus.PENDING
        for bassin in member.bassins.all():
            _tell_helpdesks(
                [bassin], "exchanges/email/member_to_validate", {"member": member, "bassin": bassin}
            )
    member.save()
    return member


def validate_member(actor, member: Member, viewer: queries.Viewer) -> Member:
    if not queries.pending_members(viewer).filter(pk=member.pk).exists():
        raise NotAllowed(_("Ce compte n'attend pas votre validation."))
    member.status = MemberStatus.ACTIVE
    member.validated_at = timezone.now()
    member.validated_by = actor
    member.save()
    _log(ModerationKind.VALIDATE, actor, member=member)
    outbox.send_to(
        member.email, member.language, "exchanges/email/member_validated", {"member": member}
    )
    return member


def accept_charter(member: Member) -> None:
    member.charter_version = ExchangeSettings.load().charter_version
    member.charter_accepted_at = timezone.now()
    member.save(update_fields=["charter_version", "charter_accepted_at"])


def needs_charter(member: Member) -> bool:
    return member.charter_version < ExchangeSettings.load().charter_version


def update_preferences(member: Member, *, digest: str, notify_mentions: bool, language: str):
    if digest not in DigestFrequency.values:
        raise ExchangeError(_("Fréquence inconnue."))
    member.digest = digest
    member.notify_mentions = notify_mentions
    member.language = language
    member.save(update_fields=["digest", "notify_mentions", "language"])


def delete_account(member: Member) -> None:
    """Delete the account and its personal data. Messages stay in their threads (the
    answers of others depend on them) but lose their author: they read "former
    member". Follows, read marks and reports made are removed with the member."""
    with transaction.atomic():
        user = member.user
        member.delete()
        user.delete()


# --- channels -------------------------------------------------------------------------


def _require_active(member: Member | None) -> Member:
    if member is None or member.status != MemberStatus.ACTIVE:
        if member is not None and member.status == MemberStatus.MUTED:
            raise NotAllowed(_("Votre compte est en sourdine : vous pouvez lire, pas publier."))
        raise NotAllowed(_("Votre compte n'est pas encore actif."))
    return member


def follow(member: Member, channel: Channel) -> None:
    Follow.objects.get_or_create(member=member, channel=channel)


def unfollow(member: Member, channel: Channel) -> None:
    Follow.objects.filter(member=member, channel=channel).delete()


def mark_read(member: Member, channel: Channel) -> None:
    newest = (
        Message.objects.filter(channel=channel).order_by("-pk").values_list("pk", flat=True)
    ).first() or 0
    ReadMark.objects.update_or_create(
        member=member, channel=channel, defaults={"last_read_id": newest}
    )


def _check_rate(member: Member, now: datetime.datetime) -> None:
    recent = Message.objects.filter(
        author=member, created_at__gte=now - datetime.timedelta(minutes=1)
    ).count()
    if recent >= settings.EXCHANGES_MESSAGES_PER_MINUTE:
        raise RateLimited(
            _("Vous avez publié beaucoup de messages en peu de temps : attendez une minute.")
        )


def _check_confidentiality(text: str, confirmed_warnings: bool) -> None:
    result = check_text(text)
    if result.is_blocked or (result.warnings and not confirmed_warnings):
        raise ConfidentialityProblem(result)


def _first_status(member: Member) -> str:
    approved = Message.objects.filter(author=member, status=MessageStatus.PUBLISHED).count()
    if approved < settings.EXCHANGES_PREMODERATED_MESSAGES:
        return MessageStatus.PENDING
    return MessageStatus.PUBLISHED


def post_message(
    member: Member | None,
    channel: Channel,
    body: str,
    *,
    parent: Message | None = None,
    files: list[tuple[str, bytes]] = (),
    confirmed_warnings: bool = False,
    now: datetime.datetime | None = None,
) -> Message:
    """Publish (or queue for pre-moderation) a message or a reply.

    Refused when the member is not active, has not accepted the charter, cannot see the
    channel, writes too fast, or when the text identifies someone (or may, and the
    member did not confirm). Files are checked before anything is stored."""
    member = _require_active(member)
    now = now or timezone.now()
    body = body.strip()
    if not body:
        raise ExchangeError(_("Le message est vide."))
    if len(body) > settings.EXCHANGES_MESSAGE_MAX_LENGTH:
        raise ExchangeError(_("Le message est trop long."))
    if needs_charter(member):
        raise NotAllowed(_("Acceptez la charte avant de publier."))
    viewer = queries.Viewer(user=member.user, member=member)
    if not queries.visible_channels(viewer).filter(pk=channel.pk).exists():
        raise NotAllowed(_("Ce canal n'est pas ouvert à votre bassin."))
    if parent is not None:
        if parent.channel_id != channel.pk or parent.status != MessageStatus.PUBLISHED:
            raise ExchangeError(_("On ne peut répondre qu'à un message publié de ce canal."))
        parent = parent.parent or parent  # threads are one level deep
    if len(files) > settings.EXCHANGES_ATTACHMENTS_PER_MESSAGE:
        raise ExchangeError(_("Trop de pièces jointes."))
    try:
        checked = [(check_upload(name, data), data) for name, data in files]
    except AttachmentRefused as error:  # the page shows why, as for any refused post
        raise ExchangeError(str(error)) from error
    _check_confidentiality(body, confirmed_warnings)
    _check_rate(member, now)
    with transaction.atomic():
        message = Message.objects.create(
            channel=channel, parent=parent, author=member, body=body, status=_first_status(member)
        )
        for info, data in checked:
            attachment = Attachment(
                message=message,
                original_name=info.name[:200],
                content_type=info.content_type,
                size=info.size,
            )
            attachment.file.save(info.name, ContentFile(data), save=False)
            attachment.save()
        if message.status == MessageStatus.PUBLISHED:
            _published(message)
    return message


def _published(message: Message) -> None:
    """What follows publication: thread activity, mentions, reply notice, live update."""
    if message.parent_id:
        Message.objects.filter(pk=message.parent_id).update(last_reply_at=message.created_at)
    mentioned = [m for m in queries.mentioned_members(message.body) if m != message.author]
    message.mentions.set(mentioned)
    notified = set()
    for member in mentioned:
        if member.notify_mentions and _can_see(member, message.channel):
            notified.add(member.pk)
            outbox.send_to(
                member.email,
                member.language,
                "exchanges/email/mentioned",
                {"message": message, "member": member},
            )
    parent_author = message.parent.author if message.parent_id else None
    if (
        parent_author
        and parent_author != message.author
        and parent_author.pk not in notified
        and parent_author.notify_mentions
    ):
        outbox.send_to(
            parent_author.email,
            parent_author.language,
            "exchanges/email/replied",
            {"message": message, "member": parent_author},
        )
    live.message_published(message)


def _can_see(member: Member, channel: Channel) -> bool:
    viewer = queries.Viewer(user=member.user, member=member)
    return queries.visible_channels(viewer).filter(pk=channel.pk).exists()


def report_message(member: Member | None, message: Message, reason: str) -> Report:
    if member is None or member.status not in (MemberStatus.ACTIVE, MemberStatus.MUTED):
        raise NotAllowed(_("Votre compte n'est pas encore actif."))
    reason = reason.strip()
    if not reason:
        raise ExchangeError(_("Dites en quelques mots pourquoi vous signalez ce message."))
    report = Report.objects.create(message=message, reporter=member, reason=reason[:2000])
    bassins = [message.channel.bassin] if message.channel.bassin else Bassin.objects.all()
    _tell_helpdesks(bassins, "exchanges/email/reported", {"report": report, "message": message})
    return report


# --- moderation -----------------------------------------------------------------------


def _log(kind, actor, *, message=None, member=None, channel=None, reason="", previous=""):
    return ModerationAction.objects.create(
        kind=kind,
        actor=actor,
        actor_name=(actor.get_full_name() or actor.get_username()) if actor else "",
        message_id_logged=message.pk if message else None,
        member=member or (message.author if message else None),
        channel=channel or (message.channel if message else None),
        reason=reason,
        previous_body=previous,
    )


def _require_moderator(viewer: queries.Viewer, channel: Channel) -> None:
    if not viewer.can_moderate(channel):
        raise NotAllowed(_("Vous ne modérez pas ce canal."))


def _resolve_reports(message: Message, actor) -> None:
    Report.objects.filter(message=message, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor
    )


def moderate_message(
    viewer: queries.Viewer, message: Message, action: str, reason: str, new_body: str = ""
) -> Message:
    """``action``: approve, reject, hide, unhide, edit or delete. Always logged; a reason
    is required except to approve or unhide."""
    _require_moderator(viewer, message.channel)
    actor = viewer.user
    reason = reason.strip()
    if action not in {"approve", "unhide"} and not reason:
        raise ExchangeError(_("Indiquez le motif de votre décision."))
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if action == "approve":
            if message.status != MessageStatus.PENDING:
                raise ExchangeError(_("Ce message n'attend pas de modération."))
            message.status = MessageStatus.PUBLISHED
            message.save(update_fields=["status"])
            _log(ModerationKind.APPROVE, actor, message=message, reason=reason)
            _published(message)
        elif action == "reject":
            message.status = MessageStatus.REJECTED
            message.save(update_fields=["status"])
            _log(ModerationKind.REJECT, actor, message=message, reason=reason)
        elif action == "hide":
            message.status = MessageStatus.HIDDEN
            message.save(update_fields=["status"])
            _log(ModerationKind.HIDE, actor, message=message, reason=reason)
            _resolve_reports(message, actor)
            live.message_removed(message)
        elif action == "unhide":
            message.status = MessageStatus.PUBLISHED
            message.save(update_fields=["status"])
            _log(ModerationKind.UNHIDE, actor, message=message, reason=reason)
        elif action == "edit":
            new_body = new_body.strip()
            if not new_body:
                raise ExchangeError(_("Le message est vide."))
            _log(ModerationKind.EDIT, actor, message=message, reason=reason, previous=message.body)
            message.body = new_body
            message.edited_at = timezone.now()
            message.save(update_fields=["body", "edited_at"])
            _resolve_reports(message, actor)
        elif action == "delete":
            _log(
                ModerationKind.DELETE, actor, message=message, reason=reason, previous=message.body
            )
            live.message_removed(message)
            for attachment in message.attachments.all():
                attachment.file.delete(save=False)
            message.delete()
            return message
        else:
            raise ExchangeError(_("Action inconnue."))
    return message


def dismiss_report(viewer: queries.Viewer, report: Report, reason: str) -> None:
    _require_moderator(viewer, report.message.channel)
    report.resolved_at = timezone.now()
    report.resolved_by = viewer.user
    report.save(update_fields=["resolved_at", "resolved_by"])
    _log(ModerationKind.DISMISS, viewer.user, message=report.message, reason=reason)


def moderate_member(viewer: queries.Viewer, member: Member, action: str, reason: str) -> None:
    """Mute (reads, cannot post), unmute, or remove (no more access) a member of a
    bassin the viewer moderates."""
    member_bassins = set(member.bassins.values_list("pk", flat=True))
    if viewer.moderated is not None and not (member_bassins & viewer.moderated):
        raise NotAllowed(_("Ce membre n'est pas de votre bassin."))
    if not reason.strip():
        raise ExchangeError(_("Indiquez le motif de votre décision."))
    kinds = {
        "mute": (MemberStatus.MUTED, ModerationKind.MUTE),
        "unmute": (MemberStatus.ACTIVE, ModerationKind.UNMUTE),
        "remove": (MemberStatus.REMOVED, ModerationKind.REMOVE),
    }
    if action not in kinds:
        raise ExchangeError(_("Action inconnue."))
    # Only a muted member is unmuted: a pending account is validated (its own step and
    # e-mail), an excluded one stays excluded.
    if action == "unmute" and member.status != MemberStatus.MUTED:
        raise ExchangeError(_("Seul un membre en sourdine peut retrouver la parole."))
    if action == "mute" and member.status != MemberStatus.ACTIVE:
        raise ExchangeError(_("Seul un membre actif peut être mis en sourdine."))
    member.status, kind = kinds[action]
    member.save(update_fields=["status"])
    _log(kind, viewer.user, member=member, reason=reason.strip())


# --- retention ------------------------------------------------------------------------


def apply_retention(now: datetime.datetime | None = None) -> int:
    """Delete the threads whose last activity is older than
    ``EXCHANGES_RETENTION_DAYS`` (replies go with their thread, attachments files
    too). Returns the number of messages deleted; logs one line when any."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.EXCHANGES_RETENTION_DAYS)
    old_threads = Message.objects.filter(parent__isnull=True, created_at__lt=cutoff).exclude(
        last_reply_at__gte=cutoff
    )
    doomed = Message.objects.filter(pk__in=old_threads) | Message.objects.filter(
        parent__in=old_threads
    )
    count = doomed.count()
    if not count:
        return 0
    for attachment in Attachment.objects.filter(message__in=doomed):
        attachment.file.delete(save=False)
    with transaction.atomic():
        Message.objects.filter(pk__in=list(doomed.values_list("pk", flat=True))).delete()
        _log(
            ModerationKind.RETENTION,
            None,
            reason=f"{count} messages older than {settings.EXCHANGES_RETENTION_DAYS} days",
        )
    return count


# --- digests --------------------------------------------------------------------------


DIGEST_PERIODS = {
    DigestFrequency.DAILY: datetime.timedelta(days=1),
    DigestFrequency.WEEKLY: datetime.timedelta(days=7),
}


def send_digests(frequency: str, now: datetime.datetime | None = None) -> int:
    """E-mail each active member who chose ``frequency`` the new messages of the
    channels they follow since their last digest. Returns how many were sent."""
    now = now or timezone.now()
    period = DIGEST_PERIODS[frequency]
    sent = 0
    members = Member.objects.filter(
        digest=frequency, status__in=(MemberStatus.ACTIVE, MemberStatus.MUTED)
    ).select_related("user")
    for member in members:
        since = member.digest_sent_at or (now - period)
        messages = list(queries.followed_messages_since(member, since)[:100])
        if messages:
            outbox.send_to(
                member.email,
                member.language,
                "exchanges/email/digest",
                {"member": member, "messages": messages, "frequency": frequency},
            )
            sent += 1
        member.digest_sent_at = now
        member.save(update_fields=["digest_sent_at"])
    return sent


# --- référent -------------------------------------------------------------------------


def open_referent_request(
    member: Member | None,
    bassin: Bassin,
    subject: str,
    body: str,
    confirmed_warnings: bool = False,
) -> ReferentRequest:
    """A member asks a bassin's référent for help on a blocked situation, described
    without identifying the person (same check as messages)."""
    member = _require_active(member)
    if not subject.strip() or not body.strip():
        raise ExchangeError(_("Donnez un objet et décrivez la situation."))
    _check_confidentiality(f"{subject}\n{body}", confirmed_warnings)
    with transaction.atomic():
        request = ReferentRequest.objects.create(
            member=member, bassin=bassin, subject=subject.strip()[:160]
        )
        ReferentMessage.objects.create(
            request=request,
            author=member.user,
            author_name=member.display_name,
            body=body.strip(),
        )
    _tell_referents(request)
    return request


def _tell_referents(request: ReferentRequest) -> None:
    _tell_helpdesks([request.bassin], "exchanges/email/referent_request", {"request": request})


def _tell_helpdesks(bassins, template: str, context: dict) -> None:
    """Mail the bassins' helpdesk addresses (in French: the teams' working language)."""
    for bassin in bassins:
        if bassin.helpdesk_email:
            outbox.send_to(bassin.helpdesk_email, "fr", template, context)


def add_referent_message(
    viewer: queries.Viewer,
    request: ReferentRequest,
    body: str,
    service_ids: list[int] = (),
    confirmed_warnings: bool = False,
) -> ReferentMessage:
    """The member or a référent of the request's bassin writes in the private thread.
    A référent's message may attach directory services and marks the request answered;
    the member's reopens it."""
    as_referent = viewer.can_answer(request.bassin_id)
    is_owner = viewer.member is not None and request.member_id == viewer.member.pk
    if not (as_referent or is_owner):
        raise NotAllowed(_("Cette demande ne vous est pas adressée."))
    if request.status == RequestStatus.CLOSED:
        raise ExchangeError(_("Cette demande est clôturée."))
    if not body.strip():
        raise ExchangeError(_("Le message est vide."))
    _check_confidentiality(body, confirmed_warnings)
    with transaction.atomic():
        message = ReferentMessage.objects.create(
            request=request,
            author=viewer.user,
            author_name=(
                viewer.member.display_name
                if is_owner and not as_referent
                else viewer.user.get_full_name() or viewer.user.get_username()
            ),
            from_referent=as_referent,
            body=body.strip(),
        )
        if as_referent and service_ids:
            offered = {s.pk for s in queries.suggested_services(request.bassin, limit=1000)}
            message.services.set([pk for pk in service_ids if pk in offered])
        request.status = RequestStatus.ANSWERED if as_referent else RequestStatus.OPEN
        request.save(update_fields=["status", "updated_at"])
    if as_referent and request.member:
        outbox.send_to(
            request.member.email,
            request.member.language,
            "exchanges/email/referent_answered",
            {"request": request, "member": request.member},
        )
    elif not as_referent:
        _tell_referents(request)
    return message


def forward_referent_request(
    viewer: queries.Viewer, request: ReferentRequest, bassin: Bassin, note: str
) -> ReferentRequest:
    """Hand the request to another bassin's référent, with a note in the thread."""
    if not viewer.can_answer(request.bassin_id):
        raise NotAllowed(_("Cette demande ne vous est pas adressée."))
    if bassin.pk == request.bassin_id:
        raise ExchangeError(_("Choisissez un autre bassin."))
    with transaction.atomic():
        ReferentMessage.objects.create(
            request=request,
            author=viewer.user,
            author_name=viewer.user.get_full_name() or viewer.user.get_username(),
            from_referent=True,
            body=str(
                _("Demande transmise au référent du bassin %(bassin)s. %(note)s")
                % {"bassin": bassin.name_fr, "note": note.strip()}
            ),
        )
        request.bassin = bassin
        request.status = RequestStatus.OPEN
        request.save(update_fields=["bassin", "status", "updated_at"])
    _tell_referents(request)
    return request


def close_referent_request(viewer: queries.Viewer, request: ReferentRequest) -> None:
    is_owner = viewer.member is not None and request.member_id == viewer.member.pk
    if not (viewer.can_answer(request.bassin_id) or is_owner):
        raise NotAllowed(_("Cette demande ne vous est pas adressée."))
    request.status = RequestStatus.CLOSED
    request.save(update_fields=["status", "updated_at"])
