"""A pending suggestion a span of its label overlaps is covered: still pending, but not work."""

from __future__ import annotations

import pytest

from annotator.core.model import Document, Suggestion

TEXT = "Presiden Rusia Vladimir Putin bertemu John Kerry di Moskow pada Sabtu (24/10) di Kremlin."


def at(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def suggestion(text: str, part: str, label: str) -> Suggestion:
    return Suggestion(*at(text, part), label, part, "test-rule")


@pytest.fixture
def doc(workspace):
    """TEXT with pending suggestions only (no rules run), their ids not in reading order."""
    [doc_id] = workspace.store.documents.insert(
        [
            Document(
                text=TEXT,
                title="t",
                source="test",
                suggestions=(
                    suggestion(TEXT, "Kremlin", "LOC"),
                    suggestion(TEXT, "Vladimir", "ORG"),
                    suggestion(TEXT, "Moskow", "LOC"),
                    suggestion(TEXT, "Vladimir Putin", "PERSON"),
                    suggestion(TEXT, "John Kerry", "PERSON"),
                    suggestion(TEXT, "Sabtu (24/10)", "DATE"),
                ),
            )
        ],
        annotator="tester",
    )
    return doc_id


def ids(workspace, doc_id, *parts: str) -> list[int]:
    by_text = {s.text: s.id for _, s in workspace.suggestions(doc_id)}
    return [by_text[part] for part in parts]


def counts(workspace, doc_id) -> tuple[int, int]:
    summary = workspace.document_summary(doc_id)
    assert [summary] == [
        s for s in workspace.documents() if s.id == doc_id
    ]  # the list says the same
    return summary.pending_suggestions, summary.covered_suggestions


def test_a_span_of_the_same_label_overlapping_a_suggestion_covers_it(workspace, doc):
    assert counts(workspace, doc) == (6, 0)
    workspace.add_span(doc, *at(TEXT, "Putin"), "PERSON")  # inside "Vladimir Putin"
    assert counts(workspace, doc) == (5, 1)
    workspace.add_span(doc, *at(TEXT, "bertemu John"), "PERSON")  # over the start of "John Kerry"
    assert counts(workspace, doc) == (4, 2)
    workspace.add_span(doc, *at(TEXT, "Sabtu (24/10) di"), "DATE")  # around "Sabtu (24/10)"
    assert counts(workspace, doc) == (3, 3)
    workspace.undo()
    assert counts(workspace, doc) == (4, 2)


def test_another_label_or_a_span_that_only_touches_does_not_cover(workspace, doc):
    workspace.add_span(doc, *at(TEXT, "Moskow"), "ORG")  # the same place, another label
    workspace.add_span(doc, *at(TEXT, "Vladimir Putin"), "LOC")  # over PERSON and ORG suggestions
    workspace.add_span(doc, *at(TEXT, "pada "), "DATE")  # ends where "Sabtu (24/10)" starts
    workspace.add_span(doc, *at(TEXT, "."), "LOC")  # starts where "Kremlin" ends
    assert counts(workspace, doc) == (6, 0)


def test_an_identical_span_resolves_the_suggestion_rather_than_covering_it(workspace, doc):
    workspace.add_span(doc, *at(TEXT, "Kremlin"), "LOC")
    assert counts(workspace, doc) == (5, 0)


def test_a_long_span_starting_far_before_a_suggestion_covers_it(workspace):
    text = (
        '"'
        + "Kami siap bekerja sama dengan siapa pun yang melawan teror di kawasan ini " * 3
        + 'dan di Suriah," kata Lavrov.'
    )
    [doc_id] = workspace.store.documents.insert(
        [
            Document(
                text=text,
                title="t",
                source="test",
                suggestions=(
                    suggestion(text, "Suriah", "QUOTE"),
                    suggestion(text, "Suriah", "LOC"),
                    suggestion(text, "Lavrov", "QUOTE"),
                ),
            )
        ],
        annotator="tester",
    )
    workspace.add_span(doc_id, *at(text, "Kami"), "QUOTE")  # short spans of the label elsewhere
    workspace.add_span(doc_id, *at(text, "Lavrov"), "LOC")
    assert counts(workspace, doc_id) == (3, 0)
    workspace.add_span(
        doc_id, 0, text.index(" kata"), "QUOTE"
    )  # 233 characters, ending after "Suriah"
    assert counts(workspace, doc_id) == (2, 1)


def test_fresh_pending_ids_leave_out_covered_ones_in_reading_order(workspace, doc):
    everything = ids(
        workspace,
        doc,
        "Vladimir Putin",
        "Vladimir",
        "John Kerry",
        "Moskow",
        "Sabtu (24/10)",
        "Kremlin",
    )
    assert workspace.fresh_pending_ids(doc) == everything  # at one start, the longer first
    workspace.add_span(doc, *at(TEXT, "Kerry"), "PERSON")
    workspace.add_span(doc, *at(TEXT, "di Moskow"), "LOC")
    workspace.add_span(
        doc, *at(TEXT, "Vladimir"), "PERSON"
    )  # covers the PERSON one, not the ORG one
    assert workspace.fresh_pending_ids(doc) == ids(
        workspace, doc, "Vladimir", "Sabtu (24/10)", "Kremlin"
    )
    workspace.undo()
    assert workspace.fresh_pending_ids(doc) == ids(
        workspace, doc, "Vladimir Putin", "Vladimir", "Sabtu (24/10)", "Kremlin"
    )
    # Accept all, as the window does it: only the fresh ones; the covered ones stay pending.
    workspace.accept_many(workspace.fresh_pending_ids(doc))
    assert workspace.fresh_pending_ids(doc) == []
    assert [s.text for _, s in workspace.suggestions(doc)] == ["John Kerry", "Moskow"]
    assert counts(workspace, doc) == (0, 2)
