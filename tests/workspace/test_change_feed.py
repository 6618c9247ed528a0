"""The change feed: what other connections committed since a mark, on one SQLite file opened
twice (as two windows, or two processes, would)."""

from __future__ import annotations

import threading
import time

import pytest

from annotator.core.errors import UsageError
from annotator.core.model import Document
from annotator.workspace import Workspace
from tests.pg_cluster import ON_POSTGRESQL

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


def _next(ws, mark, seconds=2.0, pace=0.05):
    """``changes_since`` as the window asks it, until it has news (2 s at most): PostgreSQL's
    notification reaches the listening connection a moment after the commit."""
    deadline = time.monotonic() + seconds
    while True:
        mark, changed = ws.changes_since(mark)
        if not changed.empty or time.monotonic() > deadline:
            return mark, changed
        time.sleep(pace)


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


def test_an_import_by_another_is_seen(pair, tmp_path):
    """A bulk import writes its change log without a NOTIFY on PostgreSQL: the feed reads the
    rows anyway every tenth look (5 s at the window's pace)."""
    mine, other, _docs = pair
    mark, _ = mine.changes_since(None)
    source = tmp_path / "baru.txt"
    source.write_text("Gubernur tiba di Surabaya kemarin.", encoding="utf-8")
    other.import_paths([source])
    _, changed = _next(mine, mark, seconds=8, pace=0.5)
    assert "document" in changed.entities
    assert len(changed.documents) == 1


@pytest.mark.skipif(not ON_POSTGRESQL, reason="a deadlock between two writers is PostgreSQL's")
def test_two_steps_waiting_on_each_other_end_with_one_message_and_one_success(pair):
    """Found by the soak on PostgreSQL: two analysts' steps, each holding what the other needs
    next, waited on each other. The server cancels one: a message, nothing of it changed; the
    other goes through whole."""
    mine, other, docs = pair
    both_first_done = threading.Barrier(2, timeout=20)
    outcome: dict[str, object] = {}

    def act(ws, order, who):
        try:
            with ws.store.step("two spans", annotator=ws.annotator):
                ws.add_span(order[0], 0, 8, "PERSON")
                both_first_done.wait()
                ws.add_span(order[1], 0, 8, "PERSON")
            outcome[who] = "done"
        except Exception as exc:  # noqa: BLE001 (what each side ended with is the test)
            outcome[who] = exc

    threads = [
        threading.Thread(target=act, args=(mine, docs, "mine")),
        threading.Thread(target=act, args=(other, docs[::-1], "other")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    failed = [v for v in outcome.values() if v != "done"]
    assert len(failed) == 1, outcome
    assert isinstance(failed[0], UsageError)
    assert "changed meanwhile" in str(failed[0])
    for doc_id in docs:  # the one that went through, whole; nothing of the other
        assert [(s.start, s.end) for s in mine.document(doc_id).spans] == [(0, 8)]
