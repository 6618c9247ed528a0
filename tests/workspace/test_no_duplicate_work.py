"""A span exactly like a pending suggestion resolves it: accepted, counted for its rule, undoable."""

from __future__ import annotations

import pytest

from annotator.core.model import SuggestionState

TEXT = "Presiden Rusia Vladimir Putin bertemu John Kerry di Moskow pada Sabtu (24/10).\n"


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


def state_of(ws, suggestion_id):
    return ws.store.suggestion(suggestion_id)[1].state


def accepted_for(ws, rule):
    return ws.rule_statistics()[rule].accepted


def test_labelling_by_hand_what_a_rule_proposed_accepts_its_suggestion(workspace, doc):
    moskow = pending(workspace, doc, "Moskow", "LOC")
    count = workspace.document_summary(doc).pending_suggestions
    accepted = accepted_for(workspace, moskow.rule)
    at = TEXT.index("Moskow")
    change = workspace.add_span(doc, at, at + 6, "LOC")
    assert [s.id for s in change.resolved] == [moskow.id]
    assert change.resolved[0].state == SuggestionState.ACCEPTED
    assert state_of(workspace, moskow.id) == SuggestionState.ACCEPTED
    assert accepted_for(workspace, moskow.rule) == accepted + 1
    assert workspace.document_summary(doc).pending_suggestions == count - 1

    undone = workspace.undo()
    assert state_of(workspace, moskow.id) == SuggestionState.PENDING
    assert workspace.document(doc).spans == ()
    assert [s.id for s in undone.resolved] == [moskow.id] and undone.resolved[0].state == SuggestionState.PENDING
    workspace.redo()
    assert state_of(workspace, moskow.id) == SuggestionState.ACCEPTED
    assert [s.text for s in workspace.document(doc).spans] == ["Moskow"]


def test_a_span_moved_onto_a_suggestion_resolves_it(workspace, doc):
    putin = pending(workspace, doc, "Vladimir Putin", "PERSON")
    at = TEXT.index("Vladimir")
    span = workspace.add_span(doc, at, at + len("Vladimir"), "PERSON").span
    assert state_of(workspace, putin.id) == SuggestionState.PENDING  # not the same span yet
    change = workspace.update_span(span.id, end=at + len("Vladimir Putin"))
    assert [s.id for s in change.resolved] == [putin.id]
    assert state_of(workspace, putin.id) == SuggestionState.ACCEPTED
    workspace.undo()
    assert state_of(workspace, putin.id) == SuggestionState.PENDING
    assert workspace.store.span(span.id).text == "Vladimir"


def test_a_relabel_onto_a_suggestion_resolves_it(workspace, doc):
    date = pending(workspace, doc, "Sabtu (24/10)", "DATE")
    at = TEXT.index("Sabtu (24/10)")
    span = workspace.add_span(doc, at, at + len("Sabtu (24/10)"), "ORG").span
    assert state_of(workspace, date.id) == SuggestionState.PENDING
    change = workspace.update_span(span.id, label="DATE")
    assert [s.id for s in change.resolved] == [date.id]
    assert state_of(workspace, date.id) == SuggestionState.ACCEPTED


def test_a_correction_onto_another_suggestion_resolves_that_one_too(workspace, doc):
    putin = pending(workspace, doc, "Vladimir Putin", "PERSON")
    rusia = pending(workspace, doc, "Rusia", "LOC")
    # Correct "Rusia" (LOC) to the place and label of the PERSON suggestion "Vladimir Putin".
    at = TEXT.index("Vladimir")
    change = workspace.correct(rusia.id, label="PERSON", start=at, end=at + len("Vladimir Putin"))
    assert change.span is not None and change.span.text == "Vladimir Putin"
    assert [s.id for s in change.resolved] == [putin.id]
    assert state_of(workspace, putin.id) == SuggestionState.ACCEPTED
    assert state_of(workspace, rusia.id) == SuggestionState.CORRECTED


def test_accepting_one_rule_s_suggestion_resolves_another_rule_s_identical_one(workspace, doc):
    moskow = pending(workspace, doc, "Moskow", "LOC")
    # A second rule proposing the same place and label (made pending by hand, as a rerun would).
    twin = workspace.store.replace_suggestions(doc, [moskow.__class__(
        moskow.start, moskow.end, "LOC", "Moskow", "another-rule", 1, "twin")] + [
        s for _, s in workspace.suggestions(doc)], {"another-rule": 1, **{
            r.name: r.version for r in workspace.rules()}}, "x", annotator="tester")
    assert twin.added == 1
    other = next(s for _, s in workspace.suggestions(doc) if s.rule == "another-rule")
    change = workspace.accept(moskow.id)
    assert [s.id for s in change.resolved] == [other.id]
    assert state_of(workspace, other.id) == SuggestionState.ACCEPTED


def test_a_pending_suggestion_a_span_of_its_label_overlaps_is_covered_not_pending(workspace, doc):
    summary = workspace.document_summary(doc)
    assert summary.covered_suggestions == 0
    putin_at = TEXT.index("Putin")
    workspace.add_span(doc, putin_at, putin_at + 5, "PERSON")  # inside the PERSON suggestion "Vladimir Putin"
    after = workspace.document_summary(doc)
    assert after.covered_suggestions == 1
    assert after.pending_suggestions == summary.pending_suggestions - 1
    # Another label, or a span that only touches, does not cover.
    rusia = TEXT.index("Rusia")
    workspace.add_span(doc, rusia, rusia + len("Rusia"), "ORG")  # the suggestion there is LOC
    vladimir = TEXT.index("Vladimir")
    workspace.add_span(doc, vladimir, vladimir + len("Vladimir"), "DATE")  # over a PERSON suggestion
    assert workspace.document_summary(doc).covered_suggestions == 1
    touching = TEXT.index("pada")  # ends where "Sabtu (24/10)" (DATE) starts, one space before
    workspace.add_span(doc, touching, touching + len("pada "), "DATE")
    assert workspace.document_summary(doc).covered_suggestions == 1
    assert len(workspace.documents()) == 1 and workspace.documents()[0] == workspace.document_summary(doc)
