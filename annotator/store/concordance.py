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
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam, text
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


@dataclass(frozen=True)
class LineKey:
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

# Both halves of a line, with the same columns; {left} and {right} are the contexts when the
# query needs them. Placeholders are filled from constants here only, never from user input.
_SUGGESTION_PART = """
SELECT 'suggestion' AS kind, s.id AS id, s.document_id AS document_id, s.start AS start,
       s."end" AS "end", l.name AS label, s.rule AS rule, s.state AS state, s.text AS match,
       d.title AS title{contexts}
FROM suggestions AS s JOIN labels AS l ON l.id = s.label_id
     JOIN documents AS d ON d.id = s.document_id
"""
_SPAN_PART = """
SELECT 'span' AS kind, p.id AS id, p.document_id AS document_id, p.start AS start,
       p."end" AS "end", l.name AS label, NULL AS rule, 'manual' AS state, p.text AS match,
       d.title AS title{contexts}
FROM spans AS p JOIN labels AS l ON l.id = p.label_id
     JOIN documents AS d ON d.id = p.document_id
"""
_CONTEXTS = """,
       substr(d.text, max({alias}.start - {width}, 0) + 1,
              {alias}.start - max({alias}.start - {width}, 0)) AS left_context,
       substr(d.text, {alias}."end" + 1, {width}) AS right_context"""

_ORDER = {
    SortKey.POSITION: 'document_id {d}, start {d}, "end" DESC',
    SortKey.DOCUMENT: "kwic_fold(title) {d}, document_id {d}, start",
    SortKey.RULE: "rule {d}, document_id, start",
    SortKey.LABEL: "label {d}, document_id, start",
    SortKey.STATE: "state {d}, document_id, start",
    SortKey.MATCH: "kwic_fold(match) {d}, document_id, start",
    SortKey.LEFT: "kwic_left(left_context) {d}, document_id, start",
    SortKey.RIGHT: "kwic_right(right_context) {d}, document_id, start",
}
_TIE = ", kind, id"  # two lines never compare equal: pages do not overlap or skip


def _where(alias: str, wanted: ConcordanceFilter, params: dict[str, Any]) -> str | None:
    """The WHERE clause of one half (``s`` suggestions, ``p`` spans); None when no line of that
    half can match."""
    suggestions = alias == "s"
    states = set(wanted.states)
    if states - set(STATES):
        unknown = ", ".join(sorted(states - set(STATES)))
        raise UsageError(f"unknown state {unknown}: use one of {', '.join(STATES)}")
    conditions: list[str] = []
    if suggestions:
        chosen = sorted(states - {MANUAL})
        if states and not chosen:
            return None
        if chosen:
            conditions.append("s.state IN :states")
            params["states"] = chosen
        if wanted.rule is not None:
            conditions.append("s.rule = :rule")
            params["rule"] = wanted.rule
    else:
        if (states and MANUAL not in states) or wanted.rule is not None:
            return None
        conditions.append("p.origin = :manual_origin")
        params["manual_origin"] = SpanOrigin.MANUAL.value
    if wanted.label is not None:
        conditions.append("l.name = :label")
        params["label"] = wanted.label
    if wanted.document is not None:
        conditions.append(f"{alias}.document_id = :document")
        params["document"] = wanted.document
    if wanted.text:
        conditions.append(f"instr(kwic_fold({alias}.text), :needle) > 0")
        params["needle"] = wanted.text.lower()
    if wanted.title:
        conditions.append("instr(kwic_fold(d.title), :title) > 0")
        params["title"] = wanted.title.lower()
    return "WHERE " + " AND ".join(conditions) if conditions else ""


def _union(wanted: ConcordanceFilter, params: dict[str, Any], *, contexts: bool) -> str:
    parts = []
    for alias, template in (("s", _SUGGESTION_PART), ("p", _SPAN_PART)):
        where = _where(alias, wanted, params)
        if where is None:
            continue
        columns = _CONTEXTS.format(alias=alias, width=CONTEXT) if contexts else ""
        parts.append(template.format(contexts=columns) + where)
    if not parts:
        # Nothing can match (a rule and only "manual"): a query with no rows, same columns.
        columns = _CONTEXTS.format(alias="s", width=CONTEXT) if contexts else ""
        parts.append(_SUGGESTION_PART.format(contexts=columns) + "WHERE 0")
    return "\nUNION ALL\n".join(parts)


def _statement(sql: str, params: dict[str, Any]) -> Any:
    statement = text(sql)
    for name in ("states", "ids"):
        if name in params:
            statement = statement.bindparams(bindparam(name, expanding=True))
    return statement


def register_functions(connection: Connection) -> None:
    """The folding functions the queries call, on this connection (SQLite has no Unicode
    ``lower`` and no ``reverse``); registering again is harmless and costs microseconds."""
    raw = connection.connection.dbapi_connection
    if not isinstance(raw, sqlite3.Connection):
        raise UsageError("the concordance needs a SQLite database")
    for name, function in _FUNCTIONS.items():
        raw.create_function(name, 1, function, deterministic=True)


class Concordance:
    """Lines of the whole corpus: count, ordered keys, a page, lines by key."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def count(self, wanted: ConcordanceFilter) -> int:
        params: dict[str, Any] = {}
        sql = f"SELECT count(*) FROM ({_union(wanted, params, contexts=False)})"
        with self.db.sessions() as session:
            connection = self.db.core(session)
            register_functions(connection)
            return int(connection.scalar(_statement(sql, params), params) or 0)

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
        params: dict[str, Any] = {}
        contexts = sort in (SortKey.LEFT, SortKey.RIGHT)
        order = _ORDER[SortKey(sort)].format(d="DESC" if descending else "ASC") + _TIE
        sql = f"SELECT kind, id FROM ({_union(wanted, params, contexts=contexts)}) ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT :limit OFFSET :offset"
            params["limit"], params["offset"] = max(0, limit), max(0, offset)
        with self.db.sessions() as session:
            connection = self.db.core(session)
            register_functions(connection)
            rows = connection.execute(_statement(sql, params), params)
            return [LineKey(LineKind(kind), line_id) for kind, line_id in rows]

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
            for kind, alias, template in (
                (LineKind.SUGGESTION, "s", _SUGGESTION_PART),
                (LineKind.SPAN, "p", _SPAN_PART),
            ):
                ids = [key.id for key in keys if key.kind == kind]
                columns = _CONTEXTS.format(alias=alias, width=CONTEXT)
                sql = template.format(contexts=columns) + f"WHERE {alias}.id IN :ids"
                for i in range(0, len(ids), CHUNK):
                    params = {"ids": ids[i : i + CHUNK]}
                    for row in connection.execute(_statement(sql, params), params):
                        line = _line(row)
                        found[line.key] = line
        return [found[key] for key in keys if key in found]

    def span_made_by(self, suggestion_id: int) -> int | None:
        """The span accepting (or correcting) a suggestion made, if it is still there (the change
        log says which: a corrected suggestion's span is elsewhere, and may have moved since)."""
        with self.db.sessions() as session:
            connection = self.db.core(session)
            span_id = connection.scalar(_SPAN_MADE_BY, {"suggestion_id": suggestion_id})
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


def _line(row: Any) -> ConcordanceLine:
    return ConcordanceLine(
        LineKey(LineKind(row.kind), row.id),
        row.document_id,
        row.title or "",
        row.start,
        row.end,
        row.label,
        row.rule,
        row.state,
        row.match,
        row.left_context or "",
        row.right_context or "",
    )
