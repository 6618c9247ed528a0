"""Decisions on many concordance lines across documents: each one undo step, undone and redone
whole; relabel; a boundary moved by a token."""

from __future__ import annotations

import pytest

from annotator.core.errors import UsageError
from annotator.workspace import ConcordanceFilter, LineKind, Operation, SortKey

ALL = ConcordanceFilter()


def _states(ws, wanted=ALL):
    return [(line.match, line.state) for line in ws.concordance.page(wanted, limit=100)]


def _span_keys(ws, doc_id):
    return sorted(span.key for span in ws.document(doc_id).spans)


def test_reject_many_across_documents_is_one_step_undone_and_redone_whole(concordance_corpus):
    ws, ids = concordance_corpus
    keys = ws.concordance.keys(ConcordanceFilter(text="putin"))
    assert len(keys) == 2
    change = ws.concordance.reject(keys)
    assert change.operation == Operation.REJECT_MANY
    assert change.description == "Reject 2 suggestions"
    assert set(change.documents) == {ids[0], ids[1]}
    assert {s.state for s in change.suggestions} == {"rejected"}
    assert _states(ws, ConcordanceFilter(text="putin")) == [
        ("Putin", "rejected"),
        ("Putin", "rejected"),
    ]
    assert ws.undo_description() == "Reject 2 suggestions"
    undone = ws.undo()
    assert undone is not None and set(undone.documents) == {ids[0], ids[1]}
    assert _states(ws, ConcordanceFilter(text="putin")) == [("Putin", "pending")] * 2
    ws.redo()
    assert _states(ws, ConcordanceFilter(text="putin")) == [("Putin", "rejected")] * 2


def test_accept_lines_skips_what_is_not_pending_and_accepts_across_documents(concordance_corpus):
    ws, ids = concordance_corpus
    keys = ws.concordance.keys(ConcordanceFilter(rule="places"))
    manual = ws.concordance.keys(ConcordanceFilter(states=("manual",)))
    change = ws.concordance.accept([*keys, *manual])
    assert change.count == 3
    assert set(change.documents) == set(ids)
    assert [state for _, state in _states(ws, ConcordanceFilter(rule="places"))] == ["accepted"] * 3
    ws.undo()
    assert [state for _, state in _states(ws, ConcordanceFilter(rule="places"))] == ["pending"] * 3
    assert _span_keys(ws, ids[2]) == []


def test_accept_all_takes_every_line_of_the_filter_not_only_those_read(concordance_corpus):
    ws, _ = concordance_corpus
    change = ws.concordance.accept_all(ConcordanceFilter(label="PERSON"))
    assert change.count == 6
    assert ws.concordance.count(ConcordanceFilter(label="PERSON", states=("accepted",))) == 6
    assert ws.concordance.count(ConcordanceFilter(states=("pending",))) == 3
    ws.undo()
    assert ws.concordance.count(ConcordanceFilter(states=("pending",))) == 9


def test_nothing_to_decide_is_refused_and_nothing_changes(concordance_corpus):
    ws, _ = concordance_corpus
    manual = ws.concordance.keys(ConcordanceFilter(states=("manual",)))
    before = ws.store.counts()
    with pytest.raises(UsageError, match="none of the 1 line can reject"):
        ws.concordance.reject(manual)
    with pytest.raises(UsageError, match="no pending suggestion is shown"):
        ws.concordance.accept_all(ConcordanceFilter(states=("manual",)))
    with pytest.raises(UsageError, match="no label 'NOPE'"):
        ws.concordance.relabel(manual, "NOPE")
    assert ws.store.counts() == before


def test_relabel_many_corrects_pending_and_relabels_spans_in_one_step(concordance_corpus):
    ws, ids = concordance_corpus
    jakarta = ws.concordance.keys(ConcordanceFilter(text="jakarta"))
    manual = ws.concordance.keys(ConcordanceFilter(states=("manual",)))
    change = ws.concordance.relabel([*jakarta, *manual], "ORG")
    assert change.operation == Operation.RELABEL_MANY
    assert change.description == "Relabel 3 lines to ORG"
    assert set(change.documents) == {ids[0], ids[1]}
    assert {span.label for span in change.spans} == {"ORG"}
    assert [line.state for line in ws.concordance.lines(jakarta)] == ["corrected"] * 2
    assert ws.concordance.lines(manual)[0].label == "ORG"
    beta = {span.text: span.label for span in ws.document(ids[1]).spans}
    assert beta == {"Jakarta": "ORG", "Menteri": "ORG"}
    ws.undo()
    assert [line.state for line in ws.concordance.lines(jakarta)] == ["pending"] * 2
    assert {span.text: span.label for span in ws.document(ids[1]).spans} == {"Menteri": "ROLE"}
    ws.redo()
    assert {span.text: span.label for span in ws.document(ids[1]).spans} == beta


def test_relabel_an_accepted_line_edits_the_span_its_acceptance_made(concordance_corpus):
    ws, ids = concordance_corpus
    (bandung,) = ws.concordance.keys(ConcordanceFilter(text="bandung"))
    ws.concordance.accept([bandung])
    ws.concordance.relabel([bandung], "ORG")
    assert [(s.text, s.label) for s in ws.document(ids[2]).spans] == [("Bandung", "ORG")]


def test_a_boundary_moves_by_a_token_correcting_then_editing_the_span(concordance_corpus):
    ws, ids = concordance_corpus
    (lavrov,) = ws.concordance.keys(ConcordanceFilter(text="lavrov"))
    change = ws.concordance.move_boundary(lavrov, "start", -1)  # `[`: "Menteri Sergey Lavrov"
    assert change.operation == Operation.CORRECT
    assert change.spans[0].text == "Menteri Sergey Lavrov"
    assert ws.concordance.lines([lavrov])[0].state == "corrected"
    # Again on the same line: the span the correction made moves on.
    change = ws.concordance.move_boundary(lavrov, "end", +1)  # `}`
    assert change.operation == Operation.EDIT_SPAN
    assert change.spans[0].text == "Menteri Sergey Lavrov tiba"
    change = ws.concordance.move_boundary(lavrov, "start", +1)  # `]`
    change = ws.concordance.move_boundary(lavrov, "end", -1)  # `{`
    assert change.spans[0].text == "Sergey Lavrov"
    with pytest.raises(UsageError, match="shrink to nothing"):
        ws.concordance.move_boundary(
            ws.concordance.keys(ConcordanceFilter(text="joko", document=ids[2]))[0], "end", -1
        )
    for _ in range(4):
        ws.undo()
    assert ws.concordance.lines([lavrov])[0].state == "pending"
    assert "Sergey Lavrov" not in {span.text for span in ws.document(ids[1]).spans}


def test_a_manual_span_boundary_moves_and_bad_arguments_are_refused(concordance_corpus):
    ws, _ = concordance_corpus
    (manual,) = ws.concordance.keys(ConcordanceFilter(states=("manual",)))
    assert manual.kind == LineKind.SPAN
    change = ws.concordance.move_boundary(manual, "end", +1)
    assert change.spans[0].text == "Menteri Sergey"
    assert ws.concordance.lines([manual])[0].match == "Menteri Sergey"
    with pytest.raises(UsageError, match="move start or end"):
        ws.concordance.move_boundary(manual, "middle", +1)
    with pytest.raises(UsageError, match="no token further"):
        ws.concordance.move_boundary(manual, "start", -1)


def test_a_rejected_line_has_no_boundary_to_move(concordance_corpus):
    ws, _ = concordance_corpus
    (joko,) = ws.concordance.keys(ConcordanceFilter(text="joko", title="gamma"))
    ws.concordance.reject([joko])
    before = ws.store.counts()
    with pytest.raises(UsageError):
        ws.concordance.move_boundary(joko, "end", +1)
    assert ws.store.counts() == before


def test_pages_through_the_workspace_follow_the_sort(concordance_corpus):
    ws, _ = concordance_corpus
    page = ws.concordance.page(ALL, SortKey.MATCH, offset=0, limit=4)
    assert [line.match for line in page] == ["Bandung", "Jakarta", "Jakarta", "Joko"]
