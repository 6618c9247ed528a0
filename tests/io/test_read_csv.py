"""CSV / TSV import: one document a row, columns chosen by name, bad rows refused by line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.errors import Problem
from annotator.core.model import Document, Label, Span
from annotator.io.base import ExportOptions, ReadOptions, SourceFile
from annotator.io.readers import detect_format, read_source
from annotator.io.writers.csv import write as write_csv
from annotator.workspace import Workspace

NEWS = (
    "id,judul,Isi,tanggal,sumber\r\n"
    '7,Jokowi ke Solo,"Jokowi tiba di Solo.\r\nIa bertemu wali kota, lalu pulang.",2024-01-01,'
    "antara\r\n"
    '8,"Judul, dengan koma","Prabowo di Jakarta.",2024-01-02,\r\n'
)


def read(name: str, data: str | bytes, **options: str) -> list:
    raw = data.encode() if isinstance(data, str) else data
    return list(read_source(SourceFile(name, raw), None, ReadOptions(**options)))


def docs(items: list) -> list[Document]:
    return [i for i in items if isinstance(i, Document)]


def problems(items: list) -> list[tuple[int | None, str]]:
    return [(i.line, i.reason) for i in items if isinstance(i, Problem)]


def test_one_document_a_row_with_title_id_and_metadata() -> None:
    items = read("news.csv", NEWS)
    assert problems(items) == []
    first, second = docs(items)
    # The quoted field keeps its line break (newlines normalised as for plain text).
    assert first.text == "Jokowi tiba di Solo.\nIa bertemu wali kota, lalu pulang."
    assert (first.title, first.uid, first.source) == ("Jokowi ke Solo", "7", "news.csv")
    assert first.metadata == {"format": "csv", "tanggal": "2024-01-01", "sumber": "antara"}
    assert (second.title, second.uid, second.text) == (
        "Judul, dengan koma",
        "8",
        "Prabowo di Jakarta.",
    )
    assert "sumber" not in second.metadata  # empty cells are left out


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_the_delimiter_is_sniffed(delimiter: str) -> None:
    text = NEWS.replace(",", delimiter).replace(f"wali kota{delimiter}", "wali kota,")
    text = text.replace(f"Judul{delimiter} dengan", "Judul, dengan")
    found = docs(read("news.csv", text))
    assert [d.uid for d in found] == ["7", "8"]
    assert found[0].text.endswith("wali kota, lalu pulang.")


def test_columns_chosen_by_name_any_case() -> None:
    text = "Kode,Headline,BODY,Ringkas\nA1,Satu,Isi satu.,pendek\n"
    [doc] = docs(read("x.csv", text))
    assert (doc.uid, doc.title, doc.text) == (None, "Satu", "Isi satu.")
    assert doc.metadata == {"format": "csv", "Kode": "A1", "Ringkas": "pendek"}
    [doc] = docs(read("x.csv", text, text_column="ringkas", title_column="kode", id_column="Kode"))
    assert (doc.uid, doc.title, doc.text) == ("A1", "A1", "pendek")
    assert doc.metadata == {"format": "csv", "Headline": "Satu", "BODY": "Isi satu."}


def test_no_text_column_is_refused_with_the_columns_it_has() -> None:
    items = read("x.csv", "nama,umur\nBudi,30\n")
    assert docs(items) == []
    [(line, reason)] = problems(items)
    assert line == 1
    assert "no text column" in reason and "(columns: 'nama', 'umur')" in reason
    assert "--text-column" in reason
    [(_, reason)] = problems(read("x.csv", NEWS, text_column="konten"))
    assert reason.startswith("no column named 'konten' for the text (columns: 'id', 'judul'")
    [(_, reason)] = problems(read("x.csv", NEWS, title_column="nope"))
    assert reason.startswith("no column named 'nope' for the title")


def test_bad_rows_are_refused_by_line_and_the_others_read() -> None:
    text = (
        "text,title\n"
        "Satu dua.,A\n"
        "Hanya satu kolom\n"  # line 3: one field
        ",Kosong\n"  # line 4: empty text
        '"Dua\nbaris.",B\n'  # lines 5-6
        "   ,C\n"  # line 7: blank text
        "Tiga,D,E\n"  # line 8: three fields
        "\n"
        "Empat.,F\n"  # line 10
    )
    items = read("x.csv", text)
    assert [d.title for d in docs(items)] == ["A", "B", "F"]
    assert problems(items) == [
        (3, "the row has 1 field, the header has 2"),
        (4, "empty text in column 'text'"),
        (7, "empty text in column 'text'"),
        (8, "the row has 3 fields, the header has 2"),
    ]


def test_an_unclosed_quote_is_refused_with_its_line() -> None:
    items = read("x.csv", 'text\nBaik.\n"Tanpa tutup\n')
    assert [d.text for d in docs(items)] == ["Baik."]
    [(line, reason)] = problems(items)
    assert line == 3 and reason.startswith("not readable as CSV")


def test_encoding_is_guessed_as_for_text() -> None:
    data = "text,title\nCaf\u00e9 di Bandung sangat ramai hari ini.,Kafe\n".encode("cp1252")
    items = read("x.csv", data)
    [doc] = docs(items)
    assert doc.text == "Caf\u00e9 di Bandung sangat ramai hari ini."
    assert any("not UTF-8" in str(i) for i in items if not isinstance(i, Document))


def test_detection_csv_and_tsv_with_a_header() -> None:
    assert detect_format(SourceFile("a.csv", b"text\nx\n")) == "csv"
    assert detect_format(SourceFile("a.tsv", b"text\ttitle\nSatu.\tA\n")) == "csv"
    conll = b"Jokowi\tB-PER\ntiba\tO\n\nDi\tO\n"
    assert detect_format(SourceFile("a.tsv", conll)) == "conll"
    webanno = b"#FORMAT=WebAnno TSV 3.3\n"
    assert detect_format(SourceFile("a.tsv", webanno)) == "webanno"
    [doc] = docs(read("a.tsv", "title\tisi\nA\tSatu, dua; tiga.\n"))
    assert doc.text == "Satu, dua; tiga."


def test_our_own_span_export_is_refused_with_the_reason(tmp_path: Path) -> None:
    doc = Document(text="Jokowi tiba.", uid="d1", spans=(Span(0, 6, "PERSON", "Jokowi"),))
    out = tmp_path / "spans.csv"
    write_csv([doc], [Label("PERSON", "#ffcc00")], out, ExportOptions())
    items = list(read_source(SourceFile("spans.csv", out.read_bytes())))
    assert docs(items) == []
    [(line, reason)] = problems(items)
    assert line == 1 and "annotator's CSV export (one row a span" in reason
    assert "jsonl" in reason


def test_cli_import_with_column_options(
    isolated_env: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "berita.csv"
    path.write_text("kode;ringkas;panjang\nB1;Pendek.;Teks panjang di sini.\n", "utf-8")
    db = tmp_path / "x.sqlite"
    code = main(["--db", str(db), "import", str(path)])
    out, err = capsys.readouterr()
    assert code == 1 and "no text column" in err and "'kode', 'ringkas', 'panjang'" in err
    code = main(
        ["--db", str(db), "import", str(path), "--text-column", "PANJANG", "--id-column", "kode"]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "imported 1 document" in out
    with Workspace.open(db) as ws:
        [summary] = ws.documents()
        doc = ws.document(summary.id)
    assert (doc.text, doc.uid) == ("Teks panjang di sini.", "B1")
    assert json.loads(json.dumps(dict(doc.metadata)))["ringkas"] == "Pendek."


def test_rows_ending_in_crlf_or_a_lone_cr() -> None:
    for end in ("\r\n", "\r"):
        text = end.join(["text,title", "Satu.,A", f'"Dua{end}baris.",B', ""])
        found = docs(read("x.csv", text))
        assert [(d.title, d.text) for d in found] == [("A", "Satu."), ("B", "Dua\nbaris.")]
