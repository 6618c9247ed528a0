"""The store: one open database, speaking in core value objects.

Every public mutation runs in its own transaction and is committed before it returns, unless
it runs inside an undo step (``Store.step``): then the whole step is one transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import bindparam, exists, func, insert, literal, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from annotator.core.errors import DatabaseError, UsageError
from annotator.core.model import Label
from annotator.store import engine as engine_setup
from annotator.store.convert import label_from_row
from annotator.store.documents import DocumentQueries
from annotator.store.history import HistoryEdits
from annotator.store.labels import LABEL_FIELDS, label_log_entry, label_uses
from annotator.store.rules import RuleQueries
from annotator.store.schema import (
    AnnotatorRow,
    ChangeRow,
    DocumentRow,
    LabelRow,
    SpanRow,
    SuggestionRow,
    UndoStepRow,
    utcnow,
)
from annotator.store.search import SearchQueries
from annotator.store.spans import SpanEdits
from annotator.store.suggestions import SuggestionEdits

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
    .where(UndoStepRow.annotator_id == bindparam("who"), UndoStepRow.state == "undone")
    .values(state="discarded", updated_at=bindparam("now"))
)
_DISCARD_REDO_NOBODY = (
    update(UndoStepRow)
    .where(UndoStepRow.annotator_id.is_(None), UndoStepRow.state == "undone")
    .values(state="discarded", updated_at=bindparam("now"))
)


@dataclass
class Step:
    """The undo step being recorded: its row is written with the first change logged in it."""

    description: str
    annotator: str | None
    id: int | None = None
    written: str = ""


class Store(DocumentQueries, SpanEdits, RuleQueries, SuggestionEdits, HistoryEdits, SearchQueries):
    """Owns the engine and sessions; the workspace is its only user."""

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

    @classmethod
    def open(cls, target: str | Path, *, upgrade: bool = True) -> Store:
        url = engine_setup.to_url(target)
        engine, notes = engine_setup.prepare(url, upgrade=upgrade)
        return cls(engine, url, notes)

    @property
    def path(self) -> Path | None:
        return engine_setup.sqlite_path(self.url)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _sessions(self) -> Iterator[Session]:
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
        try:
            with self._new_session() as session, session.begin():
                self._local.session = session
                try:
                    yield session
                finally:
                    self._local.session = None
        except StaleDataError:
            # Another connection (the window's suggestion process, a second window) removed a row
            # between this transaction's read and its write.
            self._forget()
            raise UsageError(
                "what this action changes was changed meanwhile (by another window, or by the "
                "rules made anew); nothing was changed: look again and repeat it"
            ) from None
        except BaseException:
            self._forget()
            raise

    def _forget(self) -> None:
        # Ids and texts cached during a rolled-back transaction may not exist.
        self._annotator_ids.clear()
        self._texts = {}

    @staticmethod
    def _core(session: Session) -> Connection:
        """The session's connection for Core statements (an ORM object costs more than the SQL it
        writes), after writing the session's own pending ORM changes, so the statements see them."""
        if session.new or session.dirty or session.deleted:
            session.flush()
        return session.connection()

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
                    self._core(session).execute(
                        _DESCRIBE_STEP, {"step_id": current.id, "description": current.description}
                    )
            finally:
                self._local.step = None

    def _open_step(self, session: Session) -> int | None:
        current: Step | None = getattr(self._local, "step", None)
        if current is None:
            return None
        if current.id is None:
            annotator_id = self.annotator_id(session, current.annotator)
            connection, now = self._core(session), utcnow()
            # A new action ends what its annotator could redo.
            connection.execute(
                _DISCARD_REDO if annotator_id is not None else _DISCARD_REDO_NOBODY,
                {"who": annotator_id, "now": now},
            )
            current.id = connection.execute(
                _NEW_STEP,
                {
                    "annotator_id": annotator_id,
                    "description": current.description,
                    "state": "done",
                    "created_at": now,
                    "updated_at": now,
                },
            ).inserted_primary_key[0]
            current.written = current.description
        return current.id

    def log(
        self,
        session: Session,
        action: str,
        entity: str,
        *,
        entity_id: int | None = None,
        document_id: int | None = None,
        annotator: str | None = None,
        before: dict | None = None,
        after: dict | None = None,
        step_id: int | None = None,
    ) -> int:
        """Append to the change log; inside a step the entry belongs to it."""
        step_id = step_id if step_id is not None else self._open_step(session)
        return (
            self._core(session)
            .execute(
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
            .inserted_primary_key[0]
        )

    def has_logged(self, entity: str) -> bool:
        """Whether the change log has any entry about this kind of thing (e.g. "rule")."""
        with self._sessions() as session:
            return (
                session.scalar(select(ChangeRow.id).where(ChangeRow.entity == entity).limit(1))
                is not None
            )

    # -- annotators -------------------------------------------------------

    def annotator_id(self, session: Session, name: str | None) -> int | None:
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
        self._annotator_ids[name] = found
        return found

    def annotator_names(self) -> list[str]:
        with self._sessions() as session:
            return list(session.scalars(select(AnnotatorRow.name).order_by(AnnotatorRow.name)))

    # -- labels -----------------------------------------------------------

    def labels(self) -> list[Label]:
        with self._sessions() as session:
            rows = session.scalars(select(LabelRow).order_by(LabelRow.position, LabelRow.id))
            return [label_from_row(row) for row in rows]

    def label_ids(self, session: Session) -> dict[str, int]:
        return {name: id_ for id_, name in session.execute(select(LabelRow.id, LabelRow.name))}

    def add_label(self, label: Label, *, annotator: str | None = None) -> Label:
        try:
            with self.transaction() as session:
                self._insert_label(session, label, annotator)
        except IntegrityError:
            raise UsageError(f"label {label.name!r} exists already") from None
        return label

    def _insert_label(self, session: Session, label: Label, annotator: str | None) -> None:
        row = LabelRow(
            name=label.name,
            colour=label.colour,
            hotkey=label.hotkey,
            description=label.description,
            position=label.order,
        )
        session.add(row)
        session.flush()
        self.log(
            session,
            "add",
            "label",
            entity_id=row.id,
            annotator=annotator,
            after=label_log_entry(row),
        )

    def update_label(self, name: str, changes: dict, *, annotator: str | None = None) -> Label:
        with self.transaction() as session:
            row = session.scalar(select(LabelRow).where(LabelRow.name == name))
            if row is None:
                raise UsageError(f"no label named {name!r}")
            before = label_log_entry(row)
            for key, value in changes.items():
                setattr(row, LABEL_FIELDS[key], value)
            try:
                session.flush()
            except IntegrityError:
                raise UsageError(f"label {changes.get('name')!r} exists already") from None
            self.log(
                session,
                "edit",
                "label",
                entity_id=row.id,
                annotator=annotator,
                before=before,
                after=label_log_entry(row),
            )
            return label_from_row(row)

    def delete_label(self, name: str, *, annotator: str | None = None) -> None:
        """Remove a label nothing uses: no span, no suggestion, no rule."""
        with self.transaction() as session:
            row = session.scalar(select(LabelRow).where(LabelRow.name == name))
            if row is None:
                raise UsageError(f"no label named {name!r}")
            uses = label_uses(session, row)
            if uses:
                raise UsageError(
                    f"label {name} cannot be deleted: {uses} use it (relabel or delete those first)"
                )
            before = label_log_entry(row)
            session.delete(row)
            self.log(
                session,
                "delete",
                "label",
                entity_id=row.id,
                annotator=annotator,
                before=before,
            )

    def label_usage(self, name: str) -> int:
        with self._sessions() as session:
            return (
                session.scalar(
                    select(func.count(SpanRow.id))
                    .join(LabelRow, SpanRow.label_id == LabelRow.id)
                    .where(LabelRow.name == name)
                )
                or 0
            )

    # -- whole database ---------------------------------------------------

    def counts(self) -> dict[str, int]:
        with self._sessions() as session:
            return {
                "documents": session.scalar(select(func.count(DocumentRow.id))) or 0,
                "spans": session.scalar(select(func.count(SpanRow.id))) or 0,
                "suggestions": session.scalar(select(func.count(SuggestionRow.id))) or 0,
                "labels": session.scalar(select(func.count(LabelRow.id))) or 0,
                "changes": session.scalar(select(func.count(ChangeRow.id))) or 0,
            }

    def grouped_counts(self) -> dict[str, dict[str, int]]:
        """Counts by document status, span label, span origin, span annotator and suggestion state."""
        with self._sessions() as session:

            def pairs(stmt) -> dict[str, int]:
                return {
                    str(key) if key is not None else "(none)": count
                    for key, count in session.execute(stmt)
                }

            return {
                "status": pairs(
                    select(DocumentRow.status, func.count()).group_by(DocumentRow.status)
                ),
                "label": pairs(
                    select(LabelRow.name, func.count(SpanRow.id))
                    .join(SpanRow, SpanRow.label_id == LabelRow.id, isouter=True)
                    .group_by(LabelRow.name)
                    .order_by(LabelRow.position)
                ),
                "origin": pairs(select(SpanRow.origin, func.count()).group_by(SpanRow.origin)),
                "annotator": pairs(
                    select(AnnotatorRow.name, func.count(SpanRow.id))
                    .join(AnnotatorRow, SpanRow.annotator_id == AnnotatorRow.id, isouter=True)
                    .group_by(AnnotatorRow.name)
                ),
                "suggestion": pairs(
                    select(SuggestionRow.state, func.count()).group_by(SuggestionRow.state)
                ),
            }

    def backup(self, target: Path) -> Path:
        """A consistent copy of a SQLite database file, safe while the app writes to it."""
        source = self.path
        if source is None:
            raise DatabaseError(f"{self.url}: backup copies SQLite files only")
        target = Path(target).expanduser().resolve()
        if target == source.resolve():
            raise UsageError(f"{target}: the backup cannot overwrite the database itself")
        if not target.parent.is_dir():
            raise UsageError(f"{target}: folder {target.parent} does not exist")
        temporary = target.with_name(f".{target.name}.partial")
        try:
            temporary.unlink(missing_ok=True)
            engine_setup.copy_sqlite(source, temporary)
            temporary.replace(target)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise UsageError(f"{target}: cannot write the backup ({exc.strerror or exc})") from None
        return target
