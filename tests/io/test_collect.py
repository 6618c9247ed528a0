"""Collecting input: files, folders, zips; brat pairs; missing and unreadable paths."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.io.base import Notice, SourceFile
from annotator.io.collect import collect, count_sources
from annotator.io.readers import read_source

DATA = Path(__file__).resolve().parents[1] / "data"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    write(root / "b.txt", "Bandung hari ini")
    write(root / "a.txt", "Jakarta hari ini")
    write(root / "a.ann", "T1\tLOC 0 7\tJakarta\n")
    write(root / "lone.ann", "T1\tLOC 0 1\tx\n")
    write(root / ".hidden.txt", "secret")
    write(root / ".git" / "config", "x")
    write(root / "annotation.conf", "[entities]\nLOC\n")
    write(root / "visual.conf", "")
    write(root / "tools.conf", "")
    write(root / "sub" / "c.jsonl", '{"text": "Solo"}\n')
    return root


def test_folder_is_walked_sorted_with_brat_pairs(folder: Path) -> None:
    found = list(collect([folder]))
    assert all(isinstance(s, SourceFile) for s in found)
    assert [s.name for s in found] == [
        str(folder / "a.txt"),
        str(folder / "b.txt"),
        str(folder / "sub" / "c.jsonl"),
    ]
    assert found[0].companions == {".ann": b"T1\tLOC 0 7\tJakarta\n"}
    assert found[0].data == b"Jakarta hari ini"
    assert found[1].companions == {}
    assert count_sources([folder]) == 3


def test_collected_folder_reads_into_documents(folder: Path) -> None:
    docs = [i for s in collect([folder]) for i in read_source(s) if isinstance(i, Document)]
    assert [(d.text, d.metadata["format"]) for d in docs] == [
        ("Jakarta hari ini", "brat"),
        ("Bandung hari ini", "txt"),
        ("Solo", "jsonl"),
    ]
    assert [(s.start, s.end, s.text) for s in docs[0].spans] == [(0, 7, "Jakarta")]


def test_explicit_files(folder: Path) -> None:
    found = list(collect([folder / "b.txt", folder / "a.ann", folder / "a.txt", folder / "b.txt"]))
    assert [s.name for s in found] == [str(folder / "b.txt"), str(folder / "a.txt")]
    assert found[1].companions == {".ann": b"T1\tLOC 0 7\tJakarta\n"}


def test_explicit_lone_ann_is_a_problem(folder: Path) -> None:
    assert list(collect([folder / "lone.ann"])) == [
        Problem(str(folder / "lone.ann"), "a brat .ann file needs its .txt next to it")
    ]


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    assert list(collect([missing, str(missing)])) == [
        Problem(str(missing), "no such file or folder"),
        Problem(str(missing), "no such file or folder"),
    ]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "locked.txt", "x")
    original = Path.open

    def refuse(self: Path, *args, **kwargs):  # root reads a chmod 000 file anyway
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert list(collect([path])) == [Problem(str(path), "cannot read: Permission denied")]


def test_zip_members_in_memory(tmp_path: Path) -> None:
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("news/z.txt", "Zebra")
        zf.writestr("news/a.txt", "Jakarta")
        zf.writestr("news/a.ann", "T1\tLOC 0 7\tJakarta\n")
        zf.writestr("news/", "")
        zf.writestr("__MACOSX/news/._a.txt", "junk")
        zf.writestr("news/.DS_Store", "junk")
        zf.writestr("annotation.conf", "")
        zf.writestr("inner.zip", b"PK")
        zf.writestr("only.ann", "")
    found = list(collect([archive]))
    hidden = "skipped: hidden (a dot file, or macOS metadata)"
    # Every entry is accounted for: the hidden ones and brat's configuration are passed over
    # with a notice (the folder entry is not an entry of its own).
    assert found[:3] == [
        Notice(f"{archive}!__MACOSX/news/._a.txt", hidden),
        Notice(f"{archive}!news/.DS_Store", hidden),
        Notice(f"{archive}!annotation.conf", "skipped: brat's configuration, not a document"),
    ]
    found = found[3:]
    assert found == [
        Problem(f"{archive}!inner.zip", "a zip inside a zip is not opened; unpack it first"),
        SourceFile(f"{archive}!news/a.txt", b"Jakarta", {".ann": b"T1\tLOC 0 7\tJakarta\n"}),
        SourceFile(f"{archive}!news/z.txt", b"Zebra"),
        Problem(f"{archive}!only.ann", "a brat .ann file needs its .txt next to it"),
    ]
    assert found[1].suffix == ".txt" and found[1].stem == "a"
    assert count_sources([archive]) == 7
    [doc] = [i for i in read_source(found[1]) if isinstance(i, Document)]
    assert doc.source == f"{archive}!news/a.txt"
    assert doc.spans[0].text == "Jakarta"


def test_zip_inside_a_folder_is_opened(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "in.zip", "w") as zf:
        zf.writestr("x.txt", "X")
    write(tmp_path / "y.txt", "Y")
    names = [s.name for s in collect([tmp_path])]
    assert names == [f"{tmp_path / 'in.zip'}!x.txt", str(tmp_path / "y.txt")]


def test_bad_zip(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.zip", b"this is not a zip")
    [problem] = list(collect([bad]))
    assert isinstance(problem, Problem)
    assert problem.file == str(bad)
    assert problem.reason.startswith("not a readable zip archive")


def test_brat_sample_folder() -> None:
    found = list(collect([DATA / "brat" / "tutorial-news"]))
    names = [Path(s.name).name for s in found]
    assert names == [
        "000-introduction.txt",
        "060-relation_annotation.txt",
        "070-editing_relation_annotations.txt",
        "080-event-annotation.txt",
        "090-event_structures.txt",
        "100-attribute_annotation.txt",
        "110-note_annotation.txt",
    ]
    assert all(".ann" in s.companions for s in found)
