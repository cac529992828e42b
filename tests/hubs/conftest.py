import io

import pytest
from django.core.management import call_command


@pytest.fixture
def territory(db, monkeypatch):
    """Bassins, communes, territory and postal codes, without the Wagtail page tree."""
    import bassins.pages
    from bassins import reference

    monkeypatch.setattr(bassins.pages, "ensure_site_pages", lambda log=None: 0)
    reference.load(log=lambda message: None)


@pytest.fixture
def site(transactional_db):
    """The reference data and the demo site, as a new install has them (browser tests)."""
    quiet = io.StringIO()
    call_command("load_reference_data", stdout=quiet)
    call_command("load_demo_data", stdout=quiet)
