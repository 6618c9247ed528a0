"""Documents: bulk insert on import, summaries, reading one, streaming many for export."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Text,
    bindparam,
    case,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session, aliased

from annotator.core.errors import UsageError
from annotator.core.model import (
    Document,
    DocumentStatus,
    Span,
    SpanBrief,
    SpanOrigin,
    Suggestion,
    SuggestionBrief,
    SuggestionState,
    frozen_mapping,
)
from annotator.store.bulk import bulk_insert
from annotator.store.convert import as_utc, document_from_row, fast_span, suggestion_from_row
from annotator.store.database import Database
from annotator.store.labels import Labels
from annotator.store.schema import (
    AnnotatorRow,
    ChangeRow,
    DocumentRow,
    LabelRow,
    SpanRow,
    SuggestionRow,
    table_of,
    utcnow,
)
from annotator.store.search import Search
from annotator.store.states import Action, Entity


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


SPAN_COLUMNS = (
    "document_id",
    "start",
    "end",
    "label_id",
    "text",
    "origin",
    "rule",
    "rule_version",
    "annotator_id",
    "note",
    "attributes",
    "created_at",
    "updated_at",
)
SUGGESTION_COLUMNS = (
    "document_id",
    "start",
    "end",
    "label_id",
    "text",
    "rule",
    "rule_version",
    "explanation",
    "state",
    "decided_by",
    "decided_at",
    "created_at",
)
LOG_COLUMNS = (
    "action",
    "entity",
    "entity_id",
    "document_id",
    "annotator_id",
    "at",
    "before",
    "after",
)


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


@dataclass(frozen=True)
class ExportFilter:
    statuses: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    annotators: tuple[str, ...] = ()
    include_suggestions: bool = False
    origins: tuple[str, ...] = ()  # manual / rule; empty: every span


class Documents:
    """The documents: bulk insert on import, summaries, reading one, streaming many for export."""

    def __init__(self, db: Database, labels: Labels, search: Search) -> None:
        self.db = db
        self.labels = labels
        self.search = search

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        wanted = list(set(hashes))
        found: set[str] = set()
        with self.db.sessions() as session:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                found.update(
                    session.scalars(select(DocumentRow.sha256).where(DocumentRow.sha256.in_(chunk)))
                )
        return found

    def known_uids(self, uids: Iterable[str]) -> set[str]:
        wanted = [u for u in set(uids) if u]
        found: set[str] = set()
        with self.db.sessions() as session:
            for i in range(0, len(wanted), 500):
                found.update(
                    session.scalars(
                        select(DocumentRow.uid).where(DocumentRow.uid.in_(wanted[i : i + 500]))
                    )
                )
        return found

    def insert(self, documents: Sequence[Document], *, annotator: str | None) -> list[int]:
        """Insert whole documents with their spans and suggestions in one transaction.

        The caller has checked them (labels known, hashes and uids new, spans valid).
        """
        now = utcnow()
        with self.db.transaction() as session:
            label_ids = self.labels.ids(session)
            annotator_cache: dict[str | None, int | None] = {}

            def annotator_of(name: str | None) -> int | None:
                if name not in annotator_cache:
                    annotator_cache[name] = self.db.annotator_id(session, name)
                return annotator_cache[name]

            uids = [doc.uid or uuid.uuid4().hex for doc in documents]
            doc_rows = [
                {
                    "uid": uid,
                    "title": doc.title,
                    "text": doc.text,
                    "sha256": text_hash(doc.text),
                    "source": doc.source,
                    "meta": dict(doc.metadata),
                    "language": doc.language,
                    "status": str(doc.status),
                    "imported_at": now,
                }
                for uid, doc in zip(uids, documents, strict=True)
            ]
            if not doc_rows:
                return []
            returned = session.execute(
                insert(DocumentRow).returning(DocumentRow.id, sort_by_parameter_order=True),
                doc_rows,
            )
            ids = [row[0] for row in returned]
            self.search.index_new(session, ids)
            span_rows: list[tuple] = []
            suggestion_rows: list[tuple] = []
            for doc_id, doc in zip(ids, documents, strict=True):
                for span in doc.spans:
                    span_rows.append(
                        (
                            doc_id,
                            span.start,
                            span.end,
                            label_ids[span.label],
                            span.text,
                            str(span.origin),
                            span.rule,
                            span.rule_version,
                            annotator_of(span.annotator or annotator),
                            span.note,
                            dict(span.attributes),
                            span.created_at or now,
                            span.updated_at or now,
                        )
                    )
                for sug in doc.suggestions:
                    suggestion_rows.append(
                        (
                            doc_id,
                            sug.start,
                            sug.end,
                            label_ids[sug.label],
                            sug.text,
                            sug.rule,
                            sug.rule_version,
                            sug.explanation,
                            str(sug.state),
                            annotator_of(sug.decided_by),
                            sug.decided_at,
                            now,
                        )
                    )
            annotator_id = annotator_of(annotator)
            connection = session.connection()
            bulk_insert(connection, table_of(SpanRow), SPAN_COLUMNS, span_rows)
            bulk_insert(connection, table_of(SuggestionRow), SUGGESTION_COLUMNS, suggestion_rows)
            bulk_insert(
                connection,
                table_of(ChangeRow),
                LOG_COLUMNS,
                [
                    (
                        Action.IMPORT,
                        Entity.DOCUMENT,
                        doc_id,
                        doc_id,
                        annotator_id,
                        now,
                        None,
                        {
                            "uid": uid,
                            "title": doc.title,
                            "source": doc.source,
                            "spans": len(doc.spans),
                        },
                    )
                    for doc_id, uid, doc in zip(ids, uids, documents, strict=True)
                ],
            )
        return ids

    def summaries(self, doc_id: int | None = None) -> list[DocumentSummary]:
        """Every document's list line, in import order; or only ``doc_id``'s (cheap: counts by
        index)."""
        queries = _SUMMARY_ALL if doc_id is None else _SUMMARY_ONE
        params = {"doc_id": doc_id}
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

    def resolve(self, ref: str | int) -> int:
        """A document id from an id, a uid, or a unique title prefix."""
        with self.db.sessions() as session:
            text = str(ref).strip()
            if text.isdigit():
                found = session.scalar(select(DocumentRow.id).where(DocumentRow.id == int(text)))
                if found is not None:
                    return found
            found = session.scalar(select(DocumentRow.id).where(DocumentRow.uid == text))
            if found is not None:
                return found
            matches = list(
                session.scalars(
                    select(DocumentRow.id)
                    .where(DocumentRow.title.startswith(text, autoescape=True))
                    .limit(2)
                )
            )
            if len(matches) == 1:
                return matches[0]
            if matches:
                raise UsageError(
                    f"document {ref!r}: more than one title starts with it; give the id"
                )
        raise UsageError(
            f"no document {ref!r} (give an id from `annotator docs`, a uid or a title)"
        )

    def get(self, doc_id: int, *, suggestions: bool = True) -> Document:
        with self.db.sessions() as session:
            row = session.get(DocumentRow, doc_id)
            if row is None:
                raise UsageError(f"no document with id {doc_id}")
            spans = self._spans_by_document(session, [doc_id]).get(doc_id, ())
            sugs = (
                self._suggestions_by_document(session, [doc_id]).get(doc_id, ())
                if suggestions
                else ()
            )
            return document_from_row(row, tuple(spans), tuple(sugs))

    def alone(self, doc_id: int) -> Document:
        """A document's text and metadata, without its spans and suggestions."""
        with self.db.sessions() as session:
            row = session.get(DocumentRow, doc_id)
            if row is None:
                raise UsageError(f"no document with id {doc_id}")
            return document_from_row(row, (), ())

    def annotations_brief(self, doc_id: int) -> tuple[list[SpanBrief], list[SuggestionBrief]]:
        """A document's spans and pending suggestions as plain tuples, in reading order (for the
        window)."""
        with self.db.sessions() as session:
            connection = session.connection()
            spans = connection.execute(
                select(
                    SpanRow.id,
                    SpanRow.start,
                    SpanRow.end,
                    LabelRow.name,
                    SpanRow.text,
                    SpanRow.origin,
                    SpanRow.rule,
                )
                .join(LabelRow, SpanRow.label_id == LabelRow.id)
                .where(SpanRow.document_id == doc_id)
                .order_by(SpanRow.start, SpanRow.end.desc(), SpanRow.label_id)
            ).all()
            pending = connection.execute(
                select(
                    SuggestionRow.id,
                    SuggestionRow.start,
                    SuggestionRow.end,
                    LabelRow.name,
                    SuggestionRow.text,
                    SuggestionRow.rule,
                    func.coalesce(SuggestionRow.explanation, ""),
                )
                .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
                .where(
                    SuggestionRow.document_id == doc_id,
                    SuggestionRow.state == SuggestionState.PENDING,
                )
                .order_by(SuggestionRow.start, SuggestionRow.end.desc())
            ).all()
            return list(map(SpanBrief._make, spans)), list(map(SuggestionBrief._make, pending))

    def text(self, doc_id: int) -> str:
        with self.db.sessions() as session:
            return self.db.text(self.db.core(session), doc_id)

    def title(self, doc_id: int) -> str:
        with self.db.sessions() as session:
            title = session.scalar(select(DocumentRow.title).where(DocumentRow.id == doc_id))
            if title is None:
                raise UsageError(f"no document with id {doc_id}")
            return title or f"document {doc_id}"

    def status(self, doc_id: int) -> DocumentStatus:
        with self.db.sessions() as session:
            status = self.db.core(session).scalar(_STATUS, {"doc_id": doc_id})
            if status is None:
                raise UsageError(f"no document with id {doc_id}")
            return DocumentStatus(status)

    def set_status(
        self, doc_id: int, status: DocumentStatus, *, annotator: str | None
    ) -> DocumentStatus:
        with self.db.transaction() as session:
            connection = self.db.core(session)
            # Not the ORM row: that would read the whole text too.
            before = connection.scalar(_STATUS, {"doc_id": doc_id})
            if before is None:
                raise UsageError(f"no document with id {doc_id}")
            connection.execute(_SET_STATUS, {"doc_id": doc_id, "new_status": str(status)})
            self.db.log(
                session,
                Action.STATUS,
                Entity.DOCUMENT,
                entity_id=doc_id,
                document_id=doc_id,
                annotator=annotator,
                before={"status": before},
                after={"status": str(status)},
            )
            return DocumentStatus(before)

    def iterate(self, wanted: ExportFilter, chunk: int = 1000) -> Iterator[Document]:
        """Every document passing the filter, with its (filtered) spans, read a chunk at a time."""
        # (Reading ahead in a thread was tried: the GIL ate the gain.)
        for documents in self._document_chunks(wanted, chunk):
            yield from documents

    def _document_chunks(self, wanted: ExportFilter, chunk: int) -> Iterator[list[Document]]:
        columns = (
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
        last_id = 0
        while True:
            with self.db.sessions() as session:
                stmt = (
                    select(*columns)
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
                spans = self._spans_by_document(session, ids, wanted)
                sugs = (
                    self._suggestions_by_document(session, ids, wanted)
                    if wanted.include_suggestions
                    else {}
                )
            yield [
                Document(
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
                for row in rows
            ]
            last_id = ids[-1]

    def count(self, statuses: Sequence[str] = ()) -> int:
        with self.db.sessions() as session:
            stmt = select(func.count(DocumentRow.id))
            if statuses:
                stmt = stmt.where(DocumentRow.status.in_(statuses))
            return session.scalar(stmt) or 0

    def ids(self) -> list[int]:
        """Every document's id, in import order."""
        with self.db.sessions() as session:
            return list(session.scalars(select(DocumentRow.id).order_by(DocumentRow.id)))

    def suggested_with(self, doc_id: int) -> str | None:
        """The fingerprint of the rules the document's suggestions were last made with."""
        with self.db.sessions() as session:
            return session.scalar(
                select(DocumentRow.suggested_with).where(DocumentRow.id == doc_id)
            )

    def _spans_by_document(
        self, session: Session, ids: list[int], wanted: ExportFilter | None = None
    ) -> dict[int, list[Span]]:
        # Plain columns, no joins (label and annotator names are looked up here), a Core execute:
        # exporting 200,000 spans must take a second or two, not tens.
        label_names = {
            id_: name for id_, name in session.execute(select(LabelRow.id, LabelRow.name))
        }
        annotator_names = {
            id_: name for id_, name in session.execute(select(AnnotatorRow.id, AnnotatorRow.name))
        }
        columns = [
            SpanRow.id,
            SpanRow.document_id,
            SpanRow.start,
            SpanRow.end,
            SpanRow.label_id,
            SpanRow.text,
            SpanRow.origin,
            SpanRow.rule,
            SpanRow.rule_version,
            SpanRow.annotator_id,
            SpanRow.note,
            # raw JSON text, so the common empty "{}" costs no parse
            type_coerce(SpanRow.attributes, Text),
        ]
        bulk = wanted is not None
        if not bulk:
            # Bulk reads (export) skip the timestamps: parsing them is much of the cost.
            columns += [SpanRow.created_at, SpanRow.updated_at]
        stmt = select(*columns).where(SpanRow.document_id.in_(ids))
        if wanted is not None and wanted.labels:
            stmt = stmt.where(
                SpanRow.label_id.in_([i for i, n in label_names.items() if n in wanted.labels])
            )
        if wanted is not None and wanted.annotators:
            stmt = stmt.where(
                SpanRow.annotator_id.in_(
                    [i for i, n in annotator_names.items() if n in wanted.annotators]
                )
            )
        if wanted is not None and wanted.origins:
            stmt = stmt.where(SpanRow.origin.in_(wanted.origins))
        # SQLite sorts in C; ties on one range are ordered by label id (near enough to schema
        # order).
        stmt = stmt.order_by(
            SpanRow.document_id, SpanRow.start, SpanRow.end.desc(), SpanRow.label_id
        )
        rows: Sequence[Sequence[Any]] = session.connection().execute(stmt).all()
        result: dict[int, list[Span]] = {}
        origins = {origin.value: origin for origin in SpanOrigin}
        empty = frozen_mapping({})
        for row in rows:
            attributes = (
                empty if row[11] in (None, "{}", "null") else frozen_mapping(json.loads(row[11]))
            )
            span = fast_span(
                row[2],
                row[3],
                label_names[row[4]],
                row[5],
                origins[row[6]],
                row[7],
                row[8],
                annotator_names.get(row[9]),
                row[10],
                attributes,
                row[0],
                None if bulk else as_utc(row[12]),
                None if bulk else as_utc(row[13]),
            )
            result.setdefault(row[1], []).append(span)
        return result

    def _suggestions_by_document(
        self, session: Session, ids: list[int], wanted: ExportFilter | None = None
    ) -> dict[int, list[Suggestion]]:
        stmt = (
            select(SuggestionRow, LabelRow.name, AnnotatorRow.name)
            .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
            .join(AnnotatorRow, SuggestionRow.decided_by == AnnotatorRow.id, isouter=True)
            .where(SuggestionRow.document_id.in_(ids))
            .order_by(SuggestionRow.document_id, SuggestionRow.start, SuggestionRow.end.desc())
        )
        if wanted and wanted.labels:
            stmt = stmt.where(LabelRow.name.in_(wanted.labels))
        result: dict[int, list[Suggestion]] = {}
        for row, label, decided_by in session.execute(stmt):
            result.setdefault(row.document_id, []).append(
                suggestion_from_row(row, label, decided_by)
            )
        return result


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


def _summary_queries(one: bool) -> _SummaryQueries:
    spans = select(SpanRow.document_id, func.count()).group_by(SpanRow.document_id)
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
    if one:
        doc_id = bindparam("doc_id", type_=Integer)
        spans = spans.where(SpanRow.document_id == doc_id)
        pending = pending.where(SuggestionRow.document_id == doc_id)
        documents = documents.where(DocumentRow.id == doc_id)
    return _SummaryQueries(spans, pending, documents)


# Built once: building these statements costs more than running them for one document.
_STATUS = select(DocumentRow.status).where(DocumentRow.id == bindparam("doc_id"))
_SET_STATUS = (
    update(DocumentRow)
    .where(DocumentRow.id == bindparam("doc_id"))
    .values(status=bindparam("new_status"))
)
_SUMMARY_ALL, _SUMMARY_ONE = _summary_queries(False), _summary_queries(True)
_FRESH_PENDING = (
    select(SuggestionRow.id)
    .where(
        SuggestionRow.document_id == bindparam("doc_id"),
        SuggestionRow.state == SuggestionState.PENDING,
        ~_covering(),
    )
    .order_by(SuggestionRow.start, SuggestionRow.end.desc(), SuggestionRow.id)
)
