"""Real ways a SQLite file refuses us, for tests: another program holding its write lock, a
read-only mount, a ``mode=ro`` URL."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

_HOLD = (
    "import sqlite3, sys\n"
    "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "c.execute('BEGIN IMMEDIATE')\n"
    "print('holding', flush=True)\n"
    "sys.stdin.read()\n"  # until the test closes our stdin
    "c.execute('ROLLBACK')\n"
)


class LockHolder:
    """A second program holding ``BEGIN IMMEDIATE`` on a database until ``release()``."""

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _HOLD, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "holding"

    @property
    def pid(self) -> int:
        return self.process.pid

    def release(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=30)


@contextmanager
def lock_held(path: Path) -> Iterator[LockHolder]:
    holder = LockHolder(path)
    try:
        yield holder
    finally:
        holder.release()


def read_only_url(path: Path) -> str:
    """A SQLite URL that opens ``path`` read-only, as SQLite's own ``mode=ro`` does."""
    return f"sqlite:///file:{path}?mode=ro&uri=true"


@contextmanager
def read_only_mount(folder: Path) -> Iterator[Path]:
    """``folder`` bind-mounted read-only on a sibling folder (as a read-only USB stick or network
    share is); skipped where this user may not mount."""
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    target = folder.with_name(folder.name + "-ro")
    target.mkdir()
    steps = (
        ["mount", "--bind", str(folder), str(target)],
        ["mount", "-o", "remount,bind,ro", str(target)],
    )
    mounted = False
    try:
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                pytest.skip(f"cannot make a read-only mount here: {done.stderr.strip()}")
            mounted = True
        yield target
    finally:
        if mounted:
            subprocess.run(["umount", str(target)], capture_output=True, check=False)
        target.rmdir()


@contextmanager
def small_disk(folder: Path, size_kb: int) -> Iterator[Path]:
    """A file system of ``size_kb`` mounted on ``folder`` (a tmpfs), to fill up; skipped where
    this user may not mount."""
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    folder.mkdir(exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True, check=False)
