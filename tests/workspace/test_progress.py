"""What the plots read (Workspace.progress_report), on a real database, after decisions made
through the workspace; every figure below is counted by hand from the decisions made."""

from __future__ import annotations

import pytest

from annotator.core.model import Document, DocumentStatus, Suggestion
from annotator.workspace import ProgressReport

TEXT = "Presiden Rusia Vladimir Putin bertemu John Kerry di Moskow pada Sabtu di Kremlin dan Paris."
# (text, label, rule) of the suggestions made before any decision.
PROPOSED = (
    ("Putin", "PERSON", "r-a"),
    ("John Kerry", "PERSON", "r-a"),
    ("Moskow", "PERSON", "r-a"),  # corrected to LOC
    ("Sabtu", "PERSON", "r-a"),  # rejected
    ("Kremlin", "ORG", "r-b"),  # rejected
    ("Paris", "LOC", "r-b"),
    ("Rusia", "LOC", "r-c"),  # left pending
)


def _insert(workspace, title: str, proposed) -> int:
    text = TEXT if proposed else f"{TEXT} ({title})"  # the same text twice is one document
    suggestions = tuple(
        Suggestion(TEXT.index(text), TEXT.index(text) + len(text), label, text, rule)
        for text, label, rule in proposed
    )
    [doc_id] = workspace.store.documents.insert(
        [Document(text=text, title=title, source=title, suggestions=suggestions)],
        annotator="tester",
    )
    return doc_id


@pytest.fixture
def decided(workspace):
    """Two documents; six decisions in the first, in this order: accept Putin (r-a), reject
    Kremlin (r-b), accept John Kerry (r-a), correct Moskow to LOC (r-a), accept Paris (r-b),
    reject Sabtu (r-a)."""
    first = _insert(workspace, "first", PROPOSED)
    _insert(workspace, "second", ())
    ids = {s.text: s.id for _, s in workspace.suggestions(first)}
    workspace.accept(ids["Putin"])
    workspace.reject(ids["Kremlin"])
    workspace.accept(ids["John Kerry"])
    workspace.correct(ids["Moskow"], label="LOC")
    workspace.accept(ids["Paris"])
    workspace.reject(ids["Sabtu"])
    return workspace


def _timeline(report: ProgressReport, rule: str) -> list[tuple[int, int, int, int, float]]:
    [found] = [t for t in report.timelines if t.rule == rule]
    assert found.precisions() == [p.precision for p in found.points()]
    return [(p.decision, p.accepted, p.corrected, p.rejected, p.precision) for p in found.points()]


def test_each_rule_has_its_counts_after_each_decision_in_the_order_they_were_made(decided):
    report = decided.progress_report()
    assert report.decisions == 6
    assert [t.rule for t in report.timelines] == ["r-a", "r-b"]  # most decisions first
    assert _timeline(report, "r-a") == [
        (1, 1, 0, 0, 1.0),
        (3, 2, 0, 0, 1.0),
        (4, 2, 1, 0, pytest.approx(2 / 3)),
        (6, 2, 1, 1, 0.5),
    ]
    assert _timeline(report, "r-b") == [(2, 0, 0, 1, 0.0), (5, 1, 0, 1, 0.5)]
    [r_a] = [t for t in report.timelines if t.rule == "r-a"]
    assert (r_a.decisions, r_a.precision) == (4, 0.5)


def test_a_long_timeline_is_read_thinned_to_every_kth_decision_and_its_last(decided):
    report = decided.progress_report(most_points=2)
    # r-a: 4 decisions, k = 2: its 1st and 3rd, and the 4th (its last).
    [r_a] = [t for t in report.timelines if t.rule == "r-a"]
    assert (r_a.decision, r_a.hits, r_a.accepted, r_a.corrected, r_a.rejected) == (
        (1, 4, 6),
        (1, 3, 4),
        (1, 2, 2),
        (0, 1, 1),
        (0, 0, 1),
    )
    assert (r_a.decisions, r_a.precision) == (4, 0.5)
    assert _timeline(report, "r-b") == [(2, 0, 0, 1, 0.0), (5, 1, 0, 1, 0.5)]  # 2: all kept
    assert report.decisions == 6


def test_an_undone_decision_leaves_the_timeline_and_its_redo_brings_it_back(decided):
    decided.undo()  # the rejection of Sabtu
    assert _timeline(decided.progress_report(), "r-a")[-1] == (4, 2, 1, 0, pytest.approx(2 / 3))
    assert decided.progress_report().decisions == 5
    decided.redo()
    assert _timeline(decided.progress_report(), "r-a")[-1] == (6, 2, 1, 1, 0.5)


def test_accepted_corrected_rejected_and_pending_per_rule(decided):
    rules = {s.rule: s for s in decided.progress_report().rules}
    counts = {name: (s.accepted, s.corrected, s.rejected, s.pending) for name, s in rules.items()}
    assert counts == {"r-a": (2, 1, 1, 0), "r-b": (1, 0, 1, 0), "r-c": (0, 0, 0, 1)}
    assert [s.rule for s in decided.progress_report().rules] == ["r-a", "r-b", "r-c"]
    assert rules["r-a"].precision == 0.5  # the rule statistics' own precision


def test_spans_per_label_by_origin_and_pending_suggestions_per_label(decided):
    first = decided.documents()[0].id
    decided.add_span(first, TEXT.index("Vladimir"), TEXT.index("Vladimir") + 8, "PERSON")
    labels = {p.label: p for p in decided.progress_report().labels}
    assert [p.label for p in decided.progress_report().labels] == [
        label.name for label in sorted(decided.labels(), key=lambda label: label.order)
    ]
    # PERSON: Putin and John Kerry accepted, Vladimir by hand; LOC: Moskow corrected, Paris.
    assert (labels["PERSON"].manual, labels["PERSON"].from_rules) == (1, 2)
    assert (labels["LOC"].manual, labels["LOC"].from_rules, labels["LOC"].pending) == (0, 2, 1)
    assert (labels["ORG"].spans, labels["ORG"].pending) == (0, 0)
    assert labels["PERSON"].colour.startswith("#")


def test_documents_per_status_and_their_history_ending_where_the_list_is(decided):
    first, second = (d.id for d in decided.documents())
    before = decided.progress_report().documents
    # The first decision moved the first document to "in progress" (one status change).
    assert (before.new, before.in_progress, before.done) == (1, 1, 0)
    assert [(p.new, p.in_progress, p.done) for p in before.history] == [(2, 0, 0), (1, 1, 0)]
    decided.set_status(first, DocumentStatus.DONE)
    decided.set_status(second, DocumentStatus.DONE)
    decided.undo()  # the second goes back to new
    documents = decided.progress_report().documents
    assert (documents.new, documents.in_progress, documents.done, documents.total) == (1, 0, 1, 2)
    assert [(p.new, p.in_progress, p.done) for p in documents.history] == [
        (2, 0, 0),
        (1, 1, 0),
        (1, 0, 1),
        (0, 0, 2),
        (1, 0, 1),
    ]
    times = [p.at for p in documents.history]
    assert times == sorted(times)


def test_an_empty_database_reads_as_nothing_yet(workspace):
    report = workspace.progress_report()
    assert (report.decisions, report.timelines, report.documents.total) == (0, (), 0)
    assert report.documents.history == ()
    assert report.rules == ()
    assert {p.spans for p in report.labels} == {0}


def test_progress_per_document_follows_where_the_analyst_worked_last(decided):
    """The first document: 4 spans from rules (Putin, John Kerry, Moskow corrected, Paris) and
    Rusia pending. Then a span by hand in the second: it comes first, the latest worked on."""
    [first] = decided.progress_report().recent
    assert (first.title, first.status) == ("first", DocumentStatus.IN_PROGRESS)
    assert (first.manual, first.from_rules, first.pending) == (0, 4, 1)

    second = next(d.id for d in decided.documents() if d.title == "second")
    decided.add_span(second, 0, 8, "ROLE")
    recent = decided.progress_report().recent
    assert [(d.title, d.manual, d.from_rules, d.pending) for d in recent] == [
        ("second", 1, 0, 0),
        ("first", 0, 4, 1),
    ]
    decided.suggest(next(d.id for d in decided.documents() if d.title == "first"))
    assert decided.progress_report().recent[0].title == "second"  # a rule run is no work
    decided.undo()  # the span goes; the document was still the last one changed
    assert [(d.title, d.manual) for d in decided.progress_report().recent] == [
        ("second", 0),
        ("first", 0),
    ]
