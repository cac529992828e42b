"""Every test that needs a service is left out of the SQLite pass (``-m "not integration"``),
where CI would fail it."""

import subprocess
import sys

from tests.conftest import ROOT, SERVICE_FIXTURES


def collected(mark_expression: str) -> set[str]:
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
            mark_expression,
            "tests",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return {line for line in result.stdout.splitlines() if "::" in line}


def test_no_test_asking_for_a_service_is_in_the_sqlite_pass():
    sqlite_pass = collected("not integration and not browser")
    offenders = []
    for node_id in sqlite_pass:
        path = ROOT / node_id.split("::", 1)[0]
        source = path.read_text()
        name = node_id.split("::")[-1].split("[", 1)[0]
        start = source.find(f"def {name}(")
        signature = source[start : source.find(")", start)]
        if any(fixture in signature for fixture in SERVICE_FIXTURES):
            offenders.append(node_id)
    assert offenders == []
    # The four tests that once slipped in are now in the services pass.
    services_pass = collected("integration and not browser")
    assert any(
        "test_cache_backend.py::test_the_site_uses_it_with_redis" in n for n in services_pass
    )
    assert any(
        "test_sending.py::test_a_mark_that_fails_stops_the_batch" in n for n in services_pass
    )
