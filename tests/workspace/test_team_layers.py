"""A team on one database: annotators, assignments, and each annotator's own (blind) layer."""

from __future__ import annotations

from collections import Counter

import pytest

from annotator.core.errors import UsageError
from annotator.core.model import MAIN_LAYER, MAIN_LAYER_NAME, AnnotatorRole, DocumentStatus
from annotator.core.model import Document as NewDocument
from annotator.workspace import Workspace

TEXT = "Joko Widodo bertemu Vladimir Putin di Moskow pada hari Sabtu."


def _documents(ws: Workspace, count: int) -> list[int]:
    return ws.store.documents.insert(
        [NewDocument(text=f"{TEXT} ({n})", title=f"berita {n}") for n in range(count)],
        annotator="lead",
    )


@pytest.fixture
def team(workspace):
    """A lead's workspace with ana and budi (annotators) and cici (curator), one document
    assigned to ana and budi."""
    workspace.annotator = "lead"
    workspace.add_annotator("ana", "Ana Suryani")
    workspace.add_annotator("budi")
    workspace.add_annotator("cici", role="curator")
    (doc,) = _documents(workspace, 1)
    workspace.assign([doc], ["ana", "budi"])
    return workspace, doc


def test_each_annotator_sees_only_their_own_layer(team):
    ws, doc = team
    ws.annotator = "ana"
    ana_span = ws.add_span(doc, 0, 11, "PERSON").spans[0]
    assert ana_span.layer == ws.me().id != MAIN_LAYER
    ws.annotator = "budi"
    assert ws.document(doc).spans == ()
    _, spans, pending = ws.document_for_view(doc)
    assert spans == [] and pending == []
    # The same range in another layer is no clash.
    ws.add_span(doc, 0, 11, "PERSON")
    ws.add_span(doc, 20, 34, "PERSON")
    assert [(s.start, s.end) for s in ws.document(doc).spans] == [(0, 11), (20, 34)]
    ws.annotator = "ana"
    assert [(s.start, s.end, s.label) for s in ws.document(doc).spans] == [(0, 11, "PERSON")]
    # The lead, not assigned, works in the main layer, which holds none of theirs.
    ws.annotator = "lead"
    assert ws.layer_for(doc) == MAIN_LAYER
    assert ws.document(doc).spans == ()
    layers = ws.layers(doc)
    assert list(layers) == [MAIN_LAYER_NAME, "ana", "budi"]
    assert [(s.start, s.end) for s in layers["budi"]] == [(0, 11), (20, 34)]
    assert [s.layer for s in layers["ana"]] == [ws.store.team.annotator("ana").id]


def test_a_curator_works_in_the_main_layer_even_on_an_assigned_document(team):
    ws, doc = team
    ws.assign([doc], ["cici"])
    ws.annotator = "cici"
    assert ws.layer_for(doc) == MAIN_LAYER
    ws.add_span(doc, 38, 44, "LOC")
    ws.annotator = "lead"
    assert [(s.start, s.end) for s in ws.document(doc).spans] == [(38, 44)]


def test_undo_and_redo_in_an_own_layer_restore_it_there(team):
    ws, doc = team
    ws.annotator = "ana"
    span = ws.add_span(doc, 0, 11, "PERSON").spans[0]
    assert ws.document_status(doc) == DocumentStatus.IN_PROGRESS
    ws.annotator = "budi"
    ws.add_span(doc, 0, 11, "PERSON")
    ws.annotator = "ana"
    ws.delete_span(span.id)
    assert ws.document(doc).spans == ()
    ws.undo()  # the delete: back under its id, in ana's layer, beside budi's equal span
    again = ws.document(doc).spans
    assert [(s.id, s.layer) for s in again] == [(span.id, span.layer)]
    ws.undo()  # the add, and ana's own status back to new
    assert ws.document(doc).spans == ()
    assert ws.document_status(doc) == DocumentStatus.NEW
    ws.redo()
    assert [(s.id, s.layer) for s in ws.document(doc).spans] == [(span.id, span.layer)]
    assert ws.document_status(doc) == DocumentStatus.IN_PROGRESS
    # The document's own status (the main layer's) never moved.
    assert ws.store.documents.status(doc) == DocumentStatus.NEW
    ws.annotator = "budi"
    assert len(ws.document(doc).spans) == 1


def test_status_keys_set_the_annotators_own_status_of_an_assigned_document(team):
    ws, doc = team
    ws.annotator = "ana"
    change = ws.set_status(doc, DocumentStatus.DONE)
    assert "own layer" in change.description
    assert ws.document_status(doc) == DocumentStatus.DONE
    assert ws.document_summary(doc).status == DocumentStatus.DONE
    ws.annotator = "budi"
    assert ws.document_status(doc) == DocumentStatus.NEW
    assert ws.assignment_counts() == {
        "ana": {DocumentStatus.DONE: 1},
        "budi": {DocumentStatus.NEW: 1},
    }
    ws.annotator = "ana"
    ws.undo()
    assert ws.document_status(doc) == DocumentStatus.NEW


def test_suggestions_are_not_offered_nor_decided_in_an_own_layer(team):
    ws, doc = team
    ws.annotator = "lead"
    ws.suggest(doc)
    _, _, pending = ws.document_for_view(doc)
    assert pending, "the default rules suggest something in this text"
    ws.annotator = "ana"
    assert ws.document_for_view(doc)[2] == []
    assert ws.document(doc).suggestions == ()
    with pytest.raises(UsageError, match="own layer"):
        ws.accept(pending[0].id)
    with pytest.raises(UsageError, match="own layer"):
        ws.reject(pending[0].id)
    with pytest.raises(UsageError, match="own layer"):
        ws.accept_many([pending[0].id])
    ws.annotator = "lead"
    assert ws.document_for_view(doc)[2] == pending


def test_random_assignment_gives_each_document_to_k_annotators_balanced_and_reproducibly(
    workspace, fresh_db
):
    ws = workspace
    for name in ("ana", "budi", "cici", "dewi"):
        ws.add_annotator(name)
    docs = _documents(ws, 30)
    ws.assign(docs[:2], ["ana"])  # taken already: never picked at random
    change = ws.assign_random(12, ["ana", "budi", "cici", "dewi"], overlap=3, seed=7)
    assert change.count == 36
    picked = [a for a in ws.assignments() if a.document_id not in docs[:2]]
    per_document = Counter(a.document_id for a in picked)
    assert len(per_document) == 12 and set(per_document.values()) == {3}
    per_annotator = Counter(a.annotator for a in picked)
    assert sorted(per_annotator.values()) == [9, 9, 9, 9]
    first = sorted((a.document_id, a.annotator) for a in picked)

    # The same seed on the same corpus picks the same documents for the same people.
    other = Workspace.open(fresh_db("other"), annotator="lead")
    try:
        for name in ("ana", "budi", "cici", "dewi"):
            other.add_annotator(name)
        other_docs = _documents(other, 30)
        other.assign(other_docs[:2], ["ana"])
        other.assign_random(12, ["ana", "budi", "cici", "dewi"], overlap=3, seed=7)
        again = sorted(
            (a.document_id, a.annotator)
            for a in other.assignments()
            if a.document_id not in other_docs[:2]
        )
    finally:
        other.close()
    assert again == first


def test_assigning_twice_changes_nothing_and_unassigning_keeps_the_layer(team):
    ws, doc = team
    assert ws.assign([doc], ["ana", "budi"]).count == 0
    ws.annotator = "ana"
    ws.add_span(doc, 0, 4, "PERSON")
    ws.annotator = "lead"
    assert ws.unassign([doc], ["ana"]).count == 1
    assert [a.annotator for a in ws.assignments()] == ["budi"]
    ws.annotator = "ana"
    assert ws.layer_for(doc) == MAIN_LAYER  # back to the main layer, which lacks her span
    assert ws.document(doc).spans == ()
    assert [(s.start, s.end) for s in ws.layers(doc)["ana"]] == [(0, 4)]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda ws, doc: ws.add_annotator(""), "without leading or trailing spaces"),
        (lambda ws, doc: ws.add_annotator(" ana"), "without leading or trailing spaces"),
        (lambda ws, doc: ws.add_annotator("a\nb"), "no line breaks"),
        (lambda ws, doc: ws.add_annotator("x" * 201), "at most 200"),
        (lambda ws, doc: ws.add_annotator(MAIN_LAYER_NAME), "main"),
        (lambda ws, doc: ws.add_annotator("ana"), "exists already"),
        (lambda ws, doc: ws.add_annotator("eko", role="boss"), "choose one of annotator, curator"),
        (lambda ws, doc: ws.edit_annotator("zed", role="curator"), "no annotator 'zed'"),
        (lambda ws, doc: ws.assign([doc], ["zed"]), "no annotator 'zed'"),
        (lambda ws, doc: ws.assign([doc + 99], ["ana"]), "no document with id"),
        (lambda ws, doc: ws.assign([doc], []), "at least one annotator"),
        (lambda ws, doc: ws.assign_random(5, ["ana"]), "only 0 documents"),
        (lambda ws, doc: ws.assign_random(1, ["ana", "budi"], overlap=3), "1 to 2 annotators"),
        (lambda ws, doc: ws.assign_random(0, ["ana"]), "at least 1"),
    ],
)
def test_bad_team_input_is_refused_and_changes_nothing(team, call, message):
    ws, doc = team
    before = (ws.annotators(), ws.assignments())
    with pytest.raises(UsageError, match=message):
        call(ws, doc)
    assert (ws.annotators(), ws.assignments()) == before


def test_display_names_and_roles_are_kept_and_edited(team):
    ws, _ = team
    found = {a.name: a for a in ws.annotators()}
    assert found["ana"].shown == "Ana Suryani" and found["budi"].shown == "budi"
    assert found["cici"].role == AnnotatorRole.CURATOR
    ws.edit_annotator("budi", display_name="Budi Santoso", role="curator")
    budi = next(a for a in ws.annotators() if a.name == "budi")
    assert (budi.shown, budi.role) == ("Budi Santoso", AnnotatorRole.CURATOR)
