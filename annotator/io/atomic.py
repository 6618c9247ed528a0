"""Atomic writes: readers see the old file (or folder) or the whole new one, never a part.

Everything is written to a hidden temporary next to the destination (same file system,
so the final rename is atomic) and renamed over it only when the writing succeeded.
On any failure the temporary, and any parent folders created for it, are removed.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from annotator.core.errors import ExportError


def _temp_sibling(dest: Path, kind: str) -> Path:
    return dest.parent / f".{dest.name}.{secrets.token_hex(4)}.{kind}"


def _make_parents(dest: Path) -> list[Path]:
    """Create the missing parent folders of ``dest``; return them, deepest first."""
    missing: list[Path] = []
    parent = dest.parent
    while not parent.exists() and parent != parent.parent:
        missing.append(parent)
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise ExportError(f"cannot write {dest}: {parent} is a file, not a folder")
    for folder in reversed(missing):
        try:
            folder.mkdir()
        except OSError as exc:
            _remove_folders([p for p in missing if p.exists()])
            raise ExportError(f"cannot write {dest}: {exc.strerror or exc}") from exc
    return missing


def _remove_folders(folders: list[Path]) -> None:
    for folder in folders:  # deepest first, so each is empty by the time we reach it
        try:
            folder.rmdir()
        except OSError:
            pass


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


@contextmanager
def _guarded(dest: Path, temp: Path, created: list[Path]) -> Iterator[None]:
    """Remove ``temp`` and ``created`` on any failure; turn I/O errors into ExportError."""
    try:
        yield
    except OSError as exc:
        _remove(temp)
        _remove_folders(created)
        raise ExportError(f"cannot write {dest}: {exc.strerror or exc}") from exc
    except UnicodeEncodeError as exc:
        _remove(temp)
        _remove_folders(created)
        reason = f"text that UTF-8 cannot encode ({exc.reason})"
        raise ExportError(f"cannot write {dest}: {reason}") from exc
    except BaseException:
        _remove(temp)
        _remove_folders(created)
        raise


@contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``dest``; it replaces ``dest`` when the block succeeds."""
    dest = Path(dest)
    if dest.is_dir():
        raise ExportError(f"cannot write {dest}: it is a folder")
    if _is_stream(dest):
        yield from _written_through(dest)
        return
    created = _make_parents(dest)
    temp = _temp_sibling(dest, "tmp")
    with _guarded(dest, temp, created):
        yield temp
        if not temp.exists():
            raise ExportError(f"cannot write {dest}: nothing was written")
        os.replace(temp, dest)


def _is_stream(dest: Path) -> bool:
    """A device or a pipe (``--out /dev/stdout``): written into, never replaced by a file."""
    try:
        mode = os.stat(dest).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _written_through(dest: Path) -> Iterator[Path]:
    """What an atomic write gives a device or a pipe: the whole export written to a temporary
    file first (a failed export sends nothing), then copied into it."""
    folder = Path(tempfile.mkdtemp(prefix="annotator-export-"))
    temp = folder / dest.name
    try:
        with _guarded(dest, folder, []):
            yield temp
            if not temp.exists():
                raise ExportError(f"cannot write {dest}: nothing was written")
            with temp.open("rb") as source, dest.open("wb") as target:
                shutil.copyfileobj(source, target)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def atomic_file(
    dest: Path,
    mode: str = "w",
    encoding: str | None = "utf-8",
    newline: str | None = "",
) -> Iterator[IO[Any]]:
    """Open a temporary file for writing; it replaces ``dest`` (fsynced) when the block succeeds.

    ``newline=""`` by default so text is written exactly as given (CRLF stays CRLF).
    """
    with atomic_path(dest) as temp:
        # O_EXCL: never reuse a file someone else created; 0o666 lets the umask decide the mode.
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        binary = "b" in mode
        with os.fdopen(
            fd,
            mode,
            encoding=None if binary else encoding,
            newline=None if binary else newline,
        ) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())


@contextmanager
def atomic_dir(dest: Path, replaceable: Callable[[Path], bool] | None = None) -> Iterator[Path]:
    """Yield a temporary folder next to ``dest``; it replaces ``dest`` when the block succeeds.

    An existing non-empty ``dest`` is replaced only when ``replaceable(dest)`` says it holds
    nothing but a previous export, so a mistyped ``--out`` never deletes a user's folder.
    """
    dest = Path(dest)
    if dest.exists() and not dest.is_dir():
        raise ExportError(f"cannot write {dest}: it is a file, not a folder")
    if dest.is_dir() and any(dest.iterdir()) and not (replaceable and replaceable(dest)):
        raise ExportError(
            f"cannot write {dest}: the folder holds files that are not from a previous export; "
            "choose an empty or new folder"
        )
    created = _make_parents(dest)
    temp = _temp_sibling(dest, "tmpdir")
    with _guarded(dest, temp, created):
        os.mkdir(temp, 0o777)
        yield temp
        _swap_in(temp, dest)


def _swap_in(temp: Path, dest: Path) -> None:
    """Rename ``temp`` to ``dest``; an old ``dest`` is moved aside first and deleted after."""
    if not dest.exists():
        os.rename(temp, dest)
        return
    old = _temp_sibling(dest, "old")
    os.rename(dest, old)
    try:
        os.rename(temp, dest)
    except BaseException:
        os.rename(old, dest)
        raise
    shutil.rmtree(old, ignore_errors=True)


def only_files_with_suffixes(*suffixes: str) -> Callable[[Path], bool]:
    """A ``replaceable`` test: the folder holds only files whose names end in ``suffixes``."""

    def check(folder: Path) -> bool:
        return all(p.is_file() and p.name.endswith(suffixes) for p in folder.iterdir())

    return check
