import pytest


@pytest.fixture
def agenda_reference(reference_data):
    """Bassins, themes, postal codes and agenda kinds: the session's reference data
    (tests/conftest.py)."""
