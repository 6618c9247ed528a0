"""Readers: file bytes to Documents, one reader per format, and format detection."""

from __future__ import annotations

import codecs
from collections.abc import Iterator

from annotator.core.errors import Problem
from annotator.io.base import DEFAULT_READ_OPTIONS, Reader, ReadItem, ReadOptions, SourceFile
from annotator.io.readers.brat import read_brat
from annotator.io.readers.conll import looks_like_conll, read_conll
from annotator.io.readers.conllu import looks_like_conllu, read_conllu
from annotator.io.readers.csv import read_csv
from annotator.io.readers.docbin import read_docbin
from annotator.io.readers.html import read_html
from annotator.io.readers.jsonl import read_jsonl
from annotator.io.readers.news import looks_like_news, read_news
from annotator.io.readers.text import read_txt
from annotator.io.readers.webanno_tsv import looks_like_webanno_tsv, read_webanno_tsv
from annotator.io.readers.xmi import looks_like_uima_json, looks_like_xmi, read_uima_json, read_xmi

READERS: dict[str, Reader] = {
    "txt": read_txt,
    "news": read_news,
    "html": read_html,
    "jsonl": read_jsonl,
    "brat": read_brat,
    "conll": read_conll,
    "xmi": read_xmi,
    "uima-json": read_uima_json,
    "webanno": read_webanno_tsv,
    "conllu": read_conllu,
    "spacy": read_docbin,
    "csv": read_csv,
}

_BY_SUFFIX = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".conll": "conll",
    ".conll03": "conll",
    ".iob": "conll",
    ".iob2": "conll",
    ".bio": "conll",
    ".bioes": "conll",
    ".xmi": "xmi",
    ".conllu": "conllu",
    ".spacy": "spacy",
    ".csv": "csv",
}
# Formats we recognise but do not import; read_source says so instead of misreading them.
UNSUPPORTED = {
    ".xml": "XML (e.g. a UIMA type system)",
    ".pdf": "PDF",
    ".docx": "Word documents",
    ".ann": "a brat .ann file without its .txt",
}
_SNIFF_BYTES = 65536
# Formats whose reader checks every span and suggestion against the text and drops duplicate spans
# itself (records.build_document): an import need not check their documents again.
CHECKED_FORMATS = frozenset({"jsonl"})


def detect_format(source: SourceFile) -> str:
    """A file's format, by extension and content: a READERS key, or a name read_source refuses."""
    if ".ann" in source.companions:
        return "brat"
    suffix = source.suffix
    if suffix in (".json", ".xml"):
        head = _sniff_text(source.data[:_SNIFF_BYTES])
        if suffix == ".json" and looks_like_uima_json(head):
            return "uima-json"
        if suffix == ".xml" and looks_like_xmi(head):
            return "xmi"
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if suffix in UNSUPPORTED:
        return UNSUPPORTED[suffix]
    sample = _sniff_text(source.data[:_SNIFF_BYTES])
    if looks_like_webanno_tsv(sample):
        return "webanno"
    if looks_like_conllu(sample.replace("\r\n", "\n").split("\n")):
        return "conllu"
    if looks_like_conll(sample):
        return "conll"
    if suffix == ".tsv":
        # Not CoNLL nor WebAnno: a table, read as CSV when its first line has columns.
        return "csv" if "\t" in sample.split("\n", 1)[0] else "txt"
    if looks_like_news(sample.replace("\r\n", "\n")):
        return "news"
    return "txt"


def _sniff_text(head: bytes) -> str:
    """The start of a file as text, good enough to recognise a format."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
    return head.decode("utf-8", errors="replace").lstrip("\ufeff")


def read_source(
    source: SourceFile, fmt: str | None = None, options: ReadOptions = DEFAULT_READ_OPTIONS
) -> Iterator[ReadItem]:
    """Read one source with a forced format or the detected one; never raises for bad input."""
    name = fmt or detect_format(source)
    reader = READERS.get(name)
    if reader is None:
        known = ", ".join(READERS)
        yield Problem(source.name, f"{name} is not a format we can import (formats: {known})")
        return
    try:
        yield from reader(source, options)
    except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the batch: report it
        yield Problem(source.name, f"could not read as {name}: {type(exc).__name__}: {exc}")


def reads_checked(source: SourceFile, fmt: str | None = None) -> bool:
    """Whether ``read_source(source, fmt)`` yields only documents whose spans and suggestions lie
    on their text and whose spans have no duplicates (so an import need not check them again)."""
    return (fmt or detect_format(source)) in CHECKED_FORMATS
