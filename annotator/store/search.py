"""Full-text search over the document texts.

On SQLite the candidates come from the FTS5 index ``documents_fts`` (migration 0004: unicode61
tokens, case and diacritics folded), which an import leaves behind and a search first catches up
(``store.search_index``, migration 0007); documents it still lacks (the file is read-only) are
narrowed by the LIKE query below. The SQLite-only SQL is in ``_fts_candidates`` and
``search_index`` and runs only when that table exists. On PostgreSQL the same LIKE conditions are
answered by a trigram index of the folded texts (pg_trgm, migration 0004), in one query.
Elsewhere (or on a SQLite built without FTS5) a portable LIKE query narrows the candidates.
Either way the hits are then found in the text itself, with the same folding, so both paths
give the same answer.

User text never reaches the FTS query syntax: it is split into words, and each word goes in
as a quoted FTS5 string, so quotes, ``*``, ``-``, ``NEAR`` or ``AND`` are only words.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import regex
from sqlalchemy import and_, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from annotator.core.errors import DatabaseError
from annotator.store.database import Database
from annotator.store.schema import DocumentRow
from annotator.store.search_index import FTS_TABLE, SearchIndex, indexed_to

CONTEXT = 40
CHUNK = 200
# Ids scanned per statement for the documents the index lacks (~10 MB of 4 KB articles).
SCAN_RANGE = 2000
# Letters and digits (what FTS5's unicode61 keeps as token characters); the rest separates words.
WORD = regex.compile(r"[\p{L}\p{N}]+")
SEPARATORS = r"[^\p{L}\p{N}]+"


@dataclass(frozen=True)
class SearchHit:
    """One match: code-point offsets into the document text, with some text either side."""

    document_id: int
    title: str
    start: int
    end: int
    before: str
    match: str
    after: str


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """Lower case, diacritics off: ``É`` -> ``e``; may give "" (a lone combining mark)."""
    decomposed = unicodedata.normalize("NFD", ch)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def fold(text: str) -> tuple[str, list[int] | None]:
    """The folded text, and for each of its characters the index of the one it came from
    (None when the two line up one to one)."""
    if text.isascii():
        return text.lower(), None
    parts: list[str] = []
    origin: list[int] = []
    aligned = True
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        parts.append(folded)
        if len(folded) != 1:
            aligned = False
        origin.extend([i] * len(folded))
    return "".join(parts), None if aligned else origin


def query_words(query: str) -> list[str]:
    """The folded words of a query; punctuation and FTS syntax are only separators."""
    folded, _ = fold(query)
    return WORD.findall(folded)


def fts_match(words: Sequence[str]) -> str:
    """An FTS5 MATCH expression: every word, the last as a prefix, each a quoted string."""
    quoted = ['"' + word.replace('"', '""') + '"' for word in words]
    quoted[-1] += "*"
    return " AND ".join(quoted)


def _patterns(words: Sequence[str]) -> tuple[regex.Pattern, list[regex.Pattern]]:
    def word(w: str, last: bool) -> str:
        # Whole words, except the last which may be the start of one (typing "jak" finds "Jakarta").
        return (
            r"(?<![\p{L}\p{N}])"
            + regex.escape(w)
            + (r"[\p{L}\p{N}]*" if last else r"(?![\p{L}\p{N}])")
        )

    n = len(words)
    phrase = regex.compile(SEPARATORS.join(word(w, i == n - 1) for i, w in enumerate(words)))
    return phrase, [regex.compile(word(w, i == n - 1)) for i, w in enumerate(words)]


def find_matches(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Where the query matches in ``text``: the whole phrase where it occurs, else each word;
    [] unless every word occurs. Offsets are code points into ``text``."""
    if not words:
        return []
    folded, origin = fold(text)
    phrase, singles = _patterns(words)
    found = [(m.start(), m.end()) for m in phrase.finditer(folded)]
    if not found:
        per_word = [[(m.start(), m.end()) for m in single.finditer(folded)] for single in singles]
        if not all(per_word):
            return []
        found = []
        for start, end in sorted(pair for matches in per_word for pair in matches):
            if not found or start >= found[-1][1]:
                found.append((start, end))
    if origin is None:
        return found
    return [(origin[start], _original_end(origin, end, len(text))) for start, end in found]


def _original_end(origin: list[int], end: int, length: int) -> int:
    # Take in the combining marks after the last character (they folded to nothing), and all of
    # a character the match ends inside of (one that folded to several).
    if end >= len(origin):
        return length
    return origin[end] if origin[end] != origin[end - 1] else origin[end - 1] + 1


def _display(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")


class Search:
    """Full-text search over the documents, through SQLite's FTS5 index when the database has it."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.index = SearchIndex(db)

    def find(self, query: str, limit: int = 200, *, catch_up: bool = True) -> list[SearchHit]:
        """Hits of ``query`` in document order, then text order; at most ``limit``. Without
        ``catch_up`` it never writes: the documents the index lacks are scanned instead."""
        words = query_words(query)
        if not words or limit <= 0:
            return []
        hits: list[SearchHit] = []
        try:
            if catch_up:
                self.index.catch_up()
        except DatabaseError:
            pass  # cannot write (a read-only file): the documents past the mark are scanned
        with self.db.sessions() as session:
            for doc_id, title, body in self._candidates(session, words):
                for start, end in find_matches(body, words):
                    hits.append(
                        SearchHit(
                            doc_id,
                            title,
                            start,
                            end,
                            _display(body[max(0, start - CONTEXT) : start]),
                            body[start:end],
                            _display(body[end : end + CONTEXT]),
                        )
                    )
                    if len(hits) >= limit:
                        return hits
        return hits

    def _candidates(self, session: Session, words: Sequence[str]) -> Iterator[tuple[int, str, str]]:
        """(id, title, text) of the documents that may contain every word, in import order."""
        after = 0
        if session.get_bind().dialect.name == "postgresql":
            # annotator_fold: fold() in SQL (migration 0004), what the trigram index holds; a range
            # of ids a query, so a common word's first hits never wait for the whole corpus.
            yield from self._like_rows(session, words, 0, func.annotator_fold(DocumentRow.text))
            return
        if self.index.has_fts(session):
            # Those the index lacks (an import since the last catch-up) are read from the table.
            # The mark read first: a catch-up meanwhile only adds to the index what the scan reads.
            after = indexed_to(session)
            indexed = [i for i in self._fts_candidates(session, words) if i <= after]
            yield from self._rows(session, indexed)
        yield from self._like_rows(session, words, after)

    def _rows(self, session: Session, ids: list[int]) -> Iterator[tuple[int, str, str]]:
        columns = (DocumentRow.id, DocumentRow.title, DocumentRow.text)
        # Texts a chunk at a time: a common word matches most of the corpus, the limit few of it.
        for i in range(0, len(ids), CHUNK):
            chunk = ids[i : i + CHUNK]
            rows = session.execute(
                select(*columns).where(DocumentRow.id.in_(chunk)).order_by(DocumentRow.id)
            )
            yield from ((row.id, row.title, row.text) for row in rows)

    def _like_rows(
        self, session: Session, words: Sequence[str], after: int, folded: Any = None
    ) -> Iterator[tuple[int, str, str]]:
        """The documents past ``after`` holding every word, scanned a range of ids at a time: a
        search stops at its limit, so a common word's first hits never wait for a whole scan of
        100,000 documents the index lacks. Portable; case-folded only where lower() folds
        (find_matches has the last word)."""
        top = session.scalar(select(func.max(DocumentRow.id))) or 0
        lowered = func.lower(DocumentRow.text) if folded is None else folded
        conditions = and_(*(lowered.contains(word, autoescape=True) for word in words))
        columns = (DocumentRow.id, DocumentRow.title, DocumentRow.text)
        while after < top:
            upto = after + SCAN_RANGE
            rows = session.execute(
                select(*columns)
                .where(DocumentRow.id > after, DocumentRow.id <= upto, conditions)
                .order_by(DocumentRow.id)
            )
            yield from ((row.id, row.title, row.text) for row in rows)
            after = upto

    def _fts_candidates(self, session: Session, words: Sequence[str]) -> list[int]:
        # SQLite only (guarded by has_fts): FTS5 MATCH, rowid order is import order.
        statement = text(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :query ORDER BY rowid"
        )
        try:
            return list(session.execute(statement, {"query": fts_match(words)}).scalars())
        except OperationalError as exc:
            raise DatabaseError(f"the search index cannot be read: {exc.orig}") from None
