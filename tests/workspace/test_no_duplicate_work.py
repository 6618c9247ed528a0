"""A span exactly like a pending suggestion resolves it: accepted, counted for its rule, undoable.

Each test takes a snapshot (the suggestions' states, the rule's counts, the document's spans and
its pending count) before and after the action, then checks that undo gives back the first and
redo the second.
"""

from __future__ import annotations

import pytest

from annotator.core.model import Document, Suggestion, SuggestionState

TEXT = "Presiden Rusia Vladimir Putin bertemu John Kerry di Moskow pada Sabtu (24/10).\n"
ACCEPTED, PENDING, CORRECTED = (
    SuggestionState.ACCEPTED,
    SuggestionState.PENDING,
    SuggestionState.CORRECTED,
)


@pytest.fixture
def doc(workspace, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    workspace.import_paths([path])
    doc_id = workspace.documents()[0].id
    workspace.suggest(doc_id)
    return doc_id


def pending(ws, doc_id, text, label):
    return next(s for _, s in ws.suggestions(doc_id) if s.text == text and s.label == label)


def snapshot(ws, doc_id, suggestions, rule):
    stats = ws.rule_statistics()[rule]
    summary = ws.document_summary(doc_id)
    return (
        [ws.store.suggestions.get(s.id)[1].state for s in suggestions],
        stats.accepted,
        stats.pending,
        sorted((s.start, s.end, s.label) for s in ws.document(doc_id).spans),
        (summary.pending_suggestions, summary.covered_suggestions),
    )


def stored(ws, doc_id, suggestion_id):
    """A suggestion as the database has it, with who decided it."""
    return next(s for s in ws.document(doc_id).suggestions if s.id == suggestion_id)


def check_undo_redo(ws, doc_id, suggestions, rule, before, after, resolved):
    """Undo gives back ``before`` (the resolved suggestion pending again), redo ``after``."""
    undone = ws.undo()
    assert snapshot(ws, doc_id, suggestions, rule) == before
    assert [(s.id, s.state) for s in undone.suggestions if s.id == resolved.id] == [
        (resolved.id, PENDING)
    ]
    ws.redo()
    assert snapshot(ws, doc_id, suggestions, rule) == after
    again = stored(ws, doc_id, resolved.id)
    assert (again.state, again.decided_by) == (ACCEPTED, "tester")


def check_resolved(ws, change, suggestion):
    """The action's Change lists the suggestion, accepted by this annotator, as the store has it."""
    listed = [s for s in change.suggestions if s.id == suggestion.id]
    now = stored(ws, change.documents[0], suggestion.id)
    assert (now.state, now.decided_by) == (ACCEPTED, "tester")
    assert listed == [now]


def test_labelling_by_hand_what_a_rule_proposed_accepts_its_suggestion(workspace, doc):
    moskow = pending(workspace, doc, "Moskow", "LOC")
    before = snapshot(workspace, doc, [moskow], moskow.rule)
    at = TEXT.index("Moskow")
    change = workspace.add_span(doc, at, at + 6, "LOC")
    check_resolved(workspace, change, moskow)
    after = snapshot(workspace, doc, [moskow], moskow.rule)
    # Accepted and counted for its rule; one pending suggestion fewer in the document list.
    assert after == (
        [ACCEPTED],
        before[1] + 1,
        before[2] - 1,
        [(at, at + 6, "LOC")],
        (before[4][0] - 1, before[4][1]),
    )
    check_undo_redo(
        workspace, doc, [moskow], moskow.rule, before, after, moskow
    )  # undo removes the span too


@pytest.mark.parametrize(
    "made, change",
    [
        (
            ("Vladimir", "PERSON"),
            {"end": TEXT.index("Putin") + len("Putin")},
        ),  # a boundary moved onto it
        (("Vladimir Putin", "ORG"), {"label": "PERSON"}),  # relabelled onto it
    ],
)
def test_a_span_moved_or_relabelled_onto_a_suggestion_resolves_it(workspace, doc, made, change):
    putin = pending(workspace, doc, "Vladimir Putin", "PERSON")
    at = TEXT.index(made[0])
    span = workspace.add_span(doc, at, at + len(made[0]), made[1]).spans[0]
    before = snapshot(workspace, doc, [putin], putin.rule)
    assert before[0] == [PENDING]  # not the same span yet
    edited = workspace.update_span(span.id, **change)
    check_resolved(workspace, edited, putin)
    after = snapshot(workspace, doc, [putin], putin.rule)
    assert after[1:3] == (before[1] + 1, before[2] - 1)
    assert (
        sum(after[4]) == sum(before[4]) - 1
    )  # fresh work before, or covered by the span moved onto it
    check_undo_redo(workspace, doc, [putin], putin.rule, before, after, putin)
    assert workspace.store.spans.get(span.id).key == (putin.start, putin.end, "PERSON")


def test_a_correction_onto_another_suggestion_resolves_that_one_too(workspace, doc):
    putin = pending(workspace, doc, "Vladimir Putin", "PERSON")
    rusia = pending(workspace, doc, "Rusia", "LOC")
    before = snapshot(workspace, doc, [putin, rusia], putin.rule)
    # Correct "Rusia" (LOC) to the place and label of the PERSON suggestion "Vladimir Putin".
    change = workspace.correct(rusia.id, label="PERSON", start=putin.start, end=putin.end)
    assert change.spans[0] is not None and change.spans[0].text == "Vladimir Putin"
    check_resolved(workspace, change, putin)
    after = snapshot(workspace, doc, [putin, rusia], putin.rule)
    assert after[0] == [ACCEPTED, CORRECTED]
    assert after[1:] == (
        before[1] + 1,
        before[2] - 1,
        [(putin.start, putin.end, "PERSON")],
        (before[4][0] - 2, before[4][1]),
    )
    check_undo_redo(workspace, doc, [putin, rusia], putin.rule, before, after, putin)


@pytest.fixture
def twins(workspace):
    """A document where two rules propose the same place and label (as an import can bring)."""
    text = "Delegasi tiba di Moskow pada Sabtu."
    at = text.index("Moskow")
    [doc_id] = workspace.store.documents.insert(
        [
            Document(
                text=text,
                title="t",
                source="test",
                suggestions=(
                    Suggestion(at, at + 6, "LOC", "Moskow", "places-a"),
                    Suggestion(at, at + 6, "LOC", "Moskow", "places-b"),
                ),
            )
        ],
        annotator="tester",
    )
    first, second = (s for _, s in workspace.suggestions(doc_id))
    return doc_id, first, second


def test_accepting_one_rule_s_suggestion_resolves_another_rule_s_identical_one(workspace, twins):
    doc_id, first, second = twins
    before = snapshot(workspace, doc_id, [first, second], second.rule)
    change = workspace.accept(first.id)
    check_resolved(workspace, change, second)
    after = snapshot(workspace, doc_id, [first, second], second.rule)
    assert after == ([ACCEPTED, ACCEPTED], 1, 0, [(first.start, first.end, "LOC")], (0, 0))
    assert workspace.rule_statistics()[first.rule].accepted == 1  # each counted for its own rule
    check_undo_redo(workspace, doc_id, [first, second], second.rule, before, after, second)


def test_accept_many_resolves_an_identical_one_left_out_and_takes_both_when_given_both(
    workspace, twins
):
    doc_id, first, second = twins
    change = workspace.accept_many([first.id])
    check_resolved(workspace, change, second)
    assert change.count == 1
    workspace.undo()
    assert [s.id for _, s in workspace.suggestions(doc_id)] == [first.id, second.id]
    both = workspace.accept_many(
        [first.id, second.id]
    )  # the second is not refused as decided already
    assert both.count == 1 and len(workspace.document(doc_id).spans) == 1
    assert workspace.suggestions(doc_id) == []


def test_a_span_unlike_any_suggestion_resolves_nothing(workspace, doc):
    moskow = pending(workspace, doc, "Moskow", "LOC")
    count = workspace.document_summary(doc).pending_suggestions
    change = workspace.add_span(doc, moskow.start, moskow.end, "ORG")  # same place, other label
    assert change.suggestions == ()
    assert workspace.store.suggestions.get(moskow.id)[1].state == PENDING
    # Still pending, but now covered by a span: not counted as work.
    assert workspace.document_summary(doc).pending_suggestions == count
