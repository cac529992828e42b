"""Any change to the agenda replaces the agenda version, so cached feeds and pages expire."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from bassins.models import Bassin, Theme

from .models import Event, EventKind, Occurrence, agenda_changed
from .version import AGENDA_VERSION


def _bump(**_kwargs):
    # Now (so this transaction's own reads are fresh) and after the commit (so a page
    # cached by another request meanwhile, with the old rows, is not served again).
    AGENDA_VERSION.bump_on_commit()


def connect():
    # Bassins and themes too: their names are on the pages, feeds and filter bars.
    for model in (Event, EventKind, Occurrence, Bassin, Theme):
        post_save.connect(_bump, sender=model, dispatch_uid=f"events-feed-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"events-feed-del-{model.__name__}")
    for through in (Event.bassins.through, Event.themes.through, Event.languages.through):
        m2m_changed.connect(_bump, sender=through, dispatch_uid=f"events-feed-m2m-{through}")
    agenda_changed.connect(_bump, dispatch_uid="events-feed-agenda-changed")
