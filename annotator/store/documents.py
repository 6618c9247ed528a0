"""Documents: bulk insert on import, summaries, reading one, streaming many for export."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Iterator, Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from annotator.core.errors import UsageError
from annotator.core.model import Document, DocumentStatus, Span, Suggestion
from annotator.store.convert import as_utc, document_from_row, span_from_row, suggestion_from_row
from annotator.store.schema import AnnotatorRow, ChangeRow, DocumentRow, LabelRow, SpanRow, SuggestionRow, utcnow


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class DocumentSummary:
    """One line of the document list."""

    id: int
    uid: str
    title: str
    status: DocumentStatus
    spans: int
    pending_suggestions: int
    imported_at: datetime | None
    published: str | None
    source: str


@dataclass(frozen=True)
class ExportFilter:
    statuses: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    annotators: tuple[str, ...] = ()
    include_suggestions: bool = False


class DocumentQueries:
    """Mixed into Store."""

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        wanted = list(set(hashes))
        found: set[str] = set()
        with self._sessions() as session:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i:i + 500]
                found.update(session.scalars(select(DocumentRow.sha256).where(DocumentRow.sha256.in_(chunk))))
        return found

    def known_uids(self, uids: Iterable[str]) -> set[str]:
        wanted = [u for u in set(uids) if u]
        found: set[str] = set()
        with self._sessions() as session:
            for i in range(0, len(wanted), 500):
                found.update(session.scalars(select(DocumentRow.uid).where(DocumentRow.uid.in_(wanted[i:i + 500]))))
        return found

    def insert_documents(self, documents: Sequence[Document], *, annotator: str | None) -> list[int]:
        """Insert whole documents with their spans and suggestions in one transaction.

        The caller has checked them (labels known, hashes and uids new, spans valid).
        """
        now = utcnow()
        with self.transaction() as session:
            label_ids = self.label_ids(session)
            annotator_cache: dict[str | None, int | None] = {}

            def annotator_of(name: str | None) -> int | None:
                if name not in annotator_cache:
                    annotator_cache[name] = self.annotator_id(session, name)
                return annotator_cache[name]

            uids = [doc.uid or uuid.uuid4().hex for doc in documents]
            doc_rows = [
                {"uid": uid, "title": doc.title, "text": doc.text,
                 "sha256": text_hash(doc.text), "source": doc.source, "meta": dict(doc.metadata),
                 "language": doc.language, "status": str(doc.status), "imported_at": now}
                for uid, doc in zip(uids, documents)
            ]
            if not doc_rows:
                return []
            returned = session.execute(
                insert(DocumentRow).returning(DocumentRow.id, sort_by_parameter_order=True), doc_rows)
            ids = [row[0] for row in returned]
            span_rows: list[dict] = []
            suggestion_rows: list[dict] = []
            for doc_id, doc in zip(ids, documents):
                for span in doc.spans:
                    span_rows.append({
                        "document_id": doc_id, "start": span.start, "end": span.end,
                        "label_id": label_ids[span.label], "text": span.text, "origin": str(span.origin),
                        "rule": span.rule, "rule_version": span.rule_version,
                        "annotator_id": annotator_of(span.annotator or annotator), "note": span.note,
                        "attributes": dict(span.attributes), "created_at": span.created_at or now,
                        "updated_at": span.updated_at or now,
                    })
                for sug in doc.suggestions:
                    suggestion_rows.append({
                        "document_id": doc_id, "start": sug.start, "end": sug.end,
                        "label_id": label_ids[sug.label], "text": sug.text, "rule": sug.rule,
                        "rule_version": sug.rule_version, "explanation": sug.explanation,
                        "state": str(sug.state), "decided_by": annotator_of(sug.decided_by),
                        "decided_at": sug.decided_at, "created_at": now,
                    })
            if span_rows:
                session.execute(insert(SpanRow), span_rows)
            if suggestion_rows:
                session.execute(insert(SuggestionRow), suggestion_rows)
            annotator_id = annotator_of(annotator)
            log_rows = [
                {"action": "import", "entity": "document", "entity_id": doc_id, "document_id": doc_id,
                 "annotator_id": annotator_id, "at": now, "before": None,
                 "after": {"uid": uid, "title": doc.title, "source": doc.source, "spans": len(doc.spans)}}
                for doc_id, uid, doc in zip(ids, uids, documents)
            ]
            session.execute(insert(ChangeRow), log_rows)
        return ids

    def document_summaries(self) -> list[DocumentSummary]:
        with self._sessions() as session:
            span_counts = dict(session.execute(
                select(SpanRow.document_id, func.count()).group_by(SpanRow.document_id)).all())
            pending_counts = dict(session.execute(
                select(SuggestionRow.document_id, func.count()).where(SuggestionRow.state == "pending")
                .group_by(SuggestionRow.document_id)).all())
            rows = session.execute(select(
                DocumentRow.id, DocumentRow.uid, DocumentRow.title, DocumentRow.status,
                DocumentRow.imported_at, DocumentRow.meta, DocumentRow.source,
            ).order_by(DocumentRow.id))
            return [
                DocumentSummary(
                    id=row.id, uid=row.uid, title=row.title, status=DocumentStatus(row.status),
                    spans=span_counts.get(row.id, 0), pending_suggestions=pending_counts.get(row.id, 0),
                    imported_at=as_utc(row.imported_at), published=(row.meta or {}).get("published"),
                    source=row.source,
                )
                for row in rows
            ]

    def resolve_document(self, ref: str | int) -> int:
        """A document id from an id, a uid, or a unique title prefix."""
        with self._sessions() as session:
            text = str(ref).strip()
            if text.isdigit():
                found = session.scalar(select(DocumentRow.id).where(DocumentRow.id == int(text)))
                if found is not None:
                    return found
            found = session.scalar(select(DocumentRow.id).where(DocumentRow.uid == text))
            if found is not None:
                return found
            matches = list(session.scalars(select(DocumentRow.id).where(DocumentRow.title.startswith(text, autoescape=True)).limit(2)))
            if len(matches) == 1:
                return matches[0]
            if matches:
                raise UsageError(f"document {ref!r}: more than one title starts with it; give the id")
        raise UsageError(f"no document {ref!r} (give an id from `annotator docs`, a uid or a title)")

    def document(self, doc_id: int, *, suggestions: bool = True) -> Document:
        with self._sessions() as session:
            row = session.get(DocumentRow, doc_id)
            if row is None:
                raise UsageError(f"no document with id {doc_id}")
            spans = self._spans_by_document(session, [doc_id]).get(doc_id, ())
            sugs = self._suggestions_by_document(session, [doc_id]).get(doc_id, ()) if suggestions else ()
            return document_from_row(row, tuple(spans), tuple(sugs))

    def document_status(self, doc_id: int) -> DocumentStatus:
        with self._sessions() as session:
            status = session.scalar(select(DocumentRow.status).where(DocumentRow.id == doc_id))
            if status is None:
                raise UsageError(f"no document with id {doc_id}")
            return DocumentStatus(status)

    def set_status(self, doc_id: int, status: DocumentStatus, *, annotator: str | None) -> DocumentStatus:
        with self.transaction() as session:
            row = session.get(DocumentRow, doc_id)
            if row is None:
                raise UsageError(f"no document with id {doc_id}")
            before = row.status
            row.status = str(status)
            self.log(session, "status", "document", entity_id=doc_id, document_id=doc_id,
                     annotator=annotator, before={"status": before}, after={"status": str(status)})
            return DocumentStatus(before)

    def iter_documents(self, wanted: ExportFilter, chunk: int = 500) -> Iterator[Document]:
        """Every document passing the filter, with its (filtered) spans, read a chunk at a time."""
        last_id = 0
        while True:
            with self._sessions() as session:
                stmt = select(DocumentRow).where(DocumentRow.id > last_id).order_by(DocumentRow.id).limit(chunk)
                if wanted.statuses:
                    stmt = stmt.where(DocumentRow.status.in_(wanted.statuses))
                rows = list(session.scalars(stmt))
                if not rows:
                    return
                ids = [row.id for row in rows]
                spans = self._spans_by_document(session, ids, wanted)
                sugs = self._suggestions_by_document(session, ids, wanted) if wanted.include_suggestions else {}
                documents = [document_from_row(row, tuple(spans.get(row.id, ())), tuple(sugs.get(row.id, ())))
                             for row in rows]
            yield from documents
            last_id = ids[-1]

    def count_documents(self, statuses: Sequence[str] = ()) -> int:
        with self._sessions() as session:
            stmt = select(func.count(DocumentRow.id))
            if statuses:
                stmt = stmt.where(DocumentRow.status.in_(statuses))
            return session.scalar(stmt) or 0

    def _spans_by_document(self, session: Session, ids: list[int],
                           wanted: ExportFilter | None = None) -> dict[int, list[Span]]:
        stmt = (
            select(SpanRow, LabelRow.name, AnnotatorRow.name)
            .join(LabelRow, SpanRow.label_id == LabelRow.id)
            .join(AnnotatorRow, SpanRow.annotator_id == AnnotatorRow.id, isouter=True)
            .where(SpanRow.document_id.in_(ids))
            .order_by(SpanRow.document_id, SpanRow.start, SpanRow.end.desc(), LabelRow.position)
        )
        if wanted and wanted.labels:
            stmt = stmt.where(LabelRow.name.in_(wanted.labels))
        if wanted and wanted.annotators:
            stmt = stmt.where(AnnotatorRow.name.in_(wanted.annotators))
        result: dict[int, list[Span]] = {}
        for row, label, annotator in session.execute(stmt):
            result.setdefault(row.document_id, []).append(span_from_row(row, label, annotator))
        return result

    def _suggestions_by_document(self, session: Session, ids: list[int],
                                 wanted: ExportFilter | None = None) -> dict[int, list[Suggestion]]:
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
            result.setdefault(row.document_id, []).append(suggestion_from_row(row, label, decided_by))
        return result
