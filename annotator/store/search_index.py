"""The full-text index kept behind the imports, and caught up from a high-water mark.

An import writes documents only; filling SQLite's FTS5 index ``documents_fts`` inside it cost a
fifth of the import. ``search_index.indexed_to`` (migration 0007) says how far the index has got:
every document with ``id <= indexed_to`` is in it, none after. New documents always get ids above
the mark (``DocumentImport`` numbers them from ``max(max(id), indexed_to)``), so the ones left to
index are exactly ``id > indexed_to``. ``catch_up`` indexes them a chunk per transaction (the
window's next save never waits long); a search calls it first and, when it cannot write (a
read-only file), also scans the documents past the mark, so a search never misses a stored
document. The delete and update triggers touch the index only below the mark.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, inspect, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from annotator.core.errors import DatabaseError
from annotator.store.database import Database
from annotator.store.schema import DocumentRow, SearchIndexRow

FTS_TABLE = "documents_fts"
# Documents indexed per transaction: ~0.2 s of FTS5 work for 4 KB articles.
CATCH_UP_CHUNK = 2000

_MARK = select(SearchIndexRow.indexed_to).where(SearchIndexRow.id == 1)
# A write first, so the transaction holds the write lock before it reads the mark and the ids
# (under WAL a read snapshot taken before the lock could be stale by the time it writes).
_LOCK = (
    update(SearchIndexRow)
    .where(SearchIndexRow.id == 1)
    .values(indexed_to=SearchIndexRow.indexed_to)
)


def indexed_to(session: Session | Connection) -> int:
    """The high-water mark: documents up to this id are in the full-text index."""
    return session.execute(_MARK).scalar() or 0


def lock_for_writing(connection: Connection) -> None:
    """Take the database's write lock now (a no-op write): reads after it are the writer's."""
    connection.execute(_LOCK)


class SearchIndex:
    """Whether the database has the FTS5 index, and bringing it up to date."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._fts_present: bool | None = None
        self._insert_trigger: bool | None = None

    def has_fts(self, session: Session) -> bool:
        if session.get_bind().dialect.name != "sqlite":
            return False
        cached = self._fts_present
        if cached is None:
            cached = self._fts_present = inspect(session.connection()).has_table(FTS_TABLE)
        return cached

    def behind(self) -> int:
        """How many stored documents the index lacks."""
        with self.db.sessions() as session:
            if not self.has_fts(session):
                return 0
            mark = indexed_to(session)
            return session.scalar(select(func.count()).where(DocumentRow.id > mark)) or 0

    def catch_up(
        self, at_most: int | None = None, cancelled: Callable[[], bool] | None = None
    ) -> int:
        """Index the documents past the mark, ``CATCH_UP_CHUNK`` per transaction; how many.
        With ``at_most``, only when no more are behind (a cheap catch-up, or none); stops
        between transactions once ``cancelled()``."""
        behind = self.behind()
        # Only a read when nothing is behind: a search must not take the write lock to learn it.
        if behind == 0 or (at_most is not None and behind > at_most):
            return 0
        try:
            return self._catch_up(cancelled)
        except OperationalError as exc:  # read-only, or locked past the busy timeout
            raise DatabaseError(f"the search index cannot be written: {exc.orig}") from None

    def _catch_up(self, cancelled: Callable[[], bool] | None) -> int:
        done = 0
        while not (cancelled and cancelled()):
            with self.db.transaction() as session:
                if not self.has_fts(session):
                    return done
                connection = session.connection()
                lock_for_writing(connection)
                mark = indexed_to(connection)
                ids = list(
                    connection.execute(
                        select(DocumentRow.id)
                        .where(DocumentRow.id > mark)
                        .order_by(DocumentRow.id)
                        .limit(CATCH_UP_CHUNK)
                    ).scalars()
                )
                if not ids:
                    return done
                if not self._indexed_by_trigger(connection):
                    # SQLite only (has_fts): external-content FTS5 takes the rows it is given.
                    connection.execute(
                        text(
                            f"INSERT INTO {FTS_TABLE}(rowid, text) "
                            "SELECT id, text FROM documents WHERE id > :mark AND id <= :upto"
                        ),
                        {"mark": mark, "upto": ids[-1]},
                    )
                connection.execute(
                    update(SearchIndexRow).where(SearchIndexRow.id == 1).values(indexed_to=ids[-1])
                )
                done += len(ids)
            if len(ids) < CATCH_UP_CHUNK:
                return done
        return done

    def _indexed_by_trigger(self, connection: Connection) -> bool:
        # A database given an insert trigger by hand (an early 0004 had one) indexes each insert
        # itself: the catch-up then only moves the mark, never indexes twice.
        if self._insert_trigger is None:
            self._insert_trigger = (
                connection.execute(
                    text(
                        "SELECT 1 FROM sqlite_master "
                        "WHERE type = 'trigger' AND name = 'documents_fts_insert'"
                    )
                ).first()
                is not None
            )
        return self._insert_trigger
