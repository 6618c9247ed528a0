"""The engine over chunks of texts, in this process or in worker processes: a corpus rule run.

``annotator suggest`` over thousands of articles spends most of its time in the engine, and each
text is independent, so the texts are spread over the machine's cores while the caller writes
what the finished chunks propose. Workers are spawned, never forked (the caller may be a Qt
application with threads, or hold an open SQLite connection), rebuild the engine once from the
rules' JSON definitions (the form the database keeps them in, read from a temporary file:
worker_rules.py says why), and ignore Ctrl+C: the caller decides what an interruption keeps.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager

from annotator.rules.engine import Engine
from annotator.rules.load import dump_rule, parse_rule
from annotator.rules.model import Rule
from annotator.rules.worker_rules import read_definitions, spawn_pool

# What the engine proposes for one text, as plain tuples (cheap to send between processes):
# (start, end, label, text, rule, rule version, explanation) -- the first fields of a Match.
Proposal = tuple[int, int, str, str, str, int, str]
# (document id, proposals, (rule, reason) of each rule that stopped on it).
TextResult = tuple[int, list[Proposal], list[tuple[str, str]]]
Texts = Sequence[tuple[int, str]]

_ENGINE: Engine | None = None


def run_chunk(engine: Engine, texts: Texts) -> list[TextResult]:
    """The engine's resolved proposals and failures for each (document id, text)."""
    out: list[TextResult] = []
    for doc_id, text in texts:
        result = engine.run(text)
        out.append(
            (
                doc_id,
                [m[:7] for m in result.matches],
                [(f.rule, f.reason) for f in result.failures],
            )
        )
    return out


def _start(definitions_path: str) -> None:
    global _ENGINE
    # The parent handles Ctrl+C (finishing or dropping the chunks it has); a worker that raised
    # KeyboardInterrupt would only break the pool and print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _ENGINE = Engine([parse_rule(d, source="database") for d in read_definitions(definitions_path)])


def _run(texts: Texts) -> list[TextResult]:
    assert _ENGINE is not None, "worker started without its rules"
    return run_chunk(_ENGINE, texts)


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    # A child process keeps an ignored signal ignored; only the main thread may change handlers.
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def _nothing() -> Iterator[None]:
    yield


class SuggestPool:
    """Worker processes each holding the engine of ``rules``; ``submit`` a chunk, get a Future."""

    def __init__(self, rules: Sequence[Rule], workers: int) -> None:
        self.workers = workers
        self._unspawned = workers
        self._pool, self._definitions = spawn_pool(
            workers, [dump_rule(r, inline_terms=True) for r in rules], _start
        )

    def submit(self, texts: Texts) -> Future[list[TextResult]]:
        # The pool spawns a worker at each of the first submits: one started with Ctrl+C ignored
        # never prints a KeyboardInterrupt traceback from its imports, before _start runs.
        with _sigint_ignored() if self._unspawned > 0 else _nothing():
            self._unspawned -= 1
            return self._pool.submit(_run, list(texts))

    def lost_worker(self) -> bool:
        """Whether a worker process has died (killed, out of memory): the pool is then broken,
        and waiting on its futures or its shutdown may never end (CPython's executor can hang
        when a worker dies holding the call queue's lock)."""
        processes = getattr(self._pool, "_processes", None) or {}
        return any(p.exitcode is not None for p in list(processes.values()))

    def close(self) -> None:
        """Drop the chunks not begun and wait for the workers to end (a broken pool's are
        stopped instead, so closing never waits forever)."""
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        broken = self.lost_worker()
        try:
            self._pool.shutdown(wait=not broken, cancel_futures=True)
            for process in processes if broken else ():
                process.join(timeout=5)
                if process.is_alive():
                    process.kill()
        finally:
            # Every worker read it in its initializer, before its first chunk.
            os.unlink(self._definitions)
