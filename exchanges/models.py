"""The exchange space: members (separate from staff), channels, messages, moderation,
and private requests to a bassin's référent.

Tables only, with short methods; rules live in ``services.py`` and reads in
``queries.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField

from core.i18n import BilingualMixin


def private_storage() -> FileSystemStorage:
    """Attachments are for members only: kept outside MEDIA_ROOT, served by a view
    that checks who asks."""
    return FileSystemStorage(location=settings.EXCHANGES_PRIVATE_ROOT)


@register_setting(icon="doc-full")
class ExchangeSettings(BaseGenericSetting):
    """What the regional team edits in the Wagtail admin: the charter and the
    e-mail domains whose members are validated at once."""

    charter_fr = RichTextField(_("charte (FR)"), blank=True)
    charter_nl = RichTextField(_("charte (NL)"), blank=True)
    charter_version = models.PositiveIntegerField(
        _("version de la charte"),
        default=1,
        help_text=_("Augmentez-la quand la charte change : chacun·e devra l'accepter à nouveau."),
    )
    trusted_email_domains = models.TextField(
        _("domaines e-mail de confiance"),
        blank=True,
        help_text=_(
            "Un domaine par ligne (ex. : cpas-anderlecht.brussels). Les comptes de ces "
            "domaines sont validés dès la confirmation de l'adresse."
        ),
    )

    panels = [
        FieldPanel("charter_fr"),
        FieldPanel("charter_nl"),
        FieldPanel("charter_version"),
        FieldPanel("trusted_email_domains"),
    ]

    class Meta:
        verbose_name = _("espace d'échange")

    def trusted_domains(self) -> set[str]:
        return {
            line.strip().lower().lstrip("@")
            for line in self.trusted_email_domains.splitlines()
            if line.strip()
        }


class MemberStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("adresse e-mail à confirmer")
    PENDING = "pending", _("en attente de validation")
    ACTIVE = "active", _("actif")
    MUTED = "muted", _("en sourdine")
    REMOVED = "removed", _("exclu")


class DigestFrequency(models.TextChoices):
    NONE = "none", _("jamais")
    DAILY = "daily", _("chaque jour")
    WEEKLY = "weekly", _("chaque semaine")


class Member(models.Model):
    """A professional with an account in the exchange space. The linked user is
    never staff: the space has its own accounts."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_member"
    )
    display_name = models.CharField(_("nom affiché"), max_length=80)
    handle = models.SlugField(_("identifiant pour les mentions"), max_length=40, unique=True)
    organisation = models.CharField(_("organisation"), max_length=160)
    role = models.CharField(_("fonction"), max_length=120)
    bassins = models.ManyToManyField("bassins.Bassin", related_name="exchange_members")
    language = models.CharField(_("langue"), max_length=2, choices=settings.LANGUAGES, default="fr")
    status = models.CharField(
        _("statut"), max_length=12, choices=MemberStatus.choices, default=MemberStatus.UNCONFIRMED
    )
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    charter_version = models.PositiveIntegerField(_("version de la charte acceptée"), default=0)
    charter_accepted_at = models.DateTimeField(null=True, blank=True)
    digest = models.CharField(
        _("résumé par e-mail"),
        max_length=8,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )
    digest_sent_at = models.DateTimeField(null=True, blank=True)
    notify_mentions = models.BooleanField(
        _("e-mail quand on me mentionne ou me répond"), default=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("membre de l'espace d'échange")
        verbose_name_plural = _("membres de l'espace d'échange")

    def __str__(self) -> str:
        return f"{self.display_name} ({self.organisation})"

    @property
    def email(self) -> str:
        return self.user.email


class Channel(BilingualMixin, models.Model):
    """A place of exchange: one bassin's (``bassin`` set) or regional (``bassin``
    empty), optionally on a theme."""

    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    name_fr = models.CharField(_("nom (FR)"), max_length=120)
    name_nl = models.CharField(_("nom (NL)"), max_length=120)
    description_fr = models.TextField(_("description (FR)"), blank=True)
    description_nl = models.TextField(_("description (NL)"), blank=True)
    bassin = models.ForeignKey(
        "bassins.Bassin",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exchange_channels",
        help_text=_("Vide pour un canal régional, ouvert aux membres de tous les bassins."),
    )
    theme = models.ForeignKey(
        "bassins.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exchange_channels",
    )
    is_archived = models.BooleanField(_("archivé"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("name_fr"),
        FieldPanel("name_nl"),
        FieldPanel("slug"),
        FieldPanel("description_fr"),
        FieldPanel("description_nl"),
        FieldPanel("bassin"),
        FieldPanel("theme"),
        FieldPanel("is_archived"),
    ]

    class Meta:
        ordering = ["bassin__sort_order", "name_fr"]
        verbose_name = _("canal d'échange")
        verbose_name_plural = _("canaux d'échange")

    def __str__(self) -> str:
        return self.tr("name")

    @property
    def name(self) -> str:
        return self.tr("name")

    @property
    def description(self) -> str:
        return self.tr("description")

    @property
    def group_name(self) -> str:
        """The channel layer group that live viewers of this channel join."""
        return f"exchanges.channel.{self.pk}"


class Follow(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="follows")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "channel"], name="exchanges_unique_follow")
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.channel}"


class ReadMark(models.Model):
    """The newest message a member has seen in a channel: unread = newer ones."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="read_marks")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "channel"], name="exchanges_unique_readmark")
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.channel_id}: {self.last_read_id}"


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("en attente de modération")
    PUBLISHED = "published", _("publié")
    HIDDEN = "hidden", _("masqué par la modération")
    REJECTED = "rejected", _("refusé par la modération")


class Message(models.Model):
    """A message in a channel; a reply when ``parent`` is set (threads are one level)."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="messages")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    # Empty once the author deleted their account: the message stays, anonymised.
    author = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    body = models.TextField(_("message"))
    status = models.CharField(
        _("statut"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.PUBLISHED
    )
    mentions = models.ManyToManyField(Member, blank=True, related_name="mentioned_in")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    last_reply_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["channel", "status", "created_at"])]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        permissions = [("moderate_message", _("Peut modérer les messages de son bassin"))]

    def __str__(self) -> str:
        return self.body[:60]


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/", storage=private_storage)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Report(models.Model):
    """A member's report of a message to the moderators."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, related_name="reports_made"
    )
    reason = models.TextField(_("raison"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")

    def __str__(self) -> str:
        return self.reason[:60]


class ModerationKind(models.TextChoices):
    APPROVE = "approve", _("message approuvé")
    REJECT = "reject", _("message refusé")
    HIDE = "hide", _("message masqué")
    UNHIDE = "unhide", _("message rétabli")
    EDIT = "edit", _("message modifié")
    DELETE = "delete", _("message supprimé")
    DISMISS = "dismiss", _("signalement classé")
    VALIDATE = "validate", _("membre validé")
    MUTE = "mute", _("membre mis en sourdine")
    UNMUTE = "unmute", _("sourdine levée")
    REMOVE = "remove", _("membre exclu")
    RETENTION = "retention", _("messages anciens traités (conservation)")


class ModerationAction(models.Model):
    """Every moderation act: who, when, why, and on what. Never edited."""

    kind = models.CharField(_("action"), max_length=10, choices=ModerationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept as text: the log outlives deleted messages and accounts.
    actor_name = models.CharField(max_length=150, blank=True)
    message_id_logged = models.BigIntegerField(null=True, blank=True)
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    channel = models.ForeignKey(
        Channel, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("motif"), blank=True)
    previous_body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("action de modération")
        verbose_name_plural = _("journal de modération")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.actor_name})"


class RequestStatus(models.TextChoices):
    OPEN = "open", _("ouverte")
    ANSWERED = "answered", _("répondue")
    CLOSED = "closed", _("clôturée")


class ReferentRequest(models.Model):
    """A member's private request to a bassin's référent about a blocked situation."""

    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, related_name="referent_requests"
    )
    bassin = models.ForeignKey(
        "bassins.Bassin", on_delete=models.PROTECT, related_name="referent_requests"
    )
    subject = models.CharField(_("objet"), max_length=160)
    status = models.CharField(
        _("état"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("demande au référent")
        verbose_name_plural = _("demandes au référent")

    def __str__(self) -> str:
        return self.subject


class ReferentMessage(models.Model):
    """One message of the private thread: the member's, a référent's, or a note of the
    platform (forwarded to another bassin)."""

    request = models.ForeignKey(ReferentRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(max_length=150, blank=True)
    from_referent = models.BooleanField(default=False)
    body = models.TextField(_("message"))
    services = models.ManyToManyField(
        "directory.Service", blank=True, related_name="referent_messages"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:60]
