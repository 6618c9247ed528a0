"""Merging a label into another: spans, suggestions and rules move, duplicates are dropped, the
source label goes; one undo step that puts every row back as it was, and redo again."""

from __future__ import annotations

import pytest

from annotator.core.change import Operation
from annotator.core.errors import UsageError
from annotator.core.model import Document
from annotator.workspace import Workspace

TEXT = "Presiden Joko Widodo bertemu delegasi Mesir di Jakarta kemarin."


@pytest.fixture
def doc(workspace: Workspace) -> int:
    (doc_id,) = workspace.store.documents.insert([Document(text=TEXT, title="t")], annotator="x")
    return doc_id


def snapshot(ws: Workspace, doc_id: int) -> tuple:
    """Every row a merge touches, as comparable values (ids included)."""
    doc = ws.document(doc_id)
    spans = sorted((s.id, s.start, s.end, s.label, s.text, s.origin) for s in doc.spans)
    suggestions = sorted(
        (s.id, s.start, s.end, s.label, s.rule, str(s.state)) for _, s in ws.suggestions(doc_id)
    )
    rules = sorted((r.name, r.label) for r in ws.rules() if r.name.startswith("place"))
    labels = [(label.name, label.colour, label.order) for label in ws.labels()]
    return spans, suggestions, rules, labels


@pytest.fixture
def merged_setup(workspace: Workspace, doc: int) -> Workspace:
    ws = workspace
    ws.add_label("Place Name")
    ws.add_span(doc, 47, 54, "Place Name")  # Jakarta: LOC has it too -> a duplicate
    ws.add_span(doc, 47, 54, "LOC")
    ws.add_span(doc, 38, 43, "Place Name")  # Mesir: moves
    rule = ws.parse_rule(
        {
            "name": "place-kemarin",
            "label": "Place Name",
            "kind": "phrase",
            "pattern": {"terms": ["delegasi"]},
        }
    )
    ws.save_rule(rule)
    ws.suggest(doc)
    assert any(s.label == "Place Name" for _, s in ws.suggestions(doc))
    return ws


def test_merge_moves_everything_and_undo_redo_restore_it_exactly(merged_setup, doc):
    ws = merged_setup
    before = snapshot(ws, doc)
    change = ws.merge_labels("Place Name", "LOC")
    assert change.operation == Operation.MERGE_LABELS
    assert change.labels == ("Place Name", "LOC") and doc in change.documents
    merged = ws.last_label_merge()
    assert (merged.spans, merged.duplicate_spans) == (1, 1)
    assert merged.suggestions >= 1
    spans, suggestions, rules, labels = snapshot(ws, doc)
    assert sorted((s[1], s[2], s[3]) for s in spans) == [(38, 43, "LOC"), (47, 54, "LOC")]
    assert all(s[3] != "Place Name" for s in suggestions)
    assert any(s[3] == "LOC" and s[4] == "place-kemarin" for s in suggestions)
    assert rules == [("place-kemarin", "LOC")]
    assert "Place Name" not in [name for name, _, _ in labels]
    after = snapshot(ws, doc)

    undone = ws.undo()
    assert undone is not None and "Merge label Place Name into LOC" in undone.description
    assert snapshot(ws, doc) == before
    assert ws.redo() is not None
    assert snapshot(ws, doc) == after
    assert ws.undo() is not None
    assert snapshot(ws, doc) == before


def test_merging_into_itself_or_a_missing_label_is_refused_and_nothing_changes(merged_setup, doc):
    ws = merged_setup
    before = snapshot(ws, doc)
    with pytest.raises(UsageError, match="into itself"):
        ws.merge_labels("LOC", "LOC")
    with pytest.raises(UsageError, match="no label named 'NOPE'"):
        ws.merge_labels("Place Name", "NOPE")
    with pytest.raises(UsageError, match="no label named 'NOPE'"):
        ws.merge_labels("NOPE", "LOC")
    assert snapshot(ws, doc) == before
    assert ws.undo_description() != "Merge label Place Name into LOC"


def test_renaming_onto_an_existing_label_says_merge(workspace):
    with pytest.raises(UsageError, match="exists already; merge with `annotator labels merge"):
        workspace.edit_label("ORG", name="LOC")
