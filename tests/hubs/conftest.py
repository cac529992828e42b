import pytest


@pytest.fixture
def territory(db, monkeypatch):
    """Bassins, communes, territory and postal codes, without the Wagtail page tree."""
    import bassins.pages
    from bassins import reference

    monkeypatch.setattr(bassins.pages, "ensure_site_pages", lambda log=None: 0)
    reference.load(log=lambda message: None)
