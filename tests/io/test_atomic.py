"""Atomic writes: all or nothing, a clear error for an unwritable destination, no leftovers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError, ExportError
from annotator.io.atomic import atomic_dir, atomic_file, atomic_path, only_files_with_suffixes


def test_atomic_file_writes_exactly_and_leaves_no_temp(tmp_path: Path) -> None:
    dest = tmp_path / "out.txt"
    with atomic_file(dest) as handle:
        handle.write("a\r\nb\n")
        assert not dest.exists()  # nothing visible until the block ends
    assert dest.read_bytes() == b"a\r\nb\n"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_atomic_file_keeps_the_old_file_when_the_block_fails(tmp_path: Path) -> None:
    dest = tmp_path / "out.txt"
    dest.write_text("old")
    with pytest.raises(RuntimeError), atomic_file(dest) as handle:
        handle.write("new, half")
        raise RuntimeError("boom")
    assert dest.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.txt"]


def test_atomic_file_honours_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with atomic_file(tmp_path / "out.txt") as handle:
            handle.write("x")
    finally:
        os.umask(old)
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o644


def test_parent_that_is_a_file_raises_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("I am a file")
    dest = blocker / "sub" / "out.jsonl"
    with pytest.raises(ExportError) as info, atomic_file(dest) as handle:
        handle.write("x")
    assert str(dest) in str(info.value)
    assert isinstance(info.value, AnnotatorError)
    assert sorted(os.listdir(tmp_path)) == ["blocker"]


def test_missing_parents_are_created_and_removed_again_on_failure(tmp_path: Path) -> None:
    dest = tmp_path / "a" / "b" / "out.txt"
    with pytest.raises(ValueError), atomic_file(dest) as handle:
        handle.write("x")
        raise ValueError
    assert os.listdir(tmp_path) == []
    with atomic_file(dest) as handle:
        handle.write("x")
    assert dest.read_text() == "x"


def test_destination_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="folder"), atomic_path(tmp_path):
        pass


def test_io_errors_become_export_errors_and_leave_nothing(tmp_path: Path) -> None:
    dest = tmp_path / "out.txt"
    with pytest.raises(ExportError, match="out.txt"), atomic_file(dest) as handle:
        handle.write("x")
        raise OSError(28, "No space left on device")
    assert os.listdir(tmp_path) == []


def test_text_that_utf8_cannot_encode_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="UTF-8"), atomic_file(tmp_path / "out.txt") as handle:
        handle.write("lone surrogate \ud800")
    assert os.listdir(tmp_path) == []


def test_atomic_dir_appears_whole_and_replaces_a_previous_export(tmp_path: Path) -> None:
    dest = tmp_path / "export"
    dest.mkdir()
    (dest / "old.txt").write_text("old")
    with atomic_dir(dest, only_files_with_suffixes(".txt")) as folder:
        (folder / "new.txt").write_text("new")
        assert (dest / "old.txt").exists()
    assert os.listdir(dest) == ["new.txt"]
    assert os.listdir(tmp_path) == ["export"]


def test_atomic_dir_failure_keeps_the_old_folder(tmp_path: Path) -> None:
    dest = tmp_path / "export"
    dest.mkdir()
    (dest / "old.txt").write_text("old")
    with pytest.raises(KeyError), atomic_dir(dest, only_files_with_suffixes(".txt")) as folder:
        (folder / "new.txt").write_text("new")
        raise KeyError
    assert os.listdir(dest) == ["old.txt"]
    assert os.listdir(tmp_path) == ["export"]


def test_atomic_dir_never_replaces_a_folder_with_other_files(tmp_path: Path) -> None:
    dest = tmp_path / "Documents"
    dest.mkdir()
    (dest / "thesis.docx").write_text("precious")
    replaceable = only_files_with_suffixes(".txt")
    with (
        pytest.raises(ExportError, match="not from a previous export"),
        atomic_dir(dest, replaceable),
    ):
        pass
    assert (dest / "thesis.docx").read_text() == "precious"
    assert os.listdir(tmp_path) == ["Documents"]


def test_atomic_dir_refuses_a_file_and_a_file_parent(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="not a folder"), atomic_dir(blocker):
        pass
    with pytest.raises(ExportError, match=str(blocker / "out")), atomic_dir(blocker / "out"):
        pass
    assert os.listdir(tmp_path) == ["blocker"]
