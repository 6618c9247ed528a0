"""The concordance of the whole corpus: its lines (store.concordance), and the decisions made on
many lines at once, across documents, each one undo step.

A line is a suggestion (any state) or a span made by hand. What a decision does to a line:
a pending suggestion is accepted, rejected or corrected (relabelled, re-bounded); a span made by
hand is edited; an accepted or corrected suggestion's span (the one its acceptance made) is
edited. Lines a decision cannot apply to (a rejected suggestion cannot be accepted) are skipped;
when none is left, the decision is refused with a message and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from annotator.core.change import Change, Operation
from annotator.core.errors import UsageError
from annotator.core.model import Span, SuggestionState
from annotator.core.text import plural
from annotator.core.tokenize import token_step
from annotator.store.concordance import (
    ConcordanceFilter,
    ConcordanceLine,
    LineKey,
    LineKind,
    SortKey,
)
from annotator.workspace.actor import Actor
from annotator.workspace.annotations import Annotations
from annotator.workspace.suggesting import Suggester

PENDING = SuggestionState.PENDING.value
DECIDED = (SuggestionState.ACCEPTED.value, SuggestionState.CORRECTED.value)
EDGES = ("start", "end")


class ConcordanceReview:
    """Reads the concordance and decides on its lines."""

    def __init__(self, actor: Actor, suggester: Suggester, annotations: Annotations) -> None:
        self._actor = actor
        self._suggester = suggester
        self._annotations = annotations

    # -- reading -------------------------------------------------------------------

    def count(self, wanted: ConcordanceFilter) -> int:
        return self._actor.store.concordance.count(wanted)

    def keys(
        self,
        wanted: ConcordanceFilter,
        sort: SortKey = SortKey.POSITION,
        *,
        descending: bool = False,
    ) -> list[LineKey]:
        """Every matching line's key, in order (a list of small tuples even for 100,000 lines)."""
        return self._actor.store.concordance.keys(wanted, sort, descending=descending)

    def page_keys(
        self,
        wanted: ConcordanceFilter,
        sort: SortKey = SortKey.POSITION,
        *,
        descending: bool = False,
        offset: int = 0,
        limit: int = 100,
    ) -> list[LineKey]:
        """One page of keys (ORDER BY ... LIMIT ... OFFSET)."""
        concordance = self._actor.store.concordance
        return concordance.keys(wanted, sort, descending=descending, offset=offset, limit=limit)

    def page(
        self,
        wanted: ConcordanceFilter,
        sort: SortKey = SortKey.POSITION,
        *,
        descending: bool = False,
        offset: int = 0,
        limit: int = 100,
    ) -> list[ConcordanceLine]:
        concordance = self._actor.store.concordance
        return concordance.page(wanted, sort, descending=descending, offset=offset, limit=limit)

    def lines(self, keys: Sequence[LineKey]) -> list[ConcordanceLine]:
        return self._actor.store.concordance.lines(keys)

    def span_of(self, key: LineKey) -> Span | None:
        """The span a line stands for: itself (made by hand), or the one its acceptance made;
        None for a pending or rejected suggestion."""
        return self._span_of(self._line(key))

    # -- decisions (each one undo step) ------------------------------------------------

    def accept(self, keys: Sequence[LineKey]) -> Change:
        """Accept the pending suggestions among these lines."""
        lines = self._applicable(keys, "accept", lambda line: _pending(line))
        return self._suggester.accept_many([line.key.id for line in lines])

    def accept_all(self, wanted: ConcordanceFilter) -> Change:
        """Accept every pending suggestion the filter shows (not only the lines read so far)."""
        if wanted.states and PENDING not in wanted.states:
            raise UsageError("no pending suggestion is shown: nothing to accept")
        pending = replace(wanted, states=(PENDING,))
        keys = self._actor.store.concordance.keys(pending)
        if not keys:
            raise UsageError("no pending suggestion is shown: nothing to accept")
        return self._suggester.accept_many([key.id for key in keys])

    def reject(self, keys: Sequence[LineKey]) -> Change:
        """Reject the pending suggestions among these lines."""
        lines = self._applicable(keys, "reject", lambda line: _pending(line))
        description = f"Reject {plural(len(lines), 'suggestion')}"
        return self._many(
            Operation.REJECT_MANY,
            description,
            lines,
            lambda line: self._suggester.reject(line.key.id),
        )

    def relabel(self, keys: Sequence[LineKey], label: str) -> Change:
        """Give these lines another label: a pending suggestion is corrected to it, a span made
        by hand (or the span an accepted suggestion made) is relabelled."""
        if label not in {known.name for known in self._actor.store.labels.all()}:
            raise UsageError(f"no label {label!r}")
        lines = self._applicable(keys, f"relabel to {label}", lambda line: True)
        description = f"Relabel {plural(len(lines), 'line')} to {label}"
        return self._many(
            Operation.RELABEL_MANY,
            description,
            lines,
            lambda line: self._relabel_one(line, label),
        )

    def move_boundary(self, key: LineKey, edge: str, direction: int) -> Change:
        """Move one line's start or end by a token (the window's ``[ ] { }``): a pending suggestion
        is corrected, a span (made by hand, or by accepting the line) is edited."""
        if edge not in EDGES or direction not in (-1, 1):
            raise UsageError(f"move start or end by -1 or +1, not {edge} by {direction}")
        line = self._line(key)
        span = None if _pending(line) else self._span_of(line)
        start, end = (line.start, line.end) if span is None else (span.start, span.end)
        text = self._actor.store.documents.text(line.document_id)
        if edge == "start":
            start = token_step(text, start, direction, edge="start")
        else:
            end = token_step(text, end, direction, edge="end")
        if start >= end:
            raise UsageError("the span cannot shrink to nothing")
        if span is None:
            return self._suggester.correct(key.id, start=start, end=end)
        if (start, end) == (span.start, span.end):
            raise UsageError("no token further that way")
        assert span.id is not None
        return self._annotations.update_span(span.id, start=start, end=end)

    # -- helpers ---------------------------------------------------------------------

    def _line(self, key: LineKey) -> ConcordanceLine:
        found = self._actor.store.concordance.lines([key])
        if not found:
            raise UsageError(f"{key.kind} {key.id} is no longer in the corpus")
        return found[0]

    def _applicable(
        self, keys: Sequence[LineKey], verb: str, applies: Callable[[ConcordanceLine], bool]
    ) -> list[ConcordanceLine]:
        lines = [line for line in self._actor.store.concordance.lines(keys) if applies(line)]
        lines = [line for line in lines if _pending(line) or self._editable(line)]
        if not lines:
            raise UsageError(f"none of the {plural(len(keys), 'line')} can {verb}")
        return lines

    def _editable(self, line: ConcordanceLine) -> bool:
        """A span made by hand, or a suggestion whose acceptance made a span that is still there."""
        if line.key.kind == LineKind.SPAN:
            return True
        return line.state in DECIDED and self._span_of(line) is not None

    def _span_of(self, line: ConcordanceLine) -> Span | None:
        """The span a line edits: itself (made by hand) or the one its acceptance made."""
        store = self._actor.store
        if line.key.kind == LineKind.SPAN:
            return store.spans.get(line.key.id)
        if line.state not in DECIDED:
            return None
        span_id = store.concordance.span_made_by(line.key.id)
        return None if span_id is None else store.spans.get(span_id)

    def _relabel_one(self, line: ConcordanceLine, label: str) -> Change | None:
        if _pending(line):
            return self._suggester.correct(line.key.id, label=label)
        span = self._span_of(line)
        if span is None or span.id is None or span.label == label:
            return None
        return self._annotations.update_span(span.id, label=label)

    def _many(
        self,
        operation: Operation,
        description: str,
        lines: Sequence[ConcordanceLine],
        decide: Callable[[ConcordanceLine], Change | None],
    ) -> Change:
        """Each line's decision inside one undo step; one Change listing every document."""
        store, who = self._actor.store, self._actor.annotator
        changes: list[Change] = []
        with store.step(description, annotator=who) as step:
            for line in lines:
                change = decide(line)
                if change is not None:
                    changes.append(change)
            step.description = description  # the single decisions named the step after themselves
        return merged(operation, description, changes)


def _pending(line: ConcordanceLine) -> bool:
    return line.key.kind == LineKind.SUGGESTION and line.state == PENDING


def _unique(values: Iterable[int]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(values))


def merged(operation: Operation, description: str, changes: Sequence[Change]) -> Change:
    """One Change for many: every document, span and suggestion any of them lists."""
    return Change(
        operation,
        description,
        _unique(doc for change in changes for doc in change.documents),
        spans=tuple(span for change in changes for span in change.spans),
        removed_spans=tuple(span for change in changes for span in change.removed_spans),
        suggestions=tuple(s for change in changes for s in change.suggestions),
        statuses=_unique(doc for change in changes for doc in change.statuses),
        count=len(changes),
    )
