"""What the workspace says about its database itself: where it is, what opening it did, whether it
may be written, how a change waits for another program's lock, and its backups."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from annotator.store.store import Store
from annotator.workspace import backups


class DatabaseAccess:
    """The database's own state for Workspace (a base class: the facade stays short)."""

    _store: Store

    @property
    def location(self) -> str:
        return str(self._store.path or self._store.url)

    @property
    def notes(self) -> list[str]:
        """What opening did that the user should hear about (backups, upgrades)."""
        return list(self._store.notes)

    @property
    def read_only(self) -> str | None:
        """Why this database may only be read (None: it may be written): every change is
        refused with the reason."""
        return self._store.read_only

    def wait_for_lock(
        self,
        wait: Callable[[str | None, float], bool] | None = None,
        *,
        on_wait: Callable[[str], None] | None = None,
        done: Callable[[], None] | None = None,
    ) -> None:
        """How a change waits while another program holds the database's lock: ``wait(holder,
        seconds)`` says whether to wait on (``done`` told when the wait ends); without it, the
        busy timeout, ``on_wait`` told once. Only a change waits: nothing of it has run yet, so
        giving up loses nothing."""
        self._store.wait_for_lock(wait, on_wait=on_wait, done=done)

    # -- backups -------------------------------------------------------------

    def backup(self, target: str | Path) -> Path:
        return self._store.backup(Path(target))

    def backup_kind(self) -> str:
        return self._store.backup_kind()

    def automatic_backups(self) -> list[backups.BackupFile]:
        return self._store.automatic_backups()

    def restore_backup(self, wanted: str) -> tuple[backups.BackupFile, Path]:
        return self._store.restore(wanted)

    def on_backup_failure(self, listener: Callable[[str], None]) -> None:
        backups.set_listener(self._store, listener)

    def rotate_backups(self, keep: int) -> list[Path]:
        return self._store.rotate_backups(keep)
