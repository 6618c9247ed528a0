"""Span edits through the workspace: each one committed at once, logged, and checked."""

from __future__ import annotations

import pytest

from annotator.core.errors import UsageError
from annotator.core.model import Document, DocumentStatus
from tests.pg_cluster import peek

TEXT = "Presiden Joko Widodo bertemu Menteri luar negeri di Jakarta 😀 kemarin."


@pytest.fixture
def doc_id(workspace):
    ids = workspace.store.documents.insert(
        [Document(text=TEXT, title="t", source="test")], annotator="tester"
    )
    return ids[0]


def _log(db_path):
    with peek(db_path) as conn:
        return conn.execute(
            "select action, entity, entity_id, document_id from change_log "
            "where entity != 'label' order by id"
        ).fetchall()


def test_add_span_is_committed_and_logged_at_once(workspace, db_path, doc_id):
    change = workspace.add_span(doc_id, 9, 20, "PERSON")
    assert change.spans[0].text == "Joko Widodo" == TEXT[9:20]
    assert change.spans[0].annotator == "tester"
    # Another connection (another process) sees it at once: nothing waits for a Save.
    with peek(db_path) as conn:
        row = conn.execute(
            'select start, "end", text from spans where id=?', (change.spans[0].id,)
        ).fetchone()
    assert row == (9, 20, "Joko Widodo")
    assert ("add", "span", change.spans[0].id, doc_id) in _log(db_path)
    assert workspace.store.documents.status(doc_id) == DocumentStatus.IN_PROGRESS


def test_overlapping_and_nested_spans_are_allowed_but_exact_duplicates_refused(workspace, doc_id):
    workspace.add_span(doc_id, 0, 20, "PERSON")
    workspace.add_span(doc_id, 0, 8, "ROLE")  # nested
    workspace.add_span(doc_id, 0, 20, "ORG")  # same range, other label
    with pytest.raises(UsageError, match="already has a PERSON span"):
        workspace.add_span(doc_id, 0, 20, "PERSON")
    assert len(workspace.document(doc_id).spans) == 3


@pytest.mark.parametrize("start,end", [(-1, 3), (5, 5), (6, 2), (0, len(TEXT) + 1)])
def test_out_of_range_spans_are_refused_and_nothing_changes(workspace, db_path, doc_id, start, end):
    before = _log(db_path)
    with pytest.raises(UsageError, match="out of range"):
        workspace.add_span(doc_id, start, end, "PERSON")
    assert workspace.document(doc_id).spans == ()
    assert _log(db_path) == before


def test_unknown_label_is_refused(workspace, doc_id):
    with pytest.raises(UsageError, match="no label named 'NOPE'"):
        workspace.add_span(doc_id, 0, 3, "NOPE")


def test_span_offsets_are_code_points_after_emoji(workspace, doc_id):
    start = TEXT.index("kemarin")
    change = workspace.add_span(doc_id, start, start + 7, "DATE")
    assert change.spans[0].text == "kemarin"


def test_edit_and_delete_keep_before_and_after_in_the_log(workspace, db_path, doc_id):
    span = workspace.add_span(doc_id, 9, 20, "PERSON").spans[0]
    change = workspace.update_span(span.id, label="ORG", end=13)
    assert (change.removed_spans[0].label, change.removed_spans[0].text) == (
        "PERSON",
        "Joko Widodo",
    )
    assert (change.spans[0].label, change.spans[0].text) == ("ORG", "Joko")
    workspace.delete_span(span.id)
    assert workspace.document(doc_id).spans == ()
    with peek(db_path) as conn:
        rows = conn.execute(
            "select action, before, after from change_log where entity='span' order by id"
        ).fetchall()
    assert [r[0] for r in rows] == ["add", "edit", "delete"]
    assert '"label": "PERSON"' in rows[1][1] and '"label": "ORG"' in rows[1][2]
    assert '"text": "Joko"' in rows[2][1] and rows[2][2] is None


def test_document_status_changes_are_logged(workspace, db_path, doc_id):
    workspace.set_status(doc_id, "done")
    assert workspace.documents()[0].status == DocumentStatus.DONE
    with pytest.raises(ValueError):
        workspace.set_status(doc_id, "finished")


def test_labels_add_edit_and_hotkey_conflicts(workspace):
    workspace.add_label("EVENT", hotkey="e")
    event = workspace.labels()[-1]
    assert (event.name, event.hotkey, event.order) == ("EVENT", "e", 6)
    assert event.colour not in {label.colour for label in workspace.labels()[:-1]}
    with pytest.raises(UsageError, match="taken by label PERSON"):
        workspace.add_label("PEOPLE", hotkey="p")
    with pytest.raises(UsageError, match="exists already"):
        workspace.add_label("ORG")
    workspace.edit_label("EVENT", name="INCIDENT", colour="#123456")
    assert workspace.labels()[-1].name == "INCIDENT"
    with pytest.raises(UsageError, match="exists already"):
        workspace.edit_label("INCIDENT", name="ORG")


def test_two_programs_on_one_database_see_each_others_changes(db_path, doc_id, workspace):
    from annotator.workspace import Workspace

    with Workspace.open(db_path, annotator="other") as second:
        workspace.add_span(doc_id, 9, 20, "PERSON")
        second.add_span(doc_id, 0, 8, "ROLE")
        for ws in (workspace, second):
            assert {(s.label, s.annotator) for s in ws.document(doc_id).spans} == {
                ("PERSON", "tester"),
                ("ROLE", "other"),
            }


def test_what_an_action_returns_is_what_the_database_holds(workspace, doc_id):
    # The actions build their results instead of reading the rows back: the two must agree.
    added = workspace.add_span(doc_id, 9, 20, "PERSON", note="a note").spans[0]
    assert added == workspace.store.spans.get(added.id) and added.annotator == "tester"
    edited = workspace.update_span(added.id, label="ORG", end=13, attributes={"k": [1, 2]})
    assert edited.removed_spans[0] == added and edited.spans[0] == workspace.store.spans.get(
        added.id
    )
    assert (edited.spans[0].text, edited.spans[0].note, dict(edited.spans[0].attributes)) == (
        "Joko",
        "a note",
        {"k": [1, 2]},
    )
    deleted = workspace.delete_span(added.id)
    assert deleted.removed_spans[0] == edited.spans[0]
    restored = workspace.undo()
    assert restored.spans[0] == workspace.store.spans.get(added.id)
    assert (
        restored.spans[0].key == edited.spans[0].key
        and restored.spans[0].created_at == added.created_at
    )


def test_a_decision_returns_what_the_database_holds(workspace):
    from annotator.core.model import Suggestion

    [doc_id] = workspace.store.documents.insert(
        [
            Document(
                text=TEXT,
                title="t",
                source="test",
                suggestions=(
                    Suggestion(9, 20, "PERSON", "Joko Widodo", "r", 3, "why"),
                    Suggestion(52, 59, "LOC", "Jakarta", "r"),
                ),
            )
        ],
        annotator="tester",
    )
    joko, jakarta = (s for _, s in workspace.suggestions(doc_id))
    accepted = workspace.accept(joko.id)
    assert accepted.spans[0] == workspace.store.spans.get(accepted.spans[0].id)
    assert (accepted.spans[0].origin, accepted.spans[0].rule, accepted.spans[0].rule_version) == (
        "rule",
        "r",
        3,
    )
    corrected = workspace.undo() and workspace.correct(joko.id, end=13, label="ORG")
    assert corrected.spans[0] == workspace.store.spans.get(corrected.spans[0].id)
    assert dict(corrected.spans[0].attributes) == {
        "corrected_from": {"start": 9, "end": 20, "label": "PERSON"}
    }
    rejected = workspace.reject(jakarta.id).suggestions[0]
    assert rejected == next(s for s in workspace.document(doc_id).suggestions if s.id == jakarta.id)
    assert (rejected.state, rejected.decided_by) == ("rejected", "tester")
    with pytest.raises(UsageError, match=f"suggestion {jakarta.id} was already rejected"):
        workspace.accept(jakarta.id)


def test_actions_on_what_does_not_exist_are_refused_clearly(workspace, doc_id):
    with pytest.raises(UsageError, match="no document with id 999"):
        workspace.add_span(999, 0, 3, "PERSON")
    for action in (
        lambda: workspace.update_span(999, label="ORG"),
        lambda: workspace.delete_span(999),
    ):
        with pytest.raises(UsageError, match="no span with id 999"):
            action()
    for action in (lambda: workspace.accept(999), lambda: workspace.reject(999)):
        with pytest.raises(UsageError, match="no suggestion with id 999"):
            action()
    span = workspace.add_span(doc_id, 9, 20, "PERSON").spans[0]
    workspace.add_span(doc_id, 9, 13, "PERSON")
    with pytest.raises(UsageError, match="already has that span"):
        workspace.update_span(span.id, end=13)
    with pytest.raises(UsageError, match="cannot change colour of a span"):
        workspace.update_span(span.id, colour="red")
    assert workspace.store.spans.get(span.id) == span
