"""The corpus diff of a rule edit: for every document, the suggestions the rules make after the
edit against before it (appear, disappear, change), as KWIC lines, per-document counts and
totals, with the analyst's accepted work that would lose its support flagged. Read only.

The comparison per text is ``rules.corpus_diff.DocumentDiffer`` (which prunes the documents
the edit provably cannot change); texts are streamed from the store in chunks.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

from annotator.rules import Match, Rule
from annotator.rules.corpus_diff import Difference, DiffKind, DocumentDiffer
from annotator.rules.corpus_diff_pool import ChunkResult, DiffPool, diff_chunk, workers_for
from annotator.store.corpus_reading import decided_places, document_count, texts_in_chunks
from annotator.store.store import Store

__all__ = ["CorpusDiff", "DiffKind", "DiffLine", "DocumentDiffCount", "corpus_diff", "edit_diff"]

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
# Characters of context either side of a KWIC line's match.
CONTEXT = 40
# Lines kept for the view; the counts go on past it (a regex over every capitalised word would
# otherwise fill hundreds of MB with lines nobody reads one by one).
MAX_LINES = 20_000


@dataclass(frozen=True)
class DiffLine:
    """One suggestion the edit makes appear, disappear or change, in keyword-in-context form.

    For a change, ``label``/``rule``/``start``/``end`` are the new suggestion's and ``was``
    describes the old one. ``accepted``: the analyst had made the old one theirs (a span with
    that place and label, or the suggestion accepted or corrected) and the edit takes its
    support away.
    """

    kind: DiffKind
    document_id: int
    title: str
    start: int
    end: int
    label: str
    rule: str
    left: str
    match: str
    right: str
    was: str = ""
    accepted: bool = False


@dataclass(frozen=True)
class DocumentDiffCount:
    document_id: int
    title: str
    appear: int
    disappear: int
    change: int
    accepted: int


@dataclass(frozen=True)
class CorpusDiff:
    """What a rule edit changes across the corpus."""

    lines: tuple[DiffLine, ...] = ()
    documents: tuple[DocumentDiffCount, ...] = ()
    total_documents: int = 0
    checked: int = 0  # documents read
    ran: int = 0  # documents where both rule sets had to run in full
    seconds: float = 0.0
    cancelled: bool = False
    truncated: bool = field(default=False)  # more lines than MAX_LINES: the counts are complete

    @property
    def appeared(self) -> int:
        return sum(d.appear for d in self.documents)

    @property
    def disappeared(self) -> int:
        return sum(d.disappear for d in self.documents)

    @property
    def changed(self) -> int:
        return sum(d.change for d in self.documents)

    @property
    def accepted_at_risk(self) -> int:
        return sum(d.accepted for d in self.documents)

    @property
    def empty(self) -> bool:
        return not self.documents

    def summary(self) -> str:
        """One sentence with the totals."""
        if self.empty:
            return f"No suggestion changes in {self.checked:,} documents."
        return (
            f"{self.appeared:,} appear, {self.disappeared:,} disappear, {self.changed:,} change "
            f"in {len(self.documents):,} of {self.checked:,} documents."
        )

    def warning(self) -> str | None:
        """Said when the edit would take away the support of work the analyst accepted."""
        n = self.accepted_at_risk
        if not n:
            return None
        spans = "span's" if n == 1 else "spans'"
        return f"This change would remove {n:,} accepted {spans} support."


_SPACES = re.compile(r"\s+")


def _flat(text: str) -> str:
    """One line: each run of spaces and line breaks becomes one space (edges kept)."""
    return _SPACES.sub(" ", text)


def _kwic(text: str, m: Match) -> tuple[str, str, str]:
    left = _flat(text[max(0, m.start - CONTEXT) : m.start])
    right = _flat(text[m.end : m.end + CONTEXT])
    return left, _flat(text[m.start : m.end]), right


def _line(doc_id: int, title: str, text: str, d: Difference, accepted: bool) -> DiffLine:
    shown = d.shown
    left, match, right = _kwic(text, shown)
    was = ""
    if d.kind == DiffKind.CHANGE and d.before is not None:
        b = d.before
        where = "" if (b.start, b.end) == (shown.start, shown.end) else f" ‘{_flat(b.text)}’"
        was = f"was {b.label} by {b.rule}{where}"
    return DiffLine(
        d.kind, doc_id, title, shown.start, shown.end, shown.label, shown.rule,
        left, match, right, was, accepted,
    )  # fmt: skip


def _loses_support(d: Difference, decided: set[tuple[int, int, str]]) -> bool:
    b = d.before
    if b is None or (b.start, b.end, b.label) not in decided:
        return False
    a = d.after
    return a is None or (a.start, a.end, a.label) != (b.start, b.end, b.label)


def corpus_diff(
    store: Store,
    before: Sequence[Rule],
    after: Sequence[Rule],
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    workers: int | None = None,
) -> CorpusDiff:
    """The suggestions of ``after`` against those of ``before`` on every document; nothing
    stored is changed. ``cancelled()`` stops it early (the result says ``cancelled``).
    ``workers``: processes to spread the work over (None: as suits the corpus, 0: none)."""
    started = time.perf_counter()
    total = document_count(store.database)
    differ = DocumentDiffer(before, after)
    if differ.unchanged:
        return CorpusDiff(total_documents=total, checked=total)
    if cancelled is not None and cancelled():
        return CorpusDiff(total_documents=total, cancelled=True)
    if workers is None:
        workers = workers_for(total)
    found: list[tuple[int, str, str, list[Difference]]] = []
    checked = ran = 0
    stopped = False
    parts = _parts(texts_in_chunks(store.database))
    results = _diffed(differ, before, after, parts, workers)
    try:
        for part, (part_ran, part_found) in results:
            ran += part_ran
            by_id = {doc_id: (title, text) for doc_id, title, text in part}
            found += [(i, *by_id[i], diffs) for i, diffs in part_found]
            checked += len(part)
            if progress is not None:
                progress(checked, total)
            if cancelled is not None and cancelled():
                stopped = checked < total
                break
    finally:
        results.close()  # a cancelled run stops its workers here
    return _assemble(store, found, total, checked, ran, started, stopped)


Part = list[tuple[int, str, str]]
# Documents per unit of work: a cancel is seen within one part (~0.1 s of work).
PART = 50


def _parts(chunks: Iterator[Part]) -> Iterator[Part]:
    for chunk in chunks:
        for at in range(0, len(chunk), PART):
            yield chunk[at : at + PART]


def _diffed(
    differ: DocumentDiffer,
    before: Sequence[Rule],
    after: Sequence[Rule],
    parts: Iterator[Part],
    workers: int,
) -> Generator[tuple[Part, ChunkResult], None, None]:
    """Each part with its result, in order: here, or from worker processes (a few parts in
    flight per worker, so memory stays bounded)."""
    if not workers:
        for part in parts:
            yield part, diff_chunk(differ, [(i, text) for i, _, text in part])
        return
    pool = DiffPool(before, after, workers)
    pending: deque[tuple[Part, Future[ChunkResult]]] = deque()
    try:
        for part in parts:
            pending.append((part, pool.submit([(i, text) for i, _, text in part])))
            if len(pending) > workers * 3:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    finally:
        pool.close()


def _assemble(
    store: Store,
    found: list[tuple[int, str, str, list[Difference]]],
    total: int,
    checked: int,
    ran: int,
    started: float,
    stopped: bool,
) -> CorpusDiff:
    losing = [doc_id for doc_id, _, _, diffs in found if any(d.before for d in diffs)]
    decided = decided_places(store.database, losing)
    lines: list[DiffLine] = []
    counts: list[DocumentDiffCount] = []
    truncated = False
    for doc_id, title, text, diffs in found:
        mine = decided.get(doc_id, set())
        flags = [_loses_support(d, mine) for d in diffs]
        kinds = [d.kind for d in diffs]
        counts.append(
            DocumentDiffCount(
                doc_id,
                title,
                kinds.count(DiffKind.APPEAR),
                kinds.count(DiffKind.DISAPPEAR),
                kinds.count(DiffKind.CHANGE),
                sum(flags),
            )
        )
        for d, flag in zip(diffs, flags, strict=True):
            if len(lines) >= MAX_LINES:
                truncated = True
                break
            lines.append(_line(doc_id, title, text, d, flag))
    return CorpusDiff(
        lines=tuple(lines),
        documents=tuple(counts),
        total_documents=total,
        checked=checked,
        ran=ran,
        seconds=time.perf_counter() - started,
        cancelled=stopped,
        truncated=truncated,
    )


def edit_diff(
    store: Store,
    rules: Sequence[Rule],
    edited: Rule,
    *,
    replaces: str | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> CorpusDiff:
    """The corpus diff of saving ``edited`` over the rule named ``replaces`` (by default its own
    name; a new rule is simply added)."""
    name = replaces or edited.name
    after = [r for r in rules if r.name not in (name, edited.name)] + [edited]
    return corpus_diff(store, rules, after, progress=progress, cancelled=cancelled)
