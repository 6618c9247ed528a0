"""The shared plumbing of every store part: engine, sessions, transactions, undo steps, the change
log, annotator ids and the cache of document texts.

Every public mutation runs in its own transaction and is committed before it returns, unless it
runs inside an undo step (``Database.step``): then the whole step is one transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, exists, insert, literal, select, text, update
from sqlalchemy.engine import Connection, CursorResult, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from annotator.core.errors import UsageError
from annotator.store.schema import AnnotatorRow, ChangeRow, DocumentRow, UndoStepRow, utcnow
from annotator.store.states import Action, Entity, StepState

# The statements of every action, built once (building one costs more than running it).
_NEW_STEP = insert(UndoStepRow)
_NEW_LOG = insert(ChangeRow)
_DESCRIBE_STEP = (
    update(UndoStepRow)
    .where(UndoStepRow.id == bindparam("step_id"))
    .values(description=bindparam("description"))
)
_DISCARD_REDO = (
    update(UndoStepRow)
    .where(UndoStepRow.annotator_id == bindparam("who"), UndoStepRow.state == StepState.UNDONE)
    .values(state=StepState.DISCARDED, updated_at=bindparam("now"))
)
_DISCARD_REDO_NOBODY = (
    update(UndoStepRow)
    .where(UndoStepRow.annotator_id.is_(None), UndoStepRow.state == StepState.UNDONE)
    .values(state=StepState.DISCARDED, updated_at=bindparam("now"))
)
_DOCUMENT_TEXT = select(DocumentRow.text).where(DocumentRow.id == bindparam("doc_id"))
_TEXT_CACHE = 4  # documents
_CLASH_STATES = ("40P01", "40001")  # deadlock_detected, serialization_failure
# A bulk import's connection: no per-row foreign-key checks (the import guarantees its references:
# the label and annotator ids it read or made in its transaction, the document ids it numbered);
# no automatic WAL checkpoint per chunk (one at the end copies each page once); no fsync per chunk
# (WAL + NORMAL survives a killed process; a power cut may lose the last chunks, which an import
# run again adds, the documents it has being skipped as duplicates).
BULK_PRAGMAS = {"foreign_keys": "OFF", "wal_autocheckpoint": "0", "synchronous": "NORMAL"}
# PostgreSQL: every transaction that writes the change log notifies this channel (delivered at
# commit, once however many rows), so open windows look again (store/change_feed.py).
NOTIFY_CHANNEL = "annotator_changes"
_NOTIFY = text(f"SELECT pg_notify('{NOTIFY_CHANNEL}', '')")


def _clash(exc: OperationalError) -> bool:
    """PostgreSQL cancelled the transaction for another's: a deadlock, a serialization failure."""
    return getattr(exc.orig, "sqlstate", None) in _CLASH_STATES


def new_id(result: CursorResult[Any]) -> int:
    """The primary key an INSERT of one row made."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


@dataclass
class Step:
    """The undo step being recorded: its row is written with the first change logged in it."""

    description: str
    annotator: str | None
    id: int | None = None
    written: str = ""


class Database:
    """One open database: what every part of the store shares."""

    def __init__(self, engine: Engine, url: str, notes: list[str]) -> None:
        self.engine = engine
        self.url = url
        self.notes = notes
        self._new_session = sessionmaker(engine, expire_on_commit=False)
        self._annotator_ids: dict[str, int] = {}
        # The texts of the documents acted on last: a text never changes after import, and reading
        # a 1 MB article costs a millisecond of every action on it.
        self._texts: dict[int, str] = {}
        # The open step and its transaction, per thread: a worker thread never joins the GUI's step.
        self._local = threading.local()
        # The change-log ids this process wrote, kept once a change feed watches (change_feed.py):
        # the feed leaves them out, the window already shows its own actions.
        self.own_log_ids: set[int] | None = None
        # Called before each write transaction opens (store/daily_backup.py: the day's backup).
        self.before_write: Callable[[], None] | None = None

    @contextmanager
    def sessions(self) -> Iterator[Session]:
        """A session for reading: the open transaction's in this thread (so a step reads its own
        writes), else a fresh one."""
        joined = getattr(self._local, "session", None)
        if joined is not None:
            yield joined
            return
        with self._new_session() as session:
            yield session

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error.

        Inside an open transaction of this thread (a step) it joins that one instead.
        """
        joined = getattr(self._local, "session", None)
        if joined is not None:
            yield joined
            return
        if self.before_write is not None:
            self.before_write()
        try:
            with self._new_session() as session, session.begin():
                self._local.session = session
                self._local.written = []
                try:
                    yield session
                finally:
                    self._local.session = None
        except (StaleDataError, OperationalError) as exc:
            # Another connection (the window's suggestion process, a second window) removed a row
            # between this transaction's read and its write; or, on PostgreSQL, two analysts'
            # actions waited on each other's rows and the server cancelled this one.
            self._forget()
            if isinstance(exc, OperationalError) and not _clash(exc):
                raise
            raise UsageError(
                "what this action changes was changed meanwhile (by another window, or by the "
                "rules made anew); nothing was changed: look again and repeat it"
            ) from None
        except BaseException:
            self._forget()
            raise

    @contextmanager
    def bulk_transaction(self) -> Iterator[Session]:
        """``transaction()`` for a bulk import, on a connection of its own with ``BULK_PRAGMAS``
        (restored after). Inside an open step it joins that one (the pragmas stay as they are)."""
        joined = getattr(self._local, "session", None)
        if joined is not None or self.engine.dialect.name != "sqlite":
            with self.transaction() as session:
                yield session
            return
        if self.before_write is not None:
            self.before_write()
        with self.engine.connect() as connection:
            # Pragmas outside a transaction: foreign_keys is a no-op inside one.
            before = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar() for name in BULK_PRAGMAS
            }
            for name, value in BULK_PRAGMAS.items():
                connection.exec_driver_sql(f"PRAGMA {name}={value}")
            connection.commit()
            try:
                with (
                    Session(connection, expire_on_commit=False) as session,
                    self._joined(session),
                ):
                    yield session
            finally:
                for name, old in before.items():
                    connection.exec_driver_sql(f"PRAGMA {name}={old}")
                connection.commit()

    @contextmanager
    def _joined(self, session: Session) -> Iterator[Session]:
        """``session``'s transaction as this thread's open one, committed or rolled back."""
        try:
            with session.begin():
                self._local.session = session
                self._local.written = []
                try:
                    yield session
                finally:
                    self._local.session = None
        except BaseException:
            self._forget()
            raise

    def forget_cached(self) -> None:
        """Drop the cached ids and texts (the file's content was replaced: a restore)."""
        self._forget()

    def _forget(self) -> None:
        # Ids and texts cached during a rolled-back transaction may not exist.
        self._annotator_ids.clear()
        self._texts = {}
        written = getattr(self._local, "written", None)
        if written and self.own_log_ids is not None:
            self.own_log_ids.difference_update(written)  # rolled back: SQLite may reuse the ids
        self._local.written = []

    @staticmethod
    def core(session: Session) -> Connection:
        """The session's connection for Core statements (an ORM object costs more than the SQL it
        writes), after writing the session's own pending ORM changes, so the statements see them."""
        if session.new or session.dirty or session.deleted:
            session.flush()
        return session.connection()

    # -- undo steps and the change log ---------------------------------------

    @contextmanager
    def step(self, description: str, *, annotator: str | None) -> Iterator[Step]:
        """One undoable action: every change logged inside is undone and redone together.

        The step is one transaction; a step with no logged change leaves no trace. Set
        ``description`` on the yielded Step when it is only known halfway.
        """
        outer: Step | None = getattr(self._local, "step", None)
        if outer is not None:
            yield outer
            return
        current = Step(description, annotator)
        with self.transaction() as session:
            self._local.step = current
            try:
                yield current
                if current.id is not None and current.description != current.written:
                    self.core(session).execute(
                        _DESCRIBE_STEP, {"step_id": current.id, "description": current.description}
                    )
            finally:
                self._local.step = None

    def open_step(self, session: Session) -> int | None:
        """The id of this thread's open step, its row written now if not yet; None outside one."""
        current: Step | None = getattr(self._local, "step", None)
        if current is None:
            return None
        if current.id is None:
            annotator_id = self.annotator_id(session, current.annotator)
            connection, now = self.core(session), utcnow()
            # A new action ends what its annotator could redo.
            connection.execute(
                _DISCARD_REDO if annotator_id is not None else _DISCARD_REDO_NOBODY,
                {"who": annotator_id, "now": now},
            )
            current.id = new_id(
                connection.execute(
                    _NEW_STEP,
                    {
                        "annotator_id": annotator_id,
                        "description": current.description,
                        "state": StepState.DONE,
                        "created_at": now,
                        "updated_at": now,
                    },
                )
            )
            current.written = current.description
        return current.id

    def log(
        self,
        session: Session,
        action: Action,
        entity: Entity,
        *,
        entity_id: int | None = None,
        document_id: int | None = None,
        annotator: str | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        step_id: int | None = None,
    ) -> int:
        """Append to the change log; inside a step the entry belongs to it."""
        step_id = step_id if step_id is not None else self.open_step(session)
        connection = self.core(session)
        if connection.dialect.name == "postgresql" and not session.info.get("notified"):
            connection.execute(_NOTIFY)
            session.info["notified"] = True
        log_id = new_id(
            connection.execute(
                _NEW_LOG,
                {
                    "action": action,
                    "entity": entity,
                    "entity_id": entity_id,
                    "document_id": document_id,
                    "annotator_id": self.annotator_id(session, annotator),
                    "at": utcnow(),
                    "before": before,
                    "after": after,
                    "step_id": step_id,
                },
            )
        )
        if self.own_log_ids is not None:
            self.own_log_ids.add(log_id)
            written = getattr(self._local, "written", None)
            if written is not None:
                written.append(log_id)
        return log_id

    # -- annotators and texts -------------------------------------------------

    def annotator_id(self, session: Session, name: str | None) -> int | None:
        """The annotator's id, added on first use; None for no name."""
        if not name:
            return None
        if name in self._annotator_ids:
            return self._annotator_ids[name]
        found = session.scalar(select(AnnotatorRow.id).where(AnnotatorRow.name == name))
        if found is None:
            # Another connection (the window's suggestion worker, a second window) may add the same
            # name between that read and this write: insert only if still missing, then read again.
            session.execute(
                insert(AnnotatorRow).from_select(
                    ["name", "created_at"],
                    select(literal(name), literal(utcnow(), AnnotatorRow.created_at.type)).where(
                        ~exists().where(AnnotatorRow.name == name)
                    ),
                )
            )
            found = session.scalar(select(AnnotatorRow.id).where(AnnotatorRow.name == name))
            assert found is not None
        self._annotator_ids[name] = found
        return found

    def known_annotator(self, session: Session, name: str | None) -> int | None | bool:
        """The annotator's id (None for no name), or False when this name never did anything."""
        if not name:
            return None
        if name in self._annotator_ids:
            return self._annotator_ids[name]
        found = session.scalar(select(AnnotatorRow.id).where(AnnotatorRow.name == name))
        return False if found is None else found

    def annotator_names(self) -> list[str]:
        with self.sessions() as session:
            return list(session.scalars(select(AnnotatorRow.name).order_by(AnnotatorRow.name)))

    def text(self, connection: Connection, doc_id: int) -> str:
        """A document's text, from the cache of the last few (texts never change after import)."""
        text = self._texts.get(doc_id)
        if text is None:
            text = connection.scalar(_DOCUMENT_TEXT, {"doc_id": doc_id})
            if text is None:
                raise UsageError(f"no document with id {doc_id}")
            # A new dict rather than an eviction in place: another thread may be reading this one.
            texts = self._texts if len(self._texts) < _TEXT_CACHE else {}
            texts[doc_id] = text
            self._texts = texts
        return text
