"""Reads of the exchange space, all scoped by what a viewer may see."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from bassins.models import Bassin
from core.i18n import current_content_language
from directory import queries as directory_queries
from events import queries as event_queries

from . import rights
from .models import (
    Channel,
    Follow,
    Member,
    MemberStatus,
    Message,
    MessageStatus,
    ReadMark,
    ReferentRequest,
    Report,
)

VISIBLE_STATUSES = (MessageStatus.PUBLISHED,)


@dataclass
class Viewer:
    """Who is looking: a member of the space, a staff user with rights, or nobody."""

    user: object
    member: Member | None = None
    moderated: set[int] | None = field(default_factory=set)
    referent: set[int] | None = field(default_factory=set)

    @property
    def is_member(self) -> bool:
        """An accepted member (muted ones still read)."""
        return self.member is not None and self.member.status in (
            MemberStatus.ACTIVE,
            MemberStatus.MUTED,
        )

    @property
    def is_moderator(self) -> bool:
        return self.moderated is rights.ALL or bool(self.moderated)

    @property
    def is_referent(self) -> bool:
        return self.referent is rights.ALL or bool(self.referent)

    @property
    def bassin_ids(self) -> set[int]:
        if not self.is_member:
            return set()
        return set(self.member.bassins.values_list("pk", flat=True))

    def can_moderate(self, channel: Channel) -> bool:
        return rights.covers(self.moderated, channel.bassin_id)

    def can_answer(self, bassin_id: int) -> bool:
        return rights.covers(self.referent, bassin_id)


def viewer_for(user) -> Viewer:
    if not user.is_authenticated:
        return Viewer(user=user)
    member = Member.objects.filter(user=user).first()
    return Viewer(
        user=user,
        member=member,
        moderated=rights.moderated_bassin_ids(user),
        referent=rights.referent_bassin_ids(user),
    )


def visible_channels(viewer: Viewer) -> QuerySet[Channel]:
    """Regional channels and those of the viewer's bassins (member) or moderated
    bassins (moderator); nothing for anyone else."""
    channels = Channel.objects.filter(is_archived=False).select_related("bassin", "theme")
    if viewer.moderated is rights.ALL:
        return channels
    allowed = Q(pk__in=[])
    if viewer.is_member:
        allowed |= Q(bassin__isnull=True) | Q(bassin__in=viewer.bassin_ids)
    if viewer.is_moderator:
        allowed |= Q(bassin__isnull=True) | Q(bassin__in=viewer.moderated)
    return channels.filter(allowed)


def channels_with_unread(viewer: Viewer) -> list[Channel]:
    """Visible channels annotated with ``unread`` (published messages newer than the
    member's read mark) and ``is_followed``."""
    channels = visible_channels(viewer)
    if not viewer.is_member:
        return [_with(channel, unread=0, is_followed=False) for channel in channels]
    mark = ReadMark.objects.filter(member=viewer.member, channel=OuterRef("pk")).values(
        "last_read_id"
    )[:1]
    channels = channels.annotate(
        last_read=Coalesce(Subquery(mark), 0),
        is_followed=Exists(Follow.objects.filter(member=viewer.member, channel=OuterRef("pk"))),
    ).annotate(
        unread=Count(
            "messages",
            filter=Q(messages__status__in=VISIBLE_STATUSES, messages__pk__gt=F("last_read")),
        )
    )
    return list(channels)


def _with(obj, **values):
    for name, value in values.items():
        setattr(obj, name, value)
    return obj


def channel_for(viewer: Viewer, slug: str) -> Channel | None:
    return visible_channels(viewer).filter(slug=slug).first()


def message_queryset() -> QuerySet[Message]:
    return Message.objects.select_related("author", "channel").prefetch_related("attachments")


def visible_messages(viewer: Viewer, channel: Channel) -> QuerySet[Message]:
    """Published messages, plus the viewer's own awaiting moderation; moderators of the
    channel also see hidden and pending ones (marked as such)."""
    messages = message_queryset().filter(channel=channel)
    if viewer.can_moderate(channel):
        return messages.exclude(status=MessageStatus.REJECTED)
    own = Q(author=viewer.member, status=MessageStatus.PENDING) if viewer.member else Q(pk__in=[])
    return messages.filter(Q(status__in=VISIBLE_STATUSES) | own)


def channel_threads(viewer: Viewer, channel: Channel, limit: int = 50) -> list[Message]:
    """The newest ``limit`` threads (oldest first on the page), each with ``shown_replies``."""
    messages = visible_messages(viewer, channel)
    threads = list(messages.filter(parent__isnull=True).order_by("-created_at", "-pk")[:limit])
    threads.reverse()
    replies: dict[int, list[Message]] = {}
    all_replies = list(messages.filter(parent__in=threads).order_by("created_at", "pk"))
    for reply in all_replies:
        replies.setdefault(reply.parent_id, []).append(reply)
    for thread in threads:
        thread.shown_replies = replies.get(thread.pk, [])
    with_cards(threads + all_replies)
    return threads


def thread_replies(viewer: Viewer, thread: Message) -> list[Message]:
    """The replies of ``thread`` the viewer may see, oldest first, with their cards."""
    replies = visible_messages(viewer, thread.channel).filter(parent=thread)
    return with_cards(replies.order_by("created_at", "pk"))


def message_for(viewer: Viewer, pk: int) -> Message | None:
    """A message the viewer may see, in a channel they see; None otherwise."""
    message = message_queryset().filter(pk=pk).first()
    if message is None or not visible_channels(viewer).filter(pk=message.channel_id).exists():
        return None
    if not visible_messages(viewer, message.channel).filter(pk=pk).exists():
        return None
    return message


def search_messages(viewer: Viewer, text: str, limit: int = 50) -> list[Message]:
    """Published messages of the channels the viewer sees that contain every word."""
    words = [w for w in text.split() if len(w) > 1][:8]
    if not words:
        return []
    messages = message_queryset().filter(
        channel__in=visible_channels(viewer), status__in=VISIBLE_STATUSES
    )
    for word in words:
        messages = messages.filter(body__icontains=word)
    return with_cards(messages.order_by("-created_at")[:limit])


MENTION = re.compile(r"(?<![\w@])@([a-z0-9][a-z0-9-]{1,39})", re.IGNORECASE)
# Links to an event or a directory organisation, at their French or Dutch URL (and the
# French words under /nl/ of links made before the Dutch URLs, which still redirect).
EVENT_LINK = re.compile(r"/(?:(?:fr|nl)/agenda/evenement|nl/agenda/activiteit)/(\d+)/")
DIRECTORY_LINK = re.compile(
    r"/(?:(?:fr|nl)/repertoire/organisation|nl/sociale-kaart/organisatie)/([\w-]+)/"
)


def mentioned_members(body: str) -> list[Member]:
    """Accepted members whose ``@handle`` appears in ``body``."""
    handles = {m.group(1).lower() for m in MENTION.finditer(body)}
    if not handles:
        return []
    return list(
        Member.objects.filter(
            handle__in=handles, status__in=(MemberStatus.ACTIVE, MemberStatus.MUTED)
        )
    )


@dataclass
class Cards:
    events: list = field(default_factory=list)
    services: list = field(default_factory=list)


def _links(body: str) -> tuple[list[int], list[str]]:
    """The first five agenda event ids and directory organisation slugs of ``body``."""
    event_ids = [int(pk) for pk in EVENT_LINK.findall(body)][:5]
    org_slugs = list(dict.fromkeys(DIRECTORY_LINK.findall(body[:100_000])))[:5]
    return event_ids, org_slugs


def cards_of_bodies(bodies: Iterable[str]) -> list[Cards]:
    """The cards of each body, in order: the agenda events and directory services it
    links to (five of each at most). At most two queries, whatever the number of bodies."""
    links = [_links(body) for body in bodies]
    event_ids = {pk for ids, _slugs in links for pk in ids}
    org_slugs = {slug for _ids, slugs in links for slug in slugs}
    events = (
        {event.pk: event for event in event_queries.published_events(event_ids)}
        if event_ids
        else {}
    )
    services_by_org: dict[str, list] = {}
    if org_slugs:
        for service in directory_queries.services_of_organisations(org_slugs):
            services_by_org.setdefault(service.organisation.slug, []).append(service)
    return [
        Cards(
            events=[events[pk] for pk in dict.fromkeys(ids) if pk in events],
            services=[s for slug in slugs for s in services_by_org.get(slug, [])][:5],
        )
        for ids, slugs in links
    ]


def linked_cards(body: str) -> Cards:
    """Agenda events and directory services a message links to, shown as cards."""
    return cards_of_bodies([body])[0]


def with_cards(messages: Iterable[Message]) -> list[Message]:
    """``messages`` with their ``cards`` set, for all of them at once (see
    ``cards_of_bodies``); the message template uses them instead of asking again."""
    messages = list(messages)
    for message, cards in zip(messages, cards_of_bodies(m.body for m in messages), strict=True):
        message.cards = cards
    return messages


def pending_members(viewer: Viewer) -> QuerySet[Member]:
    """Members awaiting validation by the viewer's team."""
    members = Member.objects.filter(status=MemberStatus.PENDING).select_related("user")
    if viewer.moderated is rights.ALL:
        return members
    return members.filter(bassins__in=viewer.moderated or []).distinct()


def moderated_channels(viewer: Viewer) -> QuerySet[Channel]:
    channels = Channel.objects.all()
    if viewer.moderated is rights.ALL:
        return channels
    return channels.filter(bassin__in=viewer.moderated or [])


def open_reports(viewer: Viewer) -> QuerySet[Report]:
    return (
        Report.objects.filter(
            resolved_at__isnull=True, message__channel__in=moderated_channels(viewer)
        )
        .select_related("message", "message__channel", "message__author", "reporter")
        .order_by("created_at")
    )


def pending_messages(viewer: Viewer) -> QuerySet[Message]:
    return message_queryset().filter(
        channel__in=moderated_channels(viewer), status=MessageStatus.PENDING
    )


def referent_requests(viewer: Viewer) -> QuerySet[ReferentRequest]:
    """The référent's queue (their bassins) or, for a member, their own requests."""
    requests = ReferentRequest.objects.select_related("bassin", "member")
    if viewer.is_referent:
        if viewer.referent is rights.ALL:
            return requests
        return requests.filter(bassin__in=viewer.referent)
    if viewer.is_member:
        return requests.filter(member=viewer.member)
    return requests.none()


def referent_request_for(viewer: Viewer, pk: int) -> ReferentRequest | None:
    return referent_requests(viewer).filter(pk=pk).first()


def suggested_services(bassin: Bassin, text: str = "", limit: int = 40) -> list:
    """Every directory service active in the bassin (its territory, or the whole
    region), saturated ones included with their saturation note: the référent orients
    neutrally. ``text`` narrows the list like the directory's own search."""
    criteria = directory_queries.Criteria(q=text.strip()[:100], bassin=[bassin.slug])
    result = directory_queries.search_services(
        criteria, language=current_content_language(), with_facets=False
    )
    return result.first(limit, "organisation")


def followed_messages_since(member: Member, since) -> QuerySet[Message]:
    """Published messages of the channels ``member`` follows and still sees, newer than
    ``since``, others' only."""
    viewer = Viewer(user=member.user, member=member)
    return (
        message_queryset()
        .filter(
            channel__in=visible_channels(viewer),
            channel__follows__member=member,
            status__in=VISIBLE_STATUSES,
            created_at__gt=since,
        )
        .exclude(author=member)
        .order_by("channel__name_fr", "created_at")
    )
