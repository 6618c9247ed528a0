"""HTML news pages: article text and metadata, extracted offline."""

from __future__ import annotations

import socket

import pytest

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.io.base import SourceFile
from annotator.io.readers import read_source

PAGE = """<!DOCTYPE html>
<html lang="id-ID"><head><meta charset="utf-8">
<title>Rusia Tawarkan Kerja Sama dengan AS di Suriah | Republika Online</title>
<meta property="og:title" content="Rusia Tawarkan Kerja Sama dengan AS di Suriah">
<meta property="og:site_name" content="Republika Online">
<meta name="author" content="Rr Laeny Sulistyawati">
<meta property="article:published_time" content="2015-10-25T07:45:00+07:00">
<link rel="canonical" href="https://republika.co.id/berita/rusia-tawarkan-kerja-sama">
</head><body>
<nav><a href="/">Beranda</a> | <a href="/news">News</a></nav>
<article><h1>Rusia Tawarkan Kerja Sama dengan AS di Suriah</h1>
<p>REPUBLIKA.CO.ID, MOSKOW -- Menteri luar negeri Rusia Sergey Lavrov, Sabtu (24/10) mengatakan,
negaranya siap mendukung Tentara Pembebasan Suriah (FSA) dengan serangan udara.</p>
<p>"Kami siap untuk memberikan dukungan serangan udara ke oposisi, termasuk FSA,’’ ujar Lavrov
seperti dikutip dari laman Al Jazeera, Ahad (25/10).</p>
</article>
<footer>Hak cipta Republika</footer>
</body></html>
"""


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the HTML reader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def read(data: bytes, name: str = "rusia.html") -> list:
    return list(read_source(SourceFile(name, data)))


def test_article_text_and_metadata() -> None:
    [doc] = read(PAGE.encode())
    assert isinstance(doc, Document)
    assert doc.title == "Rusia Tawarkan Kerja Sama dengan AS di Suriah"
    assert doc.language == "id"
    assert doc.source == "rusia.html"
    assert "MOSKOW -- Menteri luar negeri Rusia Sergey Lavrov" in doc.text
    assert "termasuk FSA,’’ ujar Lavrov" in doc.text
    assert "Beranda" not in doc.text
    assert "Hak cipta" not in doc.text
    assert "\r" not in doc.text
    assert doc.metadata["format"] == "html"
    assert doc.metadata["published"] == "2015-10-25T07:45:00+07:00"
    assert doc.metadata["author"] == "Rr Laeny Sulistyawati"
    assert doc.metadata["sitename"] == "Republika Online"
    assert doc.metadata["url"] == "https://republika.co.id/berita/rusia-tawarkan-kerja-sama"
    assert doc.spans == ()


def test_date_only_page() -> None:
    page = PAGE.replace("2015-10-25T07:45:00+07:00", "2015-10-25")
    [doc] = read(page.encode())
    assert doc.metadata["published"] == "2015-10-25"


def test_page_without_article_is_refused() -> None:
    page = b"<html><head><title>Kosong</title></head><body><div></div></body></html>"
    assert read(page, "kosong.html") == [
        Problem("kosong.html", "no article text found in this HTML page")
    ]


def test_binary_html_is_refused() -> None:
    [problem] = read(b"\x00\x01PK\x03\x04", "x.html")
    assert isinstance(problem, Problem)
    assert "binary" in problem.reason


def test_empty_html_is_refused() -> None:
    assert read(b"", "x.htm") == [Problem("x.htm", "empty file (no text)")]
