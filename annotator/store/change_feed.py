"""What other connections committed since the last look, for a window that stays up to date.

Two questions, the first asked often and cheaply, the second only when the first says yes:

1. Did anyone commit? SQLite: ``PRAGMA data_version`` on a connection of the feed's own changes
   when any other connection (another process, or this one's pool) commits. PostgreSQL: a LISTEN
   on a connection of the feed's own; every transaction that writes the change log sends a NOTIFY
   (``Database.log``), delivered at its commit.
2. What changed? The change-log rows after the last one seen, in one query: their documents and
   entities. Rows this process wrote itself (``Database.own_log_ids``) are left out: the window
   already shows what its own actions did.
"""

from __future__ import annotations

import sqlite3
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select

from annotator.store.database import NOTIFY_CHANNEL, Database
from annotator.store.engine import sqlite_path
from annotator.store.schema import ChangeRow

# PostgreSQL numbers change-log rows when they are written, not when they commit: a transaction
# that took id 100 may commit after one that took 101. The feed reads this far behind its mark
# again (and skips the ids it has seen), so such a straggler is not missed.
PG_LOOKBACK = 1000
_SEEN_KEPT = 4 * PG_LOOKBACK
PG_READ_ANYWAY = 10  # looks (5 s at the window's pace)

_LAST_ID = select(func.max(ChangeRow.id))
_ROWS_AFTER = (
    select(ChangeRow.id, ChangeRow.document_id, ChangeRow.entity)
    .where(ChangeRow.id > bindparam("after"))
    .order_by(ChangeRow.id)
)


@dataclass(frozen=True)
class ChangedDocuments:
    """What others changed since a mark: the documents touched, and the kinds of thing
    (``span``, ``suggestion``, ``document``, ``rule``, ``label``)."""

    documents: frozenset[int] = frozenset()
    entities: frozenset[str] = frozenset()
    rows: int = 0

    @property
    def empty(self) -> bool:
        return self.rows == 0


NOTHING = ChangedDocuments()


class ChangeFeed:
    """One database's feed of others' commits; used from one thread (the window's)."""

    def __init__(self, database: Database) -> None:
        self._db = database
        self._seen: set[int] = set()
        if database.own_log_ids is None:
            database.own_log_ids = set()
        self._postgres = database.engine.dialect.name == "postgresql"
        self._listener: Any = None
        self._looks = 0
        self._version_connection: sqlite3.Connection | None = None
        self._version: int | None = None
        self._open_listener()

    def _open_listener(self) -> None:
        if self._postgres:
            import psycopg

            url = self._db.engine.url.set(drivername="postgresql")
            listener = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
            listener.execute(f"LISTEN {NOTIFY_CHANNEL}")
            self._listener = listener
            weakref.finalize(self, listener.close)
            return
        path = sqlite_path(self._db.url)
        if path is None:
            return  # in-memory SQLite: no other connection can see it
        connection = sqlite3.connect(path, check_same_thread=False)
        self._version_connection = connection
        self._version = self._data_version()
        weakref.finalize(self, connection.close)

    def _data_version(self) -> int:
        assert self._version_connection is not None
        return int(self._version_connection.execute("PRAGMA data_version").fetchone()[0])

    def committed_since_last_look(self) -> bool:
        """Whether any other connection committed since the last call (cheap: no query of the
        tables)."""
        if self._listener is not None:
            self._looks += 1
            notified = any(True for _ in self._listener.notifies(timeout=0.0))
            # The bulk writers (an import, a corpus's suggestions) send no NOTIFY: now and then
            # the rows are read anyway.
            return notified or self._looks % PG_READ_ANYWAY == 0
        if self._version_connection is None:
            return False
        version = self._data_version()
        changed, self._version = version != self._version, version
        return changed

    def mark(self) -> int:
        """The newest change-log id: what "since now" starts from (on PostgreSQL, the rows just
        behind it are taken as seen: they are not news either)."""
        self.committed_since_last_look()  # what came before the mark is not news
        with self._db.sessions() as session:
            mark = int(session.scalar(_LAST_ID) or 0)
            if self._postgres:
                behind = session.execute(_ROWS_AFTER, {"after": max(0, mark - PG_LOOKBACK)})
                self._seen.update(row.id for row in behind)
        return mark

    def changes_since(self, mark: int) -> tuple[int, ChangedDocuments]:
        """(the new mark, what others changed after ``mark``); ``NOTHING`` when nobody committed."""
        if not self.committed_since_last_look():
            return mark, NOTHING
        lookback = PG_LOOKBACK if self._postgres else 0
        with self._db.sessions() as session:
            rows = session.execute(_ROWS_AFTER, {"after": max(0, mark - lookback)}).all()
        own = self._db.own_log_ids
        assert own is not None
        documents: set[int] = set()
        entities: set[str] = set()
        count = 0
        new_mark = mark
        for row in rows:
            new_mark = max(new_mark, row.id)
            if row.id in own or (lookback and row.id in self._seen):
                continue
            if lookback:
                self._seen.add(row.id)
            count += 1
            entities.add(row.entity)
            if row.document_id is not None:
                documents.add(row.document_id)
        # What is at or below the mark now can never come again: forget it.
        own.difference_update([i for i in list(own) if i <= new_mark - lookback])
        if len(self._seen) > _SEEN_KEPT:
            self._seen = {i for i in self._seen if i > new_mark - lookback}
        return new_mark, ChangedDocuments(frozenset(documents), frozenset(entities), count)


_FEEDS: weakref.WeakKeyDictionary[Database, ChangeFeed] = weakref.WeakKeyDictionary()


def feed_of(database: Database) -> ChangeFeed:
    """The database's feed, opened on first use (it starts recording this process's own writes)."""
    feed = _FEEDS.get(database)
    if feed is None:
        feed = _FEEDS[database] = ChangeFeed(database)
    return feed


def changes_since(database: Database, mark: int | None) -> tuple[int, ChangedDocuments]:
    """``ChangeFeed.changes_since`` of the database's feed; ``None`` starts one (the mark now)."""
    feed = feed_of(database)
    if mark is None:
        return feed.mark(), NOTHING
    return feed.changes_since(mark)
