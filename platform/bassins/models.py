"""Reference data of the five bassins and the CMS pages that present them.

``Bassin``, ``Commune`` and ``PostalCode`` are reference data (loaded by
``load_reference_data``) that every other app links to. The Wagtail pages
(``HomePage``, ``BassinPage``, ``ContentPage``) present them; page content is
translated with ``wagtail.contrib.simple_translation`` (one page tree per locale).
"""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from core.i18n import BilingualMixin, BilingualNameMixin


class Bassin(BilingualNameMixin, models.Model):
    """A bassin d'aide et de soins: one of the five social-health areas of Brussels."""

    slug = models.SlugField(_("identifiant"), unique=True)
    name_fr = models.CharField(_("nom (FR)"), max_length=80)
    name_nl = models.CharField(_("nom (NL)"), max_length=80)
    population = models.PositiveIntegerField(_("population"))
    population_date = models.DateField(_("population au"))
    cpps_target = models.PositiveSmallIntegerField(_("CPPS (objectif)"), default=0)
    helpdesk_phone = models.CharField(_("téléphone du helpdesk"), max_length=30, blank=True)
    helpdesk_email = models.EmailField(_("e-mail du helpdesk"), blank=True)
    helpdesk_hours_fr = models.CharField(_("horaire du helpdesk (FR)"), max_length=120, blank=True)
    helpdesk_hours_nl = models.CharField(_("horaire du helpdesk (NL)"), max_length=120, blank=True)
    priority_themes_fr = models.TextField(_("thèmes prioritaires (FR)"), blank=True)
    priority_themes_nl = models.TextField(_("thèmes prioritaires (NL)"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("bassin d'aide et de soins")
        verbose_name_plural = _("bassins d'aide et de soins")

    @property
    def helpdesk_hours(self) -> str:
        return self.tr("helpdesk_hours")

    @property
    def priority_themes(self) -> list[str]:
        return [line.strip() for line in self.tr("priority_themes").splitlines() if line.strip()]

    @property
    def helpdesk_phone_uri(self) -> str:
        return "tel:+32" + self.helpdesk_phone.replace(" ", "").lstrip("0")


class Commune(BilingualNameMixin, models.Model):
    """One of the 19 communes of the Brussels-Capital Region."""

    slug = models.SlugField(unique=True)
    name_fr = models.CharField(_("nom (FR)"), max_length=80)
    name_nl = models.CharField(_("nom (NL)"), max_length=80)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")


class BassinArea(BilingualMixin, models.Model):
    """A piece of a bassin's territory: a whole commune, or part of one (Bruxelles-Ville)."""

    bassin = models.ForeignKey(Bassin, on_delete=models.CASCADE, related_name="areas")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="areas")
    part_fr = models.CharField(_("partie (FR)"), max_length=120, blank=True)
    part_nl = models.CharField(_("partie (NL)"), max_length=120, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["bassin", "sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["bassin", "commune", "part_fr"], name="unique_bassin_area"
            )
        ]
        verbose_name = _("territoire")

    def __str__(self) -> str:
        part = self.tr("part")
        return f"{self.commune} ({part})" if part else str(self.commune)


class PostalCode(BilingualMixin, models.Model):
    """A Brussels postal code and the bassin it suggests.

    Bruxelles-Ville is split between three bassins, so a code may suggest a bassin
    without settling it: ``is_ambiguous`` codes list every candidate and a person
    confirms.
    """

    code = models.CharField(_("code postal"), max_length=4, unique=True)
    name_fr = models.CharField(_("localité (FR)"), max_length=80)
    name_nl = models.CharField(_("localité (NL)"), max_length=80)
    communes = models.ManyToManyField(Commune, related_name="postal_codes")
    suggested_bassin = models.ForeignKey(
        Bassin, on_delete=models.PROTECT, related_name="suggested_postal_codes"
    )
    candidate_bassins = models.ManyToManyField(Bassin, related_name="candidate_postal_codes")
    note_fr = models.CharField(max_length=200, blank=True)
    note_nl = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("code postal")
        verbose_name_plural = _("codes postaux")

    def __str__(self) -> str:
        return f"{self.code} {self.tr('name')}"


class BassinTeam(models.Model):
    """The Django group whose members act for one bassin, or for the whole region.

    Rights come from this row, never from the group's name: renaming a bassin or a
    group keeps the team's rights. ``bassin`` empty means the regional team, which may
    act on every bassin. ``is_helpdesk`` marks the team that holds the bassin's helpdesk
    (the référent role of the exchange space). ``bassins.rights`` is the one reader.
    """

    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="bassin_team", verbose_name=_("groupe")
    )
    bassin = models.ForeignKey(
        Bassin,
        on_delete=models.CASCADE,
        related_name="teams",
        null=True,
        blank=True,
        verbose_name=_("bassin"),
        help_text=_("Vide pour l'équipe régionale (tous les bassins)."),
    )
    is_helpdesk = models.BooleanField(
        _("helpdesk du bassin"),
        default=False,
        help_text=_(
            "Les membres de ce groupe tiennent le helpdesk du bassin : ils répondent aux "
            "demandes adressées au référent dans l'espace d'échange."
        ),
    )

    class Meta:
        ordering = ["bassin__sort_order", "group__name"]
        verbose_name = _("équipe de bassin")
        verbose_name_plural = _("équipes de bassin")

    def __str__(self) -> str:
        return self.group.name

    @property
    def is_regional(self) -> bool:
        return self.bassin_id is None


class TeamRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordination")
    PROJECT_OFFICER = "project_officer", _("Chargé·e de projets")
    CPPS = "cpps", _("Chargé·e de prévention et promotion santé (CPPS)")
    OTHER = "other", _("Autre")


class TeamMember(index.Indexed, models.Model):
    """A person of a bassin team (or the regional team when ``bassin`` is empty)."""

    bassin = models.ForeignKey(
        Bassin,
        on_delete=models.CASCADE,
        related_name="team_members",
        null=True,
        blank=True,
        help_text=_("Vide pour l'équipe régionale."),
    )
    name = models.CharField(_("nom"), max_length=120)
    role = models.CharField(_("rôle"), max_length=20, choices=TeamRole.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_demo = models.BooleanField(
        _("donnée de démonstration"),
        default=False,
        help_text=_("Créé par load_demo_data ; à remplacer par l'équipe réelle."),
    )

    panels = [
        FieldPanel("bassin"),
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("photo"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        # The bassin teams see their own members only (bassins.viewsets): a search filters
        # on it.
        index.FilterField("bassin"),
    ]

    class Meta:
        ordering = ["bassin", "sort_order", "name"]
        verbose_name = _("membre d'équipe")
        verbose_name_plural = _("membres d'équipe")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class ContentBlocks(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Titre"), form_classname="title")
    paragraph = blocks.RichTextBlock(label=_("Paragraphe"))
    image = ImageBlock(label=_("Image"))

    class Meta:
        template = "components/streamfield.html"


class HomePage(Page):
    """The regional home: /fr/ and /nl/."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["bassins.BassinPage", "bassins.ContentPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 2  # one per locale

    class Meta:
        verbose_name = _("page d'accueil régionale")

    # Set by BassinsConfig.ready() to queries.home_context: the page shows reads that
    # live a layer above the models.
    context_provider = None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(type(self).context_provider(self, request))
        return context


class BassinPage(Page):
    """The public page of one bassin, in one locale."""

    bassin = models.ForeignKey(Bassin, on_delete=models.PROTECT, related_name="pages")
    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(ContentBlocks(), blank=True, verbose_name=_("contenu"))

    content_panels = Page.content_panels + [
        FieldPanel("bassin"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["bassins.HomePage"]
    subpage_types = ["bassins.ContentPage"]

    class Meta:
        verbose_name = _("page de bassin")

    # Set by BassinsConfig.ready() to queries.bassin_page_context (see HomePage).
    context_provider = None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(type(self).context_provider(self.bassin, request))
        return context


class ContentPage(Page):
    """A plain page: about, legal notice, privacy policy, news."""

    body = StreamField(ContentBlocks(), blank=True, verbose_name=_("contenu"))

    content_panels = Page.content_panels + [MultiFieldPanel([FieldPanel("body")], heading="")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["bassins.HomePage", "bassins.BassinPage", "bassins.ContentPage"]

    class Meta:
        verbose_name = _("page de contenu")


class Language(BilingualNameMixin, models.Model):
    """A language people are received in: spoken at an event, at an open-door visit, by a
    service or a phone line. The one vocabulary of spoken languages (ISO 639-1 codes, plus
    ``other`` for "other languages")."""

    OTHER = "other"

    code = models.CharField(_("code ISO 639-1"), max_length=8, unique=True)
    name_fr = models.CharField(_("nom (FR)"), max_length=60)
    name_nl = models.CharField(_("nom (NL)"), max_length=60)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("langue")


@register_snippet
class Theme(index.Indexed, BilingualNameMixin, models.Model):
    """A social-health theme shared by the agenda, the directory and the newsletter
    (prevention themes of the Info Prévention Santé calendar, sectors, ...)."""

    slug = models.SlugField(unique=True)
    name_fr = models.CharField(_("nom (FR)"), max_length=120)
    name_nl = models.CharField(_("nom (NL)"), max_length=120)
    is_prevention_theme = models.BooleanField(
        _("thématique de prévention"),
        default=False,
        help_text=_("Peut être la thématique du mois de l'Info Prévention Santé."),
    )

    panels = [
        FieldPanel("slug"),
        FieldPanel("name_fr"),
        FieldPanel("name_nl"),
        FieldPanel("is_prevention_theme"),
    ]
    # Searchable in the admin's chooser (the issue editor's theme field), in both languages.
    search_fields = [
        index.SearchField("name_fr"),
        index.SearchField("name_nl"),
        index.AutocompleteField("name_fr"),
        index.AutocompleteField("name_nl"),
    ]

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("thématique")
        verbose_name_plural = _("thématiques")
