"""Rule definitions handed to spawned worker processes through a temporary file.

A pool's initializer arguments are pickled into the pipe that starts each worker; a 50,000-term
gazetteer (~1 MB of definitions) is more than a pipe holds, so the caller stood blocked until
the worker had started Python and imported the engine, once per worker, one after the other
(~0.2 s each). A path fits in the pipe; each worker reads the file in its initializer.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def write_definitions(definitions: Any) -> str:
    """A new file holding ``definitions`` (readable by this user only); the caller removes it
    once its workers have started (``os.unlink``)."""
    fd, path = tempfile.mkstemp(prefix="annotator-rules-", suffix=".pickle")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(definitions, f, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:
        os.unlink(path)
        raise
    return path


def read_definitions(path: str) -> Any:
    # Written by this worker's own parent (write_definitions), in a file only its user may read.
    with open(path, "rb") as f:
        return pickle.load(f)


def spawn_pool(
    workers: int, definitions: Any, start: Callable[[str], None]
) -> tuple[ProcessPoolExecutor, str]:
    """A pool of ``workers`` spawned processes (never forked: the parent may hold Qt and SQLite
    state), each running ``start(path)`` on the file of ``definitions``; the pool and that path
    (the caller unlinks it when the pool closes)."""
    path = write_definitions(definitions)
    try:
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=start,
            initargs=(path,),
        )
    except BaseException:
        os.unlink(path)
        raise
    return pool, path
