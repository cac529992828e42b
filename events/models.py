"""The shared agenda: event kinds, events (series) and their materialised occurrences.

An ``Event`` keeps its start and end as *local wall-clock* date and time plus the IANA
zone (always Europe/Brussels here), never as a UTC instant: a monthly 10:00 workshop
must stay at 10:00 across daylight-saving changes. Its recurrence (django-recurrence:
RRULE / RDATE / EXDATE) is expanded in local time by ``events.expansion`` and stored
as ``Occurrence`` rows (aware UTC), regenerated whenever the event changes while the
per-occurrence exceptions (cancelled, moved, changed) are kept. Every read of "what
happens between A and B" goes through ``events.queries.upcoming_occurrences``.
"""

from __future__ import annotations

import datetime
import uuid
import zoneinfo
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from recurrence.fields import RecurrenceField
from wagtail.models import PreviewableMixin

from core.i18n import BilingualMixin, BilingualNameMixin, in_language

from . import expansion
from .ical import event_uid

BRUSSELS = "Europe/Brussels"

# Sent by the services after changes that bulk operations make without model signals
# (materialised occurrences); the feed and page caches listen (see events.signals).
agenda_changed = Signal()
# Sent by services.regenerate_occurrences with ``pks``, the occurrences its rule no
# longer produces, before it deletes them. A receiver returns the pks of those that
# hold something of its own (registrations): they are cancelled, not deleted, so that
# nothing saved is lost and their people can still be told.
occurrences_removing = Signal()
# Sent after the commit with ``pks``, agenda dates that have just been cancelled (by the
# team, by a partner's calendar, or kept cancelled by regenerate_occurrences): whoever
# holds something on them (registrations) tells its people.
occurrences_cancelled = Signal()
# Sent after the commit with ``pks``, agenda dates whose time has just changed (moved by
# the team or by a partner's calendar, or the whole series' time edited): whoever holds
# something on them (registrations) tells its people, with the updated .ics.
occurrences_moved = Signal()
# Sent by ``Event.clean`` with ``event`` (the saved row): a receiver returns True when
# people hold an active registration on it, so that its registration scope is not
# changed under them.
registrations_held = Signal()
# Sent by ``services.attendee_list_url`` with ``event`` (it takes registrations on
# Maillage) and ``language``: the receiver that keeps its registrations returns the
# signed link to their list, which the approval e-mail gives to whoever proposed it.
attendee_list_link = Signal()


class EventKind(BilingualNameMixin, models.Model):
    """Editable list of kinds: Rendez-vous de la Prévention Santé, concertation, CAB..."""

    slug = models.SlugField(_("identifiant"), unique=True)
    name_fr = models.CharField(_("nom (FR)"), max_length=120)
    name_nl = models.CharField(_("nom (NL)"), max_length=120)
    is_proposable = models.BooleanField(
        _("proposable par les organisations"),
        default=True,
        help_text=_("Visible dans le formulaire public de proposition."),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("type d'événement")
        verbose_name_plural = _("types d'événement")


class Audience(models.TextChoices):
    PROFESSIONALS = "professionals", _("Professionnel·les")
    RESIDENTS = "residents", _("Habitant·es")
    EVERYONE = "everyone", _("Tout public")


class RegistrationMode(models.TextChoices):
    NONE = "none", _("Sans inscription")
    EXTERNAL = "external", _("Inscription externe (lien)")
    INTERNAL = "internal", _("Inscription sur Maillage")


class RegistrationScope(models.TextChoices):
    """What one registration on Maillage books: one date, or every date of the series
    (a training cycle) with one pool of places."""

    DATE = "date", _("Par date")
    SERIES = "series", _("Pour toute la série")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    UNCONFIRMED = "unconfirmed", _("Proposition non confirmée (e-mail)")
    PENDING = "pending", _("En attente de modération")
    PUBLISHED = "published", _("Publié")
    REJECTED = "rejected", _("Refusé")


# Event fields a proposal sets as given (the dates, languages and links are derived).
PROPOSAL_FIELDS = (
    "title_fr",
    "title_nl",
    "kind",
    "description_fr",
    "description_nl",
    "venue_name",
    "venue_name_nl",
    "venue_address",
    "postal_code",
    "online_url",
    "audience",
    "organiser",
    "organiser_nl",
    "registration_url",
    "contact_email",
    "contact_phone",
    "proposer_name",
    "proposer_email",
)


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=EventStatus.PUBLISHED)


class Event(PreviewableMixin, BilingualMixin, models.Model):
    """One event or one series (when ``recurrence`` is set)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title_fr = models.CharField(_("titre (FR)"), max_length=200)
    title_nl = models.CharField(_("titre (NL)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (FR)"), blank=True)
    description_nl = models.TextField(_("description (NL)"), blank=True)
    kind = models.ForeignKey(
        EventKind, on_delete=models.PROTECT, related_name="events", verbose_name=_("type")
    )
    bassins = models.ManyToManyField(
        "bassins.Bassin",
        blank=True,
        related_name="events",
        verbose_name=_("bassins"),
        help_text=_("Aucun bassin : événement régional."),
    )
    is_regional = models.BooleanField(
        _("régional"),
        default=False,
        help_text=_("Affiché dans l'agenda régional et dans celui de chaque bassin."),
    )
    themes = models.ManyToManyField(
        "bassins.Theme", blank=True, related_name="events", verbose_name=_("thématiques")
    )

    # Local wall-clock time + IANA zone (see module docstring).
    start_date = models.DateField(_("date de début"))
    start_time = models.TimeField(_("heure de début"), null=True, blank=True)
    end_date = models.DateField(_("date de fin"))
    end_time = models.TimeField(_("heure de fin"), null=True, blank=True)
    all_day = models.BooleanField(_("toute la journée"), default=False)
    tz = models.CharField(_("fuseau horaire"), max_length=40, default=BRUSSELS, editable=False)
    recurrence = RecurrenceField(
        verbose_name=_("récurrence"), blank=True, null=True, include_dtstart=False
    )

    venue_name = models.CharField(_("lieu"), max_length=200, blank=True)
    venue_name_nl = models.CharField(
        _("lieu (NL)"),
        max_length=200,
        blank=True,
        help_text=_("Le nom du lieu en néerlandais, s'il en a un."),
    )
    venue_address = models.CharField(_("adresse"), max_length=250, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=4, blank=True)
    commune = models.ForeignKey(
        "bassins.Commune",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    accessibility_fr = models.CharField(_("accessibilité (FR)"), max_length=300, blank=True)
    accessibility_nl = models.CharField(_("accessibilité (NL)"), max_length=300, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    online_url = models.URLField(_("lien en ligne"), blank=True)

    audience = models.CharField(
        _("public"), max_length=20, choices=Audience.choices, default=Audience.PROFESSIONALS
    )
    languages = models.ManyToManyField(
        "bassins.Language", blank=True, related_name="events", verbose_name=_("langues")
    )
    organiser = models.CharField(_("organisateur"), max_length=200, blank=True)
    organiser_nl = models.CharField(
        _("organisateur (NL)"),
        max_length=200,
        blank=True,
        help_text=_("Le nom de l'organisation en néerlandais, s'il en a un."),
    )
    contact_email = models.EmailField(_("e-mail de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone de contact"), max_length=30, blank=True)
    registration = models.CharField(
        _("inscription"),
        max_length=10,
        choices=RegistrationMode.choices,
        default=RegistrationMode.NONE,
    )
    registration_url = models.URLField(_("lien d'inscription"), blank=True)
    registration_scope = models.CharField(
        _("une inscription vaut"),
        max_length=6,
        choices=RegistrationScope.choices,
        default=RegistrationScope.DATE,
        help_text=_(
            "Seulement avec « Inscription sur Maillage ». « Par date » : on s'inscrit à "
            "chaque date, chacune a ses places. « Pour toute la série » : on s'inscrit "
            "une fois à toutes les dates (un cycle de formation), les places sont "
            "communes à la série. Ne change plus dès que quelqu'un est inscrit."
        ),
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Seulement avec « Inscription sur Maillage » : le nombre de places de chaque "
            "date, ou de la série entière quand une inscription vaut pour toute la "
            "série ; au-delà, les personnes sont mises sur liste d'attente."
        ),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("image"),
    )

    sequence = models.PositiveIntegerField(default=0, editable=False)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    status = models.CharField(
        _("statut"), max_length=12, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    proposer_name = models.CharField(_("proposé par"), max_length=120, blank=True)
    proposer_email = models.EmailField(_("e-mail du proposant"), blank=True)
    proposer_language = models.CharField(max_length=2, default="fr", blank=True)
    moderation_reason = models.TextField(_("motif (refus)"), blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    source = models.CharField(
        max_length=40, blank=True, editable=False, help_text="App owning this event, if any."
    )
    source_key = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "start_time", "pk"]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_key"],
                condition=~models.Q(source=""),
                name="unique_event_source_key",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gt=0),
                name="event_capacity_positive",
            ),
        ]
        indexes = [models.Index(fields=["status", "published_at"])]
        permissions = [("moderate_event", "Can moderate proposed events")]

    def __str__(self) -> str:
        return self.tr("title")

    def get_absolute_url(self, language: str | None = None) -> str:
        with translation.override(language or translation.get_language() or "fr"):
            return reverse("events:event", kwargs={"pk": self.pk})

    def clean(self):
        """A capacity goes with registration on Maillage, and only with it; the
        registration scope stays while people hold registrations under it."""
        super().clean()
        self._refuse_scope_change_under_registrations()
        internal = self.registration == RegistrationMode.INTERNAL
        if internal and not self.capacity:
            raise ValidationError(
                {"capacity": _("Indiquez le nombre de places pour l'inscription sur Maillage.")}
            )
        if self.capacity and not internal:
            raise ValidationError(
                {
                    "capacity": _(
                        "Le nombre de places ne sert qu'avec « Inscription sur Maillage » : "
                        "videz ce champ ou changez le mode d'inscription."
                    )
                }
            )

    def _refuse_scope_change_under_registrations(self) -> None:
        if self.pk is None:
            return
        saved_scope = (
            Event.objects.filter(pk=self.pk).values_list("registration_scope", flat=True).first()
        )
        if saved_scope is None or saved_scope == self.registration_scope:
            return
        held = any(answer for _receiver, answer in registrations_held.send(Event, event=self))
        if held:
            raise ValidationError(
                {
                    "registration_scope": _(
                        "Des personnes sont déjà inscrites : le choix « par date » ou « pour "
                        "toute la série » ne peut plus changer. Annulez d'abord leurs "
                        "inscriptions (liste « Inscriptions ») ou créez un autre événement."
                    )
                }
            )

    @property
    def takes_registrations(self) -> bool:
        """People register on Maillage for this event (each date, or the whole series)."""
        return self.registration == RegistrationMode.INTERNAL and bool(self.capacity)

    @property
    def registers_per_series(self) -> bool:
        """One registration books every date of the series, from one pool of places."""
        return self.takes_registrations and self.registration_scope == RegistrationScope.SERIES

    @property
    def title(self) -> str:
        return self.tr("title")

    @property
    def description(self) -> str:
        return self.tr("description")

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.tz or BRUSSELS)

    @property
    def is_recurring(self) -> bool:
        rec = self.recurrence
        return bool(rec and (rec.rrules or rec.rdates))

    def local_start(self) -> datetime.datetime:
        """Naive local wall-clock start (00:00 for all-day events)."""
        return datetime.datetime.combine(
            self.start_date,
            self.start_time if not self.all_day and self.start_time else datetime.time(0),
        )

    def local_end(self) -> datetime.datetime:
        """Naive local wall-clock end (exclusive midnight after the last day when all-day)."""
        if self.all_day or self.end_time is None:
            return datetime.datetime.combine(
                self.end_date + datetime.timedelta(days=1), datetime.time(0)
            )
        return datetime.datetime.combine(self.end_date, self.end_time)

    @property
    def duration(self) -> datetime.timedelta:
        return max(self.local_end() - self.local_start(), datetime.timedelta(0))

    @property
    def start(self) -> datetime.datetime:
        return self.local_start().replace(tzinfo=self.zone)

    @property
    def end(self) -> datetime.datetime:
        return self.local_end().replace(tzinfo=self.zone)

    @property
    def language_list(self) -> list[str]:
        """The codes of the languages spoken (``fr``, ``nl``...), in the reference's order."""
        if self.pk is None:
            return []
        return [language.code for language in self.languages.all()]

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    def venue_name_in(self, language: str | None = None) -> str:
        """The venue's name in ``language`` (default: the active one) when it has one."""
        return in_language(self.venue_name, self.venue_name_nl, language)

    def organiser_in(self, language: str | None = None) -> str:
        return in_language(self.organiser, self.organiser_nl, language)

    @property
    def local_venue_name(self) -> str:
        return self.venue_name_in()

    @property
    def local_organiser(self) -> str:
        return self.organiser_in()

    @property
    def osm_url(self) -> str:
        if self.latitude is not None and self.longitude is not None:
            return (
                f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
                f"#map=18/{self.latitude}/{self.longitude}"
            )
        if self.venue_address:
            query = ", ".join(p for p in [self.venue_address, self.postal_code, "Bruxelles"] if p)
            return f"https://www.openstreetmap.org/search?query={quote(query)}"
        return ""

    def get_preview_template(self, request, mode_name):
        return "events/event_detail.html"

    def get_preview_context(self, request, mode_name):
        """The public page as it will look, occurrences computed from the unsaved rule."""
        saved = self.pk is not None
        rows = expansion.expected_occurrences(self)[:12]
        views = [
            OccurrenceView(
                uid=event_uid(self.uid),
                recurrence_id=r["recurrence_id"],
                event_id=self.pk or 0,
                title=self.title,
                start=r["start"],
                end=r["end"],
                all_day=r["all_day"],
                status="confirmed",
                kind_slug="",
                bassin_slugs=(),
                venue_name=self.local_venue_name,
                venue_address=self.venue_address,
                url="",
            )
            for r in rows
        ]
        return {
            "event": self,
            "occurrences": views,
            "bassins": list(self.bassins.all()) if saved else [],
            "themes": list(self.themes.all()) if saved else [],
            "languages": list(self.languages.all()) if saved else [],
            "is_preview": True,
            "request": request,
        }

    def touch(self) -> None:
        """Mark a change visible to calendar clients (SEQUENCE + LAST-MODIFIED)."""
        self.sequence = (self.sequence or 0) + 1
        self.updated_at = timezone.now()


class OccurrenceStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmé")
    CANCELLED = "cancelled", _("Annulé")
    MOVED = "moved", _("Déplacé")


class Occurrence(models.Model):
    """One materialised occurrence of an event.

    ``recurrence_id`` is the instant the rule produced (aware, UTC): it identifies the
    occurrence for ever (iCal RECURRENCE-ID) even when the occurrence is moved.
    ``is_exception`` rows were edited by a person and survive regeneration.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="occurrences")
    recurrence_id = models.DateTimeField()
    start = models.DateTimeField(db_index=True)
    end = models.DateTimeField()
    all_day = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=OccurrenceStatus.choices, default=OccurrenceStatus.CONFIRMED
    )
    is_exception = models.BooleanField(default=False)
    # Overrides of the series' details for this occurrence only (blank = inherit).
    title_fr = models.CharField(_("titre (FR)"), max_length=200, blank=True)
    title_nl = models.CharField(_("titre (NL)"), max_length=200, blank=True)
    venue_name = models.CharField(_("lieu"), max_length=200, blank=True)
    venue_address = models.CharField(_("adresse"), max_length=250, blank=True)
    note_fr = models.CharField(_("remarque (FR)"), max_length=300, blank=True)
    note_nl = models.CharField(_("remarque (NL)"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recurrence_id"], name="unique_occurrence_recurrence_id"
            )
        ]
        indexes = [models.Index(fields=["end"])]
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")

    def __str__(self) -> str:
        local = timezone.localtime(self.start, zoneinfo.ZoneInfo(BRUSSELS))
        return f"{self.event} – {local:%Y-%m-%d %H:%M}"


@dataclass(frozen=True)
class OccurrenceView:
    """One occurrence as pages, the API and the newsletter show it (titles translated)."""

    uid: str
    recurrence_id: datetime.datetime
    event_id: int
    title: str
    start: datetime.datetime
    end: datetime.datetime
    all_day: bool
    status: str
    kind_slug: str
    bassin_slugs: tuple[str, ...]
    venue_name: str
    venue_address: str
    url: str
    kind_name: str = ""
    is_regional: bool = False
    is_recurring: bool = False
    note: str = ""
    occurrence_id: int = 0
    # Rendered forms of this view: its rows by (template, layout, test id, language)
    # (events.templatetags.agenda_rows) and its API JSON (events.presentation).
    fragments: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def path(self) -> str:
        """The event page without the host, for links inside the site."""
        prefix = settings.SITE_URL
        return self.url[len(prefix) :] if self.url.startswith(prefix) else self.url

    @property
    def is_cancelled(self) -> bool:
        return self.status == OccurrenceStatus.CANCELLED

    @property
    def is_moved(self) -> bool:
        return self.status == OccurrenceStatus.MOVED
