"""The concordance: every suggestion (any state) and every span made by hand, one line each, with
the text either side, filtered, sorted and read a page at a time.

A span accepted from a suggestion is not a line of its own: its suggestion's line stands for it
(origin "rule" spans are left out). Contexts are cut in SQL (``substr``), so a page never loads
whole documents into Python. Lines are found in two steps: the ordered keys of every line that
matches (one query; only the sort's own expression is computed per row), then the lines of the
keys a page shows (contexts cut for those rows only). Sorting by the left context reads it right
to left (the word nearest the match first) through a function registered on the connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import text
from sqlalchemy.engine import Connection

from annotator.core.errors import UsageError
from annotator.core.model import SpanOrigin, SuggestionState
from annotator.store.database import Database

CONTEXT = 60  # characters of text either side of a match
MANUAL = "manual"  # the state a line of a span made by hand shows
STATES = (*(state.value for state in SuggestionState), MANUAL)
CHUNK = 500  # keys per IN (...) list


class LineKind(StrEnum):
    SUGGESTION = "suggestion"
    SPAN = "span"


class SortKey(StrEnum):
    """What the lines can be sorted by."""

    POSITION = "position"  # document, then place in it
    DOCUMENT = "document"  # title
    RULE = "rule"
    LABEL = "label"
    STATE = "state"
    MATCH = "match"
    LEFT = "left"  # the left context read right to left: the nearest word first
    RIGHT = "right"


@dataclass(frozen=True)
class ConcordanceFilter:
    """Which lines: every field narrows; empty fields do not."""

    rule: str | None = None
    label: str | None = None
    states: tuple[str, ...] = ()  # pending, accepted, rejected, corrected, manual
    text: str = ""  # a substring of the match, any case
    document: int | None = None
    title: str = ""  # a substring of the document's title, any case


class LineKey(NamedTuple):
    """Which line: a suggestion's or a span's id (a tuple: 100,000 of them are made at once)."""

    kind: LineKind
    id: int


@dataclass(frozen=True)
class ConcordanceLine:
    """One line: the match with ``CONTEXT`` characters of the text either side."""

    key: LineKey
    document_id: int
    title: str
    start: int
    end: int
    label: str
    rule: str | None
    state: str
    match: str
    left: str
    right: str


def fold(value: str | None) -> str | None:
    return None if value is None else value.lower()


def right_key(value: str | None) -> str | None:
    """The right context as it sorts: runs of whitespace (newlines too) are one space."""
    return None if value is None else " ".join(value.split()).lower()


def left_key(value: str | None) -> str | None:
    """The left context as it sorts: read right to left, so the word nearest the match first."""
    return None if value is None else " ".join(value.split()).lower()[::-1]


_FUNCTIONS = {"kwic_fold": fold, "kwic_left": left_key, "kwic_right": right_key}

# Each half of the lines (suggestions, and spans made by hand) is one SELECT, built from constants
# here and the filter's values as parameters (never user text in the SQL). A half joins the labels
# and the documents only when it must: most of a query over 100,000 lines is its rows.
_HALVES = {
    # alias: (kind, table, its rule, its state)
    "s": (LineKind.SUGGESTION, "suggestions", "s.rule", "s.state"),
    "p": (LineKind.SPAN, "spans", "NULL", "'manual'"),
}
_LEFT = "substr(d.text, max({a}.start - {w}, 0) + 1, {a}.start - max({a}.start - {w}, 0))"
_RIGHT = 'substr(d.text, {a}."end" + 1, {w})'
_KINDS = {kind.value: kind for kind in LineKind}
# What a sort needs joined, and the half's expression it sorts by.
_NEEDS_DOCUMENT = {SortKey.DOCUMENT, SortKey.LEFT, SortKey.RIGHT}
_NEEDS_LABEL = {SortKey.LABEL}


# The folding functions registered on SQLite, and PostgreSQL's own expressions for them.
_SQLITE_SQL = {
    "fold": "kwic_fold({})",
    "left": "kwic_left({})",
    "right": "kwic_right({})",
    "find": "instr({}, {})",
}
_SPACED = r"lower(regexp_replace(btrim({}, E' \t\n\r\f\v'), '\s+', ' ', 'g'))"
_PG_SQL = {
    "fold": "lower({})",
    "left": "reverse(" + _SPACED + ")",
    "right": _SPACED,
    "find": "strpos({}, {})",
}


def _sql(postgresql: bool) -> dict[str, str]:
    return _PG_SQL if postgresql else _SQLITE_SQL


def _context_sql(alias: str, postgresql: bool) -> tuple[str, str]:
    """The left and right contexts of a half's match, cut in SQL."""
    context = {"a": alias, "w": CONTEXT}
    left = _LEFT.format(**context)
    return (left.replace("max(", "GREATEST(") if postgresql else left), _RIGHT.format(**context)


def _sort_expression(alias: str, sort: SortKey, postgresql: bool = False) -> str:
    _, _, rule, state = _HALVES[alias]
    sql = _sql(postgresql)
    left, right = _context_sql(alias, postgresql)
    return {
        SortKey.POSITION: "NULL",
        SortKey.DOCUMENT: sql["fold"].format("d.title"),
        SortKey.RULE: rule,
        SortKey.LABEL: "l.name",
        SortKey.STATE: state,
        SortKey.MATCH: sql["fold"].format(f"{alias}.text"),
        SortKey.LEFT: sql["left"].format(left),
        SortKey.RIGHT: sql["right"].format(right),
    }[sort]


def _order(sort: SortKey, descending: bool) -> str:
    direction = "DESC" if descending else "ASC"
    # Ties in corpus order, then kind and id: two lines never compare equal, so pages neither
    # overlap nor skip.
    tie = 'document_id, start, "end" DESC, kind, id'
    if sort == SortKey.POSITION:
        return f'document_id {direction}, start {direction}, "end" DESC, kind, id'
    return f"sort_key {direction}, {tie}"


def _where(
    alias: str, wanted: ConcordanceFilter, params: dict[str, Any], postgresql: bool = False
) -> str | None:
    """The WHERE clause of one half; None when no line of that half can match."""
    sql = _sql(postgresql)
    states = set(wanted.states)
    if states - set(STATES):
        unknown = ", ".join(sorted(states - set(STATES)))
        raise UsageError(f"unknown state {unknown}: use one of {', '.join(STATES)}")
    conditions: list[str] = []
    if alias == "s":
        chosen = sorted(states - {MANUAL})
        if states and not chosen:
            return None
        if chosen:
            names = [f"state{i}" for i in range(len(chosen))]
            conditions.append("s.state IN (" + ", ".join(f":{n}" for n in names) + ")")
            params.update(zip(names, chosen, strict=True))
        if wanted.rule is not None:
            conditions.append("s.rule = :rule")
            params["rule"] = wanted.rule
    else:
        if (states and MANUAL not in states) or wanted.rule is not None:
            return None
        conditions.append("p.origin = :manual_origin")
        params["manual_origin"] = SpanOrigin.MANUAL.value
    if wanted.label is not None:
        conditions.append(f"{alias}.label_id = (SELECT id FROM labels WHERE name = :label)")
        params["label"] = wanted.label
    if wanted.document is not None:
        conditions.append(f"{alias}.document_id = :document")
        params["document"] = wanted.document
    if wanted.text:
        folded = sql["fold"].format(f"{alias}.text")
        conditions.append(sql["find"].format(folded, ":needle") + " > 0")
        params["needle"] = wanted.text.lower()
    if wanted.title:
        conditions.append(sql["find"].format(sql["fold"].format("d.title"), ":title") + " > 0")
        params["title"] = wanted.title.lower()
    return " WHERE " + " AND ".join(conditions) if conditions else ""


def _half(
    alias: str, columns: str, where: str, *, label: bool = False, document: bool = False
) -> str:
    _, table, _, _ = _HALVES[alias]
    joins = ""
    if label:
        joins += f" JOIN labels AS l ON l.id = {alias}.label_id"
    if document:
        joins += f" JOIN documents AS d ON d.id = {alias}.document_id"
    return f"SELECT {columns} FROM {table} AS {alias}{joins}{where}"


def _union(
    wanted: ConcordanceFilter,
    params: dict[str, Any],
    columns: Callable[[str], str],
    *,
    label: bool = False,
    document: bool = False,
    postgresql: bool = False,
) -> str:
    halves = []
    for alias in _HALVES:
        where = _where(alias, wanted, params, postgresql)
        if where is not None:
            join_document = document or bool(wanted.title)
            halves.append(_half(alias, columns(alias), where, label=label, document=join_document))
    if not halves:  # nothing can match (a rule and only "manual"): no rows, same columns
        halves.append(_half("s", columns("s"), " WHERE 1 = 0", label=label, document=True))
    return " UNION ALL ".join(halves)


def _key_columns(sort: SortKey, postgresql: bool = False) -> Callable[[str], str]:
    def columns(alias: str) -> str:
        kind = _HALVES[alias][0].value
        return (
            f"'{kind}' AS kind, {alias}.id AS id, {alias}.document_id AS document_id, "
            f'{alias}.start AS start, {alias}."end" AS "end", '
            f"{_sort_expression(alias, sort, postgresql)} AS sort_key"
        )

    return columns


def _line_columns(alias: str, postgresql: bool = False) -> str:
    kind, _, rule, state = _HALVES[alias]
    left, right = _context_sql(alias, postgresql)
    return (
        f"'{kind.value}', {alias}.id, {alias}.document_id, d.title, {alias}.start, "
        f'{alias}."end", l.name, {rule}, {state}, {alias}.text, {left}, {right}'
    )


def _driver(connection: Connection) -> sqlite3.Connection:
    """The SQLite connection under SQLAlchemy's: 100,000 keys read as plain tuples, with the
    folding functions the queries call registered on it (SQLite has no Unicode ``lower`` and no
    ``reverse``; registering again is harmless and costs microseconds)."""
    raw = connection.connection.dbapi_connection
    if not isinstance(raw, sqlite3.Connection):
        raise UsageError("the concordance needs a SQLite database")
    for name, function in _FUNCTIONS.items():
        raw.create_function(name, 1, function, deterministic=True)
    return raw


def _rows(connection: Connection, sql: str, params: dict[str, Any]) -> list[Any]:
    """The rows of ``sql``: through the SQLite driver for plain tuples, else through SQLAlchemy."""
    if connection.dialect.name != "sqlite":
        return [tuple(row) for row in connection.execute(text(sql), params)]
    return _driver(connection).execute(sql, params).fetchall()


class Concordance:
    """Lines of the whole corpus: count, ordered keys, a page, lines by key."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def count(self, wanted: ConcordanceFilter) -> int:
        params: dict[str, Any] = {}
        with self.db.sessions() as session:
            connection = self.db.core(session)
            pg = connection.dialect.name == "postgresql"
            union = _union(wanted, params, lambda _alias: "1", postgresql=pg)
            ((total,),) = _rows(connection, f"SELECT count(*) FROM ({union}) AS u", params)
            return int(total)

    def keys(
        self,
        wanted: ConcordanceFilter,
        sort: SortKey = SortKey.POSITION,
        *,
        descending: bool = False,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[LineKey]:
        """The keys of the matching lines in order (``offset``/``limit``: one page of them)."""
        sort = SortKey(sort)
        params: dict[str, Any] = {}
        with self.db.sessions() as session:
            connection = self.db.core(session)
            pg = connection.dialect.name == "postgresql"
            union = _union(
                wanted,
                params,
                _key_columns(sort, pg),
                label=sort in _NEEDS_LABEL,
                document=sort in _NEEDS_DOCUMENT,
                postgresql=pg,
            )
            sql = f"SELECT kind, id FROM ({union}) AS u ORDER BY {_order(sort, descending)}"
            if limit is not None:
                sql += " LIMIT :limit OFFSET :offset"
                params["limit"], params["offset"] = max(0, limit), max(0, offset)
            rows = _rows(connection, sql, params)
        kinds = _KINDS
        return [LineKey(kinds[kind], line_id) for kind, line_id in rows]

    def page(
        self,
        wanted: ConcordanceFilter,
        sort: SortKey = SortKey.POSITION,
        *,
        descending: bool = False,
        offset: int = 0,
        limit: int = 100,
    ) -> list[ConcordanceLine]:
        """One page of lines, in order (ORDER BY ... LIMIT ... OFFSET, then the contexts)."""
        keys = self.keys(wanted, sort, descending=descending, offset=offset, limit=limit)
        return self.lines(keys)

    def lines(self, keys: Sequence[LineKey]) -> list[ConcordanceLine]:
        """The lines of these keys, in their order; a key whose row is gone is left out."""
        found: dict[LineKey, ConcordanceLine] = {}
        with self.db.sessions() as session:
            connection = self.db.core(session)
            pg = connection.dialect.name == "postgresql"
            for alias, (kind, _, _, _) in _HALVES.items():
                ids = [int(key.id) for key in keys if key.kind == kind]
                for i in range(0, len(ids), CHUNK):
                    listed = ", ".join(map(str, ids[i : i + CHUNK]))  # ints, never text
                    where = f" WHERE {alias}.id IN ({listed})"
                    columns = _line_columns(alias, pg)
                    sql = _half(alias, columns, where, label=True, document=True)
                    for row in _rows(connection, sql, {}):
                        line = _line(row)
                        found[line.key] = line
        return [found[key] for key in keys if key in found]

    def span_made_by(self, suggestion_id: int) -> int | None:
        """The span accepting (or correcting) a suggestion made, if it is still there (the change
        log says which: a corrected suggestion's span is elsewhere, and may have moved since)."""
        with self.db.sessions() as session:
            connection = self.db.core(session)
            made_by = _SPAN_MADE_BY
            if connection.dialect.name == "postgresql":
                made_by = _PG_SPAN_MADE_BY
            span_id = connection.scalar(made_by, {"suggestion_id": suggestion_id})
            if span_id is None:
                return None
            exists = connection.scalar(text("SELECT id FROM spans WHERE id = :id"), {"id": span_id})
            return int(exists) if exists is not None else None


# The newest acceptance of a suggestion (undo and redo keep a span's id), found through the change
# log's document index: its document is known from the suggestion.
_SPAN_MADE_BY = text(
    """
SELECT json_extract(c."after", '$.span_id') FROM change_log AS c
WHERE c.document_id = (SELECT document_id FROM suggestions WHERE id = :suggestion_id)
  AND c.entity = 'suggestion' AND c.entity_id = :suggestion_id
  AND c.action IN ('accepted', 'corrected')
  AND json_extract(c."after", '$.span_id') IS NOT NULL
ORDER BY c.id DESC LIMIT 1
"""
)

_PG_SPAN_MADE_BY = text(
    _SPAN_MADE_BY.text.replace(
        "json_extract(c.\"after\", '$.span_id')", "(c.\"after\"->>'span_id')::int"
    )
)


def _line(row: Sequence[Any]) -> ConcordanceLine:
    kind, line_id, doc_id, title, start, end, label, rule, state, match, left, right = row
    return ConcordanceLine(
        LineKey(_KINDS[kind], line_id),
        doc_id,
        title or "",
        start,
        end,
        label,
        rule,
        state,
        match,
        left or "",
        right or "",
    )
