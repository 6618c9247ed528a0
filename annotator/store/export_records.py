"""The bulk export read: documents and their spans as plain records, a chunk at a time.

Two Core queries a chunk (the documents, then all their spans with label and annotator names
joined in SQL), no ORM objects, no per-column type processing (JSON columns are read as text
and parsed here, timestamps not read at all), and each row converted once, straight into the
record the writers take. Memory holds one chunk.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, Text, cast, select
from sqlalchemy.engine import Connection

from annotator.core.export_record import DocumentRecord, SpanRecord
from annotator.core.model import Suggestion
from annotator.store.annotation_rows import suggestions_by_document
from annotator.store.database import Database
from annotator.store.schema import AnnotatorRow, DocumentRow, LabelRow, SpanRow

if TYPE_CHECKING:
    from annotator.store.document_export import ExportFilter

# Documents a chunk: 500 articles of ~4 KB and their ~10,000 spans.
CHUNK = 500

_DOCUMENT_COLUMNS = (
    DocumentRow.id,
    DocumentRow.uid,
    DocumentRow.title,
    DocumentRow.text,
    cast(DocumentRow.meta, Text),
    DocumentRow.status,
    DocumentRow.language,
    DocumentRow.source,
)
# document_id first, then SpanRecord's fields in its order (attributes as JSON text).
_SPAN_COLUMNS = (
    SpanRow.document_id,
    SpanRow.start,
    SpanRow.end,
    LabelRow.name,
    SpanRow.text,
    SpanRow.origin,
    SpanRow.rule,
    SpanRow.rule_version,
    AnnotatorRow.name,
    SpanRow.note,
    cast(SpanRow.attributes, Text),
)


def document_records(
    db: Database, wanted: ExportFilter, chunk: int = CHUNK
) -> Iterator[DocumentRecord]:
    """Every document passing ``wanted`` with its (filtered) spans, in id order."""
    last_id = 0
    while True:
        # A short session a chunk (keyset paging): a long export never holds the database open.
        with db.sessions() as session:
            connection = db.core(session)
            stmt = (
                select(*_DOCUMENT_COLUMNS)
                .where(DocumentRow.id > last_id)
                .order_by(DocumentRow.id)
                .limit(chunk)
            )
            if wanted.statuses:
                stmt = stmt.where(DocumentRow.status.in_(wanted.statuses))
            rows = connection.execute(stmt).all()
            if not rows:
                return
            ids = [row[0] for row in rows]
            spans = _spans(connection, ids, wanted)
            sugs: dict[int, list[Suggestion]] = (
                suggestions_by_document(session, ids, wanted) if wanted.include_suggestions else {}
            )
        for doc_id, uid, title, text, meta, status, language, source in rows:
            yield DocumentRecord(
                doc_id,
                uid,
                title,
                text,
                _json_object(meta),
                status,
                language,
                spans.get(doc_id, []),
                tuple(sugs.get(doc_id, ())),
                source or "",
            )
        last_id = ids[-1]


def _span_select(ids: list[int], wanted: ExportFilter) -> Select:
    stmt = (
        select(*_SPAN_COLUMNS)
        .join(LabelRow, SpanRow.label_id == LabelRow.id)
        .join(AnnotatorRow, SpanRow.annotator_id == AnnotatorRow.id, isouter=True)
        .where(SpanRow.document_id.in_(ids), SpanRow.layer == wanted.layer)
    )
    if wanted.labels:
        stmt = stmt.where(LabelRow.name.in_(wanted.labels))
    if wanted.annotators:
        stmt = stmt.where(AnnotatorRow.name.in_(wanted.annotators))
    if wanted.origins:
        stmt = stmt.where(SpanRow.origin.in_(wanted.origins))
    # The order of ix_spans_document_order: SQLite reads it in index order, no sort.
    return stmt.order_by(SpanRow.document_id, SpanRow.start, SpanRow.end.desc(), SpanRow.label_id)


def _spans(
    connection: Connection, ids: list[int], wanted: ExportFilter
) -> dict[int, list[SpanRecord]]:
    by_document: dict[int, list[SpanRecord]] = {}
    rows: Sequence[Any] = connection.execute(_span_select(ids, wanted)).all()
    # The loop runs once a span (200,000 for 10,000 articles): no call but the tuple's own.
    new, loads, empty = tuple.__new__, json.loads, _EMPTY_JSON
    current: int | None = None
    spans: list[SpanRecord] = []
    for row in rows:
        if row[0] != current:  # rows come by document
            current, spans = row[0], []
            by_document[current] = spans
        attributes = row[10]
        spans.append(
            new(SpanRecord, (*row[1:10], {} if attributes in empty else loads(attributes)))
        )
    return by_document


_EMPTY_JSON = ("{}", "null", None)


def _json_object(text: str | None) -> dict[str, Any]:
    # Most spans have no attributes: "{}" costs no parse (and each gets its own dict).
    return {} if text is None or text in _EMPTY_JSON else json.loads(text)
