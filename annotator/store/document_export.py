"""Exporting documents: counting those a filter lets through, and streaming them with their
(filtered) spans and suggestions, a chunk at a time."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Row, func, select

from annotator.core.export_record import DocumentRecord
from annotator.core.model import (
    MAIN_LAYER,
    Document,
    DocumentStatus,
    Span,
    Suggestion,
    frozen_mapping,
)
from annotator.store.annotation_rows import spans_by_document, suggestions_by_document
from annotator.store.convert import as_utc
from annotator.store.database import Database
from annotator.store.export_records import CHUNK, document_records
from annotator.store.schema import DocumentRow


@dataclass(frozen=True)
class ExportFilter:
    statuses: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    annotators: tuple[str, ...] = ()
    include_suggestions: bool = False
    origins: tuple[str, ...] = ()  # manual / rule; empty: every span
    # The layer whose spans are written: the main (curated) layer, or an annotator's own.
    layer: int = MAIN_LAYER


_EXPORT_COLUMNS = (
    DocumentRow.id,
    DocumentRow.uid,
    DocumentRow.title,
    DocumentRow.text,
    DocumentRow.source,
    DocumentRow.meta.label("meta"),
    DocumentRow.language,
    DocumentRow.status,
    DocumentRow.imported_at,
)


class DocumentExport:
    """The export half of ``store.documents``: how many, and every one, passing a filter."""

    db: Database

    def count(self, statuses: Sequence[str] = ()) -> int:
        with self.db.sessions() as session:
            stmt = select(func.count(DocumentRow.id))
            if statuses:
                stmt = stmt.where(DocumentRow.status.in_(statuses))
            return session.scalar(stmt) or 0

    def records(self, wanted: ExportFilter, chunk: int = CHUNK) -> Iterator[DocumentRecord]:
        """Every document passing the filter as a plain record (the bulk export read)."""
        return document_records(self.db, wanted, chunk)

    def iterate(self, wanted: ExportFilter, chunk: int = 1000) -> Iterator[Document]:
        """Every document passing the filter, with its (filtered) spans, read a chunk at a time."""
        # (Reading ahead in a thread was tried: the GIL ate the gain.)
        for documents in self._document_chunks(wanted, chunk):
            yield from documents

    def _document_chunks(self, wanted: ExportFilter, chunk: int) -> Iterator[list[Document]]:
        last_id = 0
        while True:
            with self.db.sessions() as session:
                stmt = (
                    select(*_EXPORT_COLUMNS)
                    .where(DocumentRow.id > last_id)
                    .order_by(DocumentRow.id)
                    .limit(chunk)
                )
                if wanted.statuses:
                    stmt = stmt.where(DocumentRow.status.in_(wanted.statuses))
                rows = session.connection().execute(stmt).all()
                if not rows:
                    return
                ids = [row.id for row in rows]
                spans = spans_by_document(session, ids, wanted)
                sugs = (
                    suggestions_by_document(session, ids, wanted)
                    if wanted.include_suggestions
                    else {}
                )
            yield [_document_of(row, spans, sugs) for row in rows]
            last_id = ids[-1]


def _document_of(
    row: Row, spans: dict[int, list[Span]], sugs: dict[int, list[Suggestion]]
) -> Document:
    """A Document from a row of ``_EXPORT_COLUMNS`` and its annotations."""
    return Document(
        text=row.text,
        title=row.title,
        source=row.source,
        metadata=frozen_mapping(row.meta),
        language=row.language,
        spans=tuple(spans.get(row.id, ())),
        suggestions=tuple(sugs.get(row.id, ())),
        id=row.id,
        uid=row.uid,
        status=DocumentStatus(row.status),
        imported_at=as_utc(row.imported_at),
    )
