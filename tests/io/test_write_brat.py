"""brat export: exact .txt, every T line covers its text, the .conf files list the labels."""

from __future__ import annotations

import os
from itertools import pairwise
from pathlib import Path

import pytest

from annotator.core.errors import ExportError
from annotator.core.model import Document, Label, Span
from annotator.io.base import ExportOptions
from annotator.io.writers.brat import LINE_BREAKS, fragments, write

TEXT = (
    'Presiden Joko Widodo 😀 bertemu\r\nPutin di Moskow.\tKata "halo" '
    "ٱلسَّلَامُ 東京 e\u0301\u200bx.\nBaris baru\u2028lagi 👩\u200d👩\u200d👧."
)
LABELS = [
    Label("PERSON", "#ffcc00", "p", order=0),
    Label("ORG", "#8fb2ff", order=1),
    Label("LOC", "#aaffaa", order=2),
    Label("QUOTE", "#ffaaaa", order=5),
]


def span(part: str, label: str, **kw: object) -> Span:
    start = TEXT.index(part)
    return Span(start, start + len(part), label, part, **kw)  # type: ignore[arg-type]


def sample_document(uid: str | None = "2015/10/25-rusia") -> Document:
    return Document(
        text=TEXT,
        uid=uid,
        title="",  # no title: named doc-<uid> (test_document_names covers the other names)
        spans=(
            span(
                "Joko Widodo",
                "PERSON",
                note="presiden\nke-7",
                attributes={"Verified": True, "Confidence": "high"},
            ),
            span("Presiden Joko Widodo", "ROLE"),  # nested; ROLE is not in LABELS
            span("Widodo 😀 bertemu\r\nPutin", "QUOTE"),  # crosses a CRLF
            span("ٱلسَّلَامُ", "LOC"),
            span("東京 e\u0301\u200bx", "ORG"),
            span("baru\u2028lagi 👩\u200d👩\u200d👧", "QUOTE"),  # crosses U+2028
        ),
    )


def parse_ann(path: Path) -> list[list[str]]:
    """The .ann lines split at tabs; read the way brat reads them (str.splitlines)."""
    return [line.split("\t") for line in path.read_text("utf-8").splitlines()]


def t_spans(ann: list[list[str]], text: str) -> list[tuple[int, int, str]]:
    """(start, end, label) of each T line, after checking its fragments against ``text``."""
    found = []
    for fields in ann:
        if not fields[0].startswith("T"):
            continue
        label, _, offsets = fields[1].partition(" ")
        pieces = [tuple(map(int, part.split())) for part in offsets.split(";")]
        assert fields[2] == " ".join(text[s:e] for s, e in pieces)
        for (_, end), (start, _) in pairwise(pieces):
            assert text[end:start] and all(c in LINE_BREAKS for c in text[end:start])
        for s, e in pieces:
            assert not any(c in LINE_BREAKS for c in text[s:e])
        found.append((pieces[0][0], pieces[-1][1], label))
    return found


def test_txt_exact_and_every_span_back_from_the_ann(tmp_path: Path) -> None:
    doc = sample_document()
    out = tmp_path / "brat"
    result = write(iter([doc]), LABELS, out, ExportOptions())
    assert (result.documents, result.spans) == (1, 6)
    assert sorted(os.listdir(out)) == [
        "annotation.conf",
        "doc-2015_10_25-rusia.ann",
        "doc-2015_10_25-rusia.txt",
        "visual.conf",
    ]
    txt = (out / "doc-2015_10_25-rusia.txt").read_bytes()
    # What brat reads (universal newlines: brat issue #853), no BOM; U+2028 is no newline there.
    assert txt == TEXT.replace("\r\n", "\n").encode("utf-8")
    text = txt.decode("utf-8")
    ann = parse_ann(out / "doc-2015_10_25-rusia.ann")
    crlf = TEXT.index("\r\n")

    def after_crlf(offset: int) -> int:
        return offset - 1 if offset > crlf + 1 else offset

    assert sorted(t_spans(ann, text)) == sorted(
        (after_crlf(s.start), after_crlf(s.end), s.label) for s in doc.spans
    )
    assert any("CRLF or CR line breaks: written as LF" in w for w in result.warnings)
    for fields in ann:
        if fields[0].startswith("T") and ";" not in fields[1]:
            start, end = map(int, fields[1].split()[1:])
            assert text[start:end] == fields[2]


def test_a_span_across_lines_is_a_fragment_list(tmp_path: Path) -> None:
    write([sample_document()], LABELS, tmp_path / "b", ExportOptions())
    lines = (tmp_path / "b" / "doc-2015_10_25-rusia.ann").read_text("utf-8").split("\n")
    quote = TEXT.index("Widodo 😀")
    crlf = TEXT.index("\r\n")
    # Offsets into the .txt as brat reads it: the CRLF is one "\n" there.
    assert f"T3\tQUOTE {quote} {crlf};{crlf + 1} {crlf + 6}\tWidodo 😀 bertemu Putin" in lines


def test_notes_and_attributes(tmp_path: Path) -> None:
    write([sample_document()], LABELS, tmp_path / "b", ExportOptions())
    lines = (tmp_path / "b" / "doc-2015_10_25-rusia.ann").read_text("utf-8").split("\n")
    assert "A1\tVerified T2" in lines
    assert "A2\tConfidence T2 high" in lines
    assert "#1\tAnnotatorNotes T2\tpresiden ke-7" in lines
    assert lines[-1] == ""  # every line ends with \n


def test_annotation_conf_lists_every_label(tmp_path: Path) -> None:
    write([sample_document()], LABELS, tmp_path / "b", ExportOptions())
    conf = (tmp_path / "b" / "annotation.conf").read_text("utf-8").split("\n")
    sections = {
        name: conf.index(f"[{name}]") for name in ("entities", "relations", "events", "attributes")
    }
    order = [sections[name] for name in ("entities", "relations", "events", "attributes")]
    assert order == sorted(order)
    entities = conf[sections["entities"] + 1 : sections["relations"]]
    assert [e for e in entities if e] == ["PERSON", "ORG", "LOC", "QUOTE", "ROLE"]
    attributes = conf[sections["attributes"] + 1 :]
    assert "Verified\tArg:<ENTITY>" in attributes
    assert "Confidence\tArg:<ENTITY>, Value:high" in attributes
    visual = (tmp_path / "b" / "visual.conf").read_text("utf-8").split("\n")
    assert "PERSON\tbgColor:#ffcc00" in visual and "[drawing]" in visual


def test_file_names_are_safe_and_unique(tmp_path: Path) -> None:
    docs = [
        sample_document("a/b"),
        sample_document("a:b"),
        sample_document(None),
        Document(text="x", id=7),
        sample_document("A/B"),
        sample_document("///"),
    ]
    result = write(docs, LABELS, tmp_path / "b", ExportOptions())
    assert result.documents == 6
    stems = sorted(p.stem for p in (tmp_path / "b").glob("*.txt"))
    assert stems == ["doc-000003", "doc-000006", "doc-7", "doc-A_B-3", "doc-a_b", "doc-a_b-2"]


def test_spans_brat_cannot_hold_are_reported(tmp_path: Path) -> None:
    text = "satu\ndua\n"
    doc = Document(
        text=text,
        uid="x",
        spans=(
            Span(3, 5, "LOC", "u\n"),
            Span(4, 5, "LOC", "\n"),
            Span(0, 3, "Named Entity", "sat"),
        ),
    )
    result = write([doc], [], tmp_path / "b", ExportOptions(include_suggestions=True))
    assert result.spans == 2
    assert any("1 spans started or ended with a line break" in w for w in result.warnings)
    assert any("nothing but line breaks" in w for w in result.warnings)
    assert any("whitespace" in w for w in result.warnings)
    assert any("suggestions" in w for w in result.warnings)
    lines = (tmp_path / "b" / "doc-x.ann").read_text("utf-8").split("\n")
    assert "T1\tNamed_Entity 0 3\tsat" in lines


def test_fragments() -> None:
    assert fragments("ab\r\ncd\n\nef", 0, 10) == [(0, 2), (4, 6), (8, 10)]
    assert fragments("ab\ncd", 1, 4) == [(1, 2), (3, 4)]
    assert fragments("\n\n", 0, 2) == []


def test_replaces_a_previous_export_but_not_a_foreign_folder(tmp_path: Path) -> None:
    out = tmp_path / "b"
    write([sample_document("one")], LABELS, out, ExportOptions())
    write([sample_document("two")], LABELS, out, ExportOptions())
    assert sorted(os.listdir(out)) == [
        "annotation.conf",
        "doc-two.ann",
        "doc-two.txt",
        "visual.conf",
    ]
    (out / "notes.docx").write_text("mine")
    with pytest.raises(ExportError, match="not from a previous export"):
        write([sample_document("three")], LABELS, out, ExportOptions())
    assert (out / "doc-two.txt").exists() and (out / "notes.docx").exists()
    assert os.listdir(tmp_path) == ["b"]


def test_unwritable_destination(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "brat"
    with pytest.raises(ExportError, match=str(out)):
        write([sample_document()], LABELS, out, ExportOptions())
    assert os.listdir(tmp_path) == ["file"]


def test_failure_midway_leaves_nothing(tmp_path: Path) -> None:
    def documents():
        yield sample_document()
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write(documents(), LABELS, tmp_path / "brat", ExportOptions())
    assert os.listdir(tmp_path) == []


def test_attribute_and_note_changes_brat_forces_are_reported(tmp_path: Path) -> None:
    attributes = {
        "Negated": True,
        "Confidence": "very high",
        "Source Type": "wire",
        "notes": {"Question": "line one\nline two"},
        "normalizations": [
            {"type": "Reference", "resource": "Wikipedia", "id": "534366", "text": "Obama"}
        ],
    }
    doc = Document(
        text="Obama tiba.",
        uid="x",
        spans=(Span(0, 5, "PERSON", "Obama", note="first\r\nsecond", attributes=attributes),),
    )
    result = write([doc], LABELS, tmp_path / "b", ExportOptions())
    lines = (tmp_path / "b" / "doc-x.ann").read_text("utf-8").splitlines()
    assert "A1\tNegated T1" in lines
    assert "A2\tConfidence T1 very_high" in lines
    assert "A3\tSource_Type T1 wire" in lines
    assert "N1\tReference T1 Wikipedia:534366\tObama" in lines
    assert "#1\tAnnotatorNotes T1\tfirst second" in lines
    assert "#2\tQuestion T1\tline one line two" in lines
    assert "1 attribute values had whitespace, written with '_' for brat" in result.warnings
    assert any(w.startswith("1 attribute, note or normalisation names") for w in result.warnings)
    assert any(
        w.startswith("2 notes or normalisation texts had line breaks") for w in result.warnings
    )


def test_an_attribute_brat_can_hold_as_it_is_gives_no_warning(tmp_path: Path) -> None:
    doc = Document(
        text="Obama tiba.",
        uid="x",
        spans=(Span(0, 5, "PERSON", "Obama", note="ok", attributes={"Conf": "high"}),),
    )
    result = write([doc], LABELS, tmp_path / "b", ExportOptions())
    assert result.warnings == []
