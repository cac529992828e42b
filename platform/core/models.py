"""The outbox of transactional e-mail (see ``core.mail``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    """One transactional message to one recipient.

    Written in the same transaction as the change that causes it, sent by a Celery
    task after the commit. ``key`` makes a message idempotent: a second request
    for the same key is ignored. Once sent, the content is blanked (it holds
    personal data); the row stays until the retention purge for the per-recipient
    cap and the idempotency check.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("en attente")
        SENDING = "sending", _("en cours d'envoi")
        SENT = "sent", _("envoyé")
        CAPPED = "capped", _("non envoyé (plafond par destinataire)")
        FAILED = "failed", _("échec")

    key = models.CharField(max_length=255, unique=True)
    recipient = models.EmailField(max_length=254)
    template = models.CharField(max_length=120)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    subject = models.TextField(blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "created_at"], name="outbound_recipient_recent"),
            models.Index(fields=["status", "created_at"], name="outbound_status_created"),
        ]
        verbose_name = _("e-mail transactionnel")
        verbose_name_plural = _("e-mails transactionnels")

    def __str__(self) -> str:
        return f"{self.template} #{self.pk} ({self.get_status_display()})"
