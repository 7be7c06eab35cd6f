"""The layers: the import-linter contract holds, and docs/architecture.md pictures it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from importlinter.application.use_cases import lint_imports
from importlinter.configuration import configure

ROOT = Path(__file__).resolve().parents[1]


def contract(contract_id: str) -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["id"] == contract_id)


def test_every_import_respects_the_layers_and_the_pure_core(monkeypatch):
    monkeypatch.chdir(ROOT)
    configure()  # what the lint-imports command does first
    assert lint_imports(cache_dir=None, no_logo=True) is True


def test_the_architecture_document_pictures_the_contract_layer_by_layer():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- layers:start -->\n```text\n(.*?)```\n<!-- layers:end -->", text, re.S)
    assert block, "docs/architecture.md lost its layers block"
    pictured = [re.sub(r"^\s*\d+\s+", "", line) for line in block.group(1).splitlines()]
    assert pictured == contract("layers")["layers"]


def test_the_readme_links_the_architecture_document():
    assert "docs/architecture.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_make_lint_runs_the_contract():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "lint-imports" in lint


@pytest.mark.parametrize(
    ("hook", "registered_by"),
    [
        ("period_created", "monev.external"),
        ("overview_rows", "monev.evidence"),
        ("answer_sections", "monev.evidence"),
        ("period_tabs", "monev.evidence"),
        ("period_tabs", "monev.planning"),
        ("period_tabs", "monev.monitoring"),
        ("period_tabs", "monev.reports"),
        ("period_tabs", "monev.imports"),
        ("period_tabs", "monev.transition"),
        ("todo_sections", "monev.planning"),
    ],
)
def test_the_apps_above_evaluations_register_their_parts(hook, registered_by):
    from monev.evaluations import hooks

    registered = getattr(hooks, hook)
    functions = (
        [f for _, f in registered.items()]
        if hasattr(registered, "items")
        else list(registered._functions)
    )
    assert any(f.__module__.startswith(registered_by) for f in functions)


def test_the_assignments_app_provides_the_assessor_scope():
    from monev.evaluations import hooks

    assert hooks.assessor_scope.implementation.__name__ == "monev.assignments.selectors"
