"""Restoring a SQLite database from one of its automatic backups (``annotator backup --restore``).

Only this database's own backups are taken (a file named as ``daily_backup`` names them, or a
date that picks the newest of that day), read-only and checked as ``engine.prepare`` checks an
open: an annotator schema, not newer than this program. The current state is backed up first
(``before-restore``), so a restore can itself be undone; then the backup's pages are written INTO
the database through SQLite's backup API, which takes the write lock and is safe while a window
has the file open (a file copy over a live WAL database would not be). An older schema is
migrated on the next open.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import datetime
from pathlib import Path

from annotator.core.errors import DatabaseError, UsageError
from annotator.store.daily_backup import (
    BEFORE_RESTORE,
    BackupFile,
    backups_folder,
    list_backups,
    write_backup,
)
from annotator.store.engine import BUSY_TIMEOUT_MS, known_revisions


def find_backup(database: Path, wanted: str) -> BackupFile:
    """The backup ``wanted`` names: a path to one of this database's backups, or a date
    (``2026-12-04``, ``2026-12-04-1830``...: the newest backup whose time starts so)."""
    backups = list_backups(database)
    given = Path(wanted).expanduser()
    if given.exists():
        for backup in backups:
            if backup.path.resolve() == given.resolve():
                return backup
        raise UsageError(
            f"{given}: not one of the backups of {database} (they are in "
            f"{backups_folder(database)}, named {database.stem}.daily-…; see "
            "`annotator backup --list`); to work on another database, open it with --db"
        )
    matching = [backup for backup in backups if backup.stamp.startswith(wanted.strip())]
    if not wanted.strip() or not matching:
        raise UsageError(
            f"{wanted}: no such file, and no backup of {database} taken at that date "
            "(`annotator backup --list` shows them)"
        )
    return matching[0]


def check_backup(file: Path) -> str:
    """The schema revision of an annotator database file, opened read-only; refused otherwise."""
    try:
        with closing(sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = found[0] if found else None
    except sqlite3.Error as exc:
        raise DatabaseError(f"{file}: not an annotator database ({exc})") from None
    known, head = known_revisions()
    if revision is None:
        raise DatabaseError(f"{file}: not an annotator database (no schema version)")
    if revision not in known:
        raise DatabaseError(
            f"{file}: written by a newer version of annotator (schema revision {revision}, "
            f"this program knows up to {head}); not restored"
        )
    return str(revision)


def restore(
    database: Path, wanted: str, *, now: Callable[[], datetime] = datetime.now
) -> tuple[BackupFile, Path]:
    """Put the backup ``wanted`` names in place of the database's content; the backup restored
    and the copy of the replaced state. Nothing changes when the backup is refused."""
    backup = find_backup(database, wanted)
    check_backup(backup.path)
    try:
        saved = write_backup(database, BEFORE_RESTORE, now())
    except (OSError, sqlite3.Error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise UsageError(
            f"{database}: cannot back up the current state before restoring ({reason}); "
            "nothing restored"
        ) from None
    source = sqlite3.connect(f"{backup.path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        target = sqlite3.connect(database, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            source.backup(target)
        except sqlite3.Error as exc:
            raise DatabaseError(
                f"{database}: the restore failed ({exc}); the database is unchanged, and its "
                f"state is also in {saved}"
            ) from None
        finally:
            target.close()
    finally:
        source.close()
    return backup, saved
