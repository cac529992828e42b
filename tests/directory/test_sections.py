"""Organisation page sections: the hook other apps fill; the directory imports none of them."""

import ast
from pathlib import Path

import grimp
import pytest

from directory import sections
from directory.models import Organisation

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(sections, "_SECTIONS", {})
    return sections


def test_sections_render_in_order_and_a_section_with_nothing_is_left_out(registry, tmp_path):
    registry.register_organisation_section(
        "second",
        "directory/email/verification_reminder.txt",
        lambda org: {"organisation": org},
        order=20,
    )
    registry.register_organisation_section(
        "first",
        "directory/email/verification_reminder.txt",
        lambda org: {"organisation": org},
        order=10,
    )
    registry.register_organisation_section("empty", "missing.html", lambda org: None, order=0)
    assert [s.name for s in registry.registered_sections()] == ["empty", "first", "second"]
    rendered = registry.organisation_sections(Organisation(slug="x", name_fr="Asbl X"))
    assert len(rendered) == 2 and all("Asbl X" in html for html in rendered)


def test_the_agenda_and_the_open_doors_register_their_sections():
    names = [s.name for s in sections.registered_sections()]
    assert names.index("opendoors") < names.index("events")


def test_directory_imports_nothing_from_events():
    graph = grimp.build_graph("directory", "events", "newsletters")
    directory = {m for m in graph.modules if m.startswith("directory")}
    imported = {i for m in directory for i in graph.find_modules_directly_imported_by(m)}
    assert sorted(m for m in imported if m.startswith(("events", "newsletters"))) == []
    templates = (ROOT / "templates" / "directory").rglob("*.html")
    assert [t.name for t in templates if "opendoors_tags" in t.read_text()] == []


@pytest.mark.parametrize("app", ["directory", "newsletters"])
def test_no_project_import_inside_a_function_outside_ready_and_commands(app):
    found = []
    for path in (ROOT / app).rglob("*.py"):
        if {"migrations", "management"} & set(path.parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if function.name == "ready":
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and (
                    node.level
                    or (node.module or "").split(".")[0]
                    in {"directory", "newsletters", "events", "bassins", "core", "maillage"}
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


@pytest.mark.parametrize("app", ["directory", "newsletters"])
def test_no_import_cycle_inside_the_app(app):
    graph = grimp.build_graph(app)
    modules = {m for m in graph.modules if ".migrations" not in m}
    cycles = sorted(
        tuple(sorted((a, b)))
        for a in modules
        for b in graph.find_modules_directly_imported_by(a)
        if b in modules and graph.chain_exists(importer=b, imported=a)
    )
    assert cycles == []
