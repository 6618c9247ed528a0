"""The store: one open database, speaking in core value objects, in parts.

``store.documents``, ``store.spans``, ``store.suggestions``, ``store.labels``, ``store.rules``,
``store.history`` and ``store.search`` each do one job on the shared ``Database``. Every public
mutation runs in its own transaction and is committed before it returns, unless it runs inside an
undo step (``store.step``): then the whole step is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from sqlalchemy import Select, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from annotator.core.errors import DatabaseError, UsageError
from annotator.store import backup_restore, pg_backup, sqlite_access
from annotator.store import engine as engine_setup
from annotator.store.concordance import Concordance
from annotator.store.daily_backup import BackupFile, DailyBackup, list_backups, rotate
from annotator.store.database import Database, Step
from annotator.store.document_pages import DocumentPages
from annotator.store.documents import Documents
from annotator.store.history import History
from annotator.store.labels import Labels
from annotator.store.rules import Rules
from annotator.store.schema import (
    AnnotatorRow,
    ChangeRow,
    DocumentRow,
    LabelRow,
    SpanRow,
    SuggestionRow,
)
from annotator.store.search import Search
from annotator.store.spans import Spans
from annotator.store.suggestions import Suggestions
from annotator.store.team import Team

__all__ = ["Step", "Store"]


class Store:
    """Owns the database and its parts; the workspace is its only user."""

    def __init__(self, engine: Engine, url: str, notes: list[str], *, fresh: bool = False) -> None:
        self.database = Database(engine, url, notes)
        path = engine_setup.sqlite_path(url)
        # SQLite only: a server is backed up by its administrator.
        self.daily_backup = DailyBackup(path, fresh=fresh) if path is not None else None
        if self.daily_backup is not None and self.read_only is None:
            self.database.before_write = self.daily_backup.before_write
        self.labels = Labels(self.database)
        self.search = Search(self.database)
        self.rules = Rules(self.database)
        self.documents = Documents(self.database, self.labels, self.search)
        self.spans = Spans(self.database, self.labels)
        self.suggestions = Suggestions(self.database, self.labels, self.spans)
        self.history = History(self.database, self.labels)
        self.concordance = Concordance(self.database)
        self.document_pages = DocumentPages(self.database, self.documents)
        self.team = Team(self.database)

    @classmethod
    def open(cls, target: str | Path, *, upgrade: bool = True) -> Store:
        url = engine_setup.to_url(target)
        path = engine_setup.sqlite_path(url)
        fresh = path is not None and not path.exists()
        engine, notes = engine_setup.prepare(url, upgrade=upgrade)
        return cls(engine, url, notes, fresh=fresh)

    @property
    def engine(self) -> Engine:
        return self.database.engine

    @property
    def url(self) -> str:
        return self.database.url

    @property
    def notes(self) -> list[str]:
        """What opening the database did to it (a migration, a backup), for the user."""
        return self.database.notes

    @property
    def path(self) -> Path | None:
        return engine_setup.sqlite_path(self.url)

    def close(self) -> None:
        self.engine.dispose()

    def without_lock_wait(self) -> AbstractContextManager[None]:
        """Writes inside are refused at once while another program holds the lock (SQLite)."""
        return sqlite_access.without_waiting()

    @property
    def read_only(self) -> str | None:
        """Why this database may only be read (a SQLite file: permissions, a read-only mount, a
        ``mode=ro`` URL); None when it may be written."""
        wait = engine_setup.lock_wait(self.engine)
        return wait.read_only if wait is not None else None

    def wait_for_lock(
        self,
        wait: Callable[[str | None, float], bool] | None = None,
        *,
        on_wait: Callable[[str], None] | None = None,
        done: Callable[[], None] | None = None,
    ) -> None:
        """How a write waits while another program holds the lock (SQLite): ``wait(holder,
        seconds)`` says whether to go on waiting (a window's visible wait; ``done`` is told when
        the wait ends), or, without it, the busy timeout with ``on_wait`` told once (a command's
        "waiting" line)."""
        policy = engine_setup.lock_wait(self.engine)
        if policy is not None:
            policy.wait, policy.on_wait, policy.done = wait, on_wait, done

    def step(self, description: str, *, annotator: str | None) -> AbstractContextManager[Step]:
        """One undoable action: every change logged inside is undone and redone together."""
        return self.database.step(description, annotator=annotator)

    def transaction(self) -> AbstractContextManager[Session]:
        """One unit of work (joining the open step's, if any)."""
        return self.database.transaction()

    def annotator_names(self) -> list[str]:
        return self.database.annotator_names()

    # -- whole database ---------------------------------------------------

    def is_new(self) -> bool:
        """No label and no change yet: a database just created (two probes, not counts of
        millions of rows)."""
        with self.database.sessions() as session:
            return not any(
                session.scalar(select(table.id).limit(1)) for table in (LabelRow, ChangeRow)
            )

    def counts(self) -> dict[str, int]:
        with self.database.sessions() as session:
            return {
                "documents": session.scalar(select(func.count(DocumentRow.id))) or 0,
                "spans": session.scalar(select(func.count(SpanRow.id))) or 0,
                "suggestions": session.scalar(select(func.count(SuggestionRow.id))) or 0,
                "labels": session.scalar(select(func.count(LabelRow.id))) or 0,
                "changes": session.scalar(select(func.count(ChangeRow.id))) or 0,
            }

    def grouped_counts(self) -> dict[str, dict[str, int]]:
        """Counts by document status, span label, origin and annotator, and suggestion state."""
        with self.database.sessions() as session:

            def pairs(stmt: Select[str, int]) -> dict[str, int]:
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
                    .group_by(LabelRow.name, LabelRow.position)
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

    def copy_to_sqlite(self, target: Path) -> Path:
        """The database as a SQLite file (``export sqlite``): a backup of a SQLite database, a
        copy of every row of a PostgreSQL one."""
        if self.database.engine.dialect.name == "postgresql":
            return pg_backup.copy_to_sqlite(self.database.engine, Path(target).expanduser())
        return self.backup(target)

    def backup_kind(self) -> str:
        """What ``backup`` writes for this database."""
        if self.database.engine.dialect.name == "postgresql":
            return pg_backup.backup_kind()
        return "a copy of the SQLite file (SQLite's backup API)"

    def backup(self, target: Path) -> Path:
        """A consistent copy of a SQLite database file, safe while the app writes to it; on
        PostgreSQL a pg_dump, or a JSONL export without pg_dump (store.pg_backup)."""
        source = self.path
        if source is None and self.database.engine.dialect.name == "postgresql":
            return pg_backup.backup(self.database.engine, Path(target).expanduser().resolve())
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

    # -- automatic backups (SQLite) ------------------------------------------

    def automatic_backups(self) -> list[BackupFile]:
        """This database's daily, before-migration and before-restore backups, newest first."""
        return list_backups(self._sqlite_file("automatic backups are"))

    def restore(self, wanted: str) -> tuple[BackupFile, Path]:
        """Restore one of the automatic backups (a path or a date); see store.backup_restore."""
        restored = backup_restore.restore(self._sqlite_file("restoring a backup is"), wanted)
        self.database.forget_cached()  # the texts and ids cached are not the restored database's
        return restored

    def rotate_backups(self, keep: int) -> list[Path]:
        """Delete this database's daily backups but the newest ``keep`` (none: keep is 0, which
        only stops new ones); nothing on PostgreSQL."""
        path = self.path
        return [] if path is None or keep <= 0 else rotate(path, keep)

    def _sqlite_file(self, what: str) -> Path:
        path = self.path
        if path is None:
            raise UsageError(
                f"{engine_setup.shown(self.url)}: {what} for SQLite files only; a PostgreSQL "
                "server is backed up by its administrator (pg_dump / pg_restore; "
                "`annotator backup PATH` writes a dump)"
            )
        return path
