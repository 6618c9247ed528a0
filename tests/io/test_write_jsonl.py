"""JSONL export: every field comes back from json, texts exactly (CRLF, emoji, RTL, ...)."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from annotator.core.errors import ExportError
from annotator.core.model import (
    Document,
    DocumentStatus,
    Label,
    Span,
    SpanOrigin,
    Suggestion,
    SuggestionState,
)
from annotator.io.base import ExportOptions
from annotator.io.writers import WRITERS
from annotator.io.writers.jsonl import write

TEXT = (
    'Presiden Joko Widodo 😀 bertemu\r\nPutin di Moskow.\tKata "halo" '
    "ٱلسَّلَامُ 東京 e\u0301\u200bx.\u2028Baris\u00a0baru 👩\u200d👩\u200d👧 selesai."
)


def span(text: str, part: str, label: str, **kw: object) -> Span:
    """The span of the first ``part`` in ``text``."""
    start = text.index(part)
    return Span(start, start + len(part), label, part, **kw)  # type: ignore[arg-type]


def sample_document() -> Document:
    spans = (
        span(TEXT, "Presiden Joko Widodo", "ROLE"),
        span(
            TEXT,
            "Joko Widodo",
            "PERSON",
            origin=SpanOrigin.RULE,
            rule="names",
            rule_version=3,
            annotator="ana",
            note="the president\r\nof Indonesia",
            attributes={"ok": True, "n": 2},
        ),
        span(TEXT, "Widodo 😀 bertemu\r\nPutin", "QUOTE"),
        span(TEXT, "ٱلسَّلَامُ", "LOC"),
        span(TEXT, "e\u0301\u200bx", "ORG"),
        span(TEXT, "👩\u200d👩\u200d👧", "PERSON"),
    )
    suggestions = (
        Suggestion(
            9, 20, "PERSON", "Joko Widodo", "names", 3, "in the name list", SuggestionState.ACCEPTED
        ),
        Suggestion(38, 44, "LOC", TEXT[38:44], "places", state=SuggestionState.REJECTED),
    )
    return Document(
        text=TEXT,
        title="Rusia – AS",
        uid="u-1",
        status=DocumentStatus.DONE,
        language="id",
        metadata={
            "published": datetime(2015, 10, 25, 7, 45),
            "outlet": "Republika",
            "tags": ["isis", "suriah"],
        },
        spans=spans,
        suggestions=suggestions,
    )


def read_lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").split("\n") if line]


def test_every_field_comes_back(tmp_path: Path) -> None:
    doc = sample_document()
    out = tmp_path / "out.jsonl"
    result = write(iter([doc]), [Label("PERSON")], out, ExportOptions())
    assert (result.documents, result.spans, result.warnings) == (1, 6, [])
    [record] = read_lines(out)
    assert record["id"] == "u-1"
    assert record["title"] == "Rusia – AS"
    assert record["text"] == TEXT
    assert record["status"] == "done"
    assert record["language"] == "id"
    assert record["meta"] == {
        "published": "2015-10-25T07:45:00",
        "outlet": "Republika",
        "tags": ["isis", "suriah"],
    }
    assert "suggestions" not in record
    by_key = {(s["start"], s["end"], s["label"]): s for s in record["spans"]}
    assert len(by_key) == len(doc.spans)
    for original in doc.spans:
        got = by_key[original.key]
        assert got == {
            "start": original.start,
            "end": original.end,
            "label": original.label,
            "text": original.text,
            "origin": original.origin.value,
            "rule": original.rule,
            "rule_version": original.rule_version,
            "annotator": original.annotator,
            "note": original.note,
            "attributes": dict(original.attributes),
        }
        assert TEXT[got["start"] : got["end"]] == got["text"]
    starts = [(s["start"], -s["end"]) for s in record["spans"]]
    assert starts == sorted(starts)


def test_suggestions_on_request(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    write([sample_document()], [], out, ExportOptions(include_suggestions=True))
    [record] = read_lines(out)
    assert record["suggestions"] == [
        {
            "start": 9,
            "end": 20,
            "label": "PERSON",
            "text": "Joko Widodo",
            "rule": "names",
            "rule_version": 3,
            "explanation": "in the name list",
            "status": "accepted",
        },
        {
            "start": 38,
            "end": 44,
            "label": "LOC",
            "text": TEXT[38:44],
            "rule": "places",
            "rule_version": 1,
            "explanation": "",
            "status": "rejected",
        },
    ]


def test_one_line_per_document_even_with_unicode_line_breaks(tmp_path: Path) -> None:
    docs = [sample_document(), Document(text="a\x85b\u2029c\rd", uid="u-2"), Document(text="x")]
    out = tmp_path / "out.jsonl"
    result = write((d for d in docs), [], out, ExportOptions())
    assert result.documents == 3
    content = out.read_text("utf-8")
    # str.splitlines splits at U+2028, U+0085 too: they must be escaped.
    assert len(content.splitlines()) == 3
    assert [r["text"] for r in read_lines(out)] == [d.text for d in docs]
    assert "😀" in content  # ensure_ascii=False: readable UTF-8, not \ud83d escapes
    assert read_lines(out)[2]["id"] is None


def test_empty_export_is_an_empty_file(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    assert write([], [], out, ExportOptions()).documents == 0
    assert out.read_bytes() == b""


def test_failure_midway_keeps_the_previous_file(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n")

    def documents():
        yield sample_document()
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        write(documents(), [], out, ExportOptions())
    assert out.read_text() == "previous\n"
    assert os.listdir(tmp_path) == ["out.jsonl"]


def test_unwritable_destination(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "out.jsonl"
    with pytest.raises(ExportError, match=str(out)):
        write([sample_document()], [], out, ExportOptions())
    assert os.listdir(tmp_path) == ["file"]


def test_registered() -> None:
    assert WRITERS["jsonl"] is write


def test_200000_spans_over_10000_documents_are_all_written(tmp_path: Path) -> None:
    # How fast is bench/import_export.py's figure, not a test's.
    words = [
        "Presiden",
        "Joko",
        "Widodo",
        "bertemu",
        "Putin",
        "di",
        "Moskow",
        "pada",
        "Sabtu",
        "(24/10)",
        "😀",
    ]
    text = " ".join(words[i % len(words)] for i in range(400))
    spans = tuple(
        Span(
            i * 100,
            i * 100 + 30,
            "PERSON",
            text[i * 100 : i * 100 + 30],
            origin=SpanOrigin.RULE,
            rule="r",
            rule_version=1,
        )
        for i in range(20)
    )
    docs = [
        Document(text=text, uid=f"{i:06d}", title=f"t{i}", spans=spans, metadata={"outlet": "x"})
        for i in range(10_000)
    ]
    out = tmp_path / "big.jsonl"
    result = write(iter(docs), [], out, ExportOptions())
    assert result.spans == 200_000
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 10_000
    last = json.loads(lines[-1])
    assert last["id"] == "009999" and len(last["spans"]) == 20
    assert last["spans"][3]["text"] == text[300:330]


def test_a_lone_surrogate_from_a_json_import_is_escaped_and_reads_back(tmp_path):
    import json as std_json

    from annotator.core.model import Document, Span
    from annotator.io.base import ExportOptions
    from annotator.io.writers.jsonl import write

    text = "a\ud800b Jakarta"
    doc = Document(text=text, uid="s1", spans=(Span(4, 11, "LOC", "Jakarta"),))
    out = tmp_path / "s.jsonl"
    write([doc], [], out, ExportOptions())
    raw = out.read_bytes()
    assert b"\\ud800" in raw
    record = std_json.loads(raw.decode("utf-8"))
    assert record["text"] == text and record["spans"][0]["text"] == "Jakarta"
