"""The layout rules of design.md §2 and issue 10, checked on the source so they stay true."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("sheet_templates", "scoring", "sync", "webhook")


def modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def imported(path: Path) -> set[str]:
    """Every module of ours that `path` imports (absolute names; relative ones resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = path.relative_to(ROOT).with_suffix("").parts
    package = here[:-1]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                names.add(".".join([*base, node.module] if node.module else base))
            else:
                names.add(node.module)
    return {n for n in names if n.split(".")[0] in PACKAGES}


@pytest.mark.parametrize("package", ["scoring", "sheet_templates"])
def test_the_pure_packages_import_nothing_of_ours(package):
    for path in (ROOT / package).rglob("*.py"):
        assert {n.split(".")[0] for n in imported(path)} <= {package}, path


def test_only_the_cli_imports_the_cli_and_only_serve_imports_the_webhook():
    for path in modules():
        rel = path.relative_to(ROOT).as_posix()
        names = imported(path)
        if not rel.startswith("sync/cli/"):
            assert not any(n == "sync.cli" or n.startswith("sync.cli.") for n in names), rel
        if rel.startswith("sync/") and rel != "sync/cli/surveys.py":
            assert not any(n.split(".")[0] == "webhook" for n in names), rel


def test_the_webhook_takes_only_surveys_config_sources_and_errors_from_sync():
    allowed = ("sync.surveys", "sync.config", "sync.sources", "sync.errors", "sync.database")
    for path in (ROOT / "webhook").rglob("*.py"):
        for name in imported(path):
            if name.split(".")[0] == "sync":
                assert name.startswith(allowed), (path, name)


def test_modules_stay_small_and_folders_readable():
    for path in (ROOT / "sync").rglob("*.py"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 350, f"{path.relative_to(ROOT)} has {lines} lines"
    for folder in [ROOT / "sync", *(p for p in (ROOT / "sync").rglob("*") if p.is_dir())]:
        if folder.name in ("__pycache__", "templates"):
            continue
        count = len(list(folder.glob("*.py")))
        assert count <= 15, f"{folder.relative_to(ROOT)} has {count} modules"


_PURE_ALLOWED = {"__future__", "dataclasses", "datetime", "decimal", "fractions", "functools", "itertools",
                 "math", "numbers", "re", "types", "typing", "collections", "enum", "statistics", "numpy",
                 "pandas", "scoring"}


def test_scoring_does_no_io():
    """design.md §2: scoring is pure functions over DataFrames; reading and writing live in sync/."""
    for path in (ROOT / "scoring").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                roots = {"scoring"} if node.level else {(node.module or "").split(".")[0]}
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("open", "print", "input"), (path, node.lineno)
                continue
            else:
                continue
            assert roots <= _PURE_ALLOWED, (path.relative_to(ROOT).as_posix(), roots - _PURE_ALLOWED)
