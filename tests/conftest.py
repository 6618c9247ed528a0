"""Shared pytest setup."""

import os

# Headless by default: Qt must never need a screen in tests (./run.sh test sets it too).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

SEED = (
    Path(__file__).resolve().parent.parent
    / "seeds"
    / "republika-2015-10-25-rusia-tawarkan-kerja-sama.txt"
)
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory) -> Path:
    """One migrated database with the default labels; each test gets a copy of it."""
    from annotator.workspace import Workspace

    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    Workspace.open(path, annotator="tester").close()
    return path


@pytest.fixture
def db_path(tmp_path, _template_db) -> Path:
    from annotator.store.engine import copy_sqlite

    path = tmp_path / "test.sqlite"
    copy_sqlite(_template_db, path)
    return path


@pytest.fixture
def workspace(db_path):
    from annotator.workspace import Workspace

    ws = Workspace.open(db_path, annotator="tester")
    yield ws
    ws.close()


@pytest.fixture
def seed_path() -> Path:
    return SEED


@pytest.fixture
def isolated_env(monkeypatch, tmp_path):
    """No default database from the environment or the checkout leaks into a test."""
    for name in ("ANNOTATOR_DB", "ANNOTATOR_DEFAULT_DB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANNOTATOR_NAME", "tester")
    return tmp_path
