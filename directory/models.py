"""The directory: who does what in Brussels, which line to call.

The shape follows Open Referral HSDS 3.0 (organization, service, location, phone,
contact, schedule, language, taxonomy) with a Brussels profile: every text field
exists in French and Dutch (``_fr`` / ``_nl`` columns, see ``core.i18n``), the
area of action (bassins, communes or the whole region) is separate from the
address, and a location carries the bassin suggested from its postal code next to
the bassin a person confirmed. Public identifiers are UUIDs, as HSDS requires.
"""

from __future__ import annotations

import datetime
import uuid

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from bassins.models import Commune
from bassins.queries import suggest_bassin
from core.i18n import BilingualMixin, BilingualNameMixin

from .geo import check_coordinates, commune_point


def verification_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Entries last verified before this date are "to be checked"."""
    today = today or timezone.localdate()
    return today - relativedelta(months=settings.DIRECTORY_VERIFY_AFTER_MONTHS)


class ForWhom(models.TextChoices):
    PROFESSIONALS = "professionals", _("Professionnel·les")
    PUBLIC = "public", _("Public")
    BOTH = "both", _("Professionnel·les et public")


class Availability(models.TextChoices):
    """Whether a service takes new people now; set with its date (``availability_date``)."""

    UNKNOWN = "unknown", _("Disponibilité inconnue")
    ACCEPTING = "accepting", _("Accueille de nouvelles personnes")
    WAITING_LIST = "waiting_list", _("Liste d'attente")
    NOT_ACCEPTING = "not_accepting", _("Ne prend pas de nouvelles demandes pour l'instant")


# An availability older than this is shown as unknown (and loses the ranking boost).
AVAILABILITY_FRESH_DAYS = 60
MAX_WAIT_WEEKS = 104


def availability_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Availabilities set before this date are too old to be shown."""
    return (today or timezone.localdate()) - datetime.timedelta(days=AVAILABILITY_FRESH_DAYS)


class TargetPublic(BilingualNameMixin, models.Model):
    """Who a service is meant for (people with a disability, detainees, ...)."""

    slug = models.SlugField(unique=True)
    name_fr = models.CharField(_("nom (FR)"), max_length=120)
    name_nl = models.CharField(_("nom (NL)"), max_length=120)

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("public cible")
        verbose_name_plural = _("publics cibles")


class ContactModality(BilingualNameMixin, models.Model):
    """How people reach a service: phone, e-mail, chat, in person, home visit."""

    slug = models.SlugField(unique=True)
    name_fr = models.CharField(_("nom (FR)"), max_length=60)
    name_nl = models.CharField(_("nom (NL)"), max_length=60)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("modalité de contact")
        verbose_name_plural = _("modalités de contact")


class Organisation(BilingualNameMixin, ClusterableModel):
    """An association, CPAS, maison médicale, mutuality... (HSDS ``organization``).

    The people who keep the entry current are its ``maintainers`` (never published)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(max_length=120, unique=True)
    name_fr = models.CharField(_("nom (FR)"), max_length=200)
    name_nl = models.CharField(_("nom (NL)"), max_length=200, blank=True)
    alternate_name = models.CharField(_("sigle ou autre nom"), max_length=120, blank=True)
    description_fr = models.TextField(_("description (FR)"), blank=True)
    description_nl = models.TextField(_("description (NL)"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    email = models.EmailField(_("e-mail public"), blank=True)
    last_verified = models.DateField(_("dernière vérification"), default=datetime.date.today)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    availability_request_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    source_fr = models.CharField(_("source"), max_length=200, blank=True)
    is_demo = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name_fr"),
        FieldPanel("name_nl"),
        FieldPanel("slug"),
        FieldPanel("alternate_name"),
        FieldPanel("description_fr"),
        FieldPanel("description_nl"),
        FieldPanel("website"),
        FieldPanel("email"),
        FieldPanel("last_verified"),
        InlinePanel(
            "maintainers",
            label=_("Personnes qui tiennent la fiche à jour"),
            help_text=_(
                "Jamais publiées : reçoivent le rappel de vérification avec le lien de "
                "modification."
            ),
        ),
    ]

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def needs_verification(self, today: datetime.date | None = None) -> bool:
        return self.last_verified < verification_cutoff(today)


class Maintainer(models.Model):
    """An address that keeps an organisation's entry current: it gets the verification
    reminders with the signed edit link, in its language. Never published."""

    organisation = ParentalKey(Organisation, on_delete=models.CASCADE, related_name="maintainers")
    email = models.EmailField(_("e-mail"))
    language = models.CharField(
        _("langue des rappels"), max_length=2, choices=[("fr", "FR"), ("nl", "NL")], default="fr"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [FieldPanel("email"), FieldPanel("language")]

    class Meta:
        ordering = ["organisation", "pk"]
        verbose_name = _("personne qui tient la fiche à jour")
        verbose_name_plural = _("personnes qui tiennent la fiche à jour")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "email"], name="unique_maintainer")
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class Location(BilingualMixin, models.Model):
    """A physical address (HSDS ``location`` + ``address``), with its bassin.

    ``suggested_bassin`` comes from the postal code (``bassins.queries.suggest_bassin``);
    ``bassin`` is what a person confirmed, since 1000, 1040 and 1050 are shared.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="locations",
        verbose_name=_("organisation"),
    )
    name_fr = models.CharField(_("nom (FR)"), max_length=200, blank=True)
    name_nl = models.CharField(_("nom (NL)"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=200)
    postal_code = models.CharField(_("code postal"), max_length=4)
    commune = models.ForeignKey(
        "bassins.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    suggested_bassin = models.ForeignKey(
        "bassins.Bassin",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bassin suggéré"),
    )
    bassin = models.ForeignKey(
        "bassins.Bassin",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bassin confirmé"),
    )
    # Entered (or picked on the map) coordinates, WGS 84; both or neither.
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    accessibility_fr = models.TextField(_("accessibilité (FR)"), blank=True)
    accessibility_nl = models.TextField(_("accessibilité (NL)"), blank=True)
    # Where the map puts the place: the coordinates, else the commune's reference
    # point (``map_approximate``); kept by ``save`` (``apply_map_point``).
    map_latitude = models.FloatField(null=True, blank=True, editable=False)
    map_longitude = models.FloatField(null=True, blank=True, editable=False)
    map_approximate = models.BooleanField(default=False, editable=False)

    panels = [
        FieldPanel("organisation"),
        FieldPanel("name_fr"),
        FieldPanel("name_nl"),
        FieldPanel("address"),
        FieldPanel("postal_code"),
        FieldPanel("commune"),
        FieldPanel(
            "bassin",
            help_text=_(
                "Laissez vide pour reprendre le bassin suggéré par le code postal ; "
                "1000, 1040 et 1050 sont partagés : confirmez."
            ),
        ),
        MultiFieldPanel(
            [FieldPanel("latitude"), FieldPanel("longitude")],
            heading=_("Position sur la carte"),
            help_text=_(
                "Cliquez sur la carte pour placer le lieu, ou tapez les coordonnées. "
                "Sans elles, le lieu est placé au centre de sa commune (position approximative)."
            ),
            classname="map-picker",
        ),
        FieldPanel("accessibility_fr"),
        FieldPanel("accessibility_nl"),
    ]

    class Meta:
        ordering = ["organisation", "pk"]
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")

    def __str__(self) -> str:
        return f"{self.address}, {self.postal_code}"

    def save(self, *args, **kwargs):
        self.apply_bassin_suggestion()
        self.apply_commune_suggestion()
        self.apply_map_point()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        try:
            check_coordinates(self.latitude, self.longitude)
        except ValidationError as error:
            raise ValidationError({"latitude": error.messages}) from error

    def apply_commune_suggestion(self) -> None:
        """No commune given: the postal code's, when the code names only one."""
        if self.commune_id is None and self.postal_code:
            communes = list(Commune.objects.filter(postal_codes__code=self.postal_code.strip())[:2])
            if len(communes) == 1:
                self.commune = communes[0]

    def apply_map_point(self, commune_slug: str | None = None) -> None:
        """``map_*`` from the coordinates, else from the commune's reference point
        (``commune_slug`` when the caller already knows it)."""
        if self.latitude is not None and self.longitude is not None:
            self.map_latitude, self.map_longitude = float(self.latitude), float(self.longitude)
            self.map_approximate = False
            return
        if commune_slug is None and self.commune_id is not None:
            commune_slug = self.commune.slug
        point = commune_point(commune_slug)
        self.map_latitude = point.latitude if point else None
        self.map_longitude = point.longitude if point else None
        self.map_approximate = point is not None

    def apply_bassin_suggestion(self, suggestion: dict | None = None) -> None:
        """Set ``suggested_bassin`` from the postal code (``suggestion`` is what
        ``suggest_bassin`` returned for it, if already known), and ``bassin`` too when
        none is confirmed and the code is not shared."""
        suggestion = suggestion or suggest_bassin(self.postal_code)
        self.suggested_bassin = suggestion["bassin"]
        if self.bassin_id is None and not suggestion["ambiguous"]:
            self.bassin = suggestion["bassin"]


class ServiceStatus(models.TextChoices):
    """HSDS 3.0 ``service.status``; inactive and defunct services are not listed publicly."""

    ACTIVE = "active", _("Actif")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporairement fermé")
    INACTIVE = "inactive", _("Inactif (non publié)")
    DEFUNCT = "defunct", _("Disparu (non publié)")


LISTED_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)


class ListedServiceQuerySet(models.QuerySet):
    def listed(self) -> ListedServiceQuerySet:
        """The services shown to the public (not inactive, not defunct)."""
        return self.filter(status__in=LISTED_STATUSES)


class Service(BilingualNameMixin, ClusterableModel):
    """What an organisation offers; a help line is a service with phones and hours."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("organisation"),
    )
    slug = models.SlugField(_("identifiant"), max_length=120, unique=True)
    name_fr = models.CharField(_("nom (FR)"), max_length=200)
    name_nl = models.CharField(_("nom (NL)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (FR)"), blank=True)
    description_nl = models.TextField(_("description (NL)"), blank=True)
    is_help_line = models.BooleanField(_("ligne d'aide et d'orientation"), default=False)
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=ServiceStatus.choices,
        default=ServiceStatus.ACTIVE,
        help_text=_("Inactif ou disparu : la fiche n'est plus publiée."),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("lieu"),
    )
    themes = models.ManyToManyField(
        "bassins.Theme",
        blank=True,
        related_name="directory_services",
        verbose_name=_("thématiques"),
    )
    publics = models.ManyToManyField(
        TargetPublic, blank=True, related_name="services", verbose_name=_("publics cibles")
    )
    modalities = models.ManyToManyField(
        ContactModality,
        blank=True,
        related_name="services",
        verbose_name=_("modalités de contact"),
    )
    languages = models.ManyToManyField(
        "bassins.Language", blank=True, related_name="services", verbose_name=_("langues")
    )
    interpretation_fr = models.CharField(_("interprétariat (FR)"), max_length=200, blank=True)
    interpretation_nl = models.CharField(_("interprétariat (NL)"), max_length=200, blank=True)
    for_whom = models.CharField(
        _("pour qui"), max_length=20, choices=ForWhom.choices, default=ForWhom.BOTH
    )
    # Access conditions.
    is_free = models.BooleanField(_("gratuit"), default=True)
    by_appointment = models.BooleanField(_("sur rendez-vous"), default=False)
    needs_referral = models.BooleanField(
        _("sur orientation d'un·e professionnel·le"), default=False
    )
    walk_in = models.BooleanField(_("sans rendez-vous"), default=False)
    access_notes_fr = models.TextField(_("conditions d'accès (FR)"), blank=True)
    access_notes_nl = models.TextField(_("conditions d'accès (NL)"), blank=True)
    saturation_note_fr = models.CharField(_("saturation / places (FR)"), max_length=300, blank=True)
    saturation_note_nl = models.CharField(_("saturation / places (NL)"), max_length=300, blank=True)
    saturation_date = models.DateField(_("date de l'info de saturation"), null=True, blank=True)
    availability = models.CharField(
        _("disponibilité"),
        max_length=16,
        choices=Availability.choices,
        default=Availability.UNKNOWN,
        help_text=_(
            "Affichée avec sa date ; au-delà de 60 jours elle est affichée « inconnue ». "
            "La date se met à jour quand vous changez la disponibilité."
        ),
    )
    availability_wait_weeks = models.PositiveSmallIntegerField(
        _("attente (en semaines)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WAIT_WEEKS)],
        help_text=_("Pour une liste d'attente : environ combien de semaines."),
    )
    availability_date = models.DateField(_("disponibilité indiquée le"), null=True, blank=True)
    open_on_public_holidays = models.BooleanField(
        _("ouvert les jours fériés"),
        default=False,
        help_text=_(
            "Cochez si les horaires hebdomadaires valent aussi les jours fériés belges "
            "(ligne de permanence, garde). Sinon, le service est affiché fermé ces jours-là."
        ),
    )
    temporary_notice_fr = models.CharField(_("avis temporaire (FR)"), max_length=300, blank=True)
    temporary_notice_nl = models.CharField(_("avis temporaire (NL)"), max_length=300, blank=True)
    temporary_notice_until = models.DateField(_("avis valable jusqu'au"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    # Area of action: distinct from the address.
    area_whole_region = models.BooleanField(_("toute la Région"), default=False)
    area_bassins = models.ManyToManyField(
        "bassins.Bassin",
        blank=True,
        related_name="directory_services",
        verbose_name=_("bassins desservis"),
    )
    area_communes = models.ManyToManyField(
        "bassins.Commune",
        blank=True,
        related_name="directory_services",
        verbose_name=_("communes desservies"),
    )
    last_verified = models.DateField(_("dernière vérification"), default=datetime.date.today)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_demo = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Search (``directory.search``): accent-free Snowball stems (French and Dutch) of
    # everything and of the names, kept by ``save``; read by the SQL definition and by
    # each process's index.
    search_text = models.TextField(blank=True, editable=False)
    search_title = models.TextField(blank=True, editable=False)
    search_doc_fr = models.TextField(blank=True, editable=False)
    search_doc_nl = models.TextField(blank=True, editable=False)
    # Facet values of this service ("theme:dettes", "bassin:nord", ...), kept with the
    # search columns, so every facet of a search is counted in one grouped query.
    facet_keys = models.JSONField(default=list, blank=True, editable=False)
    # Names of the service and its organisation, accent-free and lower-cased but not
    # stemmed: the typo-tolerant match (pg_trgm word similarity, trigram GIN index).
    search_names = models.TextField(blank=True, editable=False)

    objects = ListedServiceQuerySet.as_manager()

    panels = [
        FieldPanel("organisation"),
        FieldPanel("name_fr"),
        FieldPanel("name_nl"),
        FieldPanel("slug"),
        FieldPanel("status"),
        FieldPanel("description_fr"),
        FieldPanel("description_nl"),
        FieldPanel("is_help_line"),
        FieldPanel("location"),
        FieldPanel("themes"),
        FieldPanel("publics"),
        FieldPanel("modalities"),
        FieldPanel("languages"),
        FieldPanel("for_whom"),
        MultiFieldPanel(
            [
                FieldPanel("is_free"),
                FieldPanel("by_appointment"),
                FieldPanel("needs_referral"),
                FieldPanel("walk_in"),
                FieldPanel("access_notes_fr"),
                FieldPanel("access_notes_nl"),
            ],
            heading=_("Conditions d'accès"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("availability"),
                FieldPanel("availability_wait_weeks"),
                FieldPanel("availability_date"),
            ],
            heading=_("Disponibilité"),
        ),
        FieldPanel("saturation_note_fr"),
        FieldPanel("saturation_note_nl"),
        FieldPanel("saturation_date"),
        FieldPanel("temporary_notice_fr"),
        FieldPanel("temporary_notice_nl"),
        FieldPanel("temporary_notice_until"),
        MultiFieldPanel(
            [
                FieldPanel("area_whole_region"),
                FieldPanel("area_bassins"),
                FieldPanel("area_communes"),
            ],
            heading=_("Zone d'action"),
        ),
        FieldPanel("last_verified"),
        InlinePanel("phones", label=_("Téléphones")),
        FieldPanel("open_on_public_holidays"),
        InlinePanel("schedule", label=_("Horaires hebdomadaires")),
        InlinePanel("closures", label=_("Fermetures exceptionnelles")),
        InlinePanel("faq", label=_("Questions fréquentes")),
    ]

    class Meta:
        ordering = ["organisation", "sort_order", "name_fr"]
        indexes = [
            # Name sort of the search page (ORDER BY lower(name), id LIMIT 20).
            models.Index(Lower("name_fr"), "id", name="service_name_fr_sort"),
            models.Index(Lower("name_nl"), "id", name="service_name_nl_sort"),
            models.Index(fields=["-last_verified", "id"], name="service_fresh_sort"),
        ]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def clean(self):
        super().clean()
        if self.availability == Availability.WAITING_LIST:
            if not self.availability_wait_weeks:
                raise ValidationError(
                    {"availability_wait_weeks": _("Indiquez l'attente en semaines.")}
                )
        else:
            self.availability_wait_weeks = None

    def current_availability(self, today: datetime.date | None = None) -> str:
        """The availability if set within the last 60 days, else ``unknown``."""
        if self.availability_date is None or self.availability_date < availability_cutoff(today):
            return Availability.UNKNOWN
        return self.availability

    def temporary_notice(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if self.temporary_notice_until and self.temporary_notice_until < today:
            return ""
        return self.tr("temporary_notice")

    def public_notice(self, today: datetime.date | None = None) -> str:
        """What the card warns about: the temporary notice, else a temporary closure."""
        notice = self.temporary_notice(today)
        if not notice and self.status == ServiceStatus.TEMPORARILY_CLOSED:
            return str(ServiceStatus.TEMPORARILY_CLOSED.label)
        return notice


class Phone(BilingualMixin, models.Model):
    """A phone number of a service (HSDS ``phone``)."""

    class Kind(models.TextChoices):
        VOICE = "voice", _("Téléphone")
        FREEPHONE = "freephone", _("Numéro vert (gratuit)")
        TEXT = "text", _("SMS")
        FAX = "fax", _("Fax")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("numéro"), max_length=30)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices, default=Kind.VOICE)
    description_fr = models.CharField(_("précision (FR)"), max_length=200, blank=True)
    description_nl = models.CharField(_("précision (NL)"), max_length=200, blank=True)
    languages = models.ManyToManyField(
        "bassins.Language", blank=True, related_name="phones", verbose_name=_("langues")
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("number"),
        FieldPanel("kind"),
        FieldPanel("description_fr"),
        FieldPanel("description_nl"),
    ]

    class Meta:
        ordering = ["service", "sort_order", "pk"]
        verbose_name = _("téléphone")
        verbose_name_plural = _("téléphones")

    def __str__(self) -> str:
        return self.number

    @property
    def uri(self) -> str:
        digits = "".join(c for c in self.number if c.isdigit())
        return "tel:+32" + digits.lstrip("0")


class Contact(models.Model):
    """A named person; published only when ``consent_public`` is set."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    name = models.CharField(_("nom"), max_length=120)
    title_fr = models.CharField(_("fonction (FR)"), max_length=120, blank=True)
    title_nl = models.CharField(_("fonction (NL)"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    consent_public = models.BooleanField(
        _("accepte d'être publié·e"),
        default=False,
        help_text=_(
            "Sans ce consentement, la personne n'apparaît ni sur le site ni dans les exports."
        ),
    )

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("personne de contact")
        verbose_name_plural = _("personnes de contact")

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


RRULE_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class ScheduleSlot(models.Model):
    """One weekly opening (or phone permanence) slot, in Brussels wall-clock time.

    Several slots per day are allowed (10h-12h and 14h-16h). Times are wall-clock
    so that "Tuesday 14h-18h" stays true on both sides of a DST change; "open now"
    converts the current instant to Europe/Brussels before comparing.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="schedule")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens_at = models.TimeField(_("ouvre à"))
    closes_at = models.TimeField(_("ferme à"))

    panels = [FieldPanel("weekday"), FieldPanel("opens_at"), FieldPanel("closes_at")]

    class Meta:
        ordering = ["service", "weekday", "opens_at"]
        indexes = [models.Index(fields=["weekday", "opens_at", "closes_at"])]
        verbose_name = _("plage horaire")
        verbose_name_plural = _("plages horaires")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="schedule_slot_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"

    @property
    def rrule_day(self) -> str:
        return RRULE_DAYS[self.weekday]


class ScheduleException(BilingualMixin, models.Model):
    """A closure (holidays, public holiday, training day) from ``start`` to ``end`` inclusive."""

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="closures")
    start = models.DateField(_("du"))
    end = models.DateField(_("au"))
    note_fr = models.CharField(_("motif (FR)"), max_length=200, blank=True)
    note_nl = models.CharField(_("motif (NL)"), max_length=200, blank=True)

    panels = [FieldPanel("start"), FieldPanel("end"), FieldPanel("note_fr"), FieldPanel("note_nl")]

    class Meta:
        ordering = ["service", "start"]
        verbose_name = _("fermeture exceptionnelle")
        verbose_name_plural = _("fermetures exceptionnelles")

    def __str__(self) -> str:
        return f"{self.start} – {self.end}"


class FaqEntry(BilingualMixin, models.Model):
    """ "Which situations can I bring here?" for one line."""

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="faq")
    question_fr = models.CharField(_("question (FR)"), max_length=300)
    question_nl = models.CharField(_("question (NL)"), max_length=300)
    answer_fr = models.TextField(_("réponse (FR)"))
    answer_nl = models.TextField(_("réponse (NL)"))
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("question_fr"),
        FieldPanel("question_nl"),
        FieldPanel("answer_fr"),
        FieldPanel("answer_nl"),
    ]

    class Meta:
        ordering = ["service", "sort_order", "pk"]
        verbose_name = _("question fréquente")
        verbose_name_plural = _("questions fréquentes")

    def __str__(self) -> str:
        return self.tr("question")


class GlossaryTerm(BilingualMixin, models.Model):
    """A term of the lexique (seed 003, chapter 4), linked from content where it appears."""

    slug = models.SlugField(unique=True)
    term_fr = models.CharField(_("terme (FR)"), max_length=120)
    term_nl = models.CharField(_("terme (NL)"), max_length=120)
    variants_fr = models.CharField(
        _("autres formes (FR)"), max_length=200, blank=True, help_text=_("Séparées par |")
    )
    variants_nl = models.CharField(
        _("autres formes (NL)"), max_length=200, blank=True, help_text=_("Séparées par |")
    )
    definition_fr = models.TextField(_("définition (FR)"))
    definition_nl = models.TextField(_("définition (NL)"))

    class Meta:
        ordering = ["term_fr"]
        verbose_name = _("terme du lexique")
        verbose_name_plural = _("lexique")

    def __str__(self) -> str:
        return self.tr("term")


class SynonymGroup(models.Model):
    """Words and expressions that mean the same thing to the people who search, in
    French and Dutch (surendettement, dettes, schulden; CPAS, OCMW). The search expands
    a query word to every term of its group (OR), at query time: editing a group takes
    effect on the next search, without reindexing. Edited by the regional team."""

    name = models.CharField(
        _("nom du groupe"),
        max_length=80,
        unique=True,
        help_text=_("Pour retrouver le groupe dans la liste (par exemple « Dettes »)."),
    )
    terms_fr = models.TextField(
        _("termes (FR)"),
        blank=True,
        help_text=_("Un mot ou une expression par ligne (ou séparés par des virgules)."),
    )
    terms_nl = models.TextField(
        _("termes (NL)"),
        blank=True,
        help_text=_("Un mot ou une expression par ligne (ou séparés par des virgules)."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("groupe de synonymes")
        verbose_name_plural = _("synonymes de la recherche")

    def __str__(self) -> str:
        return self.name

    def terms(self) -> list[str]:
        """Every term of the group, French first, blank entries dropped, order kept."""
        found = []
        for text in (self.terms_fr, self.terms_nl):
            for line in (text or "").replace(",", "\n").splitlines():
                term = " ".join(line.split())
                if term and term not in found:
                    found.append(term)
        return found

    def clean(self) -> None:
        super().clean()
        if len(self.terms()) < 2:
            raise ValidationError(
                _("Un groupe de synonymes réunit au moins deux termes (FR et/ou NL).")
            )


# --- Keeping it fresh ----------------------------------------------------------------


class ChangeRequest(models.Model):
    """A pending change set: a proposal from the edit link, or an error report.

    ``proposed`` maps field keys (``organisation.description_fr``,
    ``service.<uuid>.saturation_note_fr``) to new values, ``previous`` holds the
    values seen when the proposal was made. Nothing reaches the public page before
    a team member approves; approved and rejected requests stay as the history.
    """

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Modification proposée par l'organisation")
        ERROR_REPORT = "error_report", _("Erreur signalée")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        APPROVED = "approved", _("Approuvée")
        REJECTED = "rejected", _("Refusée")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="change_requests"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    proposed = models.JSONField(default=dict, blank=True)
    previous = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    submitter_email = models.EmailField(blank=True)
    submitter_language = models.CharField(max_length=2, default="fr")
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(blank=True)
    applied = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("demande de modification")
        verbose_name_plural = _("demandes de modification")
        permissions = [("review_changerequest", _("Peut approuver les modifications"))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.organisation}"


class ListingRequest(models.Model):
    """An organisation asks to be listed (public form, no account).

    ``unconfirmed`` until the requester opens the signed link of the confirmation
    e-mail, then ``pending`` in the moderation queue of the teams of ``bassins`` (the
    area of action; none: the regional team's). Approving creates the organisation, its
    first service and its maintainers; the request stays as the history.
    """

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("E-mail non confirmé")
        PENDING = "pending", _("En attente")
        APPROVED = "approved", _("Approuvée")
        REJECTED = "rejected", _("Refusée")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNCONFIRMED)
    name_fr = models.CharField(_("nom de l'organisation (FR)"), max_length=200)
    name_nl = models.CharField(_("nom de l'organisation (NL)"), max_length=200, blank=True)
    description_fr = models.TextField(_("ce que vous faites (FR)"), blank=True)
    description_nl = models.TextField(_("ce que vous faites (NL)"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    email = models.EmailField(_("e-mail public"), blank=True)
    phone = models.CharField(_("téléphone public"), max_length=30, blank=True)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=4, blank=True)
    area_whole_region = models.BooleanField(_("toute la Région"), default=False)
    bassins = models.ManyToManyField(
        "bassins.Bassin", blank=True, related_name="+", verbose_name=_("bassins desservis")
    )
    themes = models.ManyToManyField(
        "bassins.Theme", blank=True, related_name="+", verbose_name=_("thématiques")
    )
    maintainer_emails = models.JSONField(default=list)
    language = models.CharField(max_length=2, default="fr")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("demande d'inscription au répertoire")
        verbose_name_plural = _("demandes d'inscription au répertoire")

    def __str__(self) -> str:
        return self.name_fr


# --- "Quelle ligne appeler ?" ---------------------------------------------------------


class DecisionQuestion(BilingualMixin, ClusterableModel):
    """A question of the decision tree; its answers lead on or recommend lines."""

    slug = models.SlugField(unique=True)
    is_root = models.BooleanField(_("première question"), default=False)
    text_fr = models.CharField(_("question (FR)"), max_length=300)
    text_nl = models.CharField(_("question (NL)"), max_length=300)
    help_fr = models.TextField(_("aide (FR)"), blank=True)
    help_nl = models.TextField(_("aide (NL)"), blank=True)

    panels = [
        FieldPanel("slug"),
        FieldPanel("is_root"),
        FieldPanel("text_fr"),
        FieldPanel("text_nl"),
        FieldPanel("help_fr"),
        FieldPanel("help_nl"),
        InlinePanel("answers", label=_("Réponses")),
    ]

    class Meta:
        ordering = ["-is_root", "slug"]
        verbose_name = _("question de l'arbre « Quelle ligne appeler ? »")
        verbose_name_plural = _("arbre « Quelle ligne appeler ? »")

    def __str__(self) -> str:
        return self.tr("text")


class DecisionAnswer(BilingualMixin, Orderable, ClusterableModel):
    question = ParentalKey(DecisionQuestion, on_delete=models.CASCADE, related_name="answers")
    slug = models.SlugField(max_length=60)
    label_fr = models.CharField(_("réponse (FR)"), max_length=200)
    label_nl = models.CharField(_("réponse (NL)"), max_length=200)
    next_question = models.ForeignKey(
        DecisionQuestion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question suivante"),
    )
    services = ParentalManyToManyField(
        Service, blank=True, related_name="+", verbose_name=_("lignes recommandées")
    )
    advice_fr = models.TextField(_("conseil (FR)"), blank=True)
    advice_nl = models.TextField(_("conseil (NL)"), blank=True)

    panels = [
        FieldPanel("slug"),
        FieldPanel("label_fr"),
        FieldPanel("label_nl"),
        FieldPanel("next_question"),
        FieldPanel("services"),
        FieldPanel("advice_fr"),
        FieldPanel("advice_nl"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        constraints = [
            models.UniqueConstraint(fields=["question", "slug"], name="unique_answer_slug")
        ]

    def __str__(self) -> str:
        return self.tr("label")
