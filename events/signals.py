"""Any change to the agenda invalidates the cached feeds."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save


def _bump(**_kwargs):
    from .feeds import bump_feed_version

    # Now (so this transaction's own reads are fresh) and after the commit (so a page
    # cached by another request meanwhile, with the old rows, is not served again).
    bump_feed_version()
    transaction.on_commit(bump_feed_version)


def connect():
    from .models import Event, EventKind, Occurrence

    for model in (Event, EventKind, Occurrence):
        post_save.connect(_bump, sender=model, dispatch_uid=f"events-feed-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"events-feed-del-{model.__name__}")
    for through in (Event.bassins.through, Event.themes.through):
        m2m_changed.connect(_bump, sender=through, dispatch_uid=f"events-feed-m2m-{through}")
