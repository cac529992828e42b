"""Semaines Portes Ouvertes: the week, the organisations that open their doors,
their visit slots, the professionals' bookings and the appreciation answers.

Capacity is enforced in ``services.book_slot`` (row lock on the slot); the
database adds what it can check by itself: positive capacity, one active
booking per e-mail and slot, one week per bassin and year.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import BilingualNameMixin, current_content_language


def default_slot_formats() -> list[dict]:
    """The formats seed 002 describes (3-hour sessions, twice a day) plus a network lunch."""
    return [
        {"label_fr": "Matin", "label_nl": "Voormiddag", "start": "09:00", "end": "12:00"},
        {"label_fr": "Lunch réseau", "label_nl": "Netwerklunch", "start": "12:00", "end": "14:00"},
        {"label_fr": "Après-midi", "label_nl": "Namiddag", "start": "14:00", "end": "17:00"},
    ]


class OpenDoorWeek(BilingualNameMixin, models.Model):
    """One Semaine Portes Ouvertes of one bassin (one per bassin and year)."""

    bassin = models.ForeignKey(
        "bassins.Bassin",
        on_delete=models.PROTECT,
        related_name="open_door_weeks",
        verbose_name=_("bassin"),
    )
    year = models.PositiveSmallIntegerField(_("année"))
    slug = models.SlugField(_("identifiant"), unique=True, max_length=80)
    name_fr = models.CharField(_("nom (FR)"), max_length=120)
    name_nl = models.CharField(_("nom (NL)"), max_length=120)
    start_date = models.DateField(_("premier jour"))
    end_date = models.DateField(_("dernier jour"))
    description_fr = models.TextField(_("description (FR)"), blank=True)
    description_nl = models.TextField(_("description (NL)"), blank=True)
    registration_opens = models.DateField(_("ouverture des inscriptions des organisations"))
    registration_closes = models.DateField(_("clôture des inscriptions des organisations"))
    booking_opens = models.DateField(_("ouverture des réservations"))
    booking_closes = models.DateField(_("clôture des réservations"))
    slot_formats = models.JSONField(
        _("créneaux proposés par défaut"),
        default=default_slot_formats,
        blank=True,
        help_text=_('Liste de {"label_fr", "label_nl", "start": "09:00", "end": "12:00"}.'),
    )
    team = models.ForeignKey(
        "auth.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="open_door_weeks",
        verbose_name=_("équipe qui modère"),
    )
    is_published = models.BooleanField(_("publiée"), default=True)
    is_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["bassin", "year"],
                condition=Q(is_demo=False),
                name="opendoors_one_week_per_year",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="opendoors_week_end_after_start",
            ),
        ]
        verbose_name = _("Semaine Portes Ouvertes")
        verbose_name_plural = _("Semaines Portes Ouvertes")

    def __str__(self) -> str:
        return f"{self.tr('name')} ({self.bassin.name_fr} {self.year})"

    @property
    def description(self) -> str:
        return self.tr("description")

    def clean(self):
        """Coherent dates: the windows are ordered and booking closes by the last day."""
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Le dernier jour doit suivre le premier jour.")
        if (
            self.registration_opens
            and self.registration_closes
            and self.registration_closes < self.registration_opens
        ):
            errors["registration_closes"] = _("La clôture doit suivre l'ouverture.")
        if self.booking_opens and self.booking_closes and self.booking_closes < self.booking_opens:
            errors["booking_closes"] = _("La clôture doit suivre l'ouverture.")
        if self.booking_closes and self.end_date and self.booking_closes > self.end_date:
            errors["booking_closes"] = _(
                "Les réservations doivent se clôturer au plus tard le dernier jour de la semaine."
            )
        if errors:
            raise ValidationError(errors)

    def slot_format_labels(self) -> list[str]:
        """The default formats as "Matin 09:00-12:00" in the active language."""
        language = current_content_language()
        return [
            f"{item.get(f'label_{language}') or item.get('label_fr', '')} "
            f"{item.get('start', '')}–{item.get('end', '')}".strip()
            for item in self.slot_formats or []
        ]

    def days(self) -> list[datetime.date]:
        count = (self.end_date - self.start_date).days + 1
        return [self.start_date + datetime.timedelta(days=n) for n in range(count)]

    def registration_open_on(self, day: datetime.date) -> bool:
        return self.registration_opens <= day <= self.registration_closes

    def booking_open_on(self, day: datetime.date) -> bool:
        return self.booking_opens <= day <= self.booking_closes

    def editable_by_organisations_on(self, day: datetime.date) -> bool:
        """Organisations edit through their link until the booking window opens."""
        return day < self.booking_opens


class RegistrationStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("E-mail à confirmer")
    SUBMITTED = "submitted", _("À modérer")
    CHANGES_REQUESTED = "changes_requested", _("Modifications demandées")
    APPROVED = "approved", _("Approuvée")
    REJECTED = "rejected", _("Refusée")


class Registration(models.Model):
    """An organisation's registration to open its doors during a week."""

    week = models.ForeignKey(OpenDoorWeek, on_delete=models.CASCADE, related_name="registrations")
    organisation_name = models.CharField(_("organisation"), max_length=200)
    # A reference to the directory given as text that names no entry (kept as given);
    # the entry itself is ``directory_organisation``.
    directory_reference = models.CharField(max_length=120, blank=True)
    # The organisation's directory entry when it picked one; the name and address above
    # stay what the organisation typed or accepted (a department may register alone).
    directory_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fiche du répertoire"),
    )
    contact_name = models.CharField(_("personne de contact"), max_length=120)
    contact_email = models.EmailField(_("e-mail de contact"))
    contact_phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    language = models.CharField(_("langue de contact"), max_length=2, default="fr")
    street = models.CharField(_("adresse"), max_length=200)
    postal_code = models.CharField(_("code postal"), max_length=4)
    city = models.CharField(_("commune"), max_length=80, blank=True)
    commune = models.ForeignKey(
        "bassins.Commune", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    suggested_bassin = models.ForeignKey(
        "bassins.Bassin", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outside_bassin = models.BooleanField(_("adresse hors du bassin"), default=False)
    discover = models.TextField(_("ce que les visiteurs découvriront"))
    languages = models.ManyToManyField(
        "bassins.Language", related_name="+", verbose_name=_("langues parlées")
    )
    accessibility = models.TextField(_("accessibilité"), blank=True)
    themes = models.ManyToManyField("bassins.Theme", blank=True, related_name="+")
    status = models.CharField(
        max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.UNCONFIRMED
    )
    moderation_message = models.TextField(_("message de l'équipe"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["week", "organisation_name"]
        verbose_name = _("inscription d'organisation")
        verbose_name_plural = _("inscriptions d'organisations")

    def __str__(self) -> str:
        return self.organisation_name


class SlotFormat(models.TextChoices):
    VISIT = "visit", _("Visite")
    PRESENTATION = "presentation", _("Présentation")
    IMMERSION = "immersion", _("Immersion")


class Slot(models.Model):
    """A visit an organisation offers on one day of the week, for ``capacity`` people."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="slots")
    date = models.DateField(_("jour"))
    start_time = models.TimeField(_("début"))
    end_time = models.TimeField(_("fin"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    format = models.CharField(
        _("format"), max_length=20, choices=SlotFormat.choices, default=SlotFormat.VISIT
    )

    class Meta:
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="opendoors_capacity_positive"),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="opendoors_slot_ends_after_start",
            ),
        ]
        verbose_name = _("créneau de visite")
        verbose_name_plural = _("créneaux de visite")

    def __str__(self) -> str:
        return f"{self.registration} {self.date} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))

    def ends_at(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date, self.end_time))


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmée")
    WAITLISTED = "waitlisted", _("Liste d'attente")
    CANCELLED = "cancelled", _("Annulée")


ACTIVE_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.WAITLISTED)


class Booking(models.Model):
    """A professional's place (or waiting-list position) on one bookable occasion:
    an open-door visit slot, one occurrence of an agenda event whose registration
    mode is "Inscription sur Maillage" (capacity: ``Event.capacity``, per occurrence),
    or every date of such an event registered for as a whole series (``event``; the
    capacity is then one pool for the series). Exactly one of ``slot``, ``occurrence``
    and ``event`` is set."""

    slot = models.ForeignKey(
        Slot, on_delete=models.CASCADE, related_name="bookings", null=True, blank=True
    )
    occurrence = models.ForeignKey(
        "events.Occurrence",
        on_delete=models.CASCADE,
        related_name="bookings",
        null=True,
        blank=True,
        verbose_name=_("date de l'événement"),
    )
    event = models.ForeignKey(
        "events.Event",
        on_delete=models.CASCADE,
        related_name="series_bookings",
        null=True,
        blank=True,
        verbose_name=_("série (toutes les dates)"),
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=12, choices=BookingStatus.choices)
    name = models.CharField(_("nom"), max_length=120)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(_("organisation"), max_length=200)
    profession = models.CharField(_("profession"), max_length=120)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    language = models.CharField(max_length=2, default="fr")
    consent_at = models.DateTimeField()
    # SEQUENCE of the booking's calendar entry: raised on every change so calendars update.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    appreciation_sent_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "email"],
                condition=Q(status__in=["confirmed", "waitlisted"]) & ~Q(email=""),
                name="opendoors_one_active_booking_per_email",
            ),
            models.UniqueConstraint(
                fields=["occurrence", "email"],
                condition=Q(status__in=["confirmed", "waitlisted"]) & ~Q(email=""),
                name="opendoors_one_active_occurrence_booking_per_email",
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=["confirmed", "waitlisted"]) & ~Q(email=""),
                name="opendoors_one_active_series_booking_per_email",
            ),
            models.CheckConstraint(
                condition=Q(slot__isnull=False, occurrence__isnull=True, event__isnull=True)
                | Q(slot__isnull=True, occurrence__isnull=False, event__isnull=True)
                | Q(slot__isnull=True, occurrence__isnull=True, event__isnull=False),
                name="opendoors_booking_one_occasion",
            ),
        ]
        indexes = [
            models.Index(fields=["slot", "status", "created_at"]),
            models.Index(fields=["occurrence", "status", "created_at"]),
            models.Index(fields=["event", "status", "created_at"]),
        ]
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")

    def __str__(self) -> str:
        return f"{self.name} — {self.occasion}"

    @property
    def occasion(self):
        """What is booked: the ``Slot``, the ``events.Occurrence`` or the whole series
        (the ``events.Event``)."""
        if self.slot_id is not None:
            return self.slot
        return self.occurrence if self.occurrence_id is not None else self.event

    @property
    def agenda_event(self):
        """The agenda event registered for (one of its dates or the series); None for a
        visit."""
        if self.event_id is not None:
            return self.event
        return self.occurrence.event if self.occurrence_id is not None else None


class AppreciationResponse(models.Model):
    """One answer to the after-the-week appreciation form (seed 002: one was used in 2022)."""

    week = models.ForeignKey(OpenDoorWeek, on_delete=models.CASCADE, related_name="appreciations")
    booking = models.OneToOneField(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="appreciation"
    )
    rating = models.PositiveSmallIntegerField(_("appréciation générale (1 à 5)"))
    useful = models.BooleanField(_("utile pour ma pratique"))
    come_again = models.BooleanField(_("je reviendrai l'an prochain"))
    comment = models.TextField(_("commentaire"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="opendoors_rating_1_5"
            )
        ]
        verbose_name = _("réponse d'appréciation")
        verbose_name_plural = _("réponses d'appréciation")

    def __str__(self) -> str:
        return f"{self.week} — {self.rating}/5"
