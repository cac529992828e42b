"""Bounces and complaints reported by an e-mail provider through django-anymail.

Configure the provider's tracking webhook (anymail's ``urls``) and every hard bounce,
complaint or provider-side unsubscribe suppresses the address for good.
"""

from __future__ import annotations

import logging

from core.privacy import mask_email

from .sending import record_bounce, suppress_address

logger = logging.getLogger(__name__)

# anymail's normalized event types that mean "never mail this address again".
SUPPRESSING_EVENTS = {
    "bounced": "hard-bounce",
    "complained": "complaint",
    "unsubscribed": "esp-unsubscribe",
}


def on_tracking_event(sender, event, esp_name, **kwargs) -> None:
    reason = SUPPRESSING_EVENTS.get(event.event_type)
    if event.event_type == "rejected" and (event.reject_reason or "") in ("bounced", "invalid"):
        reason = "rejected-" + event.reject_reason
    if not reason or not event.recipient:
        return
    logger.info("%s: %s for %s", esp_name, reason, mask_email(event.recipient))
    if event.event_type == "bounced" or reason.startswith("rejected"):
        record_bounce(event.recipient, reason, event.message_id or "")
    else:
        suppress_address(event.recipient, reason)
