"""Every test that needs a service is left out of the SQLite pass (``-m "not integration"``),
where CI would fail it."""

import re
import subprocess
import sys

from tests.conftest import ROOT, SERVICE_FIXTURES

TEST_FUNCTION = re.compile(r"def (test_\w+)\(([^)]*)\)", re.DOTALL)


def asking_for_a_service() -> set[tuple[str, str]]:
    """(file, test) of every test whose signature names a service fixture."""
    found = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        for name, parameters in TEST_FUNCTION.findall(path.read_text()):
            if any(fixture in parameters for fixture in SERVICE_FIXTURES):
                found.add((str(path.relative_to(ROOT)), name))
    return found


def test_no_test_asking_for_a_service_is_in_the_sqlite_pass():
    wanted = asking_for_a_service()
    # One collection of just those files, as the services pass selects them.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--collect-only",
            "-q",
            "-m",
            "integration and not browser",
            *sorted({path for path, _name in wanted}),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    services_pass = {
        (node.split("::", 1)[0], node.split("::")[-1].split("[", 1)[0])
        for node in result.stdout.splitlines()
        if "::" in node
    }
    assert wanted - services_pass == set()
    # The four tests that once slipped into the SQLite pass are among them.
    assert ("tests/platform/test_cache_backend.py", "test_the_site_uses_it_with_redis") in wanted
    assert (
        "tests/newsletters/test_sending.py",
        "test_a_mark_that_fails_stops_the_batch_and_is_not_blamed_on_the_next_message",
    ) in wanted
