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
