"""Documents and spans as exports write them: plain tuples of the stored values.

Exporting 10,000 articles reads 200,000 spans; building a frozen ``Span`` and ``Document`` for
each, only to take them apart again into JSON or CoNLL lines, cost more than reading them. The
store's bulk export yields these records straight from its rows (``store.documents.records``),
and a writer given ``Document`` objects turns them into records first (``record_of``), so each
format has one implementation.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from annotator.core.model import Document, Suggestion


class SpanRecord(NamedTuple):
    # The fields in the order (and with the names) of a span's JSONL object.
    start: int
    end: int
    label: str
    text: str
    origin: str
    rule: str | None
    rule_version: int | None
    annotator: str | None
    note: str | None
    attributes: dict[str, Any]  # a plain dict, never changed by a writer


class DocumentRecord(NamedTuple):
    id: int | None
    uid: str | None
    title: str
    text: str
    metadata: dict[str, Any]
    status: str
    language: str | None
    # In store order: by start, longer first, then in the order given (the store: label id).
    spans: list[SpanRecord]
    suggestions: tuple[Suggestion, ...]
    # The file it was imported from (export file names use its stem); last, with a default,
    # so positional construction stays valid.
    source: str = ""


def _store_order(span: Any) -> tuple[int, int]:
    return (span.start, -span.end)


def record_of(doc: Document) -> DocumentRecord:
    """The record of a ``Document``; its spans sorted (stably) into store order."""
    spans = [
        SpanRecord(
            s.start,
            s.end,
            s.label,
            s.text,
            s.origin.value,
            s.rule,
            s.rule_version,
            s.annotator,
            s.note,
            dict(s.attributes),
        )
        for s in sorted(doc.spans, key=_store_order)
    ]
    return DocumentRecord(
        doc.id,
        doc.uid,
        doc.title,
        doc.text,
        dict(doc.metadata),
        doc.status.value,
        doc.language,
        spans,
        doc.suggestions,
        doc.source,
    )
