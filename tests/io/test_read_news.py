"""Scraped news articles: header fields into metadata, the text verbatim."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.io.base import SourceFile
from annotator.io.readers import read_source
from annotator.io.readers.news import looks_like_news, parse_published, read_news

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "republika-2015-10-25-rusia-tawarkan-kerja-sama.txt"


def news(text: str, name: str = "artikel.txt") -> Document:
    [doc] = list(read_news(SourceFile(name, text.encode())))
    assert isinstance(doc, Document)
    return doc


def test_seed_article_metadata() -> None:
    [doc] = list(read_source(SourceFile(str(SEED), SEED.read_bytes())))
    assert isinstance(doc, Document)
    assert doc.title == "Rusia Tawarkan Kerja Sama dengan AS di Suriah"
    assert doc.language == "id"
    assert doc.source == str(SEED)
    assert doc.metadata == {
        "format": "news",
        "published": "2015-10-25T07:45:00+07:00",
        "timezone": "WIB",
        "reporter": "Rr Laeny Sulistyawati",
        "editor": "Nidia Zuraya",
        "photo_credit": "Reuters",
        "dateline": "MOSKOW",
        "outlet": "REPUBLIKA.CO.ID",
    }


def test_seed_text_is_verbatim() -> None:
    [doc] = list(read_news(SourceFile(SEED.name, SEED.read_bytes())))
    raw = SEED.read_bytes().decode("utf-8")
    assert doc.text == raw.replace("\r\n", "\n")
    assert "REPUBLIKA.CO.ID,\xa0MOSKOW --" in doc.text
    assert "bersenjata,\u2019\u2019 ujar Lavrov" in doc.text
    assert doc.text.startswith("Ahad 25 Oct 2015 07:45 WIB\n\nRusia Tawarkan")


def test_crlf_news_is_normalised() -> None:
    doc = news("Senin, 3 Agustus 2020 14:05 WITA\r\n\r\nJudul\r\n\r\nTEMPO.CO, Makassar - Isi.\r\n")
    assert doc.text == "Senin, 3 Agustus 2020 14:05 WITA\n\nJudul\n\nTEMPO.CO, Makassar - Isi.\n"
    assert doc.metadata["published"] == "2020-08-03T14:05:00+08:00"
    assert doc.metadata["timezone"] == "WITA"
    assert doc.metadata["dateline"] == "Makassar"
    assert doc.metadata["outlet"] == "TEMPO.CO"
    assert doc.title == "Judul"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Ahad 25 Oct 2015 07:45 WIB", ("2015-10-25T07:45:00+07:00", "WIB")),
        ("Ahad 25 Okt 2015 07:45 WIB", ("2015-10-25T07:45:00+07:00", "WIB")),
        ("Sunday, 25 October 2015 07:45 WIB", ("2015-10-25T07:45:00+07:00", "WIB")),
        ("Senin, 3 Agustus 2020 14:05 WITA", ("2020-08-03T14:05:00+08:00", "WITA")),
        ("Jumat 1 Mei 2020 | 09.30 WIT", ("2020-05-01T09:30:00+09:00", "WIT")),
        ("Rabu, 05 Agu 2020, 08:00:15 WIB", ("2020-08-05T08:00:15+07:00", "WIB")),
        ("Kamis, 12/03/2020 10:15 WIB", ("2020-03-12T10:15:00+07:00", "WIB")),
        ("Kompas.com - 12/03/2020, 10:15 WIB", ("2020-03-12T10:15:00+07:00", "WIB")),
        ("Selasa, 8 Desember 2020 pukul 20.00", ("2020-12-08T20:00:00", None)),
        ("Minggu, 31 Februari 2020 10:00 WIB", None),
        ("Presiden AS Barrack Obama dan Presiden Rusia Vladimir Putin.", None),
        ("25 Oct 2015", None),
    ],
)
def test_parse_published(line: str, expected: tuple[str, str | None] | None) -> None:
    assert parse_published(line) == expected


KOMPAS = """Kemenlu Pastikan WNI di Suriah Aman
Kompas.com - 12/03/2020, 10:15 WIB

JAKARTA, KOMPAS.com - Kementerian Luar Negeri memastikan seluruh WNI di Suriah dalam keadaan aman.

Hal itu disampaikan juru bicara Kemenlu di Jakarta, Kamis (12/3/2020).

Penulis: Dian Maharani | Editor: Sabrina Asril
"""


def test_kompas_with_dateline_and_trailing_byline() -> None:
    doc = news(KOMPAS)
    assert doc.title == "Kemenlu Pastikan WNI di Suriah Aman"
    assert doc.language == "id"
    assert doc.text == KOMPAS
    assert doc.metadata == {
        "format": "news",
        "published": "2020-03-12T10:15:00+07:00",
        "timezone": "WIB",
        "dateline": "JAKARTA",
        "outlet": "KOMPAS.com",
        "reporter": "Dian Maharani",
        "editor": "Sabrina Asril",
    }


def test_kompas_without_place() -> None:
    doc = news("Judul Kompas\n\nKOMPAS.com - Presiden Joko Widodo meresmikan jalan tol.\n")
    assert doc.metadata["outlet"] == "KOMPAS.com"
    assert "dateline" not in doc.metadata
    assert doc.title == "Judul Kompas"


def test_liputan6() -> None:
    doc = news("Harga Cabai Naik\nLiputan6.com, Jakarta - Harga cabai rawit naik tajam.\n")
    assert doc.metadata["outlet"] == "Liputan6.com"
    assert doc.metadata["dateline"] == "Jakarta"
    assert doc.title == "Harga Cabai Naik"


def test_tempo_with_reporter_and_editor_lines() -> None:
    text = (
        "KPK Periksa Saksi\nRabu, 5 Agustus 2020 14:30 WIB\nReporter: Andita Rahma\n"
        "Editor: Amirullah\n\nTEMPO.CO, Jakarta - Komisi Pemberantasan Korupsi memeriksa saksi.\n"
    )
    doc = news(text)
    assert doc.metadata["reporter"] == "Andita Rahma"
    assert doc.metadata["editor"] == "Amirullah"
    assert doc.metadata["published"] == "2020-08-05T14:30:00+07:00"
    assert doc.metadata["outlet"] == "TEMPO.CO"
    assert doc.metadata["dateline"] == "Jakarta"
    assert doc.title == "KPK Periksa Saksi"


def test_antara_with_pewarta() -> None:
    text = (
        "Gempa Guncang Maluku\n\nAmbon (ANTARA) - Gempa bermagnitudo 5,2 mengguncang Maluku.\n\n"
        "Pewarta: Jimmy Ayal\nEditor: Budi Suyanto\n"
    )
    doc = news(text)
    assert doc.metadata["outlet"] == "ANTARA"
    assert doc.metadata["dateline"] == "Ambon"
    assert doc.metadata["reporter"] == "Jimmy Ayal"
    assert doc.metadata["editor"] == "Budi Suyanto"


def test_looks_like_news() -> None:
    assert looks_like_news(KOMPAS)
    assert looks_like_news("Judul\nAhad 25 Oct 2015 07:45 WIB\nRep: A/ Red: B\nIsi.")
    assert not looks_like_news("Catatan rapat.\nAhad 25 Oct 2015 07:45 WIB\nTidak ada byline.")
    assert not looks_like_news("Just some notes about Jakarta - nothing more.\n")


def test_forced_news_on_plain_text_still_imports() -> None:
    doc = news("Catatan rapat\nIsi catatan.\n", name="catatan.txt")
    assert doc.title == "Catatan rapat"
    assert doc.metadata == {"format": "news"}
    assert doc.language is None


def test_binary_news_is_refused() -> None:
    items = list(read_news(SourceFile("a.txt", b"\x00\x01\x02")))
    assert items == [Problem("a.txt", "binary file (NUL bytes), not text")]
