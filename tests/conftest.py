"""Shared pytest setup."""

import os

# Headless by default: Qt must never need a screen in tests (./run.sh test sets it too).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from tests.pg_cluster import ON_POSTGRESQL, TEMPLATE, start_cluster

SEED = (
    Path(__file__).resolve().parent.parent
    / "seeds"
    / "republika-2015-10-25-rusia-tawarkan-kerja-sama.txt"
)
DATA = Path(__file__).resolve().parent / "data"


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: about SQLite itself (files, pragmas, plans); skipped on PostgreSQL"
    )


def pytest_collection_modifyitems(config, items) -> None:
    if not ON_POSTGRESQL:
        return
    skip = pytest.mark.skip(reason="about SQLite itself (ANNOTATOR_TEST_ENGINE=postgresql)")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def pg_cluster():
    """The session's throwaway PostgreSQL cluster (only with ANNOTATOR_TEST_ENGINE=postgresql)."""
    if not ON_POSTGRESQL:
        pytest.skip("needs ANNOTATOR_TEST_ENGINE=postgresql")
    yield from start_cluster()


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory, request) -> Path | str:
    """One migrated database with the default labels; each test gets a copy of it."""
    from annotator.workspace import Workspace

    if ON_POSTGRESQL:
        cluster = request.getfixturevalue("pg_cluster")
        cluster.admin(f"CREATE DATABASE {TEMPLATE}")
        Workspace.open(cluster.url(TEMPLATE), annotator="tester").close()
        return TEMPLATE
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    Workspace.open(path, annotator="tester").close()
    return path


@pytest.fixture
def db_path(tmp_path, _template_db, request):
    """A fresh migrated database: a SQLite file (a Path), or on PostgreSQL a database's URL."""
    if ON_POSTGRESQL:
        cluster = request.getfixturevalue("pg_cluster")
        name = cluster.new_database(template=TEMPLATE)
        yield cluster.url(name)
        cluster.drop(name)
        return
    from annotator.store.engine import copy_sqlite

    path = tmp_path / "test.sqlite"
    copy_sqlite(_template_db, path)
    yield path


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


# -- a small corpus for the concordance (tests/store, tests/workspace, tests/gui) --------------

CONCORDANCE_TEXTS = (
    ("Alpha", "Presiden Joko Widodo bertemu Putin di Jakarta.\nJoko Widodo tersenyum."),
    ("Beta", "Menteri Sergey Lavrov tiba di Jakarta kemarin. Presiden Putin diam."),
    ("Gamma", "Tidak ada apa-apa di Bandung. Joko pulang."),
)
# (document index, text, label, rule): each text's first occurrence after the one before.
CONCORDANCE_SUGGESTIONS = (
    (0, "Joko Widodo", "PERSON", "people"),
    (0, "Putin", "PERSON", "people"),
    (0, "Jakarta", "LOC", "places"),
    (0, "Joko Widodo", "PERSON", "people"),
    (1, "Sergey Lavrov", "PERSON", "people"),
    (1, "Jakarta", "LOC", "places"),
    (1, "Putin", "PERSON", "people"),
    (2, "Bandung", "LOC", "places"),
    (2, "Joko", "PERSON", "people"),
)


@pytest.fixture
def concordance_corpus(workspace):
    """Three documents, nine pending suggestions of two rules, and one span made by hand
    (ROLE "Menteri" in Beta); returns (workspace, document ids)."""
    from annotator.core.model import Document, Suggestion

    store = workspace.store
    ids = store.documents.insert(
        [Document(text=text, title=title, source=title) for title, text in CONCORDANCE_TEXTS],
        annotator="tester",
    )
    found: dict[int, list[Suggestion]] = {doc_id: [] for doc_id in ids}
    after: dict[tuple[int, str], int] = {}
    for index, text, label, rule in CONCORDANCE_SUGGESTIONS:
        doc_text = CONCORDANCE_TEXTS[index][1]
        start = doc_text.index(text, after.get((index, text), 0))
        after[(index, text)] = start + len(text)
        found[ids[index]].append(Suggestion(start, start + len(text), label, text, rule))
    for doc_id, proposed in found.items():
        store.suggestions.replace(
            doc_id, proposed, {"people": 1, "places": 1}, "test", annotator="tester"
        )
    beta = CONCORDANCE_TEXTS[1][1]
    workspace.add_span(ids[1], beta.index("Menteri"), beta.index("Menteri") + 7, "ROLE")
    return workspace, ids
