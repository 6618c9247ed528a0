"""brat and XMI file names come from the document: its file's stem, else a slug of its title,
else its id; safe, unique, and the same on every export and after a round trip."""

from __future__ import annotations

import os
from pathlib import Path

from annotator.core.export_record import record_of
from annotator.core.model import Document
from annotator.io.writers._common import DocumentNames
from annotator.workspace import Workspace


def names(*docs: Document) -> list[str]:
    namer = DocumentNames()
    return [namer.stem(doc, i) for i, doc in enumerate(docs, 1)]


def test_file_stem_then_title_slug_then_id() -> None:
    assert names(
        Document(text="x", source="/in/berita/foo.txt", title="Judul", uid="u1"),
        Document(text="x", source="corpus.zip!news/Jakarta Hari Ini.html", title="T"),
        Document(text="x", source="all.jsonl", title="Jokowi Tiba di Solo!", uid="u2"),
        Document(text="x", source="all.jsonl", title="", uid="2015/10/25-rusia"),
        Document(text="x", source="", title="  ", id=42),
        Document(text="x", title="", uid=None),
        Document(text="x", source="a/b.tsv", metadata={"format": "webanno-tsv3"}, title="W"),
        Document(text="x", source="a/table.tsv", metadata={"format": "csv"}, title="Row"),
    ) == [
        "foo",
        "Jakarta_Hari_Ini",
        "jokowi-tiba-di-solo",
        "doc-2015_10_25-rusia",
        "doc-42",
        "doc-000006",
        "b",
        "row",
    ]


def test_names_are_safe_and_unique_case_insensitively() -> None:
    assert names(
        Document(text="x", source="a/Foo.txt"),
        Document(text="x", source="b/foo.txt"),
        Document(text="x", source="c/FOO.TXT"),
        Document(text="x", source="d/CON.txt"),
        Document(text="x", source="e/..txt", title="Ünïcödé: 東京 / ok?"),
        Document(text="x", title="a" * 50 + " " + "b" * 50),
    ) == ["Foo", "foo-2", "FOO-3", "_CON", "ünïcödé-東京-ok", "a" * 50]


def test_records_are_named_like_documents() -> None:
    doc = Document(text="x", source="in/foo.txt", title="Judul", uid="u")
    assert names(doc) == [DocumentNames().stem(record_of(doc), 1)] == ["foo"]


def _export_names(ws: Workspace, fmt: str, out: Path) -> list[str]:
    ws.export(fmt, out)
    return sorted(n for n in os.listdir(out) if n.endswith((".ann", ".xmi")))


def test_same_names_on_every_export_and_after_a_round_trip(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "berita-satu.txt").write_text("Jokowi tiba di Solo.", "utf-8")
    (folder / "berita-satu.ann").write_text("T1\tPERSON 0 6\tJokowi\n", "utf-8")
    jsonl = tmp_path / "more.jsonl"
    jsonl.write_text(
        '{"text": "Prabowo di Jakarta.", "title": "Prabowo di Jakarta"}\n'
        '{"text": "Tanpa judul apa pun.", "title": "Prabowo di Jakarta", "id": "b"}\n',
        "utf-8",
    )
    with Workspace.open(tmp_path / "a.sqlite", annotator="t") as ws:
        ws.import_paths([folder, jsonl])
        first = _export_names(ws, "brat", tmp_path / "b1")
        assert _export_names(ws, "brat", tmp_path / "b2") == first
        xmi = _export_names(ws, "xmi", tmp_path / "x1")
    assert first == ["berita-satu.ann", "prabowo-di-jakarta-2.ann", "prabowo-di-jakarta.ann"]
    assert xmi == ["berita-satu.xmi", "prabowo-di-jakarta-2.xmi", "prabowo-di-jakarta.xmi"]
    # A second database made from the brat export names its documents the same way.
    with Workspace.open(tmp_path / "b.sqlite", annotator="t") as ws:
        report = ws.import_paths([tmp_path / "b1"])
        assert report.imported == 3
        assert _export_names(ws, "brat", tmp_path / "b3") == first
