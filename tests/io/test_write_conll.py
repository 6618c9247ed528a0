"""CoNLL export: exact lines, outermost span wins, tokens split at span boundaries."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.core.errors import ExportError
from annotator.core.export_record import record_of
from annotator.core.model import Document, Span
from annotator.core.tokenize import tokenize
from annotator.io.base import ExportOptions
from annotator.io.writers.conll import document_conll, write

TEXT = 'Menteri luar negeri Rusia, Sergei Lavrov, berkata: "Kami siap."\r\nAS menolak ISIS-nya.'


def span(part: str, label: str, start: int | None = None) -> Span:
    start = TEXT.index(part) if start is None else start
    return Span(start, start + len(part), label, part)


def test_exact_lines(tmp_path: Path) -> None:
    doc = Document(
        text=TEXT,
        uid="d1",
        spans=(
            span("Rusia", "LOC"),  # inside ROLE: the outermost wins
            span("Menteri luar negeri Rusia", "ROLE"),
            span("Sergei Lavrov", "PERSON"),
            span('"Kami siap."', "QUOTE"),
            span("AS", "LOC"),
            span("ISIS", "ORG"),  # ends inside "ISIS-nya": the token is split
        ),
    )
    second = Document(text="Kedua.", uid="d2")
    out = tmp_path / "out.conll"
    result = write(iter([doc, second]), [], out, ExportOptions())
    assert (result.documents, result.spans, result.spans_changed) == (2, 5, 1)
    assert result.warnings == [
        (
            "document d1: LOC 20-25 'Rusia': left out of CoNLL: it overlaps ROLE 0-25 "
            "(tags cannot overlap; the outermost span is kept)"
        )
    ]
    assert out.read_text("utf-8").split("\n") == [
        "-DOCSTART-\tO",
        "",
        "Menteri\tB-ROLE",
        "luar\tI-ROLE",
        "negeri\tI-ROLE",
        "Rusia\tI-ROLE",
        ",\tO",
        "Sergei\tB-PERSON",
        "Lavrov\tI-PERSON",
        ",\tO",
        "berkata\tO",
        ":\tO",
        '"\tB-QUOTE',
        "Kami\tI-QUOTE",
        "siap\tI-QUOTE",
        ".\tI-QUOTE",
        '"\tI-QUOTE',
        "",
        "AS\tB-LOC",
        "menolak\tO",
        "ISIS\tB-ORG",
        "-nya\tO",
        ".\tO",
        "",
        "-DOCSTART-\tO",
        "",
        "Kedua\tO",
        ".\tO",
        "",
        "",
    ]


def test_span_inside_a_token_is_tagged_exactly(tmp_path: Path) -> None:
    doc = Document(text=TEXT, spans=(span("nya", "ORG"), span("Sergei", "PERSON")))
    result = write([doc], [], tmp_path / "o.conll", ExportOptions())
    assert (result.spans, result.spans_changed, result.warnings) == (2, 0, [])
    lines = (tmp_path / "o.conll").read_text("utf-8").split("\n")
    assert lines[-5:] == ["ISIS-\tO", "nya\tB-ORG", ".\tO", "", ""]


def tags(text: str, spans: list[Span], scheme: str = "iob2") -> list[str]:
    conll, _ = document_conll(record_of(Document(text=text, spans=tuple(spans))), scheme)
    return [line.split("\t")[1] for line in conll.split("\n")[2:] if line]


def test_adjacent_spans_of_one_label_each_begin() -> None:
    text = "Jakarta Bandung Surabaya"
    spans = [Span(0, 7, "LOC", "Jakarta"), Span(8, 15, "LOC", "Bandung")]
    assert tags(text, spans) == ["B-LOC", "B-LOC", "O"]
    assert tags(text, spans, "iob1") == ["I-LOC", "B-LOC", "O"]
    assert tags(text, spans, "bioes") == ["S-LOC", "S-LOC", "O"]


def test_outermost_longest_then_earliest() -> None:
    text = "a b c d"
    spans = [
        Span(2, 5, "X", "b c"),
        Span(0, 3, "Y", "a b"),
        Span(4, 7, "Z", "c d"),
        Span(0, 7, "W", text),
    ]
    assert tags(text, spans) == ["B-W", "I-W", "I-W", "I-W"]
    assert tags(text, spans, "bioes") == ["B-W", "I-W", "I-W", "E-W"]
    # Equal lengths: the earliest is kept, the overlapping later one is dropped.
    assert tags(text, spans[:3]) == ["B-Y", "I-Y", "B-Z", "I-Z"]


def test_unicode_tokens_one_a_line(tmp_path: Path) -> None:
    text = "Ahad 😀 東京 ٱلسَّلَامُ e\u0301\u200bx\tok"
    arabic = text.index("ٱ")
    doc = Document(
        text=text,
        spans=(
            Span(5, 6, "EMO", "😀"),
            Span(arabic, arabic + 10, "LOC", text[arabic : arabic + 10]),
        ),
    )
    write([doc], [], tmp_path / "o.conll", ExportOptions())
    lines = (tmp_path / "o.conll").read_text("utf-8").split("\n")
    rows = [line.split("\t") for line in lines[2:] if line]
    assert all(len(row) == 2 for row in rows)
    assert [r[0] for r in rows] == [t.text for t in tokenize(text)]
    assert rows[1] == ["😀", "B-EMO"] and rows[3] == ["ٱلسَّلَامُ", "B-LOC"]


def test_unwritable_destination(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "out.conll"
    with pytest.raises(ExportError, match=str(out)):
        write([Document(text="x")], [], out, ExportOptions())
    assert os.listdir(tmp_path) == ["file"]


def test_a_label_with_spaces_is_written_with_underscores_and_said_once(tmp_path: Path) -> None:
    text = "Beli iPhone 15 dan iPhone 16."
    spans = (Span(5, 14, "Product Name", "iPhone 15"), Span(19, 28, "Product Name", "iPhone 16"))
    result = write([Document(text=text, spans=spans)], [], tmp_path / "o.conll", ExportOptions())
    assert result.warnings == [
        "label 'Product Name' is written as 'Product_Name': CoNLL labels cannot hold whitespace"
    ]
    assert result.spans_changed == 0
    lines = (tmp_path / "o.conll").read_text("utf-8").split("\n")
    assert lines[3:6] == ["iPhone\tB-Product_Name", "15\tI-Product_Name", "dan\tO"]


def test_an_unknown_scheme_is_refused_before_writing(tmp_path: Path) -> None:
    from annotator.core.errors import UsageError

    with pytest.raises(UsageError, match="unknown tag scheme 'bilou'; choose one of iob1"):
        write([Document(text="x")], [], tmp_path / "o.conll", ExportOptions(scheme="bilou"))
    assert not (tmp_path / "o.conll").exists()
