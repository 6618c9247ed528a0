"""A row another connection removed between this action's read and its write: a clear refusal."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from annotator.core.errors import UsageError
from annotator.core.model import Document, Suggestion
from annotator.store.engine import lock_wait
from annotator.store.schema import SuggestionRow
from annotator.workspace import Workspace
from tests.pg_cluster import peek

TEXT = "Presiden Rusia Vladimir Putin tiba di Moskow."


def test_deciding_on_a_suggestion_the_rules_just_dropped_is_refused_cleanly(db_path, seed_path):
    with (
        Workspace.open(db_path, annotator="tester") as window,
        Workspace.open(db_path, annotator="tester") as rules,
    ):
        window.import_paths([seed_path])
        doc_id = window.documents()[0].id
        window.suggest(doc_id)
        suggestion = next(s for _, s in window.suggestions(doc_id) if s.text == "Rusia")
        with (
            pytest.raises(UsageError, match="changed meanwhile"),
            window.store.transaction() as session,
        ):
            row = session.get(SuggestionRow, suggestion.id)  # read by this connection...
            # ...removed by another before this one writes (the window's suggestion process re-ran).
            rules.store.suggestions.drop_pending(suggestion.rule, "Rusia", "LOC")
            row.state = "accepted"
        assert not [s for _, s in window.suggestions(doc_id) if s.id == suggestion.id]


def _removed_before(workspace: Workspace, db_path, prefix: str, table: str, row_id: int) -> None:
    """Just before this connection's first statement starting with ``prefix``, another connection
    deletes row ``row_id`` of ``table`` (once): the race of a second window or the rules process."""
    done: list[bool] = []

    def remove(_conn, _cursor, statement, *_args) -> None:
        if not done and statement.startswith(prefix):
            done.append(True)
            with peek(db_path) as other:
                other.execute(f"delete from {table} where id = ?", (row_id,))

    # First in line: before this connection takes SQLite's write lock for that statement (a
    # writer holding it would keep the other connection out).
    engine = workspace.store.engine
    wait = lock_wait(engine)
    if wait is not None and wait.listener is not None:
        event.remove(engine, "before_cursor_execute", wait.listener)
    event.listen(engine, "before_cursor_execute", remove)
    if wait is not None and wait.listener is not None:
        event.listen(engine, "before_cursor_execute", wait.listener)


def _log_size(db_path) -> tuple[int, int]:
    with peek(db_path) as conn:
        return (
            conn.execute("select count(*) from change_log").fetchone()[0],
            conn.execute("select count(*) from undo_steps").fetchone()[0],
        )


@pytest.mark.parametrize(
    "action, prefix",
    [
        ("update", "UPDATE spans"),
        ("delete", "DELETE FROM spans"),
        ("undo", "UPDATE undo_steps"),
    ],
)
def test_a_span_removed_meanwhile_is_refused_cleanly(db_path, action, prefix):
    with Workspace.open(db_path, annotator="tester") as window:
        [doc_id] = window.store.documents.insert(
            [Document(text=TEXT, title="t", source="t")], annotator="tester"
        )
        span = window.add_span(doc_id, 0, 8, "ROLE").spans[0]
        window.update_span(span.id, label="PERSON")
        before = _log_size(db_path)
        _removed_before(window, db_path, prefix, "spans", span.id)
        run = {
            "update": lambda: window.update_span(span.id, label="ORG"),
            "delete": lambda: window.delete_span(span.id),
            "undo": window.undo,
        }[action]
        with pytest.raises(UsageError, match="changed meanwhile|was deleted since"):
            run()
        if action != "undo":  # (a refused undo sets its step aside, so the next undo goes on)
            assert _log_size(db_path) == before


@pytest.mark.parametrize("action", ["accept", "correct", "reject"])
def test_a_suggestion_removed_meanwhile_is_refused_cleanly(db_path, action):
    with Workspace.open(db_path, annotator="tester") as window:
        [doc_id] = window.store.documents.insert(
            [
                Document(
                    text=TEXT,
                    title="t",
                    source="t",
                    suggestions=(Suggestion(9, 14, "LOC", "Rusia", "r"),),
                )
            ],
            annotator="tester",
        )
        [(_, suggestion)] = window.suggestions(doc_id)
        before = _log_size(db_path)
        # Accepting writes the span first: the suggestion goes just before that.
        _removed_before(
            window,
            db_path,
            "UPDATE suggestions" if action == "reject" else "INSERT INTO spans",
            "suggestions",
            suggestion.id,
        )
        run = {
            "accept": lambda: window.accept(suggestion.id),
            "correct": lambda: window.correct(suggestion.id, label="ORG"),
            "reject": lambda: window.reject(suggestion.id),
        }[action]
        with pytest.raises(UsageError, match="changed meanwhile"):
            run()
        assert _log_size(db_path) == before
        assert window.document(doc_id).spans == () and window.suggestions(doc_id, states=()) == []
