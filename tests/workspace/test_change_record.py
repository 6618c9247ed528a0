"""Every workspace operation returns a Change that says exactly what changed: the window updates
each view from these fields alone (annotator/core/change.py)."""

from __future__ import annotations

import pytest

from annotator.core.change import Operation
from annotator.core.model import Document, SuggestionState

TEXT = "Presiden Joko Widodo bertemu delegasi Mesir di Jakarta kemarin."


@pytest.fixture
def doc(workspace):
    (doc_id,) = workspace.store.documents.insert([Document(text=TEXT, title="t")], annotator="x")
    workspace.suggest(doc_id)
    return doc_id


def _pending(ws, doc_id, text):
    return next(s for _, s in ws.suggestions(doc_id) if s.text == text)


def test_a_new_span_lists_itself_and_the_first_status_change(workspace, doc):
    change = workspace.add_span(doc, 0, 8, "PERSON")
    (span,) = change.spans
    assert (change.operation, change.documents, change.statuses) == (
        Operation.ADD_SPAN,
        (doc,),
        (doc,),
    )
    assert (span.text, span.label) == ("Presiden", "PERSON") and change.focus == span
    assert change.removed_spans == () and change.rules == () and change.labels == ()
    again = workspace.add_span(doc, 9, 13, "PERSON")
    assert again.statuses == ()  # already in progress: no status changed


def test_an_edited_span_lists_it_as_it_is_and_as_it_was(workspace, doc):
    span = workspace.add_span(doc, 0, 8, "PERSON").spans[0]
    change = workspace.update_span(span.id, label="ORG")
    assert change.operation == Operation.EDIT_SPAN and change.documents == (doc,)
    assert [(s.id, s.label) for s in change.spans] == [(span.id, "ORG")]
    assert [(s.id, s.label) for s in change.removed_spans] == [(span.id, "PERSON")]


def test_a_deleted_span_names_its_document(workspace, doc):
    span = workspace.add_span(doc, 0, 8, "PERSON").spans[0]
    change = workspace.delete_span(span.id)
    assert change.documents == (doc,) and change.spans == ()
    assert [s.id for s in change.removed_spans] == [span.id]


def test_accept_lists_the_new_span_and_the_decided_suggestion(workspace, doc):
    mesir = _pending(workspace, doc, "Mesir")
    change = workspace.accept(mesir.id)
    assert change.operation == Operation.ACCEPT and change.description.startswith("Accept ")
    assert [s.text for s in change.spans] == ["Mesir"]
    assert change.suggestions[0].id == mesir.id
    assert change.suggestions[0].state == SuggestionState.ACCEPTED


def test_reject_lists_the_suggestion_and_everywhere_the_rules(workspace, doc):
    mesir = _pending(workspace, doc, "Mesir")
    change = workspace.reject(mesir.id, everywhere=True)
    assert change.operation == Operation.REJECT_EVERYWHERE and change.spans == ()
    assert change.suggestions[0].state == SuggestionState.REJECTED
    assert mesir.rule in change.rules and change.rules_changed


def test_status_and_label_operations_name_what_they_changed(workspace, doc):
    status = workspace.set_status(doc, "done")
    assert (status.operation, status.statuses) == (Operation.SET_STATUS, (doc,))
    added = workspace.add_label("EVENT")
    assert (added.operation, added.labels) == (Operation.ADD_LABEL, ("EVENT",))
    renamed = workspace.edit_label("EVENT", name="PERISTIWA")
    assert renamed.labels == ("EVENT", "PERISTIWA")
    removed = workspace.delete_label("PERISTIWA")
    assert (removed.operation, removed.labels) == (Operation.DELETE_LABEL, ("PERISTIWA",))


def test_accept_many_lists_every_span_and_suggestion(workspace, doc):
    ids = [s.id for _, s in workspace.suggestions(doc)]
    change = workspace.accept_many(ids)
    assert change.count == len(change.spans) == len(ids)
    assert {s.id for s in change.suggestions} >= set(ids)
    assert all(s.state == SuggestionState.ACCEPTED for s in change.suggestions)


def test_undo_lists_what_it_put_back(workspace, doc):
    span = workspace.add_span(doc, 0, 8, "PERSON").spans[0]
    undone = workspace.undo()
    assert undone.operation == Operation.UNDO and undone.description == "Add PERSON ‘Presiden’"
    assert [s.id for s in undone.removed_spans] == [span.id] and undone.spans == ()
    redone = workspace.redo()
    assert redone.operation == Operation.REDO and [s.id for s in redone.spans] == [span.id]


def test_label_edits_are_undo_steps_and_undo_names_the_labels(workspace, doc):
    workspace.add_label("EVENT", hotkey="v")
    assert workspace.undo_description() == "Add label EVENT"
    workspace.edit_label("EVENT", name="PERISTIWA", colour="#123456")
    undone = workspace.undo()
    assert set(undone.labels) == {"EVENT", "PERISTIWA"}
    names = {label.name: label for label in workspace.labels()}
    assert "EVENT" in names and "PERISTIWA" not in names and names["EVENT"].colour != "#123456"
    workspace.undo()
    assert "EVENT" not in {label.name for label in workspace.labels()}
    workspace.redo()
    workspace.redo()
    assert "PERISTIWA" in {label.name for label in workspace.labels()}
    workspace.delete_label("PERISTIWA")
    workspace.undo()
    (back,) = [label for label in workspace.labels() if label.name == "PERISTIWA"]
    assert (back.colour, back.hotkey) == ("#123456", "v")


def test_an_import_reports_its_change_new_documents_and_labels(workspace, tmp_path):
    data = tmp_path / "a.jsonl"
    data.write_text(
        '{"text": "Rapat di Solo.", "spans": [{"start": 0, "end": 5, "label": "MEETING"}]}\n',
        encoding="utf-8",
    )
    report = workspace.import_paths([data])
    change = report.change
    assert change.operation == Operation.IMPORT_DOCUMENTS
    assert change.added_documents == tuple(report.document_ids) and len(report.document_ids) == 1
    assert change.labels == ("MEETING",)
