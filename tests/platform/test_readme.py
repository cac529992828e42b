"""The README's promises stay true: configuration table, commands, scripts."""

import re
from pathlib import Path

from tests.platform.test_compose import variables_read_by_the_code

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
DOCS = README + "".join(p.read_text() for p in (ROOT / "docs").glob("*.md"))


def test_every_environment_variable_the_code_reads_is_documented():
    undocumented = sorted(name for name in variables_read_by_the_code() if f"`{name}`" not in DOCS)
    assert undocumented == [], "document them in README.md (Configuration) or docs/<area>.md"


def test_the_two_commands_and_the_scripts_they_name_exist():
    commands = re.findall(r"^\s*bash (scripts/\w+\.sh)$", README, re.M)
    assert commands[:2] == ["scripts/serve.sh", "scripts/test.sh"]
    for script in ("serve.sh", "test.sh", "setup.sh", "services.sh", "bench.sh"):
        assert (ROOT / "scripts" / script).exists()
    assert "scripts/test.sh" in (ROOT / ".ci/run").read_text()
    makefile = (ROOT / "Makefile").read_text()
    for target in ("run:", "test:", "bench:", "lint:"):
        assert target in makefile
