"""Importing documents: which are known already, and inserting new ones whole (their spans,
suggestions and the log) with plain executemany of tuples, ids numbered in bulk, a chunk of
documents per transaction bounded in time (``BulkWriter``). The full-text index is not touched:
a search catches it up (store.search_index)."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from datetime import datetime
from typing import Any, Self

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from annotator.core.model import Document, SpanOrigin
from annotator.store.bulk import LOG_COLUMNS, bulk_insert, insert_bound
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
from annotator.store.search_index import indexed_to, lock_for_writing
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
DOCUMENT_COLUMNS = (
    "id",
    "uid",
    "title",
    "text",
    "sha256",
    "source",
    "metadata",
    "language",
    "status",
    "imported_at",
)
# An import is no undo step: its log rows have no step_id.
IMPORT_LOG_COLUMNS = LOG_COLUMNS[:-1]

AnnotatorOf = Callable[[str | None], int | None]
# Seconds a chunk of an import may hold the write lock before it is committed.
TIME_BUDGET = 0.5
_LAST_ID = select(func.max(DocumentRow.id))


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
        with self.bulk_writer(annotator=annotator, budget=None) as writer:
            writer.add(documents)
        return writer.stored

    def bulk_writer(
        self, *, annotator: str | None, budget: float | None = TIME_BUDGET
    ) -> BulkWriter:
        """A writer of many documents, committed each time its transaction has held the write
        lock ``budget`` seconds (never, when None, until it is closed)."""
        return BulkWriter(self, annotator, budget)

    def write(
        self,
        session: Session,
        documents: Sequence[Document],
        annotator: str | None,
        hashes: Sequence[str] | None = None,
    ) -> list[int]:
        """Insert checked documents in the session's transaction (plain executemany, ids numbered
        here); their ids. The first write of a transaction takes the write lock before reading."""
        if not documents:
            return []
        now = utcnow()
        connection = session.connection()
        lock_for_writing(connection)
        label_ids = self.labels.ids(session)
        annotator_of = self._annotator_ids(session)
        # Above every document and above the search index's mark: the ids an import makes are
        # exactly the ones the index lacks, even after the last document was deleted.
        last = max(connection.execute(_LAST_ID).scalar() or 0, indexed_to(connection))
        ids = list(range(last + 1, last + 1 + len(documents)))
        uids = [doc.uid or uuid.uuid4().hex for doc in documents]
        bound = _Binder(connection, now)
        insert_bound(
            connection,
            table_of(DocumentRow),
            DOCUMENT_COLUMNS,
            _document_rows(
                ids, documents, uids, hashes or [text_hash(d.text) for d in documents], bound
            ),
        )
        insert_bound(
            connection,
            table_of(SpanRow),
            SPAN_COLUMNS,
            _span_rows(ids, documents, label_ids, annotator_of, annotator, bound),
        )
        bulk_insert(
            connection,
            table_of(SuggestionRow),
            SUGGESTION_COLUMNS,
            _suggestion_rows(ids, documents, label_ids, annotator_of, now),
        )
        insert_bound(
            connection,
            table_of(ChangeRow),
            IMPORT_LOG_COLUMNS,
            _import_log_rows(ids, uids, documents, annotator_of(annotator), bound),
        )
        return ids

    def _annotator_ids(self, session: Session) -> AnnotatorOf:
        """An annotator's id by name (made on first use), each name looked up once."""
        cache: dict[str | None, int | None] = {}

        def annotator_of(name: str | None) -> int | None:
            if name not in cache:
                cache[name] = self.db.annotator_id(session, name)
            return cache[name]

        return annotator_of


class BulkWriter:
    """Documents written a chunk per transaction: the transaction is committed once it has held
    the write lock ``budget`` seconds, so a window on the same file waits at most that long, and
    an interruption keeps every committed chunk whole and loses only the open one."""

    def __init__(self, importer: DocumentImport, annotator: str | None, budget: float | None):
        self._importer = importer
        self._annotator = annotator
        self._budget = budget
        self._stack: ExitStack | None = None
        self._session: Session | None = None
        self._began = 0.0
        self._pending: list[int] = []
        self._pending_spans = 0
        self.stored: list[int] = []
        self.stored_spans = 0

    def add(self, documents: Sequence[Document], hashes: Sequence[str] | None = None) -> None:
        """Write checked documents (with their text hashes when known) into the open chunk
        (opening one), committing it when due."""
        if not documents:
            return
        if self._session is None:
            self._stack = ExitStack()
            self._session = self._stack.enter_context(self._importer.db.bulk_transaction())
            self._began = time.monotonic()
        self._pending += self._importer.write(self._session, documents, self._annotator, hashes)
        self._pending_spans += sum(len(doc.spans) for doc in documents)
        if self._budget is not None and time.monotonic() - self._began >= self._budget:
            self.commit()

    def commit(self) -> None:
        """Commit the open chunk, if any."""
        if self._stack is None:
            return
        stack, self._stack, self._session = self._stack, None, None
        stack.close()
        self.stored += self._pending
        self.stored_spans += self._pending_spans
        self._pending, self._pending_spans = [], 0

    def rollback(self, exc: BaseException) -> None:
        """Drop the open chunk (after an error or an interruption)."""
        if self._stack is None:
            return
        stack, self._stack, self._session = self._stack, None, None
        self._pending, self._pending_spans = [], 0
        stack.__exit__(type(exc), exc, exc.__traceback__)  # rolls back; the caller raises

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: object, exc: BaseException | None, _tb: object) -> None:
        if exc is None:
            self.commit()
        else:
            self.rollback(exc)


class _Binder:
    """The database forms of the values every row repeats (now, {}, None), made once, and the
    dialect's JSON and date converters for the rest."""

    def __init__(self, connection: Connection, now: datetime) -> None:
        dialect = connection.dialect
        spans = table_of(SpanRow)
        self.json = _processor(spans.c.attributes, dialect)
        self.date = _processor(spans.c.created_at, dialect)
        self.log_json = _processor(table_of(ChangeRow).c.after, dialect)
        self.now = self.date(now)
        self.empty = self.json({})
        self.no_log = self.log_json(None)


def _processor(column: Any, dialect: Any) -> Callable[[Any], Any]:
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return process if process is not None else _same


def _same(value: Any) -> Any:
    return value


def _document_rows(
    ids: list[int],
    documents: Sequence[Document],
    uids: list[str],
    hashes: Sequence[str],
    bound: _Binder,
) -> list[tuple]:
    return [
        (
            doc_id,
            uid,
            doc.title,
            doc.text,
            digest,
            doc.source,
            bound.json(dict(doc.metadata)),
            doc.language,
            str(doc.status),
            bound.now,
        )
        for doc_id, uid, doc, digest in zip(ids, uids, documents, hashes, strict=True)
    ]


def _span_rows(
    ids: list[int],
    documents: Sequence[Document],
    label_ids: dict[str, int],
    annotator_of: AnnotatorOf,
    annotator: str | None,
    bound: _Binder,
) -> list[tuple]:
    """The rows (``SPAN_COLUMNS``) of the documents' spans, in their database form."""
    rows: list[tuple] = []
    append = rows.append
    now, empty, json, date = bound.now, bound.empty, bound.json, bound.date
    origins = {origin: str(origin) for origin in SpanOrigin}
    importer = annotator_of(annotator)  # most spans name no annotator of their own
    for doc_id, doc in zip(ids, documents, strict=True):
        for span in doc.spans:
            append(
                (
                    doc_id,
                    span.start,
                    span.end,
                    label_ids[span.label],
                    span.text,
                    origins[span.origin],
                    span.rule,
                    span.rule_version,
                    annotator_of(span.annotator) if span.annotator else importer,
                    span.note,
                    json(dict(span.attributes)) if span.attributes else empty,
                    date(span.created_at) if span.created_at else now,
                    date(span.updated_at) if span.updated_at else now,
                )
            )
    return rows


def _suggestion_rows(
    ids: list[int],
    documents: Sequence[Document],
    label_ids: dict[str, int],
    annotator_of: AnnotatorOf,
    now: datetime,
) -> list[tuple]:
    """The rows (``SUGGESTION_COLUMNS``) of the documents' suggestions (few: bulk_insert binds)."""
    return [
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
        for doc_id, doc in zip(ids, documents, strict=True)
        for sug in doc.suggestions
    ]


def _import_log_rows(
    ids: list[int],
    uids: list[str],
    documents: Sequence[Document],
    annotator_id: int | None,
    bound: _Binder,
) -> list[tuple]:
    """One log row (``IMPORT_LOG_COLUMNS``) per imported document, in its database form."""
    action, entity = str(Action.IMPORT), str(Entity.DOCUMENT)
    return [
        (
            action,
            entity,
            doc_id,
            doc_id,
            annotator_id,
            bound.now,
            bound.no_log,
            bound.log_json(
                {
                    "uid": uid,
                    "title": doc.title,
                    "source": doc.source,
                    "spans": len(doc.spans),
                }
            ),
        )
        for doc_id, uid, doc in zip(ids, uids, documents, strict=True)
    ]
