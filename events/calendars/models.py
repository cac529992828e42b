"""Partners' calendars: iCal sources a bassin team registers, and what each imported.

A ``CalendarSource`` is polled by Celery beat (conditional GET); every VEVENT UID it
publishes maps to one agenda ``Event`` through an ``ImportedEvent`` row, which keeps
the publisher's SEQUENCE and a fingerprint of what was imported, so a second import
changes nothing and an older SEQUENCE never overwrites a newer one.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.models import Audience, Event, EventKind


class FetchStatus(models.TextChoices):
    NEVER = "never", _("Jamais importé")
    OK = "ok", _("Importé")
    NOT_MODIFIED = "not_modified", _("Inchangé depuis le dernier import")
    ERROR = "error", _("Erreur")


SUMMARY_COUNTS = ("total", "created", "updated", "unchanged", "cancelled")


def import_summary(counts: dict) -> str:
    """One import's counts as a sentence in the reader's language."""
    if not counts:
        return ""
    text = gettext(
        "%(total)s événement(s) lu(s) : %(created)s nouveau(x), %(updated)s modifié(s), "
        "%(unchanged)s inchangé(s), %(cancelled)s annulé(s) (retiré(s) du calendrier)"
    ) % {
        name: counts.get(name, 0)
        for name in ("total", "created", "updated", "unchanged", "cancelled")
    }
    extra = [
        (counts.get("pending"), gettext("%(n)s en attente de modération")),
        (counts.get("older"), gettext("%(n)s ignoré(s) (SEQUENCE plus ancienne)")),
        (counts.get("skipped"), gettext("%(n)s illisible(s)")),
    ]
    for number, label in extra:
        if number:
            text += " — " + label % {"n": number}
    return text


class ErrorCode(models.TextChoices):
    """Why the last fetch or import failed; the label is what the team reads."""

    BAD_URL = (
        "bad_url",
        _("Adresse invalide : seules http, https et webcal sont lues."),
    )
    FORBIDDEN_ADDRESS = (
        "forbidden_address",
        _("Adresse refusée : elle pointe vers un réseau interne."),
    )
    UNREACHABLE = "unreachable", _("Serveur injoignable (nom inconnu ou connexion refusée).")
    TIMEOUT = "timeout", _("Le serveur répond trop lentement : délai dépassé.")
    TOO_LARGE = "too_large", _("Le fichier dépasse la taille maximale autorisée.")
    REDIRECTS = "redirects", _("Trop de redirections (boucle ?).")
    HTTP = "http", _("Le serveur a répondu par une erreur.")
    NOT_ICAL = "not_ical", _("La réponse n'est pas un calendrier iCal lisible.")
    INTERNAL = (
        "internal",
        _("Erreur inattendue pendant l'import (voir les journaux)."),
    )


class CalendarSource(models.Model):
    """The iCal address of a partner organisation and how its events enter the agenda."""

    name = models.CharField(_("nom"), max_length=200)
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("Affichée comme organisateur quand le calendrier n'en indique pas."),
    )
    url = models.URLField(
        _("adresse iCal"),
        max_length=1000,
        help_text=_("Adresse .ics publique (https://… ou webcal://…)."),
    )
    kind = models.ForeignKey(
        EventKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("type")
    )
    bassins = models.ManyToManyField(
        "bassins.Bassin",
        blank=True,
        related_name="calendar_sources",
        verbose_name=_("bassins"),
        help_text=_("Aucun bassin : événements régionaux."),
    )
    themes = models.ManyToManyField(
        "bassins.Theme", blank=True, related_name="+", verbose_name=_("thématiques")
    )
    audience = models.CharField(
        _("public"), max_length=20, choices=Audience.choices, default=Audience.PROFESSIONALS
    )
    language = models.ForeignKey(
        "bassins.Language",
        to_field="code",
        db_column="language",
        on_delete=models.PROTECT,
        related_name="+",
        default="fr",
        verbose_name=_("langue par défaut"),
        help_text=_("Langue des événements quand le calendrier ne la précise pas."),
    )
    is_trusted = models.BooleanField(
        _("source de confiance"),
        default=False,
        help_text=_(
            "Cochée : les nouveaux événements sont publiés tout de suite. Sinon ils "
            "attendent dans « Propositions d'événements »."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    last_status = models.CharField(
        _("dernier import"), max_length=12, choices=FetchStatus.choices, default=FetchStatus.NEVER
    )
    last_error_code = models.CharField(
        _("dernière erreur"), max_length=20, choices=ErrorCode.choices, blank=True
    )
    last_error = models.TextField(
        _("détails"), blank=True, help_text=_("L'erreur, ou les événements illisibles.")
    )
    last_fetched_at = models.DateTimeField(_("dernière tentative"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("dernier import réussi"), null=True, blank=True)
    last_counts = models.JSONField(_("résumé du dernier import"), default=dict, blank=True)
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("calendrier partenaire")
        verbose_name_plural = _("calendriers partenaires")

    def __str__(self) -> str:
        return self.name

    def last_summary(self) -> str:
        return import_summary(self.last_counts)

    last_summary.short_description = _("résumé du dernier import")

    @property
    def event_source(self) -> str:
        """``Event.source`` of this source's events (``Event.source_key`` is per UID)."""
        return f"calendar:{self.pk}"


class ImportedEvent(models.Model):
    """One UID of one source and the agenda event it became.

    ``event`` is null when a person deleted the event in the admin: the UID is then
    ignored instead of coming back at the next poll.
    """

    source = models.ForeignKey(
        CalendarSource, on_delete=models.CASCADE, related_name="imported_events"
    )
    uid = models.TextField()
    key = models.CharField(max_length=64)
    event = models.ForeignKey(Event, on_delete=models.SET_NULL, null=True, related_name="+")
    remote_sequence = models.IntegerField(default=0)
    fingerprint = models.CharField(max_length=64, blank=True)
    is_removed = models.BooleanField(default=False)
    last_seen_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="unique_imported_event_key")
        ]

    def __str__(self) -> str:
        return self.uid
