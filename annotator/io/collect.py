"""Turn the paths a user names (files, folders, zips) into SourceFiles, brat pairs grouped.

Companions: a brat ``.txt`` gets its ``.ann`` (key ``".ann"``); a UIMA ``.xmi`` gets the
type system in its folder (key ``".typesystem"``): the file named ``TypeSystem.xml`` in any
case, else the only ``.xml`` file there (dkpro-cassis's samples name theirs otherwise). A
type system used that way is not reported as a skipped file.
"""

from __future__ import annotations

import re
import stat
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from annotator.core.errors import Problem
from annotator.core.import_limits import DEFAULT_LIMITS, MB, SMALL_MEMBER, ImportLimits, megabytes
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
    skipped: str | None = None  # why it is passed over (not a document format...): a Notice


def collect(
    paths: Sequence[str | Path], limits: ImportLimits = DEFAULT_LIMITS
) -> Iterator[SourceFile | Problem | Notice]:
    """Each input file once, read into memory; a Problem for each path or file that cannot be read.

    Exactly one item per file on disk or zip entry (directories aside; a brat ``.ann`` or a type
    system read with its document counts with it): files in folders and zips that are not of a
    document format are passed over with a Notice, and every zip entry that is not read says why
    (an unsafe path, a second entry of the same name, a link, encryption, its size). What is read
    is bounded by ``limits`` (io/limits.py), counted on the bytes actually read.
    """
    archive: zipfile.ZipFile | None = None  # None also when it could not be reopened
    archive_path: Path | None = None
    budget = 0  # what the open zip may still inflate, in bytes
    try:
        for entry in _plan(paths, limits):
            if entry.skipped is not None:
                yield Notice(entry.name, f"skipped: {entry.skipped}")
            elif entry.problem is not None:
                yield Problem(entry.name, entry.problem)
            elif entry.member is None:
                yield _read_file(entry, limits)
            else:
                # Members of one zip come one after another: keep it open until the next one.
                if archive is None or archive_path != entry.path:
                    if archive is not None:
                        archive.close()
                    archive, archive_path = _open_zip(entry.path), entry.path
                    budget = int(limits.max_zip_mb * MB)
                if archive is None:
                    yield Problem(entry.name, "cannot reopen the zip archive")
                else:
                    read = _read_member(archive, entry, limits, budget)
                    if isinstance(read, SourceFile):
                        budget -= len(read.data) + sum(map(len, read.companions.values()))
                    yield read
    finally:
        if archive is not None:
            archive.close()


def count_sources(paths: Sequence[str | Path], limits: ImportLimits = DEFAULT_LIMITS) -> int:
    """How many items collect(paths) will yield, without reading any file."""
    return sum(1 for _ in _plan(paths, limits))


def _plan(paths: Sequence[str | Path], limits: ImportLimits) -> Iterator[_Entry]:
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
            yield from _plan_files(files, seen, limits, explicit=False)
        else:
            yield from _plan_files([path], seen, limits, explicit=True)


def _plan_files(
    files: list[Path], seen: set[Path], limits: ImportLimits, explicit: bool
) -> Iterator[_Entry]:
    present = set(files)
    typesystems: dict[Path, Path | None] = {}
    used = set() if explicit else _typesystems_in_use(files, typesystems)
    for path in files:
        key = path.resolve()
        if key in seen or (not explicit and path.name in SKIPPED_NAMES) or path in used:
            continue
        seen.add(key)
        if path.suffix.lower() == ".zip":
            yield from _plan_zip(path, limits)
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
            yield _Entry(str(path), path, skipped="not a document format")
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


def _plan_zip(path: Path, limits: ImportLimits) -> Iterator[_Entry]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        yield _Entry(str(path), path, problem=f"not a readable zip archive: {exc}")
        return
    readable: dict[str, zipfile.ZipInfo] = {}
    last = {info.filename: info for info in infos}  # what reading a name gives (zipfile, unzip)
    for info in infos:  # the entries that are never read, each with its reason
        name = f"{path}!{info.filename}"
        refusal = _unsafe_entry(info)
        pure = PurePosixPath(info.filename)
        if refusal is None and last[info.filename] is not info:
            refusal = (
                "another entry of the same name follows in the zip (the last one is read, as "
                "unzip would leave it)"
            )
        if refusal is not None:
            yield _Entry(name, path, problem=refusal)
        elif _hidden(pure.parts):
            yield _Entry(name, path, skipped="hidden (a dot file, or macOS metadata)")
        elif pure.name in SKIPPED_NAMES:
            yield _Entry(name, path, skipped="brat's configuration, not a document")
        else:
            readable[info.filename] = info
    members = sorted(readable)
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
    declared = 0  # what the members read so far say they inflate to
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
            yield _Entry(name, path, skipped="not a document format")
        elif (too_big := _declared_too_big(readable[member], limits, declared)) is not None:
            yield _Entry(name, path, problem=too_big)
        else:
            declared += readable[member].file_size
            typesystem = typesystems.get(pure.parent) if suffix == ".xmi" else None
            yield _Entry(
                name, path, member, ann if suffix == ".txt" and ann in names else None, typesystem
            )


def _unsafe_entry(info: zipfile.ZipInfo) -> str | None:
    """Why a zip entry is not read whatever it holds: where it would point, or how it is kept."""
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "unsafe path in the zip: an absolute path"
    if ".." in parts:
        return "unsafe path in the zip: it climbs out of the archive with '..'"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link, not a file"
    if info.flag_bits & 0x1:
        return "encrypted: annotator does not read encrypted zips"
    return None


def _declared_too_big(info: zipfile.ZipInfo, limits: ImportLimits, declared: int) -> str | None:
    """A refusal from what the zip says of a member, before anything is inflated."""
    suffix = PurePosixPath(info.filename).suffix.lower()
    if info.file_size > limits.file_cap(suffix):
        return limits.why_too_big(suffix, info.file_size)
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > SMALL_MEMBER and ratio > limits.max_ratio:
        return (
            f"inflates {ratio:.0f} times its compressed size (more than "
            f"{limits.max_ratio:.0f}): refused as a likely zip bomb"
        )
    if declared + info.file_size > limits.max_zip_mb * MB:
        return _zip_full(limits)
    return None


def _zip_full(limits: ImportLimits) -> str:
    return (
        f"the zip's members add up to more than {megabytes(int(limits.max_zip_mb * MB))} "
        "uncompressed; --max-zip-mb raises the limit"
    )


class _TooBig(Exception):
    """A file or member holds more than it may (its reason)."""


def _read_file(entry: _Entry, limits: ImportLimits) -> SourceFile | Problem:
    try:
        data = _read_disk(entry.path, limits)
        companions = {".ann": _read_disk(Path(entry.ann), limits)} if entry.ann else {}
        if entry.typesystem:
            companions[".typesystem"] = _read_disk(Path(entry.typesystem), limits)
    except OSError as exc:
        return Problem(entry.name, f"cannot read: {exc.strerror or exc}")
    except _TooBig as exc:
        return Problem(entry.name, str(exc))
    return SourceFile(entry.name, data, companions)


def _read_disk(path: Path, limits: ImportLimits) -> bytes:
    """A file's bytes, refused before reading when bigger than it may be (or not a file)."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise _TooBig("not a regular file (a device, a pipe or a socket): nothing to read")
    suffix = path.suffix.lower()
    cap = limits.file_cap(suffix)
    if info.st_size > cap:
        raise _TooBig(limits.why_too_big(suffix, info.st_size))
    with path.open("rb") as file:
        data = file.read(cap + 1)  # it may have grown since
    if len(data) > cap:
        raise _TooBig(limits.why_too_big(suffix, len(data), at_least=True))
    return data


def _open_zip(path: Path) -> zipfile.ZipFile | None:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return None  # it was readable a moment ago, when planned


def _read_member(
    archive: zipfile.ZipFile, entry: _Entry, limits: ImportLimits, budget: int
) -> SourceFile | Problem:
    assert entry.member is not None
    try:
        data = _inflate(archive, entry.member, limits, budget)
        budget -= len(data)
        companions = {".ann": _inflate(archive, entry.ann, limits, budget)} if entry.ann else {}
        if entry.typesystem:
            companions[".typesystem"] = _inflate(archive, entry.typesystem, limits, budget)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, KeyError) as exc:
        return Problem(entry.name, f"cannot read from the zip archive: {exc}")
    except _TooBig as exc:
        return Problem(entry.name, str(exc))
    return SourceFile(entry.name, data, companions)


def _inflate(archive: zipfile.ZipFile, member: str, limits: ImportLimits, budget: int) -> bytes:
    """A member's bytes, read as a stream and stopped at its limit, whatever the zip declares."""
    info = archive.getinfo(member)
    suffix = PurePosixPath(member).suffix.lower()
    cap = limits.file_cap(suffix)
    with archive.open(info) as stream:
        data = stream.read(min(cap, budget) + 1)
    if len(data) > cap:
        raise _TooBig(limits.why_too_big(suffix, len(data), at_least=True))
    if len(data) > budget:
        raise _TooBig(_zip_full(limits))
    if len(data) > SMALL_MEMBER and len(data) > limits.max_ratio * max(info.compress_size, 1):
        raise _TooBig(
            f"inflates more than {limits.max_ratio:.0f} times its compressed size: refused as "
            "a likely zip bomb"
        )
    return data


def _hidden(parts: tuple[str, ...]) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)
