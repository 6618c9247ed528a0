"""The change feed: what other connections committed since a mark, on one SQLite file opened
twice (as two windows, or two processes, would)."""

from __future__ import annotations

import time

import pytest

from annotator.core.model import Document
from annotator.workspace import Workspace

TEXT = "Presiden Joko Widodo bertemu Menteri luar negeri di Jakarta kemarin."


@pytest.fixture
def pair(db_path):
    mine = Workspace.open(db_path, annotator="ani")
    other = Workspace.open(db_path, annotator="budi")
    docs = mine.store.documents.insert(
        [Document(text=TEXT, title="satu"), Document(text=TEXT + " Lagi.", title="dua")],
        annotator="ani",
    )
    yield mine, other, list(docs)
    other.close()
    mine.close()


def _next(ws, mark):
    """``changes_since`` as the window asks it, until it has news (2 s at most): PostgreSQL's
    notification reaches the listening connection a moment after the commit."""
    deadline = time.monotonic() + 2
    while True:
        mark, changed = ws.changes_since(mark)
        if not changed.empty or time.monotonic() > deadline:
            return mark, changed
        time.sleep(0.05)


def test_nothing_changed_is_nothing(pair):
    mine, _other, _docs = pair
    mark, changed = mine.changes_since(None)
    again, changed = mine.changes_since(mark)
    assert again == mark
    assert changed.empty


def test_another_connections_step_is_seen_with_its_document(pair):
    mine, other, (_first, second) = pair
    mark, _ = mine.changes_since(None)
    other.add_span(second, 9, 20, "PERSON")
    new_mark, changed = _next(mine, mark)
    assert new_mark > mark
    assert changed.documents == {second}
    assert "span" in changed.entities
    # Seen once: the next look has nothing new.
    assert mine.changes_since(new_mark)[1].empty


def test_own_changes_are_left_out(pair):
    mine, other, (first, second) = pair
    mark, _ = mine.changes_since(None)
    mine.add_span(first, 9, 20, "PERSON")
    mark, changed = mine.changes_since(mark)
    assert changed.empty
    other.add_span(second, 0, 8, "PERSON")
    mine.undo()
    mark, changed = _next(mine, mark)
    assert changed.documents == {second}  # the undo in ``first`` was this workspace's own


def test_label_and_rule_changes_are_named(pair):
    mine, other, _docs = pair
    mark, _ = mine.changes_since(None)
    other.add_label("VEHICLE", colour="#123456")
    mark, changed = _next(mine, mark)
    assert "label" in changed.entities
    other.learn_term("PERSON", "Joko")
    _, changed = _next(mine, mark)
    assert "rule" in changed.entities


def test_a_rolled_back_step_leaves_no_own_id_behind(pair):
    """SQLite reuses the id of a rolled-back row: another's row with that id must not be taken
    for this workspace's own."""
    mine, other, (first, second) = pair
    mark, _ = mine.changes_since(None)
    with pytest.raises(RuntimeError), mine.store.step("fails", annotator="ani"):
        mine.add_span(first, 9, 20, "PERSON")
        raise RuntimeError("halfway")
    other.add_span(second, 9, 20, "PERSON")
    _, changed = _next(mine, mark)
    assert changed.documents == {second}
