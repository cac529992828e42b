import pytest


@pytest.fixture
def agenda_reference(db, monkeypatch):
    """Bassins, themes, postal codes and agenda kinds, without the Wagtail page tree
    (which the agenda does not need and which makes each test several seconds slower)."""
    import bassins.pages
    from bassins import reference as bassins_reference
    from events import reference as events_reference

    monkeypatch.setattr(bassins.pages, "ensure_site_pages", lambda log=None: 0)
    bassins_reference.load(log=lambda message: None)
    events_reference.load(log=lambda message: None)
