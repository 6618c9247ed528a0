"""The document list: each document's line (its counts of spans and of pending suggestions, fresh
and covered), and which pending suggestions of a document are still work."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, bindparam, case, func, select
from sqlalchemy.orm import aliased

from annotator.core.model import MAIN_LAYER, DocumentStatus, SuggestionState
from annotator.store.convert import as_utc
from annotator.store.database import Database
from annotator.store.schema import DocumentRow, SpanRow, SuggestionRow


@dataclass(frozen=True)
class DocumentSummary:
    """One line of the document list."""

    id: int
    uid: str
    title: str
    status: DocumentStatus
    spans: int
    pending_suggestions: int  # fresh work: not covered by a span of their label
    imported_at: datetime | None
    published: str | None
    source: str
    covered_suggestions: int = 0  # pending, but overlapping a span of their label: not work


class DocumentList:
    """The list half of ``store.documents``: summaries, and the pending suggestions still work."""

    db: Database

    def summaries(self, doc_id: int | None = None) -> list[DocumentSummary]:
        """Every document's list line, in import order; or only ``doc_id``'s (cheap: counts by
        index)."""
        queries = _SUMMARY_ALL if doc_id is None else _SUMMARY_ONE
        return self._summaries(queries, {"doc_id": doc_id})

    def summaries_of(self, doc_ids: Sequence[int]) -> list[DocumentSummary]:
        """The list lines of these documents (a page of the navigator), in import order."""
        if not doc_ids:
            return []
        return self._summaries(_SUMMARY_SOME, {"doc_ids": list(doc_ids)})

    def _summaries(self, queries: _SummaryQueries, params: dict[str, Any]) -> list[DocumentSummary]:
        with self.db.sessions() as session:
            connection = self.db.core(session)
            span_counts = dict(connection.execute(queries.spans, params).all())
            pending = {
                row[0]: (row[1], row[2]) for row in connection.execute(queries.pending, params)
            }
            rows = connection.execute(queries.documents, params)
            return [
                DocumentSummary(
                    id=row.id,
                    uid=row.uid,
                    title=row.title,
                    status=DocumentStatus(row.status),
                    spans=span_counts.get(row.id, 0),
                    pending_suggestions=pending.get(row.id, (0, 0))[0]
                    - pending.get(row.id, (0, 0))[1],
                    imported_at=as_utc(row.imported_at),
                    published=(row.meta or {}).get("published"),
                    source=row.source,
                    covered_suggestions=pending.get(row.id, (0, 0))[1],
                )
                for row in rows
            ]

    def fresh_pending_ids(self, doc_id: int) -> list[int]:
        """Ids of the document's pending suggestions no span of their label overlaps, in reading
        order."""
        with self.db.sessions() as session:
            return list(self.db.core(session).scalars(_FRESH_PENDING, {"doc_id": doc_id}))


def _covering() -> ColumnElement[bool]:
    """Whether a span of a suggestion's label overlaps it (an equal one included).

    Only spans starting in [start - longest, end) can overlap it, longest being the longest span
    of its label in its document (one seek in ix_spans_document_label_length): the probe reads
    those few entries of the spans index, not every span before the suggestion, which took a
    second per summary on an article of 15,000 spans.
    """
    longer = aliased(SpanRow)
    longest = (
        select(func.max(longer.end - longer.start))
        .where(
            longer.document_id == SuggestionRow.document_id,
            longer.label_id == SuggestionRow.label_id,
        )
        .correlate(SuggestionRow)
        .scalar_subquery()
    )
    return (
        select(SpanRow.id)
        .where(
            SpanRow.document_id == SuggestionRow.document_id,
            # Suggestions are the main layer's (core.model.MAIN_LAYER).
            SpanRow.layer == MAIN_LAYER,
            SpanRow.start >= SuggestionRow.start - longest,
            SpanRow.start < SuggestionRow.end,
            SpanRow.end > SuggestionRow.start,
            SpanRow.label_id == SuggestionRow.label_id,
        )
        .exists()
    )


@dataclass(frozen=True)
class _SummaryQueries:
    spans: Select  # (document id, spans)
    pending: Select  # (document id, pending suggestions, covered ones among them)
    documents: Select


def _summary_queries(which: str) -> _SummaryQueries:
    """Queries for every document ("all"), one ("one": ``doc_id``), or some ("some":
    ``doc_ids``)."""
    # The document's own counts are its main layer's (an annotator's layer is theirs alone).
    spans = (
        select(SpanRow.document_id, func.count())
        .where(SpanRow.layer == MAIN_LAYER)
        .group_by(SpanRow.document_id)
    )
    pending = (
        select(SuggestionRow.document_id, func.count(), func.count(case((_covering(), 1))))
        .where(SuggestionRow.state == SuggestionState.PENDING)
        .group_by(SuggestionRow.document_id)
    )
    documents = select(
        DocumentRow.id,
        DocumentRow.uid,
        DocumentRow.title,
        DocumentRow.status,
        DocumentRow.imported_at,
        DocumentRow.meta.label("meta"),
        DocumentRow.source,
    ).order_by(DocumentRow.id)
    if which == "one":
        doc_id = bindparam("doc_id", type_=Integer)
        spans = spans.where(SpanRow.document_id == doc_id)
        pending = pending.where(SuggestionRow.document_id == doc_id)
        documents = documents.where(DocumentRow.id == doc_id)
    elif which == "some":
        spans = spans.where(SpanRow.document_id.in_(bindparam("doc_ids", expanding=True)))
        # The state written as an expression: SQLite would otherwise read the (large) state index
        # of every pending suggestion in the corpus instead of the page's documents' (0.27 s a
        # page on 1.4 million suggestions, 20 ms by document).
        pending = (
            select(SuggestionRow.document_id, func.count(), func.count(case((_covering(), 1))))
            .where(
                SuggestionRow.state.concat("") == SuggestionState.PENDING.value,
                SuggestionRow.document_id.in_(bindparam("doc_ids", expanding=True)),
            )
            .group_by(SuggestionRow.document_id)
        )
        documents = documents.where(DocumentRow.id.in_(bindparam("doc_ids", expanding=True)))
    return _SummaryQueries(spans, pending, documents)


# Built once: building these statements costs more than running them for one document.
_SUMMARY_ALL, _SUMMARY_ONE, _SUMMARY_SOME = (
    _summary_queries("all"),
    _summary_queries("one"),
    _summary_queries("some"),
)
_FRESH_PENDING = (
    select(SuggestionRow.id)
    .where(
        SuggestionRow.document_id == bindparam("doc_id"),
        SuggestionRow.state == SuggestionState.PENDING,
        ~_covering(),
    )
    .order_by(SuggestionRow.start, SuggestionRow.end.desc(), SuggestionRow.id)
)
