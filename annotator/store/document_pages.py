"""The document list a page at a time: the ordered ids of the documents a filter keeps (one query,
plain ints), and the list lines of a page of ids (counts computed for those rows only).

The navigator shows 100,000 documents without reading 100,000 summaries: the count and the ids
come first, then each page's lines when the view first asks for a row of it. Filtering and
sorting are SQL; ties keep import order (the id) in both directions, as Python's stable sort did.
Sorting by the counts computes each document's count in the query (an index probe each), so it
costs more than the other orders on a big corpus.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from annotator.core.errors import UsageError
from annotator.core.model import DocumentStatus, SuggestionState
from annotator.store.database import Database
from annotator.store.document_list import DocumentList, DocumentSummary

CHUNK = 500  # ids per IN (...) list


class DocumentOrder(StrEnum):
    """What the document list can be sorted by."""

    IMPORT = "import"  # the id: the order documents came in
    TITLE = "title"  # case folded
    DATE = "date"  # the publication date when ISO, else the import time (UTC)
    STATUS = "status"  # new, in progress, done
    SPANS = "spans"
    PENDING = "pending"  # pending suggestions no span of their label covers (the list's column)


@dataclass(frozen=True)
class DocumentQuery:
    """Which documents, in which order: every field narrows, empty fields do not."""

    title: str = ""  # a substring of the title, any case
    statuses: tuple[str, ...] = ()
    order: DocumentOrder = DocumentOrder.IMPORT
    descending: bool = False


def fold(value: str | None) -> str:
    return "" if value is None else value.casefold()


_STATUS_RANK = " ".join(
    f"WHEN '{status.value}' THEN {rank}" for rank, status in enumerate(DocumentStatus)
)
_PUBLISHED = "json_extract(d.metadata, '$.published')"
_PENDING = SuggestionState.PENDING.value
# A pending suggestion is covered when a span of its label overlaps it (store.document_list's
# _covering, written out: these queries run on the driver for plain tuples). Only spans starting
# at most the label's longest span before it can overlap it. Suggestions are the main layer's.
_COVERED = (
    "EXISTS (SELECT 1 FROM spans p WHERE p.document_id = g.document_id AND p.layer = 0 "
    'AND p.label_id = g.label_id AND p.start < g."end" AND p."end" > g.start '
    'AND p.start >= g.start - (SELECT max(q."end" - q.start) FROM spans q '
    "WHERE q.document_id = g.document_id AND q.label_id = g.label_id))"
)
_SORT_KEYS = {
    DocumentOrder.IMPORT: None,
    DocumentOrder.TITLE: "nav_fold(d.title)",
    # ISO publication dates and the stored import time ('YYYY-MM-DD HH:MM:SS') compare as text.
    DocumentOrder.DATE: (
        f"CASE WHEN {_PUBLISHED} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
        f"THEN replace({_PUBLISHED}, 'T', ' ') ELSE d.imported_at END"
    ),
    DocumentOrder.STATUS: f"CASE d.status {_STATUS_RANK} ELSE 0 END",
    DocumentOrder.SPANS: "(SELECT count(*) FROM spans s WHERE s.document_id = d.id)",
    DocumentOrder.PENDING: (
        "(SELECT count(*) FROM suggestions g WHERE g.document_id = d.id "
        f"AND g.state = '{_PENDING}' AND NOT {_COVERED})"
    ),
}


# PostgreSQL: lower() folds case by the database's locale; the date is migration 0008's function.
_PG_SORT_KEYS = {
    **_SORT_KEYS,
    DocumentOrder.TITLE: "lower(d.title)",
    DocumentOrder.DATE: "annotator_document_date(d.metadata, d.imported_at)",
}


def _where(query: DocumentQuery, params: dict[str, Any], postgresql: bool = False) -> str:
    """The WHERE clause of a query (user text only as parameters)."""
    conditions = []
    needle = query.title.strip()
    if needle and postgresql:
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["title"] = f"%{escaped}%"
        conditions.append("d.title ILIKE :title ESCAPE '\\'")
    elif needle and needle.isascii():
        # SQLite's LIKE ignores ASCII case, in C: the common case costs no Python call per row.
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["title"] = f"%{escaped}%"
        conditions.append("d.title LIKE :title ESCAPE '\\'")
    elif needle:
        params["title"] = needle.casefold()
        conditions.append("instr(nav_fold(d.title), :title) > 0")
    if query.statuses:
        names = []
        for i, status in enumerate(query.statuses):
            params[f"status{i}"] = status
            names.append(f":status{i}")
        conditions.append(f"d.status IN ({', '.join(names)})")
    return f"WHERE {' AND '.join(conditions)}" if conditions else ""


def _order_by(query: DocumentQuery, postgresql: bool = False) -> str:
    key = (_PG_SORT_KEYS if postgresql else _SORT_KEYS)[query.order]
    direction = "DESC" if query.descending else "ASC"
    if key is None and query.title:
        # "+": not the table's rowid order, so a title filter may scan an index of the titles
        # (a few MB) instead of every row of the table (hundreds of MB of text around them).
        return f"ORDER BY +d.id {direction}"
    if key is None:
        return f"ORDER BY d.id {direction}"
    return f"ORDER BY {key} {direction}, d.id"


def ids_sql(query: DocumentQuery, params: dict[str, Any], postgresql: bool = False) -> str:
    """The SELECT of a query's ordered ids (its parameters put in ``params``)."""
    where = _where(query, params, postgresql)
    return f"SELECT d.id FROM documents d {where} {_order_by(query, postgresql)}"


def _rows(connection: Connection, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The rows of ``sql``: through the SQLite driver for plain tuples, else through SQLAlchemy."""
    if connection.dialect.name != "sqlite":
        return [tuple(row) for row in connection.execute(text(sql), params)]
    return _driver(connection).execute(sql, params).fetchall()


def _driver(connection: Connection) -> sqlite3.Connection:
    """The SQLite connection under SQLAlchemy's (100,000 ids as plain tuples), with the folding
    function the queries call registered on it (SQLite's lower() is ASCII only)."""
    raw = connection.connection.dbapi_connection
    if not isinstance(raw, sqlite3.Connection):
        raise UsageError("the document list needs a SQLite database")
    raw.create_function("nav_fold", 1, fold, deterministic=True)
    return raw


class DocumentPages:
    """The document list of the whole corpus: count, ordered ids, a page of lines."""

    def __init__(self, db: Database, documents: DocumentList) -> None:
        self.db = db
        self._documents = documents

    def count(self, query: DocumentQuery) -> int:
        params: dict[str, Any] = {}
        with self.db.sessions() as session:
            connection = self.db.core(session)
            where = _where(query, params, connection.dialect.name == "postgresql")
            ((total,),) = _rows(connection, f"SELECT count(*) FROM documents d {where}", params)
            return int(total)

    def ids(self, query: DocumentQuery, limit: int | None = None) -> list[int]:
        """The ids the query keeps, in its order; the first ``limit`` of them when given."""
        params: dict[str, Any] = {}
        with self.db.sessions() as session:
            connection = self.db.core(session)
            sql = ids_sql(query, params, connection.dialect.name == "postgresql")
            if limit is not None:
                sql += " LIMIT :limit"
                params["limit"] = limit
            return [row[0] for row in _rows(connection, sql, params)]

    def summaries(self, ids: Sequence[int]) -> list[DocumentSummary]:
        """The list lines of these documents, in the given order (a missing id is left out)."""
        found: dict[int, DocumentSummary] = {}
        for i in range(0, len(ids), CHUNK):
            for summary in self._documents.summaries_of(ids[i : i + CHUNK]):
                found[summary.id] = summary
        return [found[doc_id] for doc_id in ids if doc_id in found]
