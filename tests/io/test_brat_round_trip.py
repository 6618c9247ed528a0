"""brat -> database -> brat keeps every T, A/M, N and # line of brat's own sample files.

Lines are compared by what they say, not by their ids (the export numbers them afresh): a T by
label, offsets and text; the others by kind, type, value and the T they annotate. brat lets
attributes and notes sit on events; we keep an event's trigger span, so they come back on the
trigger T (compared that way). Notes on relations are not kept (relations are not imported)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.model import Document, Label, Span
from annotator.io.base import ExportOptions
from annotator.io.writers.brat import write
from annotator.workspace import Workspace

DATA = Path(__file__).resolve().parents[1] / "data" / "brat"
SAMPLES = sorted(DATA.rglob("*.ann"))

Line = tuple[str, ...]


def txt_of(ann: Path) -> Path:
    return ann.parent / f"{ann.stem}.txt"  # not with_suffix: esp.train-doc-29.ann


def ann_lines(ann: str) -> set[Line]:
    """The T, A/M, N and # lines of an .ann, each named by content; event ids as triggers."""
    rows = [line.split("\t") for line in ann.split("\n") if line.strip()]
    spans: dict[str, Line] = {}
    for row in rows:
        if row[0].startswith("T"):
            label, offsets = row[1].split(" ", 1)
            spans[row[0]] = (label, offsets, row[2])
    for row in rows:
        if row[0].startswith("E"):
            trigger = row[1].split(" ", 1)[0].partition(":")[2]
            spans[row[0]] = spans[trigger]
    found: set[Line] = {("T", *span) for key, span in spans.items() if key.startswith("T")}
    for row in rows:
        kind = row[0][0]
        fields = row[1].split(" ")
        if kind in "AM" and fields[1] in spans:
            found.add(("A", fields[0], *spans[fields[1]], " ".join(fields[2:])))
        elif kind == "N":
            found.add(("N", fields[0], *spans[fields[1]], fields[2], row[2]))
        elif kind == "#" and fields[1] in spans:
            found.add(("#", fields[0], *spans[fields[1]], row[2]))
    return found


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_every_t_a_n_and_note_line_comes_back(
    workspace: Workspace, tmp_path: Path, sample: Path
) -> None:
    # keep_labels: brat's `Person` must come back as it is, not as the database's PERSON.
    report = workspace.import_paths([txt_of(sample)], keep_labels=True)
    assert (report.imported, report.refused) == (1, [])
    workspace.export("brat", tmp_path / "out")
    [ann] = (tmp_path / "out").glob("*.ann")
    assert ann.with_suffix(".txt").read_bytes() == txt_of(sample).read_bytes()
    original = ann_lines(sample.read_text("utf-8"))
    assert ann_lines(ann.read_text("utf-8")) == original
    kinds = {line[0] for line in original}
    assert "T" in kinds


def test_the_samples_hold_every_kind_of_line() -> None:
    """The round trip above is only worth as much as the lines the samples have."""
    kinds: dict[str, int] = {}
    for sample in SAMPLES:
        for line in ann_lines(sample.read_text("utf-8")):
            kinds[line[0]] = kinds.get(line[0], 0) + 1
    assert kinds["N"] >= 1 and kinds["A"] >= 200 and kinds["#"] >= 70 and kinds["T"] >= 250
    notes = {line[1] for s in SAMPLES for line in ann_lines(s.read_text("utf-8")) if line[0] == "#"}
    assert notes == {"AnnotatorNotes", "Lemma"}


def test_normalisations_and_notes_from_any_source_are_written(tmp_path: Path) -> None:
    """The shapes the brat reader keeps (Span.attributes "normalizations" and "notes") are
    written as N and # lines whatever file they came from; other shapes stay left out."""
    text = "Barack Obama tiba di Jakarta."
    obama = Span(
        0,
        12,
        "Person",
        "Barack Obama",
        note="presiden ke-44",
        attributes={
            "normalizations": [
                {"type": "Reference", "resource": "Wikipedia", "id": "534366", "text": "Obama"}
            ],
            "notes": {"Lemma": "Obama", "Sumber berita": "Antara\nJakarta"},
        },
    )
    jakarta = Span(21, 28, "GPE", "Jakarta", attributes={"normalizations": [{"type": "x"}]})
    doc = Document(text=text, uid="o", spans=(obama, jakarta))
    result = write([doc], [Label("Person", "#ffcc00")], tmp_path / "b", ExportOptions())
    lines = (tmp_path / "b" / "doc-o.ann").read_text("utf-8").splitlines()
    assert lines == [
        "T1\tPerson 0 12\tBarack Obama",
        "N1\tReference T1 Wikipedia:534366\tObama",
        "#1\tAnnotatorNotes T1\tpresiden ke-44",
        "#2\tLemma T1\tObama",
        "#3\tSumber_berita T1\tAntara Jakarta",
        "T2\tGPE 21 28\tJakarta",
    ]
    assert "1 span attributes are lists, objects or empty and were left out of brat" in (
        result.warnings
    )


def test_repeated_notes_on_one_span_each_come_back(workspace: Workspace, tmp_path: Path) -> None:
    """Two AnnotatorNotes (one on the span, one on the event it triggers) and two Lemma notes:
    the first AnnotatorNotes is the span's note, the others stay in its attributes."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "d.txt").write_text("Jokowi tiba di Solo.", "utf-8")
    ann = (
        "T1\tPerson 0 6\tJokowi\nT2\tArrive 7 11\ttiba\nE1\tArrive:T2 Agent:T1\n"
        "#1\tAnnotatorNotes T2\tsatu\n#2\tAnnotatorNotes E1\tdua\n"
        "#3\tLemma T1\tjokowi\n#4\tLemma T1\tJoko Widodo\n"
    )
    (folder / "d.ann").write_text(ann, "utf-8")
    assert workspace.import_paths([folder], keep_labels=True).imported == 1
    [summary] = workspace.documents()
    doc = workspace.document(summary.id)
    arrive = next(s for s in doc.spans if s.label == "Arrive")
    assert arrive.note == "satu"
    assert arrive.attributes["notes"] == {"AnnotatorNotes": "dua"}
    person = next(s for s in doc.spans if s.label == "Person")
    assert person.attributes["notes"] == {"Lemma": ["jokowi", "Joko Widodo"]}
    workspace.export("brat", tmp_path / "out")
    assert ann_lines((tmp_path / "out" / "d.ann").read_text("utf-8")) == ann_lines(ann)
