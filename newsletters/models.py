"""Info Prévention Santé: theme calendar, theme dossiers, issues, subscribers, deliveries.

- ``ThemeMonth`` (the *thématique du mois*) and ``ThemeDossier`` are region-wide
  snippets the regional team edits; every bassin's issue starts from them.
- ``NewsletterIndexPage`` ("Info Prévention Santé", one per bassin and locale) holds the
  bassin's ``NewsletterIssue`` pages (one per month and locale).
- ``Subscriber`` is one address with its lists and language; ``Mailing`` is one send
  job (an issue or a weekly digest) and ``Delivery`` one message of it, unique per
  (mailing, subscriber): the unit of idempotent, resumable sending.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.db import models
from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from core.i18n import BilingualMixin

from .agenda import month_agenda, revive

ARCHIVE_PAGE_SIZE = 12

# --- Blocks ---------------------------------------------------------------------------


class KeyFigureBlock(blocks.StructBlock):
    figure = blocks.CharBlock(label=_("Chiffre"), max_length=40)
    label = blocks.CharBlock(label=_("Ce qu'il mesure"), max_length=200)
    source = blocks.CharBlock(label=_("Source"), max_length=200)
    date = blocks.CharBlock(label=_("Date ou année"), max_length=40)

    class Meta:
        icon = "order"
        label = _("Chiffre clé")


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), max_length=200)
    url = blocks.URLBlock(label=_("Lien"), required=False)
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "link"
        label = _("Outil ou document")


class DossierBlocks(blocks.StreamBlock):
    """The region-wide resource dossier of a theme (seed 003, §3.4.1.4)."""

    heading = blocks.CharBlock(label=_("Titre"), form_classname="title")
    paragraph = blocks.RichTextBlock(label=_("Paragraphe"))
    key_figures = blocks.ListBlock(KeyFigureBlock(), label=_("Chiffres clés"))
    screening = blocks.RichTextBlock(label=_("Dépistage"))
    coverage = blocks.RichTextBlock(label=_("Prise en charge par les mutualités"))
    tools = blocks.ListBlock(LinkBlock(), label=_("Outils et documents"))
    addresses = blocks.RichTextBlock(label=_("Adresses utiles"))


class AgendaBlock(blocks.StaticBlock):
    """The bassin's occurrences of the month, read live until the issue is sent."""

    class Meta:
        icon = "date"
        label = _("Agenda du bassin (automatique)")
        admin_text = _(
            "Rempli automatiquement avec les activités du bassin pour le mois, "
            "jusqu'à l'envoi (ensuite figé)."
        )
        template = "newsletters/blocks/agenda.html"


class WrittenRichTextBlock(blocks.RichTextBlock):
    """Rich text that must hold words. Draftail can keep an empty paragraph
    (``<p data-block-key="…"></p>``) in a field nobody wrote in: that is refused like an
    empty field, so a section is never published empty."""

    def clean(self, value):
        value = super().clean(value)
        if self.required and not strip_tags(value.source).strip():
            raise ValidationError(self.field.error_messages["required"])
        return value


class IssueBlocks(DossierBlocks):
    local_initiatives = WrittenRichTextBlock(label=_("Initiatives locales"))
    agenda = AgendaBlock()

    class Meta:
        template = "newsletters/blocks/issue_body.html"


# --- Theme calendar and dossiers ---------------------------------------------------------


@register_snippet
class ThemeMonth(BilingualMixin, models.Model):
    """The prevention theme of one month (*thématique du mois*)."""

    year = models.PositiveSmallIntegerField(_("année"))
    month = models.PositiveSmallIntegerField(_("mois"), choices=[(m, str(m)) for m in range(1, 13)])
    theme = models.ForeignKey(
        "bassins.Theme",
        on_delete=models.PROTECT,
        related_name="calendar_months",
        limit_choices_to={"is_prevention_theme": True},
        verbose_name=_("thématique"),
    )
    occasion_fr = models.CharField(_("occasion (FR)"), max_length=120, blank=True)
    occasion_nl = models.CharField(_("occasion (NL)"), max_length=120, blank=True)

    panels = [
        FieldPanel("year"),
        FieldPanel("month"),
        FieldPanel("theme"),
        FieldPanel("occasion_fr"),
        FieldPanel("occasion_nl"),
    ]

    class Meta:
        ordering = ["year", "month"]
        constraints = [models.UniqueConstraint(fields=["year", "month"], name="unique_theme_month")]
        verbose_name = _("thématique du mois")
        verbose_name_plural = _("calendrier des thématiques")

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} {self.theme}"

    @property
    def occasion(self) -> str:
        return self.tr("occasion")


@register_snippet
class ThemeDossier(index.Indexed, models.Model):
    """A reusable region-wide resource block per theme, copied into each bassin's issue."""

    theme = models.OneToOneField(
        "bassins.Theme",
        on_delete=models.CASCADE,
        related_name="newsletter_dossier",
        verbose_name=_("thématique"),
    )
    content_fr = StreamField(DossierBlocks(), blank=True, verbose_name=_("contenu (FR)"))
    content_nl = StreamField(DossierBlocks(), blank=True, verbose_name=_("contenu (NL)"))
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("theme"), FieldPanel("content_fr"), FieldPanel("content_nl")]
    search_fields = [index.FilterField("theme_id")]

    class Meta:
        verbose_name = _("dossier thématique")
        verbose_name_plural = _("dossiers thématiques")

    def __str__(self) -> str:
        return str(self.theme)

    def content(self, language: str):
        return (self.content_nl if language == "nl" else None) or self.content_fr


# --- Pages -------------------------------------------------------------------------------


class NewsletterIndexPage(Page):
    """ "Info Prévention Santé" of one bassin in one locale: the bassin's archive."""

    bassin = models.ForeignKey(
        "bassins.Bassin", on_delete=models.PROTECT, related_name="newsletter_indexes"
    )

    content_panels = Page.content_panels + [FieldPanel("bassin")]
    parent_page_types = ["bassins.BassinPage"]
    subpage_types = ["newsletters.NewsletterIssue"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("archive Info Prévention Santé")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        issues = (
            NewsletterIssue.objects.child_of(self)
            .live()
            .select_related("bassin", "theme", "locale")
            .order_by("-month")
        )
        try:
            page_obj = Paginator(issues, ARCHIVE_PAGE_SIZE).page(request.GET.get("page") or 1)
        except InvalidPage:
            raise Http404("no such archive page") from None
        context.update({"page_obj": page_obj, "issues": page_obj, "bassin": self.bassin})
        return context


class NewsletterIssue(RoutablePageMixin, Page):
    """The Info Prévention Santé of one bassin for one month, in one locale."""

    bassin = models.ForeignKey(
        "bassins.Bassin", on_delete=models.PROTECT, related_name="newsletter_issues"
    )
    month = models.DateField(_("mois"), help_text=_("Premier jour du mois de l'édition."))
    theme = models.ForeignKey(
        "bassins.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletter_issues",
        verbose_name=_("thématique"),
    )
    occasion = models.CharField(_("occasion"), max_length=120, blank=True)
    intro = models.TextField(_("chapeau"), blank=True)
    body = StreamField(IssueBlocks(), blank=True, verbose_name=_("contenu"))
    editor_note = models.TextField(
        _("note pour l'équipe"),
        blank=True,
        help_text=_("Visible seulement dans l'administration."),
    )
    send_to_subscribers = models.BooleanField(
        _("envoyer aux abonné·es à la publication"), default=True
    )
    send_at = models.DateTimeField(
        _("envoyer à partir de"),
        null=True,
        blank=True,
        help_text=_("Vide : envoi dès la publication."),
    )
    # Natural key of a draft: bassin, language and month. Unique, so drafting twice
    # (or two drafting runs at once) can never create a second issue.
    draft_key = models.CharField(max_length=40, unique=True, editable=False)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("bassin"),
                FieldPanel("month"),
                FieldPanel("theme"),
                FieldPanel("occasion"),
            ],
            heading=_("Édition"),
        ),
        FieldPanel("editor_note"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    settings_panels = Page.settings_panels + [
        MultiFieldPanel(
            [FieldPanel("send_to_subscribers"), FieldPanel("send_at")],
            heading=_("Envoi"),
        )
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["newsletters.NewsletterIndexPage"]
    subpage_types: list = []

    class Meta:
        verbose_name = _("Info Prévention Santé")
        verbose_name_plural = _("Info Prévention Santé")
        ordering = ["-month"]

    @property
    def language(self) -> str:
        return self.locale.language_code if self.locale_id else "fr"

    @property
    def month_label(self) -> str:
        return date_format(self.month, "F Y")

    def agenda_items(self) -> list[dict]:
        """The frozen agenda once sending started (kept on the mailing, outside page
        revisions so republishing cannot unfreeze it), the live one before."""
        frozen = (
            Mailing.objects.filter(issue_id=self.pk).values_list("payload", flat=True).first()
            if self.pk
            else None
        )
        if frozen and "agenda" in frozen:
            return revive(frozen["agenda"])
        return revive(month_agenda(self.bassin, self.month, self.language))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["agenda_items"] = self.agenda_items()
        return context

    @path("")
    def issue(self, request):
        return self.render(request)

    # The print view's word follows the issue's language; the other word answers 301
    # (printed links and old bookmarks keep working).
    @path("imprimer/", name="print_view")
    def print_view(self, request):
        return self._printable(request, "fr")

    @path("afdrukken/", name="print_view_nl")
    def print_view_nl(self, request):
        return self._printable(request, "nl")

    @property
    def print_route(self) -> str:
        return "print_view_nl" if self.language == "nl" else "print_view"

    def _printable(self, request, word_language: str):
        if word_language != self.language:
            return HttpResponsePermanentRedirect(
                self.get_url(request) + self.reverse_subpage(self.print_route)
            )
        return self.render(request, template="newsletters/newsletter_issue_print.html")


# --- Subscribers and sending -------------------------------------------------------------


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("En attente de confirmation")
    ACTIVE = "active", _("Abonné·e")
    UNSUBSCRIBED = "unsubscribed", _("Désabonné·e")


class Subscriber(models.Model):
    """An address subscribed (or waiting to confirm) to bassins' issues and digests."""

    email = models.EmailField(_("e-mail"), unique=True)
    language = models.CharField(
        _("langue"), max_length=2, choices=[("fr", "Français"), ("nl", "Nederlands")]
    )
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
    )
    bassins = models.ManyToManyField(
        "bassins.Bassin",
        blank=True,
        related_name="newsletter_subscribers",
        verbose_name=_("Info Prévention Santé des bassins"),
    )
    digest_bassins = models.ManyToManyField(
        "bassins.Bassin",
        blank=True,
        related_name="digest_subscribers",
        verbose_name=_("agenda hebdomadaire des bassins"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("désabonné le"), null=True, blank=True)
    suppressed_at = models.DateTimeField(
        _("adresse bloquée le"),
        null=True,
        blank=True,
        help_text=_("Rebond définitif ou plainte : plus jamais d'envoi à cette adresse."),
    )
    suppressed_reason = models.CharField(_("raison du blocage"), max_length=40, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("abonné·e")
        verbose_name_plural = _("abonné·es")

    def __str__(self) -> str:
        return self.email

    @property
    def can_receive(self) -> bool:
        return self.status == SubscriberStatus.ACTIVE and self.suppressed_at is None


class MailingKind(models.TextChoices):
    ISSUE = "issue", _("Info Prévention Santé")
    DIGEST = "digest", _("Agenda de la semaine")


class MailingStatus(models.TextChoices):
    PREPARING = "preparing", _("En préparation")
    SENDING = "sending", _("En cours d'envoi")
    DONE = "done", _("Terminé")


class Mailing(models.Model):
    """One send job. Its content is rendered once and frozen when it starts."""

    key = models.CharField(max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=10, choices=MailingKind.choices)
    issue = models.OneToOneField(
        NewsletterIssue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mailing",
        verbose_name=_("édition"),
    )
    language = models.CharField(max_length=2, blank=True)
    subject = models.CharField(_("objet"), max_length=250, blank=True)
    text_body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("statut"),
        max_length=10,
        choices=MailingStatus.choices,
        default=MailingStatus.PREPARING,
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("envoi")
        verbose_name_plural = _("envois")

    def __str__(self) -> str:
        if self.issue_id:
            return f"{self.issue.title} ({self.language})"
        return self.key


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("À envoyer")
    CLAIMED = "claimed", _("En cours")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")
    BOUNCED = "bounced", _("Rebond")
    SKIPPED = "skipped", _("Non envoyé (adresse bloquée ou désabonnée)")


class Delivery(models.Model):
    """One message of a mailing to one subscriber: claimed before sending, marked after."""

    # Every index costs each ``sent`` mark one more entry (the status changes, so the
    # UPDATE is never HOT): no index on ``mailing`` alone, the unique constraint and
    # the claim index lead with it; no index on ``message_id``, nothing looks it up.
    mailing = models.ForeignKey(
        Mailing, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    claim_token = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    message_id = models.CharField(max_length=200, blank=True)
    provider_message_id = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "subscriber"], name="unique_delivery_per_subscriber"
            )
        ]
        indexes = [
            # The claim reads a mailing's pending rows in id order: with ``id`` in the
            # index it reads only the rows it takes, not every row sent before them.
            models.Index(fields=["mailing", "status", "id"], name="delivery_claim_order"),
            # Bounce webhooks find the delivery by the provider's id (exact match only).
            models.Index(fields=["provider_message_id"], name="delivery_provider_id"),
        ]
        verbose_name = _("envoi individuel")
        verbose_name_plural = _("envois individuels")

    def __str__(self) -> str:
        return f"{self.mailing_id} → {self.subscriber_id} ({self.status})"
