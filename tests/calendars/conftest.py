from tests.events.conftest import agenda_reference  # noqa: F401
