"""Importing documents: which are known already, and inserting new ones whole (their spans,
suggestions and the log) in one transaction of bulk inserts."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from annotator.core.model import Document
from annotator.store.bulk import LOG_COLUMNS, bulk_insert
from annotator.store.database import Database
from annotator.store.labels import Labels
from annotator.store.schema import (
    ChangeRow,
    DocumentRow,
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
# An import is no undo step: its log rows have no step_id.
IMPORT_LOG_COLUMNS = LOG_COLUMNS[:-1]

AnnotatorOf = Callable[[str | None], int | None]


class DocumentImport:
    """The import half of ``store.documents``: known hashes and uids, and the bulk insert."""

    db: Database
    labels: Labels
    search: Search

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
            annotator_of = self._annotator_ids(session)
            uids = [doc.uid or uuid.uuid4().hex for doc in documents]
            doc_rows = _document_rows(documents, uids, now)
            if not doc_rows:
                return []
            returned = session.execute(
                insert(DocumentRow).returning(DocumentRow.id, sort_by_parameter_order=True),
                doc_rows,
            )
            ids = [row[0] for row in returned]
            self.search.index_new(session, ids)
            span_rows, suggestion_rows = _annotation_rows(
                ids, documents, label_ids, annotator_of, annotator, now
            )
            log_rows = _import_log_rows(ids, uids, documents, annotator_of(annotator), now)
            connection = session.connection()
            bulk_insert(connection, table_of(SpanRow), SPAN_COLUMNS, span_rows)
            bulk_insert(connection, table_of(SuggestionRow), SUGGESTION_COLUMNS, suggestion_rows)
            bulk_insert(connection, table_of(ChangeRow), IMPORT_LOG_COLUMNS, log_rows)
        return ids

    def _annotator_ids(self, session: Session) -> AnnotatorOf:
        """An annotator's id by name (made on first use), each name looked up once."""
        cache: dict[str | None, int | None] = {}

        def annotator_of(name: str | None) -> int | None:
            if name not in cache:
                cache[name] = self.db.annotator_id(session, name)
            return cache[name]

        return annotator_of


def _document_rows(
    documents: Sequence[Document], uids: list[str], now: datetime
) -> list[dict[str, object]]:
    return [
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


def _annotation_rows(
    ids: list[int],
    documents: Sequence[Document],
    label_ids: dict[str, int],
    annotator_of: AnnotatorOf,
    annotator: str | None,
    now: datetime,
) -> tuple[list[tuple], list[tuple]]:
    """The rows of the documents' spans (``SPAN_COLUMNS``) and suggestions
    (``SUGGESTION_COLUMNS``)."""
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
    return span_rows, suggestion_rows


def _import_log_rows(
    ids: list[int],
    uids: list[str],
    documents: Sequence[Document],
    annotator_id: int | None,
    now: datetime,
) -> list[tuple]:
    """One log row (``IMPORT_LOG_COLUMNS``) per imported document."""
    return [
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
    ]
