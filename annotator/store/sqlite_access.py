"""What a SQLite file allows this program: whether it may write, who holds the write lock, and the
wait for it.

A write transaction takes SQLite's write lock with ``BEGIN IMMEDIATE`` before its first write, in
slices of ``WAIT_SLICE_MS``; between slices it asks the engine's ``LockWait`` whether to go on, so a
window can show the wait (and offer Cancel) instead of freezing for the busy timeout, and a
command can say who holds the lock. Nothing of the transaction has run before the lock is held:
giving up loses nothing.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

from annotator.core.errors import DatabaseLockedError, ReadOnlyDatabaseError

WAIT_SLICE_MS = 200
BUSY_TIMEOUT_MS = 10_000  # what every connection waits for a lock otherwise (engine.py sets it)
_SLICE, _BUSY = f"PRAGMA busy_timeout={WAIT_SLICE_MS}", f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}"
# SQLite's own lock bytes (os_unix.c, wal.c): in WAL mode the writer holds byte 120 of the -shm
# file; in rollback-journal mode the RESERVED/PENDING bytes of the database file itself.
_WAL_WRITE_BYTE = 120
_PENDING_BYTE = 0x40000000
_RESERVED_BYTE = _PENDING_BYTE + 1
# What Python's sqlite3 opens a transaction for: the statements that write.
_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
# SQLite's primary result codes (the low byte of sqlite_errorcode).
SQLITE_BUSY, SQLITE_READONLY, SQLITE_FULL = 5, 8, 13


def result_code(exc: sqlite3.Error) -> int:
    return getattr(exc, "sqlite_errorcode", 0) & 0xFF


def read_only_reason(connection: sqlite3.Connection, path: Path) -> str | None:
    """Why SQLite will not write to the database at ``path`` (None: it will).

    Asked of SQLite itself (a write that changes nothing, rolled back), so it holds for root, a
    read-only mount, an immutable file or a ``mode=ro`` URL alike; the file system only words the
    reason. A database locked by another writer is writable: it is only busy. A file nobody may
    write (``chmod 444``) is read-only even for root, who could: someone marked it so.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = stat.S_IWUSR
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return f"the file is not writable ({stat.filemode(mode)})"
    timeout = connection.execute("PRAGMA busy_timeout").fetchone()[0]
    connection.execute("PRAGMA busy_timeout=0")
    began = False
    try:
        connection.execute("BEGIN IMMEDIATE")
        began = True
        connection.execute("DELETE FROM alembic_version WHERE 0")
        return None
    except sqlite3.OperationalError as exc:
        code = result_code(exc)
        if code == SQLITE_BUSY:
            return None
        if code != SQLITE_READONLY:
            raise
        return why_read_only(path)
    finally:
        if began or connection.in_transaction:
            connection.execute("ROLLBACK")
        connection.execute(f"PRAGMA busy_timeout={int(timeout)}")


def why_read_only(path: Path) -> str:
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return "it is on a read-only file system"
        mode = path.stat().st_mode
    except OSError:
        return "SQLite refuses to write to it"
    if not os.access(path, os.W_OK):
        return f"the file is not writable ({stat.filemode(mode)})"
    if not os.access(path.parent, os.W_OK):
        return f"its folder {path.parent} is not writable"
    return "it was opened read-only"


def lock_holder(path: Path) -> str | None:
    """Who holds the write lock of the SQLite database at ``path``: "process 1234 (its command
    line)", or None where Linux does not say (no /proc/locks, another host over NFS)."""
    wanted: list[tuple[int, tuple[int, int]]] = []
    for file, span in ((_shm(path), (_WAL_WRITE_BYTE,)), (path, (_PENDING_BYTE, _RESERVED_BYTE))):
        try:
            info = file.stat()
        except OSError:
            continue
        wanted += [(info.st_ino, (info.st_dev, byte)) for byte in span]
    if not wanted:
        return None
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as locks:
            lines = locks.read().splitlines()
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        # "1: POSIX  ADVISORY  WRITE 17435 fe:00:2457650 120 120" ("->" marks a waiter)
        if len(fields) < 8 or fields[1] == "->" or fields[3] != "WRITE":
            continue
        try:
            pid = int(fields[4])
            inode = int(fields[5].rsplit(":", 1)[1])
            start = int(fields[6])
            end = _PENDING_BYTE * 4 if fields[7] == "EOF" else int(fields[7])
        except (ValueError, IndexError):
            continue
        for wanted_inode, (_dev, byte) in wanted:
            if inode == wanted_inode and start <= byte <= end:
                return describe_process(pid)
    return None


def describe_process(pid: int) -> str:
    if pid == os.getpid():
        return f"this program itself (process {pid}, another of its connections)"
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return f"process {pid}"
    parts = [part.decode(errors="replace") for part in raw.split(b"\0") if part]
    # One line however the program was started (a `python -c` script spans several).
    command = " ".join(" ".join([Path(parts[0]).name, *parts[1:]]).split()) if parts else ""
    if len(command) > 80:
        command = command[:77] + "..."
    return f"process {pid} ({command})" if command else f"process {pid}"


def _shm(path: Path) -> Path:
    return path.with_name(path.name + "-shm")


@dataclass
class LockWait:
    """How long a write waits for another writer's lock, and who is told.

    ``wait`` is called between slices with who holds the lock (or None) and the seconds waited; it
    returns whether to try again. The default waits ``limit_s`` (the busy timeout a command had
    before), calling ``on_wait`` once when it starts waiting.
    """

    path: Path
    limit_s: float = 10.0
    on_wait: Callable[[str], None] | None = None
    wait: Callable[[str | None, float], bool] | None = None
    done: Callable[[], None] | None = None  # told when a wait ends, the lock taken or not
    read_only: str | None = None
    listener: Callable[..., None] | None = field(default=None, repr=False)  # for event.remove
    _told: bool = field(default=False, repr=False)

    def go_on(self, holder: str | None, waited_s: float) -> bool:
        if self.wait is not None:
            return self.wait(holder, waited_s)
        if not self._told and self.on_wait is not None:
            self._told = True
            self.on_wait(f"{self.path.name} is locked by {holder or 'another program'}; waiting")
        return waited_s < self.limit_s

    def refused(self, holder: str | None, waited_s: float) -> DatabaseLockedError:
        return DatabaseLockedError(
            f"{self.path}: locked by {holder or 'another program'} for "
            f"{round(waited_s) if waited_s >= 10 else round(waited_s, 1)} s; this "
            "action changed nothing (what was done before is kept): try again when it has finished"
        )


def install(engine: Engine, path: Path) -> LockWait:
    """Take the write lock at each write transaction's first write, waiting as the engine's
    ``LockWait`` says; refuse writes at once while ``LockWait.read_only`` says why."""
    policy = LockWait(path)

    @event.listens_for(engine, "before_cursor_execute")
    def take_write_lock(conn, _cursor, statement, _parameters, _context, _many) -> None:
        if not _WRITES.match(statement):
            return
        if policy.read_only is not None:
            raise ReadOnlyDatabaseError(
                f"{policy.path} is read-only ({policy.read_only}): nothing was changed"
            )
        driver = conn.connection.driver_connection
        if not driver.in_transaction:
            acquire(driver, policy)

    policy.listener = take_write_lock
    return policy


_waiting = threading.local()


@contextmanager
def without_waiting() -> Iterator[None]:
    """Writes of this thread inside are refused at once when another program holds the lock
    (work nobody asked for, such as warming caches, never makes the analyst wait)."""
    before = getattr(_waiting, "now", False)
    _waiting.now = True
    try:
        yield
    finally:
        _waiting.now = before


def acquire(driver: sqlite3.Connection, policy: LockWait) -> None:
    """``BEGIN IMMEDIATE`` on ``driver``, in slices, until it holds or ``policy`` gives up.

    A write this thread starts while it already waits (a window's timer, run while the window
    keeps painting during the wait) does not wait in turn: it is refused at once.
    """
    if getattr(_waiting, "now", False):
        try:  # free now: no wait
            driver.execute("PRAGMA busy_timeout=0")
            driver.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if result_code(exc) != SQLITE_BUSY:
                raise
            raise policy.refused(lock_holder(policy.path), 0.0) from None
        finally:
            driver.execute(_BUSY)
    _waiting.now = True
    try:
        _acquire(driver, policy)
    finally:
        _waiting.now = False


def _acquire(driver: sqlite3.Connection, policy: LockWait) -> None:
    started = time.monotonic()
    driver.execute(_SLICE)
    try:
        while True:
            try:
                driver.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if result_code(exc) != SQLITE_BUSY:
                    raise
            holder = lock_holder(policy.path)
            waited = time.monotonic() - started
            if not policy.go_on(holder, waited):
                raise policy.refused(holder, waited)
    finally:
        driver.execute(_BUSY)
        if policy.done is not None:
            policy.done()
