"""The corpus diff's per-text work, in this process or spread over worker processes.

A broad edit (a gazetteer that fires in most articles) leaves most documents to run through
both rule sets: ~1.5-2.5 ms each, 15-25 s for 10,000 articles in one process. The work per
text is independent, so it is spread over the machine's cores. Workers are spawned (never
forked: the caller may be a Qt application with threads) and rebuild the two rule sets from
their JSON definitions, the form the database keeps them in (read from a temporary file:
worker_rules.py says why).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Future

from annotator.rules.corpus_diff import Difference, DocumentDiffer, compare
from annotator.rules.load import dump_rule, parse_rule
from annotator.rules.model import Rule
from annotator.rules.worker_rules import read_definitions, spawn_pool

# (document id, text) in; per chunk: how many texts ran the full engines, and the documents
# with differences.
Texts = Sequence[tuple[int, str]]
ChunkResult = tuple[int, list[tuple[int, list[Difference]]]]
# Below this many documents, starting workers (~0.5 s each: imports, compiling the pack twice)
# costs more than it saves.
PARALLEL_FROM = 2000
MAX_WORKERS = 4

_DIFFER: DocumentDiffer | None = None


def diff_chunk(differ: DocumentDiffer, texts: Texts) -> ChunkResult:
    """The differences of each text where the edit may change something."""
    ran = 0
    found: list[tuple[int, list[Difference]]] = []
    for doc_id, text in texts:
        if differ.may_differ(text):
            ran += 1
            diffs = compare(*differ.twin_run(text))
            if diffs:
                found.append((doc_id, diffs))
    return ran, found


def workers_for(documents: int) -> int:
    """How many worker processes suit a corpus of this size (0: work in this process)."""
    cores = os.cpu_count() or 1
    if documents < PARALLEL_FROM or cores < 2:
        return 0
    return min(cores, MAX_WORKERS)


def _start(definitions_path: str) -> None:
    global _DIFFER
    before, after = read_definitions(definitions_path)
    _DIFFER = DocumentDiffer(
        [parse_rule(d, source="diff") for d in before],
        [parse_rule(d, source="diff") for d in after],
    )


def _run(texts: Texts) -> ChunkResult:
    assert _DIFFER is not None, "worker started without its rules"
    return diff_chunk(_DIFFER, texts)


class DiffPool:
    """Worker processes holding both rule sets; ``submit`` a chunk of texts, get a Future."""

    def __init__(self, before: Sequence[Rule], after: Sequence[Rule], workers: int) -> None:
        self.workers = workers
        self._pool, self._definitions = spawn_pool(
            workers,
            (
                [dump_rule(r, inline_terms=True) for r in before],
                [dump_rule(r, inline_terms=True) for r in after],
            ),
            _start,
        )

    def submit(self, texts: Texts) -> Future[ChunkResult]:
        return self._pool.submit(_run, list(texts))

    def close(self) -> None:
        """Drop work not begun and wait for the workers to end."""
        try:
            self._pool.shutdown(wait=True, cancel_futures=True)
        finally:
            # Every worker read it in its initializer, before its first chunk.
            os.unlink(self._definitions)
