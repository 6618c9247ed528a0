"""CSV export: one span a row, read back exactly by csv.reader, no BOM."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from annotator.core.errors import ExportError
from annotator.core.model import Document, Span, SpanOrigin
from annotator.io.base import ExportOptions
from annotator.io.writers.csv import HEADER, write

TEXT = 'Kata "Putin",\r\n\tkemarin: 😀 ٱلسَّلَامُ, 東京'


def test_rows_come_back_exactly(tmp_path: Path) -> None:
    quote = Span(
        5,
        20,
        "QUOTE",
        TEXT[5:20],
        origin=SpanOrigin.RULE,
        rule="quotes",
        annotator="ana",
        note='a "note",\nwith lines',
    )
    emoji = Span(TEXT.index("😀"), TEXT.index("😀") + 1, "EMO", "😀")
    arabic = Span(TEXT.index("ٱ"), TEXT.index("ٱ") + 10, "LOC", TEXT[TEXT.index("ٱ") :][:10])
    doc = Document(text=TEXT, uid="u-1", title="Judul, dengan koma", spans=(arabic, quote, emoji))
    out = tmp_path / "spans.csv"
    result = write(iter([doc, Document(text="no spans", id=4)]), [], out, ExportOptions())
    assert (result.documents, result.spans) == (2, 3)
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(HEADER)
    assert rows[1:] == [
        [
            "u-1",
            "Judul, dengan koma",
            "5",
            "20",
            "QUOTE",
            TEXT[5:20],
            "rule",
            "quotes",
            "ana",
            'a "note",\nwith lines',
        ],
        [
            "u-1",
            "Judul, dengan koma",
            str(emoji.start),
            str(emoji.end),
            "EMO",
            "😀",
            "manual",
            "",
            "",
            "",
        ],
        [
            "u-1",
            "Judul, dengan koma",
            str(arabic.start),
            str(arabic.end),
            "LOC",
            arabic.text,
            "manual",
            "",
            "",
            "",
        ],
    ]
    assert "\r\n" in rows[1][5]  # the CRLF inside the span text survives
    for row in rows[1:]:
        assert TEXT[int(row[2]) : int(row[3])] == row[5]


def test_unwritable_destination(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "out.csv"
    with pytest.raises(ExportError, match=str(out)):
        write([Document(text="x")], [], out, ExportOptions())
    assert os.listdir(tmp_path) == ["file"]
