"""ws.agreement(): the annotators' own layers read from a real SQLite file, never the main one."""

from __future__ import annotations

import pytest

from annotator.core.agreement import OVERALL, AgreementDocument, compute_agreement
from annotator.core.errors import UsageError
from annotator.core.model import Document
from annotator.workspace import TooFewAnnotators
from tests.workspace.agreement_corpus import LAYERS, TEXTS, team_corpus


def _row(report, label, *names):
    return next(r for r in report.rows if r.label == label and r.annotators == names)


def test_agreement_reads_every_annotators_layer_and_matches_the_core(workspace) -> None:
    ids = team_corpus(workspace)
    # A span in the main (curated) layer is nobody's: it must not count.
    workspace.add_span(ids[0], 44, 49, "DATE")
    report = workspace.agreement()
    assert report.annotators == ("ana", "budi", "citra")
    assert report.documents == 3
    expected = compute_agreement(
        [
            AgreementDocument(ids[i], f"Berita {i + 1}", TEXTS[i], layers)
            for i, layers in LAYERS.items()
        ],
        ["ana", "budi", "citra"],
    )
    assert report.rows == expected.rows
    assert "DATE" not in report.labels
    ana_budi = _row(report, OVERALL, "ana", "budi")
    assert ana_budi.documents == 3 and ana_budi.exact.matched == 4
    everyone = _row(report, OVERALL, "ana", "budi", "citra")
    assert everyone.documents == 2  # citra lacks the third document
    assert [(d.document_id, d.start, d.end) for d in report.disagreements] == [
        (ids[0], 0, 4),
        (ids[0], 0, 11),
        (ids[0], 31, 38),
        (ids[1], 15, 29),
        (ids[1], 59, 68),
        (ids[2], 9, 23),
    ]


def test_label_and_annotator_filters(workspace) -> None:
    team_corpus(workspace)
    report = workspace.agreement(labels=["PERSON"], annotators=["ana", "budi"])
    assert report.annotators == ("ana", "budi") and report.labels == ("PERSON",)
    assert {r.label for r in report.rows} == {"PERSON", OVERALL}
    person = _row(report, "PERSON", "ana", "budi")
    assert (person.exact.matched, person.spans) == (3, (4, 3))


def test_bad_input_is_refused_with_a_reason(workspace) -> None:
    with pytest.raises(TooFewAnnotators, match="have: nobody"):
        workspace.agreement()
    team_corpus(workspace)
    with pytest.raises(UsageError, match="no annotator zed"):
        workspace.agreement(annotators=["ana", "zed"])
    with pytest.raises(UsageError, match="no label NOPE"):
        workspace.agreement(labels=["NOPE"])
    with pytest.raises(TooFewAnnotators):
        workspace.agreement(annotators=["ana"])


def test_agreement_of_what_the_team_commands_wrote(workspace) -> None:
    ws = workspace
    ws.annotator = "lead"
    for name in ("ana", "budi"):
        ws.add_annotator(name)
    ws.add_annotator("cici", role="curator")
    (doc, other) = ws.store.documents.insert(
        [Document(text=TEXTS[0], title="a"), Document(text=TEXTS[1], title="b")],
        annotator="lead",
    )
    ws.assign([doc], ["ana", "budi", "cici"])
    ws.annotator = "ana"
    ws.add_span(doc, 0, 11, "PERSON")
    ws.add_span(doc, 31, 38, "LOC")
    ws.annotator = "budi"
    ws.add_span(doc, 0, 11, "PERSON")
    ws.add_span(doc, 31, 38, "ORG")
    ws.annotator = "lead"
    ws.add_span(doc, 20, 27, "PERSON")  # the main layer: the lead is not assigned
    ws.add_span(other, 0, 8, "ROLE")
    report = ws.agreement()
    assert report.annotators == ("ana", "budi")  # cici curates: not compared by default
    overall = _row(report, OVERALL, "ana", "budi")
    assert (overall.exact.matched, overall.spans, overall.documents) == (1, (2, 2), 1)
    assert [(d.start, dict(d.labels)) for d in report.disagreements] == [
        (31, {"ana": "LOC", "budi": "ORG"})
    ]
