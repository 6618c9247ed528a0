"""The store's state words are enums whose values are the strings existing databases hold."""

from __future__ import annotations

import sqlite3

from annotator.core.model import Label
from annotator.store.states import Action, Entity, StepState
from annotator.store.store import Store


def test_the_enums_keep_the_stored_words():
    assert [s.value for s in StepState] == ["done", "undone", "discarded"]
    assert {"span", "document", "suggestion", "rule", "label", "annotator", "assignment"} == {
        e.value for e in Entity
    }
    assert {"add", "edit", "delete", "save", "import", "status", "suggest", "accepted"} <= {
        a.value for a in Action
    }


def test_the_database_holds_plain_words(db_path):
    store = Store.open(db_path)
    try:
        with store.step("Add label EVENT", annotator="tester"):
            store.labels.add(Label("EVENT", "#123456"), annotator="tester")
        store.history.undo("tester")
        with store.step("Add label X", annotator="tester"):
            store.labels.add(Label("X", "#123456"), annotator="tester")
    finally:
        store.close()
    with sqlite3.connect(db_path) as conn:
        states = conn.execute("select state from undo_steps order by id").fetchall()
        log = conn.execute(
            "select action, entity from change_log where step_id is not null order by id"
        ).fetchall()
    assert states == [("discarded",), ("done",)]
    assert log == [("add", "label"), ("undo", "label"), ("add", "label")]
