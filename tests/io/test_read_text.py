"""Plain text reading: encodings, newlines, titles, and the bad inputs every reader shares."""

from __future__ import annotations

import codecs
import random

import pytest

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.io.base import Notice, SourceFile
from annotator.io.readers import READERS, read_source
from annotator.io.readers.text import TITLE_MAX, decode, read_txt, title_from


def read(name: str, data: bytes, fmt: str | None = "txt") -> list:
    return list(read_source(SourceFile(name, data), fmt))


def only_doc(items: list) -> Document:
    docs = [i for i in items if isinstance(i, Document)]
    assert len(docs) == 1, items
    return docs[0]


def test_utf8_text_gets_title_and_metadata() -> None:
    doc = only_doc(read("news/a.txt", "\n\n  Judul berita  \nIsi berita 😀.\n".encode()))
    assert doc.text == "\n\n  Judul berita  \nIsi berita 😀.\n"
    assert doc.title == "Judul berita"
    assert doc.source == "news/a.txt"
    assert doc.metadata == {"format": "txt"}
    assert doc.language is None
    assert doc.spans == ()


def test_crlf_and_lone_cr_become_lf() -> None:
    doc = only_doc(read("a.txt", b"satu\r\ndua\rtiga\n"))
    assert doc.text == "satu\ndua\ntiga\n"


def test_utf8_bom_is_dropped() -> None:
    doc = only_doc(read("a.txt", codecs.BOM_UTF8 + b"Ahad 25 Oct\r\n"))
    assert doc.text == "Ahad 25 Oct\n"
    assert doc.title == "Ahad 25 Oct"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    items = read("a.txt", bom + "Halo dunia 😀\r\nbaris dua".encode(codec))
    doc = only_doc(items)
    assert doc.text == "Halo dunia 😀\nbaris dua"
    assert doc.metadata["encoding"] == "utf-16"
    assert not [i for i in items if isinstance(i, Notice)]


def test_other_encoding_is_guessed_and_reported() -> None:
    data = "Kafé di Jalan Sudirman, Jakarta. Menteri luar negeri berkata bahwa négara siap.".encode(
        "latin-1"
    )
    items = read("old.txt", data)
    notices = [i for i in items if isinstance(i, Notice)]
    doc = only_doc(items)
    assert len(notices) == 1
    assert notices[0].file == "old.txt"
    assert doc.metadata["encoding"] in notices[0].message
    assert "guessed" in notices[0].message
    assert doc.text.startswith("Kafé di Jalan Sudirman")


def test_binary_file_with_nul_bytes_is_refused() -> None:
    items = read("logo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    assert items == [Problem("logo.txt", "binary file (NUL bytes), not text")]


def test_utf8_with_nul_bytes_is_binary() -> None:
    items = read("a.txt", b"abc\x00def")
    assert len(items) == 1 and isinstance(items[0], Problem)
    assert "binary" in items[0].reason


def test_many_control_characters_are_binary() -> None:
    items = read("a.txt", b"\x01\x02\x03\x04\x05 abc \x06\x07\x08\x0e\x0f" * 10)
    assert len(items) == 1 and "binary" in items[0].reason


def test_undecodable_bytes_are_refused_with_position() -> None:
    data = b"Judul\nbaris dua\n" + random.Random(0).randbytes(400).replace(b"\x00", b"\x01")
    items = read("bad.txt", data)
    assert len(items) == 1
    problem = items[0]
    assert isinstance(problem, Problem)
    assert problem.file == "bad.txt"
    assert problem.reason.startswith("undecodable bytes")
    assert problem.line == 3


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8, codecs.BOM_UTF16_LE])
def test_empty_files_are_refused(data: bytes) -> None:
    assert read("empty.txt", data) == [Problem("empty.txt", "empty file (no text)")]


def test_decode_can_allow_empty() -> None:
    decoded = decode("a.ann", b"", allow_empty=True)
    assert not isinstance(decoded, Problem)
    assert decoded.text == ""


def test_long_first_line_title_is_capped() -> None:
    line = " ".join(["kata"] * 100)
    doc = only_doc(read("long.txt", line.encode()))
    assert len(doc.title) <= TITLE_MAX + 1
    assert doc.title.endswith("…")
    assert line.startswith(doc.title[:-1])


def test_title_falls_back_to_stem() -> None:
    assert title_from("\n \n", "artikel-1") == "artikel-1"


def test_reader_crash_becomes_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(source: SourceFile, options: object = None):
        yield from ()
        raise KeyError("boom")

    monkeypatch.setitem(READERS, "txt", broken)
    items = read("a.txt", b"text")
    assert items == [Problem("a.txt", "could not read as txt: KeyError: 'boom'")]


def test_read_txt_directly() -> None:
    [doc] = list(read_txt(SourceFile("zip.zip!dir/a.txt", b"Judul\n")))
    assert doc.source == "zip.zip!dir/a.txt"
    assert doc.title == "Judul"
