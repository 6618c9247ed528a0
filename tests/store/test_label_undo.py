"""Label changes are undone and redone like rules: by the store, from the change log."""

from __future__ import annotations

import pytest

from annotator.core.errors import UsageError
from annotator.core.model import Document, Label
from annotator.store.store import Store
from tests.pg_cluster import peek

WHO = "tester"


@pytest.fixture
def store(db_path):
    opened = Store.open(db_path)
    yield opened
    opened.close()


def _label(store: Store, name: str) -> Label | None:
    return next((label for label in store.labels.all() if label.name == name), None)


def _label_id(db_path, name: str) -> int | None:
    with peek(db_path) as conn:
        found = conn.execute("select id from labels where name=?", (name,)).fetchone()
    return found[0] if found else None


def _add(store: Store, label: Label) -> None:
    with store.step(f"Add label {label.name}", annotator=WHO):
        store.labels.add(label, annotator=WHO)


EVENT = Label("EVENT", "#123456", "e", "Something that happens", 40)


def test_an_added_label_is_undone_and_redone(store, db_path):
    _add(store, EVENT)
    label_id = _label_id(db_path, "EVENT")
    assert store.history.description(WHO) == "Add label EVENT"

    replay = store.history.undo(WHO)
    assert replay is not None and replay.labels
    assert _label(store, "EVENT") is None

    replay = store.history.redo(WHO)
    assert replay is not None and replay.labels
    assert _label(store, "EVENT") == EVENT
    assert _label_id(db_path, "EVENT") == label_id


@pytest.mark.parametrize(
    "changes",
    [{"name": "HAPPENING"}, {"colour": "#abcdef"}, {"hotkey": "h"}, {"name": "X", "hotkey": None}],
)
def test_an_edited_label_is_undone_and_redone(store, changes):
    _add(store, EVENT)
    with store.step("Edit label EVENT", annotator=WHO):
        edited = store.labels.update("EVENT", changes, annotator=WHO)

    store.history.undo(WHO)
    assert _label(store, "EVENT") == EVENT
    if edited.name != "EVENT":
        assert _label(store, edited.name) is None

    store.history.redo(WHO)
    assert _label(store, edited.name) == edited
    # And back to the start, twice over: undo walks the whole history.
    store.history.undo(WHO)
    store.history.undo(WHO)
    assert _label(store, "EVENT") is None


def test_a_deleted_label_is_undone_with_every_field_and_its_id(store, db_path):
    _add(store, EVENT)
    label_id = _label_id(db_path, "EVENT")
    with store.step("Delete label EVENT", annotator=WHO):
        store.labels.delete("EVENT", annotator=WHO)
    assert _label(store, "EVENT") is None

    store.history.undo(WHO)
    assert _label(store, "EVENT") == EVENT
    assert _label_id(db_path, "EVENT") == label_id

    store.history.redo(WHO)
    assert _label(store, "EVENT") is None


def test_undo_of_an_add_refuses_while_a_span_uses_the_label(store):
    _add(store, EVENT)
    doc_id = store.documents.insert([Document(text="Rapat besar.", title="t")], annotator=WHO)[0]
    store.spans.add(doc_id, 0, 5, "EVENT", annotator="someone else")

    with pytest.raises(UsageError, match="label EVENT cannot be removed, 1 span use it"):
        store.history.undo(WHO)
    assert _label(store, "EVENT") == EVENT
    # The step is set aside: the next undo goes on with what came before it.
    assert store.history.description(WHO) is None


def test_undo_refuses_a_label_changed_meanwhile(store):
    _add(store, EVENT)
    store.labels.update("EVENT", {"colour": "#000000"}, annotator="someone else")

    with pytest.raises(UsageError, match="label 'EVENT' was changed since; nothing was changed"):
        store.history.undo(WHO)
    assert _label(store, "EVENT").colour == "#000000"


def test_undo_refuses_a_label_renamed_meanwhile(store):
    _add(store, EVENT)
    store.labels.update("EVENT", {"name": "HAPPENING"}, annotator="someone else")

    with pytest.raises(UsageError, match="label 'EVENT' was deleted or renamed"):
        store.history.undo(WHO)
    assert _label(store, "HAPPENING") is not None


def test_undo_of_a_delete_refuses_when_the_name_exists_again(store):
    _add(store, EVENT)
    with store.step("Delete label EVENT", annotator=WHO):
        store.labels.delete("EVENT", annotator=WHO)
    store.labels.add(Label("EVENT", "#999999", None, "", 50), annotator="someone else")

    with pytest.raises(UsageError, match="label 'EVENT' exists again"):
        store.history.undo(WHO)
    assert _label(store, "EVENT").colour == "#999999"


def test_undo_of_a_rename_refuses_when_the_old_name_was_taken(store):
    _add(store, EVENT)
    with store.step("Rename label EVENT", annotator=WHO):
        store.labels.update("EVENT", {"name": "HAPPENING"}, annotator=WHO)
    store.labels.add(Label("EVENT", "#999999", None, "", 50), annotator="someone else")

    with pytest.raises(UsageError, match="another label was named 'EVENT'"):
        store.history.undo(WHO)
    assert _label(store, "HAPPENING") is not None
    assert _label(store, "EVENT").colour == "#999999"
