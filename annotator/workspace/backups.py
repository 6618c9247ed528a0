"""Automatic backups as the CLI and the window see them: the kept count (a preference both
share, in ``locations``), the list, a restore, and where a failed daily backup is said."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from annotator.locations import DAILY_BACKUPS, read_preference, write_preference
from annotator.store.daily_backup import DEFAULT_KEEP, BackupFile
from annotator.store.store import Store

__all__ = ["DEFAULT_KEEP", "BackupFile", "attach", "backups_kept", "set_backups_kept"]


def backups_kept() -> int:
    """How many daily backups are kept (0: none made)."""
    return read_preference(DAILY_BACKUPS, DEFAULT_KEEP)


def set_backups_kept(count: int) -> Path:
    """Change how many daily backups are kept; the preferences file written."""
    if count < 0:
        raise ValueError("the count of daily backups kept is 0 or more")
    return write_preference(DAILY_BACKUPS, count)


def _say_on_stderr(message: str) -> None:
    # The command line's default; the window sets its status bar instead.
    print(f"annotator: note: {message}", file=sys.stderr)


def attach(store: Store, listener: Callable[[str], None] = _say_on_stderr) -> None:
    """Give the store's daily backup its preference and its voice."""
    if store.daily_backup is not None:
        store.daily_backup.keep = backups_kept
        store.daily_backup.listener = listener


def set_listener(store: Store, listener: Callable[[str], None]) -> None:
    """Where a failed daily backup is said from now on (said at once if it already failed)."""
    if store.daily_backup is not None:
        store.daily_backup.listener = listener
        for message in store.daily_backup.failures:
            listener(message)
