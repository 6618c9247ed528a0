"""Undo and redo through the workspace, on a real database: every annotation action, across
documents and restarts, and refusing (changing nothing) when someone else changed things since."""

from __future__ import annotations

import pytest

from annotator.core.errors import UsageError
from annotator.core.model import Document, DocumentStatus, SuggestionState
from annotator.workspace import Workspace
from tests.pg_cluster import peek, peek_workspace

TEXT = "Presiden Joko Widodo bertemu Menteri luar negeri di Jakarta 😀 kemarin."
OTHER = "Delegasi Mesir tiba di Kairo. Mesir menolak usulan itu, kata Vladimir Putin."


@pytest.fixture
def docs(workspace):
    return workspace.store.documents.insert(
        [
            Document(text=TEXT, title="satu", source="a"),
            Document(text=OTHER, title="dua", source="b"),
        ],
        annotator="tester",
    )


@pytest.fixture
def seeded(workspace, seed_path, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text(OTHER, encoding="utf-8")
    workspace.import_paths([seed_path, other])
    workspace.suggest_corpus()
    return workspace


def _spans(ws, doc_id):
    return {(s.id, s.start, s.end, s.label, s.text) for s in ws.document(doc_id).spans}


def _find(ws, text, label, doc_id=1):
    return next(s for _, s in ws.suggestions(doc_id) if s.text == text and s.label == label)


def _state(ws, suggestion_id):
    return ws.store.suggestions.get(suggestion_id)[1].state


def _steps(db_path):
    """The undo steps of a database (its path or URL), or of an open workspace's."""
    with peek_workspace(db_path) if hasattr(db_path, "store") else peek(db_path) as conn:
        return conn.execute("select description, state from undo_steps order by id").fetchall()


def _log_size(db_path):
    with peek(db_path) as conn:
        return conn.execute("select count(*) from change_log").fetchone()[0]


# -- nothing to do -----------------------------------------------------------


def test_nothing_to_undo_or_redo_gives_none(workspace, docs):
    assert workspace.undo() is None and workspace.redo() is None
    assert workspace.undo_description() is None and workspace.redo_description() is None
    workspace.add_span(docs[0], 9, 20, "PERSON")
    assert workspace.redo() is None
    assert workspace.undo() is not None
    assert workspace.undo() is None


def test_a_refused_action_leaves_no_step(workspace, docs):
    workspace.add_span(docs[0], 9, 20, "PERSON")
    with pytest.raises(UsageError):
        workspace.add_span(docs[0], 9, 20, "PERSON")
    assert workspace.undo_description() == "Add PERSON ‘Joko Widodo’"
    assert len(_steps(workspace)) == 1


# -- spans and status --------------------------------------------------------


def test_add_span_undone_and_redone_with_its_id_and_the_status(workspace, docs):
    doc = docs[0]
    span = workspace.add_span(doc, 9, 20, "PERSON").spans[0]
    assert workspace.store.documents.status(doc) == DocumentStatus.IN_PROGRESS
    assert workspace.undo_description() == "Add PERSON ‘Joko Widodo’"
    change = workspace.undo()
    assert change is not None
    assert change.description == "Add PERSON ‘Joko Widodo’"
    assert change.documents == (doc,)
    assert change.spans == () and [s.id for s in change.removed_spans] == [span.id]
    assert change.statuses == (doc,)  # back to new
    assert _spans(workspace, doc) == set()
    assert workspace.store.documents.status(doc) == DocumentStatus.NEW
    assert workspace.redo_description() == "Add PERSON ‘Joko Widodo’"
    change = workspace.redo()
    assert change.spans[0] is not None and change.spans[0].id == span.id
    assert _spans(workspace, doc) == {(span.id, 9, 20, "PERSON", "Joko Widodo")}
    assert workspace.store.documents.status(doc) == DocumentStatus.IN_PROGRESS
    assert workspace.redo() is None


def test_update_span_undone_and_redone(workspace, docs):
    span = workspace.add_span(docs[0], 9, 20, "PERSON", note="n").spans[0]
    workspace.update_span(span.id, label="ORG", end=13, note="changed")
    assert workspace.undo_description() == "Edit PERSON ‘Joko Widodo’"
    change = workspace.undo()
    assert (
        change.spans[0].id,
        change.spans[0].label,
        change.spans[0].text,
        change.spans[0].note,
    ) == (
        span.id,
        "PERSON",
        "Joko Widodo",
        "n",
    )
    assert _spans(workspace, docs[0]) == {(span.id, 9, 20, "PERSON", "Joko Widodo")}
    change = workspace.redo()
    assert (change.spans[0].label, change.spans[0].text, change.spans[0].note) == (
        "ORG",
        "Joko",
        "changed",
    )
    assert _spans(workspace, docs[0]) == {(span.id, 9, 13, "ORG", "Joko")}


def test_delete_span_undone_brings_it_back_with_its_id(workspace, docs):
    span = workspace.add_span(docs[0], 9, 20, "PERSON", note="catatan").spans[0]
    workspace.delete_span(span.id)
    assert workspace.undo_description() == "Delete PERSON ‘Joko Widodo’"
    change = workspace.undo()
    assert change.spans[0].id == span.id and change.documents == (docs[0],)
    restored = workspace.store.spans.get(span.id)
    assert (restored.text, restored.note, restored.annotator, restored.created_at) == (
        "Joko Widodo",
        "catatan",
        "tester",
        span.created_at,
    )
    workspace.redo()
    assert _spans(workspace, docs[0]) == set()


def test_set_status_undone_and_redone(workspace, docs):
    change = workspace.set_status(docs[1], "done")
    assert change.statuses
    assert workspace.undo_description() == "Mark ‘dua’ done"
    change = workspace.undo()
    assert change.statuses and change.documents == (docs[1],)
    assert workspace.store.documents.status(docs[1]) == DocumentStatus.NEW
    workspace.redo()
    assert workspace.store.documents.status(docs[1]) == DocumentStatus.DONE


def test_the_change_log_records_the_undo_and_redo(workspace, docs):
    span = workspace.add_span(docs[0], 9, 20, "PERSON").spans[0]
    workspace.undo()
    workspace.redo()
    with peek_workspace(workspace) as conn:
        rows = conn.execute(
            "select action, entity, entity_id from change_log where step_id is not null order by id"
        ).fetchall()
    assert rows == [
        ("add", "span", span.id),
        ("status", "document", docs[0]),
        ("undo", "document", docs[0]),
        ("undo", "span", span.id),
        ("redo", "span", span.id),
        ("redo", "document", docs[0]),
    ]
    assert _steps(workspace) == [("Add PERSON ‘Joko Widodo’", "done")]


# -- suggestions -------------------------------------------------------------


def test_undo_of_accept_restores_the_pending_suggestion_and_removes_the_span(seeded):
    sug = _find(seeded, "Sergey Lavrov", "PERSON")
    span = seeded.accept(sug.id).spans[0]
    assert seeded.undo_description() == "Accept PERSON ‘Sergey Lavrov’"
    change = seeded.undo()
    assert change.suggestions[0] is not None and change.suggestions[0].id == sug.id
    assert (
        change.suggestions[0].state == SuggestionState.PENDING
        and change.removed_spans[0].id == span.id
    )
    assert change.documents == (1,)
    assert _state(seeded, sug.id) == SuggestionState.PENDING
    assert sug.id in {s.id for _, s in seeded.suggestions(1)}
    assert not [s for s in seeded.document(1).spans if s.text == "Sergey Lavrov"]
    assert seeded.store.documents.status(1) == DocumentStatus.NEW
    change = seeded.redo()
    assert change.spans[0].id == span.id and change.suggestions[0].state == SuggestionState.ACCEPTED
    assert _state(seeded, sug.id) == SuggestionState.ACCEPTED
    with peek_workspace(seeded) as conn:
        assert conn.execute(
            "select a.name from suggestions s join annotators a on a.id = s.decided_by "
            "where s.id = ?",
            (sug.id,),
        ).fetchone() == ("tester",)
    assert [s.id for s in seeded.document(1).spans if s.text == "Sergey Lavrov"] == [span.id]


def test_correct_undone_and_redone(seeded):
    role = _find(seeded, "Menteri luar negeri", "ROLE")
    span = seeded.correct(role.id, label="PERSON").spans[0]
    assert (
        seeded.undo_description()
        == "Correct ROLE ‘Menteri luar negeri’ to PERSON ‘Menteri luar negeri’"
    )
    seeded.undo()
    assert _state(seeded, role.id) == SuggestionState.PENDING
    assert span.id not in {s.id for s in seeded.document(1).spans}
    seeded.redo()
    assert _state(seeded, role.id) == SuggestionState.CORRECTED
    again = seeded.store.spans.get(span.id)
    assert (again.label, again.attributes["corrected_from"]["label"]) == ("PERSON", "ROLE")


def test_accept_many_is_one_step_across_documents(seeded):
    ids = [_find(seeded, "Sergey Lavrov", "PERSON").id, _find(seeded, "Mesir", "LOC", 2).id]
    spans_before = {1: _spans(seeded, 1), 2: _spans(seeded, 2)}
    change = seeded.accept_many(ids)
    assert change.count == 2
    assert seeded.undo_description() == "Accept 2 suggestions"
    change = seeded.undo()
    assert set(change.documents) == {1, 2} and change.count >= 2
    assert {_state(seeded, i) for i in ids} == {SuggestionState.PENDING}
    assert {1: _spans(seeded, 1), 2: _spans(seeded, 2)} == spans_before
    assert seeded.undo_description() is None  # the two accepts were one step
    seeded.redo()
    assert {_state(seeded, i) for i in ids} == {SuggestionState.ACCEPTED}


def test_accept_many_with_a_decided_one_changes_nothing(seeded):
    first, second = _find(seeded, "Sergey Lavrov", "PERSON").id, _find(seeded, "Mesir", "LOC", 2).id
    seeded.reject(second)
    with pytest.raises(UsageError, match="already rejected"):
        seeded.accept_many([first, second])
    assert _state(seeded, first) == SuggestionState.PENDING
    assert seeded.undo_description() == "Reject LOC ‘Mesir’"


def test_reject_undone_and_redone(seeded):
    sug = _find(seeded, "Mesir", "LOC")
    seeded.reject(sug.id)
    change = seeded.undo()
    assert (
        change.suggestions[0].id == sug.id
        and change.suggestions[0].state == SuggestionState.PENDING
    )
    assert _state(seeded, sug.id) == SuggestionState.PENDING
    seeded.redo()
    assert _state(seeded, sug.id) == SuggestionState.REJECTED


def test_undo_of_reject_everywhere_removes_the_exception_and_brings_back_the_pendings(seeded):
    sug = _find(seeded, "Mesir", "LOC")
    rule_before = seeded.rule(sug.rule)
    elsewhere = {s.id for _, s in seeded.suggestions(2) if s.text == "Mesir" and s.label == "LOC"}
    assert len(elsewhere) == 2
    change = seeded.reject(sug.id, everywhere=True)
    assert change.rules_changed and "Mesir" in seeded.rule(sug.rule).exceptions
    assert not [s for _, s in seeded.suggestions(2) if s.text == "Mesir"]
    assert seeded.undo_description() == "Reject LOC ‘Mesir’ everywhere"

    change = seeded.undo()
    assert change.rules_changed and change.documents[0] == 1 and 2 in change.documents
    assert change.suggestions[0].id == sug.id
    assert seeded.rule(sug.rule) == rule_before
    assert _state(seeded, sug.id) == SuggestionState.PENDING
    assert {
        s.id for _, s in seeded.suggestions(2) if s.text == "Mesir" and s.label == "LOC"
    } == elsewhere
    # The rules are as they were, so the next run keeps the restored suggestions.
    assert seeded.suggest(2).dropped == 0

    seeded.redo()
    assert "Mesir" in seeded.rule(sug.rule).exceptions
    assert _state(seeded, sug.id) == SuggestionState.REJECTED
    assert not [s for _, s in seeded.suggestions(2) if s.text == "Mesir"]


def test_remember_undone_removes_the_learned_term(seeded):
    span = seeded.add_span(2, OTHER.index("Kairo"), OTHER.index("Kairo") + 5, "LOC").spans[0]
    assert "learned-LOC" not in {r.name for r in seeded.rules()}
    seeded.remember(span.id)
    assert list(seeded.rule("learned-LOC").pattern["terms"]) == ["Kairo"]
    assert seeded.undo_description() == "Remember LOC ‘Kairo’"
    change = seeded.undo()
    assert change.rules_changed
    assert "learned-LOC" not in {r.name for r in seeded.rules()}
    assert seeded.store.spans.get(span.id).text == "Kairo"  # only the remembering was undone
    seeded.redo()
    assert list(seeded.rule("learned-LOC").pattern["terms"]) == ["Kairo"]
    # A second term is a second step: undo takes only it back.
    putin = seeded.add_span(2, OTHER.index("Putin"), OTHER.index("Putin") + 5, "LOC").spans[0]
    seeded.remember(putin.id)
    seeded.undo()
    assert list(seeded.rule("learned-LOC").pattern["terms"]) == ["Kairo"]


# -- sequences, restarts, the redo stack -------------------------------------


def test_a_sequence_across_two_documents_undoes_in_reverse_order(workspace, docs):
    a = workspace.add_span(docs[0], 9, 20, "PERSON").spans[0]
    b = workspace.add_span(docs[1], 9, 14, "LOC").spans[0]
    workspace.update_span(a.id, label="ORG")
    workspace.delete_span(b.id)
    expected = [
        ("Delete LOC ‘Mesir’", docs[1]),
        ("Edit PERSON ‘Joko Widodo’", docs[0]),
        ("Add LOC ‘Mesir’", docs[1]),
        ("Add PERSON ‘Joko Widodo’", docs[0]),
    ]
    for description, doc in expected:
        change = workspace.undo()
        assert (change.description, change.documents[0]) == (description, doc)
    assert _spans(workspace, docs[0]) == _spans(workspace, docs[1]) == set()
    for description, doc in reversed(expected):
        change = workspace.redo()
        assert (change.description, change.documents[0]) == (description, doc)
    assert _spans(workspace, docs[0]) == {(a.id, 9, 20, "ORG", "Joko Widodo")}
    assert _spans(workspace, docs[1]) == set()


def test_history_survives_a_restart(db_path, docs, workspace):
    a = workspace.add_span(docs[0], 9, 20, "PERSON").spans[0]
    workspace.add_span(docs[1], 9, 14, "LOC")
    workspace.close()
    with Workspace.open(db_path, annotator="tester") as again:
        assert again.undo_description() == "Add LOC ‘Mesir’"
        again.undo()
    with Workspace.open(db_path, annotator="tester") as again:
        assert again.redo_description() == "Add LOC ‘Mesir’"
        assert again.undo().description == "Add PERSON ‘Joko Widodo’"
        assert _spans(again, docs[0]) == _spans(again, docs[1]) == set()
    with Workspace.open(db_path, annotator="tester") as again:
        assert again.redo().spans[0].id == a.id
        assert again.redo_description() == "Add LOC ‘Mesir’"


def test_a_new_action_discards_the_redo_stack(workspace, docs):
    workspace.add_span(docs[0], 9, 20, "PERSON")
    workspace.add_span(docs[1], 9, 14, "LOC")
    workspace.undo()
    workspace.undo()
    assert workspace.redo_description() == "Add PERSON ‘Joko Widodo’"
    workspace.set_status(docs[1], "done")
    assert workspace.redo() is None and workspace.redo_description() is None
    assert workspace.undo().description == "Mark ‘dua’ done"
    assert workspace.undo() is None
    assert [state for _, state in _steps(workspace)] == [
        "discarded",
        "discarded",
        "undone",
    ]


def test_each_annotator_undoes_only_their_own_actions(db_path, docs, workspace):
    mine = workspace.add_span(docs[0], 9, 20, "PERSON").spans[0]
    with Workspace.open(db_path, annotator="other") as other:
        theirs = other.add_span(docs[0], 0, 8, "ROLE").spans[0]
        assert workspace.undo().removed_spans[0].id == mine.id
        assert {s[0] for s in _spans(workspace, docs[0])} == {theirs.id}
        assert other.undo_description() == "Add ROLE ‘Presiden’"


def test_a_recreated_span_keeps_its_id_even_after_newer_spans(db_path, docs, workspace):
    span = workspace.add_span(docs[0], 9, 20, "PERSON").spans[0]
    workspace.delete_span(span.id)
    with Workspace.open(db_path, annotator="other") as other:
        newer = other.add_span(docs[0], 0, 8, "ROLE").spans[0]
    assert newer.id != span.id  # ids are never handed out twice
    assert workspace.undo().spans[0].id == span.id
    assert {s[0] for s in _spans(workspace, docs[0])} == {span.id, newer.id}


# -- conflicts ---------------------------------------------------------------


def test_undo_of_something_changed_by_someone_else_is_refused_and_changes_nothing(
    db_path, docs, workspace
):
    span = workspace.add_span(docs[0], 9, 20, "PERSON").spans[0]
    with Workspace.open(db_path, annotator="other") as other:
        other.update_span(span.id, label="ORG")
    size = _log_size(db_path)
    with pytest.raises(
        UsageError, match=r"cannot undo ‘Add PERSON ‘Joko Widodo’’: span \d+ .* was changed since"
    ):
        workspace.undo()
    assert _spans(workspace, docs[0]) == {(span.id, 9, 20, "ORG", "Joko Widodo")}
    assert workspace.store.documents.status(docs[0]) == DocumentStatus.IN_PROGRESS
    assert _log_size(db_path) == size
    # The step that cannot be undone is set aside, so it does not block every undo after it.
    assert _steps(db_path)[0] == ("Add PERSON ‘Joko Widodo’", "discarded")
    assert workspace.undo_description() is None


def test_a_step_that_cannot_be_undone_does_not_block_the_ones_before_it(db_path, docs, workspace):
    first = workspace.add_span(docs[1], 9, 14, "LOC").spans[0]
    span = workspace.add_span(docs[0], 9, 20, "PERSON").spans[0]
    with Workspace.open(db_path, annotator="other") as other:
        other.update_span(span.id, label="ORG")
    with pytest.raises(UsageError, match="left out of the history"):
        workspace.undo()
    assert workspace.undo().removed_spans[0].id == first.id
    assert not _spans(workspace, docs[1])


def test_redo_into_a_clash_is_refused(db_path, docs, workspace):
    workspace.add_span(docs[0], 9, 20, "PERSON")
    workspace.undo()
    with Workspace.open(db_path, annotator="other") as other:
        other.add_span(docs[0], 9, 20, "PERSON")
    with pytest.raises(UsageError, match="cannot redo .* another PERSON span at \\[9, 20\\)"):
        workspace.redo()
    assert workspace.redo_description() is None


def test_undo_of_accept_after_someone_else_deleted_the_span_is_refused(seeded, db_path):
    sug = _find(seeded, "Sergey Lavrov", "PERSON")
    span = seeded.accept(sug.id).spans[0]
    with Workspace.open(db_path, annotator="other") as other:
        other.delete_span(span.id)
    with pytest.raises(UsageError, match="was deleted since"):
        seeded.undo()
    assert _state(seeded, sug.id) == SuggestionState.ACCEPTED


def test_undo_of_reject_everywhere_after_the_rule_was_edited_is_refused(seeded):
    sug = _find(seeded, "Mesir", "LOC")
    seeded.reject(sug.id, everywhere=True)
    # Someone else edits the rule (an edit of one's own would be undone first: its own step).
    other = Workspace(seeded.store, "other")
    other.set_rule_enabled(sug.rule, False)
    with pytest.raises(UsageError, match=f"rule '{sug.rule}' was edited since"):
        seeded.undo()
    assert _state(seeded, sug.id) == SuggestionState.REJECTED
