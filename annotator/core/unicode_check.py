"""Whether a document's strings can be stored: SQLite takes UTF-8, and a lone surrogate
(``"\\ud83d"`` from a JSON escape, or a file decoded with ``surrogateescape``) has no UTF-8 form.
One such value must refuse its own document with a reason, never end an import in a traceback."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from annotator.core.model import Document


def unencodable_reason(what: str, value: str) -> str | None:
    """Why ``value`` (named ``what`` in the message) has no UTF-8 form, or None."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        char = value[exc.start]
        return (
            f"{what} holds a lone surrogate {ascii(char)[1:-1]} at character {exc.start} "
            "(not valid Unicode; it cannot be stored)"
        )
    return None


def document_encoding_problem(doc: Document) -> str | None:
    """The first string of ``doc`` that cannot be encoded as UTF-8, worded, or None.

    Span and suggestion texts are slices of the text, so the text check covers them."""
    if _quickly_fine(doc):
        return None
    for what, value in _document_strings(doc):
        reason = unencodable_reason(what, value)
        if reason:
            return reason
    return None


def _quickly_fine(doc: Document) -> bool:
    """True when every string encodes, checked in bulk (an import of 200,000 spans pays for
    this). False means: look closer (the slow walk finds and words the reason)."""
    try:
        doc.text.encode("utf-8")
        "".join((doc.title, doc.source, doc.uid or "", doc.language or "")).encode("utf-8")
        labels = {span.label for span in doc.spans} | {sug.label for sug in doc.suggestions}
        "".join(labels).encode("utf-8")
        extras: list[tuple[object, ...]] = [
            (span.note, span.annotator, span.rule, span.attributes)
            for span in doc.spans
            if span.note or span.attributes or span.annotator or span.rule
        ]
        extras.extend((sug.rule, sug.explanation) for sug in doc.suggestions)
        json.dumps([doc.metadata, extras], ensure_ascii=False, default=str).encode("utf-8")
    except (UnicodeEncodeError, TypeError, ValueError):
        return False
    return True


def _document_strings(doc: Document) -> Iterator[tuple[str, str]]:
    yield "the text", doc.text
    yield "the title", doc.title
    yield "the source name", doc.source
    if doc.uid:
        yield "the id", doc.uid
    if doc.language:
        yield "the language", doc.language
    yield from _values("metadata", doc.metadata)
    for number, span in enumerate(doc.spans, 1):
        where = f"span {number} ({span.start}, {span.end})"
        yield f"{where}: the label", span.label
        if span.note:
            yield f"{where}: the note", span.note
        if span.annotator:
            yield f"{where}: the annotator", span.annotator
        if span.rule:
            yield f"{where}: the rule", span.rule
        if span.attributes:
            yield from _values(f"{where}: attributes", span.attributes)
    for number, sug in enumerate(doc.suggestions, 1):
        where = f"suggestion {number} ({sug.start}, {sug.end})"
        yield f"{where}: the label", sug.label
        yield f"{where}: the rule", sug.rule
        yield f"{where}: the explanation", sug.explanation


def _values(where: str, value: Any) -> Iterator[tuple[str, str]]:
    """Every string in a JSON-like value (keys included), each named by its path."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str):
                yield f"{where} key {key!a}", key
            yield from _values(f"{where}[{key!a}]", item)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _values(f"{where}[{index}]", item)
