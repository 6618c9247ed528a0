"""Automatic backups of a SQLite database, as Anki keeps them: on the first write of each local
day, a copy of the database as it was before that write goes into ``<database folder>/backups/``,
and only the last N daily copies are kept.

The names say whose and what a file is, so that listing and rotating touch nothing else:
``<stem>.daily-YYYY-MM-DD-HHMMSS.sqlite`` and ``<stem>.before-restore-YYYY-MM-DD-HHMMSS.sqlite``
in the backups folder; the copies made before a migration stay where ``engine.prepare`` writes
them, beside the database (``<stem>.backup-YYYYMMDD-HHMMSS-rev<rev><suffix>``), listed but never
rotated (each is the only copy of an older schema).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from annotator.store.engine import copy_sqlite

DAILY = "daily"
BEFORE_MIGRATION = "before migration"
BEFORE_RESTORE = "before restore"
DEFAULT_KEEP = 10  # Anki's default count of daily backups is close; a preference changes it
FOLDER = "backups"
_STAMP = "%Y-%m-%d-%H%M%S"
_NAMED = {DAILY: "daily", BEFORE_RESTORE: "before-restore"}


@dataclass(frozen=True)
class BackupFile:
    """One automatic backup of a database."""

    path: Path
    kind: str  # DAILY, BEFORE_MIGRATION or BEFORE_RESTORE
    taken: datetime
    size: int

    @property
    def stamp(self) -> str:
        return self.taken.strftime(_STAMP)


def backups_folder(database: Path) -> Path:
    return database.parent / FOLDER


def backup_name(database: Path, kind: str, taken: datetime) -> str:
    return f"{database.stem}.{_NAMED[kind]}-{taken.strftime(_STAMP)}.sqlite"


def _patterns(database: Path) -> list[tuple[Path, re.Pattern[str], str, str]]:
    stem = re.escape(database.stem)
    suffix = re.escape(database.suffix or ".sqlite")
    stamp = r"(\d{4}-\d\d-\d\d-\d{6})"
    return [
        (backups_folder(database), re.compile(rf"{stem}\.daily-{stamp}\.sqlite"), DAILY, _STAMP),
        (
            backups_folder(database),
            re.compile(rf"{stem}\.before-restore-{stamp}\.sqlite"),
            BEFORE_RESTORE,
            _STAMP,
        ),
        (
            database.parent,
            re.compile(rf"{stem}\.backup-(\d{{8}}-\d{{6}})-rev\w+{suffix}"),
            BEFORE_MIGRATION,
            "%Y%m%d-%H%M%S",
        ),
    ]


def list_backups(database: Path) -> list[BackupFile]:
    """This database's automatic backups, newest first; only files named as we name them."""
    found: list[BackupFile] = []
    for folder, pattern, kind, stamp_format in _patterns(database):
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            matched = pattern.fullmatch(entry.name)
            if matched is None or not entry.is_file():
                continue
            try:
                taken = datetime.strptime(matched.group(1), stamp_format)
                size = entry.stat().st_size
            except (ValueError, OSError):
                continue
            found.append(BackupFile(entry, kind, taken, size))
    return sorted(found, key=lambda backup: (backup.taken, backup.path.name), reverse=True)


def write_backup(database: Path, kind: str, taken: datetime) -> Path:
    """A consistent copy (SQLite's backup API) into the backups folder, named for ``kind``;
    written beside its name and renamed when complete, so a half copy never looks like one."""
    folder = backups_folder(database)
    folder.mkdir(exist_ok=True)
    target = folder / backup_name(database, kind, taken)
    while target.exists():  # never over a backup (two restores in one second)
        taken += timedelta(seconds=1)
        target = folder / backup_name(database, kind, taken)
    temporary = folder / f".{target.name}.partial"
    try:
        temporary.unlink(missing_ok=True)
        copy_sqlite(database, temporary)
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def rotate(database: Path, keep: int) -> list[Path]:
    """Delete this database's daily backups but the newest ``keep``; the removed files."""
    dailies = [backup for backup in list_backups(database) if backup.kind == DAILY]
    removed = []
    for old in dailies[keep:]:
        old.path.unlink(missing_ok=True)
        removed.append(old.path)
    return removed


class DailyBackup:
    """Called before every write transaction; backs the database up on the first of the day.

    The check is one clock read and a comparison: the day done is remembered in memory, and the
    folder is looked at once per day per process (another process may have made today's copy).
    A backup that fails never blocks the write: the reason is said once, to ``listener``.
    """

    def __init__(
        self,
        database: Path,
        *,
        fresh: bool = False,
        now: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.database = database
        self.now = now
        self.keep: Callable[[], int] = lambda: DEFAULT_KEEP
        self.listener: Callable[[str], None] | None = None
        self.failures: list[str] = []
        # A database created by this open has nothing worth a copy today.
        self._day: date | None = now().date() if fresh else None
        self._lock = threading.Lock()

    def before_write(self) -> None:
        moment = self.now()
        if moment.date() == self._day:
            return
        with self._lock:
            if moment.date() == self._day:
                return
            self._day = moment.date()  # once a day per process, whatever happens below
            try:
                self._take(moment)
            except (OSError, sqlite3.Error) as exc:
                reason = getattr(exc, "strerror", None) or str(exc)
                self._say(f"the daily backup of {self.database} failed ({reason}); work goes on")

    def _take(self, moment: datetime) -> None:
        keep = self.keep()
        if keep <= 0:
            return  # off (a read-only database gets no DailyBackup hook: store.py)
        if any(
            backup.kind == DAILY and backup.taken.date() == moment.date()
            for backup in list_backups(self.database)
        ):
            return  # another process (the window, a command) made today's
        write_backup(self.database, DAILY, moment)
        rotate(self.database, keep)

    def _say(self, message: str) -> None:
        if self.failures:
            return  # said once
        self.failures.append(message)
        if self.listener is not None:
            self.listener(message)
