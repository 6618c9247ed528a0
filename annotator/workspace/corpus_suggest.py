"""The rules over many documents: texts read a chunk at a time, the engine run here or in worker
processes, and each chunk's suggestions written in one short transaction.

Per document, the old path paid a commit (an fsync) and ~8 ORM statements; a chunk pays one
commit and a handful of statements (``store.suggestions.replace_many``). A transaction holds the
database's write lock, so a window open on the same file must wait for it: each one is kept
under a time budget by writing fewer documents at once when one took too long. Documents are
written in their order, so an interrupted run has suggested a prefix of them and left the rest
untouched.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool

from annotator.core.errors import UsageError
from annotator.rules import Engine, Rule
from annotator.rules.suggest_pool import SuggestPool, TextResult, run_chunk
from annotator.workspace.actor import Actor

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

CHUNK = 100  # documents per engine chunk (~0.2 s of engine for 4 KB articles)
BUDGET_S = 0.5  # longest a write transaction should hold the database
# Below this many documents, starting workers (1-2 s each on a busy 2-core machine: imports,
# compiling a 50,000-term gazetteer) costs more than it saves (measured: 300 articles, 3.7 s
# with one process, 5.0 s with two), unless the caller asks for them.
PARALLEL_FROM = 1000


def default_jobs(documents: int) -> int:
    """Worker processes for a run over this many documents when the user did not say: one per
    idle core (the cores less the load average), at least one.

    Workers on cores that are busy anyway only add their start-up: measured on this 2-core
    machine under a load of 3.5, 2,000 articles took 14.4 s with two workers and 9.9 s with one
    process; on an idle machine, 5.0 s against 8.8 s.
    """
    cores = os.cpu_count() or 1
    if documents < PARALLEL_FROM:
        return 1
    try:
        busy = os.getloadavg()[0]
    except OSError:  # no load average on this system
        busy = 0.0
    return max(1, min(cores, round(cores - busy)))


class CorpusRun:
    """One rule run over ``ids``; ``run`` returns (documents done, added, kept, dropped, failures,
    cancelled)."""

    def __init__(
        self,
        actor: Actor,
        rules: Sequence[Rule],
        fingerprint: str,
        *,
        progress: Progress | None,
        cancelled: Cancelled | None,
    ) -> None:
        self._actor = actor
        self._rules = list(rules)
        self._active = {r.name: r.version for r in self._rules if r.enabled}
        self._fingerprint = fingerprint
        self._progress = progress
        self._cancelled = cancelled or (lambda: False)
        self._slice = CHUNK  # documents per write transaction, lowered when one is too long
        self.documents = self.added = self.kept = self.dropped = 0
        self.failures: list[str] = []
        self.cancelled = False
        self._total = 0

    def run(self, ids: Sequence[int], jobs: int, engine: Callable[[], Engine]) -> None:
        """Suggest over ``ids`` with ``jobs`` worker processes (1: in this process)."""
        self._total = len(ids)
        chunks = [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
        workers = min(jobs, len(chunks))
        if workers <= 1:
            here = engine()
            for chunk in chunks:
                done: list[TextResult] = []
                # Asked before each document, as the window's cancel button expects.
                for item in self._actor.store.suggestions.texts(chunk):
                    if self._stop():
                        break
                    done += run_chunk(here, [item])
                self._write(done)
                if self.cancelled:
                    return
            return
        pool = SuggestPool(self._rules, workers)
        try:
            self._run_pool(pool, chunks, 2 * workers)
        except BrokenProcessPool:
            # A worker was killed (out of memory, by the system): what was written stays.
            raise UsageError(
                f"a worker process stopped after {self.documents} of {self._total} documents "
                "(out of memory?); those keep their new suggestions, the others are untouched: "
                "run again, with fewer --jobs"
            ) from None
        finally:
            pool.close()

    def _run_pool(self, pool: SuggestPool, chunks: list[Sequence[int]], ahead: int) -> None:
        texts = self._actor.store.suggestions.texts
        waiting = iter(chunks)
        running: deque[Future[list[TextResult]]] = deque()

        def submit() -> None:
            while len(running) < ahead and (chunk := next(waiting, None)) is not None:
                running.append(pool.submit(texts(chunk)))

        submit()
        while running:
            if self._stop():
                return
            done = self._result(pool, running.popleft())
            submit()  # the workers go on while this process writes
            self._write(done)

    @staticmethod
    def _result(pool: SuggestPool, future: Future[list[TextResult]]) -> list[TextResult]:
        """The chunk's result; BrokenProcessPool as soon as a worker is found dead, even if the
        executor never says so."""
        while True:
            try:
                return future.result(timeout=1.0)
            except TimeoutError:
                if pool.lost_worker():
                    raise BrokenProcessPool("a worker process died") from None

    def _stop(self) -> bool:
        if self._cancelled():
            self.cancelled = True
        return self.cancelled

    def _write(self, results: list[TextResult]) -> None:
        store, annotator = self._actor.store, self._actor.annotator
        at = 0
        while at < len(results):
            part = results[at : at + self._slice]
            started = time.perf_counter()
            outcomes = store.suggestions.replace_many(
                [(doc_id, proposals) for doc_id, proposals, _ in part],
                self._active,
                self._fingerprint,
                annotator=annotator,
            )
            seconds = time.perf_counter() - started
            if seconds > BUDGET_S and self._slice > 1:
                self._slice = max(1, self._slice // 2)
            elif seconds < BUDGET_S / 4 and self._slice < CHUNK:
                self._slice = min(CHUNK, self._slice * 2)
            for (doc_id, _, failures), outcome in zip(part, outcomes, strict=True):
                if outcome is None:
                    continue  # removed meanwhile
                self.documents += 1
                self.added += outcome.added
                self.kept += outcome.kept
                self.dropped += outcome.dropped
                self.failures += [
                    f"document {doc_id}: rule {rule!r} stopped: {reason}"
                    for rule, reason in failures
                ]
            at += len(part)
            if self._progress:
                self._progress(min(self.documents, self._total), self._total)
