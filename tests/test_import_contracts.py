"""The import contracts (pyproject.toml, [tool.importlinter]) hold, cover every module, and fail
on a deliberate violation: the layers of DESIGN.md are a check, not a wish."""

from __future__ import annotations

import os
import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import annotator

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _config() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["tool"]["importlinter"]


def _layered_modules() -> set[str]:
    (layers,) = [c for c in _config()["contracts"] if c["type"] == "layers"]
    return {name.strip() for layer in layers["layers"] for name in layer.split("|")}


def _lint(package_parent: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports on the ``annotator`` package found in ``package_parent``."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", str(ROOT / "pyproject.toml")],
        cwd=package_parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_every_module_of_the_package_is_in_a_layer():
    modules = {f"annotator.{m.name}" for m in pkgutil.iter_modules(annotator.__path__)}
    assert modules - _layered_modules() == set(), "add the new module to the Layers contract"
    assert _layered_modules() - modules == set(), "the Layers contract names a module that is gone"


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the package that a test may break without touching the real one."""
    parent = tmp_path_factory.mktemp("lint")
    shutil.copytree(
        Path(annotator.__file__).parent,
        parent / "annotator",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    return parent


def test_the_contracts_hold_on_the_package_as_it_is(package_copy):
    result = _lint(package_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # The GUI skipping the workspace (the example).
        (
            "gui/skips_workspace.py",
            "from annotator.store.store import Store",
            "The GUI and the CLI reach the data only through the workspace",
        ),
        (
            "gui/parses_rules.py",
            "from annotator.rules.load import load_pack",
            "The GUI and the CLI reach the data only through the workspace",
        ),
        (
            "gui/uses_cli.py",
            "from annotator.cli_support import table",
            "The GUI does not use the CLI's helpers",
        ),
        ("rules/reads_store.py", "import annotator.store.schema", "Layers"),
        ("io/needs_rules.py", "from annotator.rules import Rule", "Layers"),
        ("core/draws.py", "from PySide6.QtCore import QObject", "Qt only in annotator.gui"),
        ("workspace/writes_sql.py", "import sqlalchemy", "SQLAlchemy and Alembic only"),
        ("core/asks_up.py", "from annotator.workspace import Workspace", "Layers"),
    ],
)
def test_a_deliberate_violation_breaks_the_build(package_copy, module, line, contract):
    bad = package_copy / "annotator" / module
    bad.write_text(f'"""A deliberate violation."""\n\n{line}\n', encoding="utf-8")
    try:
        result = _lint(package_copy)
    finally:
        bad.unlink()
    assert result.returncode != 0
    broken = [line for line in result.stdout.splitlines() if line.endswith(" BROKEN")]
    assert any(line.startswith(contract) for line in broken), result.stdout
    # The report names the bad module: it is this import that broke the contract.
    assert "annotator." + module.removesuffix(".py").replace("/", ".") + " ->" in result.stdout
