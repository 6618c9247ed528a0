"""Turn the paths a user names (files, folders, zips) into SourceFiles, brat pairs grouped.

Companions: a brat ``.txt`` gets its ``.ann`` (key ``".ann"``); a UIMA ``.xmi`` gets the
type system in its folder (key ``".typesystem"``): the file named ``TypeSystem.xml`` in any
case, else the only ``.xml`` file there (dkpro-cassis's samples name theirs otherwise). A
type system used that way is not reported as a skipped file.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from annotator.core.errors import Problem
from annotator.io.base import Notice, SourceFile

# brat's configuration and cache files sit next to the documents; they are not documents.
SKIPPED_NAMES = frozenset(
    {"annotation.conf", "visual.conf", "tools.conf", "kb_shortcuts.conf", ".stats_cache"}
)


# In a folder or a zip, only these are taken as documents (README.md, LICENSE, images are not);
# a file named on its own is always tried.
DOCUMENT_SUFFIXES = frozenset(
    {
        ".txt",
        ".text",
        ".html",
        ".htm",
        ".xhtml",
        ".jsonl",
        ".ndjson",
        ".json",
        ".conll",
        ".conll03",
        ".conllu",
        ".iob",
        ".iob2",
        ".bio",
        ".bioes",
        ".tsv",
        ".csv",
        ".xmi",
    }
)
TYPESYSTEM_NAME = "typesystem.xml"  # compared in lower case


@dataclass(frozen=True)
class _Entry:
    """One thing collect will yield, before any file is read."""

    name: str
    path: Path
    member: str | None = None  # inside the zip at ``path``
    ann: str | None = None  # the brat companion: a path on disk, or a member of the same zip
    typesystem: str | None = None  # the UIMA type system of an .xmi: likewise
    problem: str | None = None
    skipped: bool = False  # not a document format: reported as a Notice


def collect(paths: Sequence[str | Path]) -> Iterator[SourceFile | Problem | Notice]:
    """Each input file once, read into memory; a Problem for each path or file that cannot be read.

    Files in folders and zips that are not of a document format are passed over with a Notice.
    """
    archive: zipfile.ZipFile | None = None  # None also when it could not be reopened
    archive_path: Path | None = None
    try:
        for entry in _plan(paths):
            if entry.skipped:
                yield Notice(entry.name, "skipped: not a document format")
            elif entry.problem is not None:
                yield Problem(entry.name, entry.problem)
            elif entry.member is None:
                yield _read_file(entry)
            else:
                # Members of one zip come one after another: keep it open until the next one.
                if archive is None or archive_path != entry.path:
                    if archive is not None:
                        archive.close()
                    archive, archive_path = _open_zip(entry.path), entry.path
                if archive is None:
                    yield Problem(entry.name, "cannot reopen the zip archive")
                else:
                    yield _read_member(archive, entry)
    finally:
        if archive is not None:
            archive.close()


def count_sources(paths: Sequence[str | Path]) -> int:
    """How many items collect(paths) will yield, without reading any file."""
    return sum(1 for _ in _plan(paths))


def _plan(paths: Sequence[str | Path]) -> Iterator[_Entry]:
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            yield _Entry(str(raw), path, problem="no such file or folder")
        elif path.is_dir():
            files = sorted(
                (
                    p
                    for p in path.rglob("*")
                    if not _hidden(p.relative_to(path).parts) and p.is_file()
                ),
                key=lambda p: p.relative_to(path).parts,
            )
            yield from _plan_files(files, seen, explicit=False)
        else:
            yield from _plan_files([path], seen, explicit=True)


def _plan_files(files: list[Path], seen: set[Path], explicit: bool) -> Iterator[_Entry]:
    present = set(files)
    typesystems: dict[Path, Path | None] = {}
    used = set() if explicit else _typesystems_in_use(files, typesystems)
    for path in files:
        key = path.resolve()
        if key in seen or (not explicit and path.name in SKIPPED_NAMES) or path in used:
            continue
        seen.add(key)
        if path.suffix.lower() == ".zip":
            yield from _plan_zip(path)
            continue
        ann = path.with_suffix(".ann")
        if path.suffix.lower() == ".ann":
            txt = path.with_suffix(".txt")
            if not explicit or txt.resolve() in seen:
                continue  # read with its .txt
            if not txt.is_file():
                yield _Entry(str(path), path, problem="a brat .ann file needs its .txt next to it")
                continue
            path, ann = txt, path
            seen.add(txt.resolve())
        if not explicit and path.suffix.lower() not in DOCUMENT_SUFFIXES:
            yield _Entry(str(path), path, skipped=True)
            continue
        has_ann = path.suffix.lower() == ".txt" and (ann in present or ann.is_file())
        typesystem = (
            _disk_typesystem(path.parent, typesystems) if path.suffix.lower() == ".xmi" else None
        )
        yield _Entry(
            str(path),
            path,
            ann=str(ann) if has_ann else None,
            typesystem=str(typesystem) if typesystem else None,
        )


def _disk_typesystem(folder: Path, cache: dict[Path, Path | None]) -> Path | None:
    if folder not in cache:
        try:
            xml = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".xml" and p.is_file())
        except OSError:
            xml = []
        picked = _pick_typesystem([str(p) for p in xml])
        cache[folder] = Path(picked) if picked else None
    return cache[folder]


def _typesystems_in_use(files: list[Path], cache: dict[Path, Path | None]) -> set[Path]:
    """The type systems that .xmi files of this walk take as companions (not to be reported)."""
    return {
        ts
        for p in files
        if p.suffix.lower() == ".xmi"
        if (ts := _disk_typesystem(p.parent, cache)) is not None
    }


def _pick_typesystem(candidates: list[str]) -> str | None:
    """``TypeSystem.xml`` (any case) among a folder's .xml files (paths), else the only .xml one."""
    named = [c for c in candidates if re.split(r"[/\\]", c)[-1].lower() == TYPESYSTEM_NAME]
    if named:
        return named[0]
    return candidates[0] if len(candidates) == 1 else None


def _plan_zip(path: Path) -> Iterator[_Entry]:
    try:
        with zipfile.ZipFile(path) as archive:
            members = sorted(
                info.filename
                for info in archive.infolist()
                if not info.is_dir()
                and not _hidden(PurePosixPath(info.filename).parts)
                and PurePosixPath(info.filename).name not in SKIPPED_NAMES
            )
    except (zipfile.BadZipFile, OSError) as exc:
        yield _Entry(str(path), path, problem=f"not a readable zip archive: {exc}")
        return
    names = set(members)
    xml_by_folder: dict[PurePosixPath, list[str]] = {}
    for member in members:
        if PurePosixPath(member).suffix.lower() == ".xml":
            xml_by_folder.setdefault(PurePosixPath(member).parent, []).append(member)
    typesystems = {folder: _pick_typesystem(xml) for folder, xml in xml_by_folder.items()}
    used = {
        typesystems.get(PurePosixPath(m).parent)
        for m in members
        if PurePosixPath(m).suffix.lower() == ".xmi"
    }
    for member in members:
        pure = PurePosixPath(member)
        name = f"{path}!{member}"
        suffix = pure.suffix.lower()
        ann = str(pure.with_suffix(".ann"))
        if suffix == ".ann" and str(pure.with_suffix(".txt")) in names:
            continue  # read with its .txt
        if suffix == ".ann":
            yield _Entry(name, path, problem="a brat .ann file needs its .txt next to it")
        elif suffix == ".zip":
            yield _Entry(name, path, problem="a zip inside a zip is not opened; unpack it first")
        elif member in used:
            continue  # the type system of the .xmi files beside it
        elif suffix not in DOCUMENT_SUFFIXES:
            yield _Entry(name, path, skipped=True)
        else:
            typesystem = typesystems.get(pure.parent) if suffix == ".xmi" else None
            yield _Entry(
                name, path, member, ann if suffix == ".txt" and ann in names else None, typesystem
            )


def _read_file(entry: _Entry) -> SourceFile | Problem:
    try:
        data = entry.path.read_bytes()
        companions = {".ann": Path(entry.ann).read_bytes()} if entry.ann else {}
        if entry.typesystem:
            companions[".typesystem"] = Path(entry.typesystem).read_bytes()
    except OSError as exc:
        return Problem(entry.name, f"cannot read: {exc.strerror or exc}")
    return SourceFile(entry.name, data, companions)


def _open_zip(path: Path) -> zipfile.ZipFile | None:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return None  # it was readable a moment ago, when planned


def _read_member(archive: zipfile.ZipFile, entry: _Entry) -> SourceFile | Problem:
    assert entry.member is not None
    try:
        data = archive.read(entry.member)
        companions = {".ann": archive.read(entry.ann)} if entry.ann else {}
        if entry.typesystem:
            companions[".typesystem"] = archive.read(entry.typesystem)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, KeyError) as exc:
        return Problem(entry.name, f"cannot read from the zip archive: {exc}")
    return SourceFile(entry.name, data, companions)


def _hidden(parts: tuple[str, ...]) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)
