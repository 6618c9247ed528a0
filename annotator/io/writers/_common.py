"""What several writers share: file names for documents, the outermost-span choice, notices."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from annotator.core.export_record import DocumentRecord, record_of
from annotator.core.model import Document, Label
from annotator.io.base import ExportOptions, ExportResult, RecordWriter, Writer

_UNSAFE = re.compile(r"[^\w.-]+")
_MAX_STEM = 120
_MAX_SLUG = 80
# Files that hold one document each: such a document is named after its file (a .tsv only
# when it was WebAnno TSV: a CSV or CoNLL .tsv holds many).
_ONE_DOCUMENT_SUFFIXES = (".txt", ".text", ".html", ".htm", ".xhtml", ".xmi")
_ONE_DOCUMENT_FORMATS = {".tsv": "webanno-tsv3"}
# Names Windows refuses whatever the suffix.
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)]
)

T = TypeVar("T")


class DocumentNames:
    """Safe, unique file stems for documents, the same on every export of a database and after
    a round trip: the stem of the file it came from (``foo.txt`` exports as ``foo``), else a
    slug of its title (``jokowi-tiba-di-solo``), else ``doc-<uid>`` (or ``doc-<id>``,
    ``doc-<n>``). Clashes get ``-2``, ``-3``... in export order."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def stem(self, doc: Document | DocumentRecord, index: int) -> str:
        """The file stem for ``doc``, the ``index``-th document (from 1) of the export."""
        base = _from_source(doc) or _slug(doc.title) or _from_id(doc, index)
        stem, n = base, 1
        # Case-insensitive, so the folder also works on Windows and macOS file systems.
        while stem.casefold() in self._used:
            n += 1
            stem = f"{base}-{n}"
        self._used.add(stem.casefold())
        return stem


def _safe(name: str, limit: int = _MAX_STEM) -> str:
    """``name`` as a file stem on any system: letters, digits, ``.``, ``-``, ``_`` only."""
    safe = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip("._-")[:limit]
    safe = safe.rstrip("._-")
    if safe.split(".", 1)[0].casefold() in _RESERVED:
        safe = "_" + safe
    return safe


def _from_source(doc: Document | DocumentRecord) -> str:
    name = doc.source.rsplit("!", 1)[-1].replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = name.rpartition(".")
    suffix = f".{suffix.lower()}"
    one_document = suffix in _ONE_DOCUMENT_SUFFIXES or (
        suffix in _ONE_DOCUMENT_FORMATS
        and doc.metadata.get("format") == _ONE_DOCUMENT_FORMATS[suffix]
    )
    return _safe(stem) if dot and one_document else ""


def _slug(title: str) -> str:
    words = re.findall(r"\w+", unicodedata.normalize("NFC", title).casefold())
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > _MAX_SLUG:
            break
        slug = longer
    return _safe(slug or "-".join(words)[:_MAX_SLUG], _MAX_SLUG)


def _from_id(doc: Document | DocumentRecord, index: int) -> str:
    key = doc.uid if doc.uid else (str(doc.id) if doc.id is not None else "")
    return "doc-" + (_safe(key) or f"{index:06d}")


def outermost(items: Sequence[T], bounds: Callable[[T], tuple[int, int]]) -> tuple[list[T], int]:
    """Non-overlapping items, longest first then earliest, in order; and how many were left out."""
    ranked = sorted(range(len(items)), key=lambda i: _rank(bounds(items[i]), i))
    starts: list[int] = []  # the kept intervals are disjoint, so sorted starts give sorted ends
    ends: list[int] = []
    kept: list[int] = []
    for i in ranked:
        start, end = bounds(items[i])
        at = bisect_right(starts, start)
        if (at > 0 and ends[at - 1] > start) or (at < len(starts) and starts[at] < end):
            continue
        starts.insert(at, start)
        ends.insert(at, end)
        kept.append(i)
    kept.sort(key=lambda i: bounds(items[i]))
    return [items[i] for i in kept], len(items) - len(kept)


def _rank(span: tuple[int, int], index: int) -> tuple[int, int, int]:
    return (span[0] - span[1], span[0], index)


def suggestions_ignored(fmt: str, options: ExportOptions) -> list[str]:
    """The warning for formats that have no place for suggestions."""
    if options.include_suggestions:
        return [f"suggestions are not part of the {fmt} format and were left out (use jsonl)"]
    return []


_WHITESPACE = re.compile(r"\s+")


def without_whitespace(name: str) -> str:
    """``name`` with whitespace runs as ``_``: for formats where whitespace separates fields."""
    return _WHITESPACE.sub("_", name.strip()) or "_"


def writer_of_documents(write_records: RecordWriter) -> Writer:
    """The ``write`` of a format written from plain records: each Document made a record."""

    def write(
        documents: Iterable[Document],
        labels: Sequence[Label],
        out: Path,
        options: ExportOptions,
    ) -> ExportResult:
        return write_records(map(record_of, documents), labels, out, options)

    return write
