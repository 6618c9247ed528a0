"""Format detection by extension and content, and refusing formats we do not import."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import Problem
from annotator.io.base import SourceFile
from annotator.io.readers import detect_format, read_source

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "republika-2015-10-25-rusia-tawarkan-kerja-sama.txt"


@pytest.mark.parametrize(
    ("name", "data", "companions", "expected"),
    [
        ("a.txt", b"Just a note.\nAnother line.\n", {}, "txt"),
        ("a.text", b"Just a note.\n", {}, "txt"),
        ("a.txt", b"Teks.\n", {".ann": b"T1\tPER 0 4\tTeks\n"}, "brat"),
        ("page.html", b"<html></html>", {}, "html"),
        ("page.HTM", b"<html></html>", {}, "html"),
        ("a.jsonl", b"{}", {}, "jsonl"),
        ("a.ndjson", b"{}", {}, "jsonl"),
        ("tasks.json", b"[]", {}, "jsonl"),
        ("a.conll", b"x", {}, "conll"),
        ("a.iob", b"x", {}, "conll"),
        ("a.bio", b"x", {}, "conll"),
        ("a.tsv", b"Jakarta\tB-LOC\nhari\tO\nini\tO\n", {}, "conll"),
        ("a.tsv", b"name\tvalue\nx\t1\n", {}, "csv"),  # a table (CSV reader)
        (
            "train.txt",
            b"Berikut PROPN O\r\nIndonesia PROPN B-LOC\r\n\r\nSoal PROPN O\r\n",
            {},
            "conll",
        ),
        ("a.txt", b"Kontribusinya\tO\nGrammy\tB-EVENT\nAwards\tI-EVENT\n", {}, "conll"),
        ("x.xmi", b"<xmi/>", {}, "xmi"),
        ("TypeSystem.xml", b"<typeSystemDescription/>", {}, "XML (e.g. a UIMA type system)"),
        ("x.tsv", b"#FORMAT=WebAnno TSV 3.3\n", {}, "webanno"),
    ],
)
def test_detect_format(name: str, data: bytes, companions: dict, expected: str) -> None:
    assert detect_format(SourceFile(name, data, companions)) == expected


def test_seed_article_is_news() -> None:
    assert detect_format(SourceFile(SEED.name, SEED.read_bytes())) == "news"


def test_utf16_news_is_detected() -> None:
    data = "JAKARTA, KOMPAS.com - Presiden berkata.\n".encode("utf-16")
    assert detect_format(SourceFile("a.txt", data)) == "news"


def test_unsupported_format_is_a_problem_not_a_misread() -> None:
    items = list(read_source(SourceFile("doc.pdf", b"%PDF-1.4")))
    assert len(items) == 1 and isinstance(items[0], Problem)
    assert items[0].reason.startswith("PDF is not a format we can import")


def test_forced_format_wins() -> None:
    [doc] = list(read_source(SourceFile("a.conll", b"Just text, not columns.\n"), "txt"))
    assert doc.text == "Just text, not columns.\n"
    assert doc.metadata["format"] == "txt"


def test_unknown_forced_format() -> None:
    [problem] = list(read_source(SourceFile("a.txt", b"x"), "docx"))
    assert isinstance(problem, Problem)
    assert "docx is not a format we can import" in problem.reason
