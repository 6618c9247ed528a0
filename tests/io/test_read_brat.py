"""brat standoff: the sample corpora of brat itself, and every kind of bad .ann line."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import Problem
from annotator.core.model import Document, Span
from annotator.io.base import Notice, SourceFile
from annotator.io.readers import read_source

DATA = Path(__file__).resolve().parents[1] / "data" / "brat"


def read_pair(rel: str) -> list:
    txt = DATA / f"{rel}.txt"
    ann = DATA / f"{rel}.ann"
    return list(read_source(SourceFile(f"{rel}.txt", txt.read_bytes(), {".ann": ann.read_bytes()})))


def read_text(text: str | bytes, ann: str) -> list:
    data = text.encode() if isinstance(text, str) else text
    return list(read_source(SourceFile("d/doc.txt", data, {".ann": ann.encode()})))


def only_doc(items: list) -> Document:
    docs = [i for i in items if isinstance(i, Document)]
    assert len(docs) == 1, items
    for span in docs[0].spans:
        assert docs[0].text[span.start : span.end] == span.text
    return docs[0]


def by_text(doc: Document, text: str) -> Span:
    [span] = [s for s in doc.spans if s.text == text]
    return span


def test_tutorial_introduction() -> None:
    items = read_pair("tutorial-news/000-introduction")
    doc = only_doc(items)
    assert doc.title == "Welcome to the Brat Rapid Annotation Tool (brat) tutorial!"
    assert doc.metadata == {"format": "brat"}
    assert doc.source == "tutorial-news/000-introduction.txt"
    assert len(doc.spans) == 7
    citibank = by_text(doc, "Citibank")
    assert (citibank.start, citibank.end, citibank.label) == (418, 426, "Organization")
    assert by_text(doc, "$100 million").note == "100000000 USD"
    assert by_text(doc, "Raul Salinas de Gortari").attributes == {
        "Mention": "Name",
        "Individual": True,
    }
    president = by_text(doc, "former Mexican president")
    assert president.attributes == {
        "Mention": "Nominal",
        "Individual": True,
        "normalizations": [
            {
                "type": "Reference",
                "resource": "Wikipedia",
                "id": "64488",
                "text": "Carlos Salinas de Gortari",
            }
        ],
    }
    # The event's attribute goes to its trigger, the span we keep.
    assert by_text(doc, "moving").attributes == {"Confidence": "High"}
    assert [n.message for n in items if isinstance(n, Notice)] == [
        "brat: skipped events: 1, relations: 2 (only text spans and their attributes are imported)"
    ]


def test_text_is_verbatim() -> None:
    doc = only_doc(read_pair("tutorial-news/000-introduction"))
    assert doc.text == (DATA / "tutorial-news/000-introduction.txt").read_text(encoding="utf-8")


def test_notes_on_spans_events_and_relations() -> None:
    items = read_pair("tutorial-news/110-note_annotation")
    doc = only_doc(items)
    assert len(doc.spans) == 14
    discworld = [s for s in doc.spans if s.text == "Discworld"]
    assert [s.note for s in discworld] == ["Should fictional places be annotated?", None]
    merged = [s for s in doc.spans if s.text == "merged"]
    assert merged[0].note.startswith("Annotate as one merge event")
    [notice] = [n for n in items if isinstance(n, Notice)]
    assert "attributes/notes on relations: 1" in notice.message


def test_equivalences_are_skipped_with_one_notice() -> None:
    items = read_pair("tutorial-news/060-relation_annotation")
    doc = only_doc(items)
    assert len(doc.spans) == 10
    assert [s.label for s in doc.spans[:3]] == ["Person", "GPE", "Person"]
    [notice] = [n for n in items if isinstance(n, Notice)]
    assert notice.message.startswith("brat: skipped equivalences: 1, relations: 1")


def test_event_triggers_are_kept() -> None:
    doc = only_doc(read_pair("tutorial-news/080-event-annotation"))
    assert len(doc.spans) == 21
    triggers = [s for s in doc.spans if s.label == "Merge-org"]
    assert len(triggers) == 4
    assert (triggers[0].start, triggers[0].end, triggers[0].text) == (265, 271, "merger")
    assert {s.label for s in doc.spans} == {"Merge-org", "Organization"}


def test_nested_and_overlapping_spans() -> None:
    doc = only_doc(read_pair("bionlp-st-2011-rel-overlap/PMID-1851861"))
    assert len(doc.spans) == 18
    nested = [
        (a, b)
        for a in doc.spans
        for b in doc.spans
        if a is not b and a.start <= b.start and b.end <= a.end
    ]
    assert len(nested) >= 3


def test_multi_valued_attributes_and_other_notes() -> None:
    items = read_pair("tdt-notes-attributes/wn071")
    doc = only_doc(items)
    assert len(doc.spans) == 74
    halonen = doc.spans[0]
    assert (halonen.start, halonen.end, halonen.label, halonen.text) == (0, 7, "N", "Halonen")
    assert halonen.attributes == {
        "notes": {"Lemma": " Halonen"},
        "SUBCAT": "Prop",
        "NUM": "Sg",
        "CASE": "Nom",
        "CASECHANGE": "cap",
    }
    null = doc.spans[1]
    assert (null.label, null.text) == ("Null", "*null*")


def test_conll2002_spanish_accents() -> None:
    doc = only_doc(read_pair("conll2002-esp-news/esp.train-doc-29"))
    assert len(doc.spans) == 13
    assert {s.label for s in doc.spans} == {"PER", "LOC", "ORG", "MISC"}
    cela = doc.spans[3]
    assert (cela.start, cela.end, cela.text) == (361, 397, "Nobel de Literatura Camilo José Cela")


def test_offsets_are_code_points() -> None:
    text = "😀 Jakarta é\u0301 Bandung\n"
    doc = only_doc(read_text(text, "T1\tLOC 2 9\tJakarta\nT2\tLOC 13 20\tBandung\n"))
    assert [(s.start, s.end, s.text) for s in doc.spans] == [(2, 9, "Jakarta"), (13, 20, "Bandung")]


def test_crlf_text_kept_and_offsets_count_cr() -> None:
    doc = only_doc(read_text(b"Satu\r\nJakarta\r\n", "T1\tLOC 6 13\tJakarta\r\n"))
    assert doc.text == "Satu\r\nJakarta\r\n"
    assert doc.spans[0].text == "Jakarta"


def test_fragments_split_only_at_line_breaks_are_one_span() -> None:
    # How brat writers (ours included) store one span that crosses a line break.
    doc = only_doc(read_text("Kota\r\nJakarta", "T1\tLOC 0 4;6 13\tKota Jakarta\n"))
    [span] = doc.spans
    assert (span.start, span.end, span.text) == (0, 13, "Kota\r\nJakarta")


def test_empty_ann_gives_a_document_without_spans() -> None:
    doc = only_doc(read_text("Teks saja.\n", ""))
    assert doc.spans == ()
    assert doc.title == "Teks saja."


def test_duplicate_spans_kept_once() -> None:
    items = read_text(
        "Jakarta", "T1\tLOC 0 7\tJakarta\nT2\tLOC 0 7\tJakarta\nT3\tORG 0 7\tJakarta\n"
    )
    doc = only_doc(items)
    assert [s.label for s in doc.spans] == ["LOC", "ORG"]
    assert "dropped 1 duplicate span(s)" in next(n for n in items if isinstance(n, Notice)).message


@pytest.mark.parametrize(
    ("ann", "line", "reason"),
    [
        (
            "T1\tLOC 0 5;10 15\tJakar Bandu\n",
            1,
            "T1 is a discontinuous span (0 5;10 15); split it into separate spans to import it",
        ),
        (
            "T1\tLOC 0 7\tJakarta\nT2\tLOC 8 99\tx\n",
            2,
            "T2: span [8, 99) is out of range for a text of 19 characters",
        ),
        (
            "T1\tLOC 0 7\tJakartx\n",
            1,
            "T1: span [0, 7) covers 'Jakarta', not the text given for it 'Jakartx'",
        ),
        ("T1\tLOC 0 seven\tJakarta\n", 1, "T1: offsets must be integers, got '0 seven'"),
        ("T1\tLOC 0\tJ\n", 1, "T1: offsets must be 'start end' pairs, got '0'"),
        ("T1\tLOC 0 7\tJakarta\nA1\tNegation T9\n", 2, "A1 refers to an unknown annotation 'T9'"),
        ("T1\tLOC 0 7\tJakarta\nE1\tMove:T5 Arg:T1\n", 2, "event E1 has an unknown trigger 'T5'"),
        ("X1\tsomething\n", 1, "not a brat annotation line: 'X1\\tsomething'"),
        ("T1\tLOC\n", 1, "malformed text-bound annotation: 'T1\\tLOC'"),
    ],
)
def test_bad_ann_refuses_the_document(ann: str, line: int, reason: str) -> None:
    items = read_text("Jakarta dan Bandung", ann)
    assert items == [Problem("d/doc.ann", reason, line)]


def test_missing_ann_companion() -> None:
    items = list(read_source(SourceFile("a.txt", b"Teks"), "brat"))
    assert items == [Problem("a.txt", "brat: no a.ann next to this .txt")]


def test_binary_txt_and_undecodable_ann() -> None:
    assert read_text(b"\x00\x01\x02", "") == [
        Problem("d/doc.txt", "binary file (NUL bytes), not text")
    ]
    items = list(read_source(SourceFile("d/doc.txt", b"Teks", {".ann": b"T1\x00\x00\x00"})))
    assert items == [Problem("d/doc.ann", "binary file (NUL bytes), not text")]
