"""What the article view draws over the text: spans and pending suggestions, indexed by block.

Pure bookkeeping (no painting): the view asks for the items of the blocks it is
about to paint, so painting and every edit cost the same at 200 or 20,000 spans.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from annotator.core.model import Span, Suggestion
from annotator.gui.offsets import OffsetMap


class ItemKind(StrEnum):
    """What a drawn item is (a str, so Qt signals carry it as text)."""

    SPAN = "span"
    SUGGESTION = "suggestion"


SPAN = ItemKind.SPAN
SUGGESTION = ItemKind.SUGGESTION


class Record(Protocol):
    """What every drawn thing has: a span, a suggestion, a brief of either, a rule's preview."""

    @property
    def id(self) -> int | None: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def rule(self) -> str | None: ...


class SuggestionRecord(Record, Protocol):
    """What the overlay reads of a pending suggestion (a Suggestion, a brief, a rule's preview)."""

    @property
    def explanation(self) -> str: ...


class SpanRecord(Record, Protocol):
    """What the overlay reads of a span: a Span, or the lighter SpanBrief a document opens with."""

    @property
    def origin(self) -> object: ...


@dataclass(eq=False, slots=True)
class Item:
    """One span or pending suggestion as drawn: Qt positions plus what the tooltip says."""

    kind: ItemKind
    id: int
    start: int  # code points
    end: int
    label: str
    text: str
    qt_start: int
    qt_end: int
    origin: str = ""
    rule: str | None = None
    explanation: str = ""
    lane: int = 0  # which underline row, so overlapping spans stay visible
    covered: bool = (
        False  # a suggestion overlapping a span of its label: shown as such, not as work
    )


class Overlay:
    """The items of one document, findable by block number, by position and by id."""

    def __init__(self, text: str) -> None:
        self.map = OffsetMap(text)
        # Qt block i starts after the i-th line break of the display text.
        display = self.map.display_text
        self._block_starts = [0]
        find = display.find
        at = find("\n")
        while at != -1:
            self._block_starts.append(at + 1)
            at = find("\n", at + 1)
        self._by_block: dict[int, list[Item]] = {}
        self._by_key: dict[tuple[str, int], Item] = {}
        self._suggestion_starts: list[
            tuple[int, int, int]
        ] = []  # (start, end, id) of fresh pending ones
        self._covered: set[int] = set()  # ids of pending suggestions a span of their label overlaps
        self._span_starts: list[tuple[int, int, int]] = []  # (start, end, id) of spans
        self.span_counts: Counter[str] = Counter()
        # What changed since the window last looked: ("reset", None) or ("add" | "remove", item).
        self.journal: list[tuple[str, Item | None]] = [("reset", None)]
        # The same changes for the article view, which repaints after each action (the side
        # table reads ``journal`` a moment later, so the two are drained apart).
        self.view_journal: list[tuple[str, Item | None]] = [("reset", None)]

    # -- building ------------------------------------------------------------

    def load(self, spans: Iterable[SpanRecord], suggestions: Iterable[SuggestionRecord]) -> None:
        """Replace every item. The hot path of opening a document: 20,000 spans in well under 100
        ms."""
        self._by_block.clear()
        self._by_key.clear()
        self.journal = [("reset", None)]
        self.view_journal = [("reset", None)]
        to_qt = self.map.to_qt
        plain = self.map.identity
        span_items = [
            Item(
                SPAN,
                s.id,
                s.start,
                s.end,
                s.label,
                s.text,
                s.start if plain else to_qt(s.start),
                s.end if plain else to_qt(s.end),
                str(s.origin),
                s.rule,
                f"accepted from rule {s.rule}" if s.rule else "",
            )
            for s in spans
            if s.id is not None
        ]
        suggestion_items = [
            Item(
                SUGGESTION,
                s.id,
                s.start,
                s.end,
                s.label,
                s.text,
                s.start if plain else to_qt(s.start),
                s.end if plain else to_qt(s.end),
                "suggestion",
                s.rule,
                s.explanation,
            )
            for s in suggestions
            if s.id is not None
        ]
        self._assign_lanes(span_items)
        self.span_counts = Counter(item.label for item in span_items)
        by_key = self._by_key
        by_block = self._by_block
        starts = self._block_starts
        for item in span_items + suggestion_items:
            by_key[(item.kind, item.id)] = item
            first = bisect_right(starts, item.qt_start) - 1
            last = (
                bisect_right(starts, item.qt_end - 1, lo=first) - 1
                if item.qt_end > item.qt_start
                else first
            )
            for block in range(first, last + 1):
                found = by_block.get(block)
                if found is None:
                    by_block[block] = [item]
                else:
                    found.append(item)
        self._span_starts = sorted((i.start, i.end, i.id) for i in span_items)
        self._mark_covered(suggestion_items, span_items)

    def replace_suggestions(self, suggestions: Iterable[SuggestionRecord]) -> None:
        """Put these pending suggestions in place of the ones shown (the spans stay)."""
        for item in [i for i in self._by_key.values() if i.kind == SUGGESTION]:
            self._unindex(item)
        items = [self._suggestion_item(s) for s in suggestions if s.id is not None]
        for item in items:
            self._index(item)
        self._mark_covered(items, [i for i in self._by_key.values() if i.kind == SPAN])
        if len(self.journal) > 200:
            self._log("reset", None)  # the panel refills at once instead of row by row

    def _mark_covered(self, suggestions: list[Item], spans: list[Item]) -> None:
        """Sort these suggestions into fresh ones (Tab visits them, they count as work) and covered
        ones: overlapping, or the same as, a span of their label."""
        by_label: dict[str, list[tuple[int, int]]] = {}
        for span in spans:
            by_label.setdefault(span.label, []).append((span.start, span.end))
        reach: dict[str, tuple[list[int], list[int]]] = {}
        for label, ranges in by_label.items():
            ranges.sort()
            furthest, ends = -1, []
            for _, end in ranges:
                furthest = max(furthest, end)
                ends.append(furthest)  # the furthest end of any span starting at or before this one
            reach[label] = ([start for start, _ in ranges], ends)
        self._covered = set()
        fresh = []
        for item in suggestions:
            found = reach.get(item.label)
            at = bisect_left(found[0], item.end) if found is not None else 0
            item.covered = found is not None and at > 0 and found[1][at - 1] > item.start
            if item.covered:
                self._covered.add(item.id)
            else:
                fresh.append((item.start, item.end, item.id))
        self._suggestion_starts = sorted(fresh)

    def _recheck_covered(self, span: Item) -> None:
        """A span of this label came or went: the suggestions it overlaps may change side."""
        for other in self.items_between(span.qt_start, span.qt_end):
            if other.kind != SUGGESTION or other.label != span.label:
                continue
            if not (other.start < span.end and other.end > span.start):
                continue
            covered = self._covered_now(other)
            if covered == other.covered:
                continue
            other.covered = covered
            key = (other.start, other.end, other.id)
            if covered:
                self._covered.add(other.id)
                _discard(self._suggestion_starts, key)
            else:
                self._covered.discard(other.id)
                insort(self._suggestion_starts, key)
            self._log("remove", other)  # drawn and listed anew
            self._log("add", other)

    def _covered_now(self, suggestion: Item) -> bool:
        """Whether a span of the suggestion's label overlaps it now."""
        return any(
            i.kind == SPAN
            and i.label == suggestion.label
            and i.start < suggestion.end
            and i.end > suggestion.start
            for i in self.items_between(suggestion.qt_start, suggestion.qt_end)
        )

    def _span_item(self, span: SpanRecord) -> Item:
        assert span.id is not None
        return Item(
            SPAN,
            span.id,
            span.start,
            span.end,
            span.label,
            span.text,
            self.map.to_qt(span.start),
            self.map.to_qt(span.end),
            str(span.origin),
            span.rule,
            f"accepted from rule {span.rule}" if span.rule else "",
        )

    def _suggestion_item(self, suggestion: SuggestionRecord) -> Item:
        assert suggestion.id is not None
        return Item(
            SUGGESTION,
            suggestion.id,
            suggestion.start,
            suggestion.end,
            suggestion.label,
            suggestion.text,
            self.map.to_qt(suggestion.start),
            self.map.to_qt(suggestion.end),
            "suggestion",
            suggestion.rule,
            suggestion.explanation,
        )

    @staticmethod
    def _assign_lanes(spans: list[Item]) -> None:
        # Greedy interval colouring: a span takes the lowest lane free at its start.
        spans.sort(key=lambda i: (i.start, -i.end))
        lane_ends: list[int] = []
        for item in spans:
            start = item.start
            for lane, busy_until in enumerate(lane_ends):
                if busy_until <= start:
                    item.lane = lane
                    lane_ends[lane] = item.end
                    break
            else:
                item.lane = len(lane_ends)
                lane_ends.append(item.end)

    def _blocks_of(self, item: Item) -> range:
        first = bisect_right(self._block_starts, item.qt_start) - 1
        last = bisect_right(self._block_starts, max(item.qt_start, item.qt_end - 1)) - 1
        return range(first, last + 1)

    def _index(self, item: Item, *, log: bool = True) -> None:
        self._by_key[(item.kind, item.id)] = item
        if item.kind == SPAN:
            self.span_counts[item.label] += 1
            insort(self._span_starts, (item.start, item.end, item.id))
        if log:
            self._log("add", item)
        for block in self._blocks_of(item):
            self._by_block.setdefault(block, []).append(item)

    def _unindex(self, item: Item) -> None:
        del self._by_key[(item.kind, item.id)]
        if item.kind == SPAN:
            self.span_counts[item.label] -= 1
            _discard(self._span_starts, (item.start, item.end, item.id))
        self._log("remove", item)
        for block in self._blocks_of(item):
            items = self._by_block.get(block)
            if items is not None:
                items.remove(item)

    # -- edits ---------------------------------------------------------------

    def add_span(self, span: Span) -> Item:
        item = self._span_item(span)
        before = self._by_key.get((SPAN, item.id))
        if before is not None:
            self._unindex(before)
        busy = {
            other.lane
            for other in self.items_between(item.qt_start, item.qt_end)
            if other.kind == SPAN and other.start < item.end and other.end > item.start
        }
        item.lane = next(lane for lane in range(len(busy) + 1) if lane not in busy)
        self._index(item)
        self._recheck_covered(item)
        if before is not None:
            self._recheck_covered(before)  # what it covered where it was
        return item

    def add_suggestion(self, suggestion: Suggestion) -> Item:
        item = self._suggestion_item(suggestion)
        self.remove(SUGGESTION, item.id)
        self._index(item)
        item.covered = self._covered_now(item)
        if item.covered:
            self._covered.add(item.id)
        else:
            insort(self._suggestion_starts, (item.start, item.end, item.id))
        return item

    def remove(self, kind: str, item_id: int) -> Item | None:
        item = self._by_key.get((kind, item_id))
        if item is None:
            return None
        self._unindex(item)
        if kind == SUGGESTION:
            _discard(self._suggestion_starts, (item.start, item.end, item.id))
            self._covered.discard(item.id)
        else:
            self._recheck_covered(item)
        return item

    # -- queries -------------------------------------------------------------

    def get(self, kind: str, item_id: int) -> Item | None:
        return self._by_key.get((kind, item_id))

    def items(self) -> list[Item]:
        return list(self._by_key.values())

    def blocks_with_items(self) -> list[int]:
        return [block for block, items in self._by_block.items() if items]

    def block_of(self, item: Item) -> int:
        """The block an item starts in."""
        return bisect_right(self._block_starts, item.qt_start) - 1

    def block_items(self, block: int) -> list[Item]:
        return self._by_block.get(block, [])

    def items_between(self, qt_start: int, qt_end: int) -> list[Item]:
        """Items overlapping Qt positions [qt_start, qt_end] (touching counts when the range is
        empty)."""
        first = bisect_right(self._block_starts, qt_start) - 1
        last = bisect_right(self._block_starts, qt_end) - 1
        seen: dict[int, Item] = {}
        for block in range(first, last + 1):
            for item in self._by_block.get(block, ()):
                if item.qt_start <= qt_end and item.qt_end >= qt_start:
                    seen[id(item)] = item
        return list(seen.values())

    def items_at(self, qt_position: int) -> list[Item]:
        """Items under one position, innermost (shortest) first."""
        found = [
            i
            for i in self.items_between(qt_position, qt_position)
            if i.qt_start <= qt_position < i.qt_end
        ]
        return sorted(found, key=lambda i: (i.end - i.start, i.kind != SUGGESTION))

    def exactly(self, start: int, end: int) -> Item | None:
        """The span (else the pending suggestion) covering exactly code points [start, end), or
        None."""
        found = [
            i
            for i in self.items_between(self.map.to_qt(start), self.map.to_qt(end))
            if i.start == start and i.end == end
        ]
        found.sort(key=lambda i: (i.kind != SPAN, i.id))
        return found[0] if found else None

    def next_pending(
        self, offset: int, current: Item | None = None, *, backwards: bool = False
    ) -> Item | None:
        """The pending suggestion after (or before) the current one, else after (before) ``offset``;
        wraps."""
        return self._next(SUGGESTION, self._suggestion_starts, offset, current, backwards)

    def next_span(
        self, offset: int, current: Item | None = None, *, backwards: bool = False
    ) -> Item | None:
        """The span after (or before) the current one, else after (before) ``offset``; wraps."""
        return self._next(SPAN, self._span_starts, offset, current, backwards)

    def _next(
        self,
        kind: str,
        starts: list[tuple[int, int, int]],
        offset: int,
        current: Item | None,
        backwards: bool,
    ) -> Item | None:
        if not starts:
            return None
        if current is not None and current.kind == kind:
            key = (current.start, current.end, current.id)
            at = bisect_left(starts, key) - 1 if backwards else bisect_right(starts, key)
        else:
            at = bisect_left(starts, (offset, -1, -1)) - (1 if backwards else 0)
        return self.get(kind, starts[at % len(starts)][2])

    def _log(self, op: str, item: Item | None) -> None:
        self.journal.append((op, item))
        self.view_journal.append((op, item))

    def drain_view_journal(self) -> list[tuple[str, Item | None]]:
        """The changes since the view last repainted for them."""
        journal, self.view_journal = self.view_journal, []
        return journal

    def drain_journal(self) -> list[tuple[str, Item | None]]:
        """The changes since the last call; a reset makes the ones before it moot."""
        journal, self.journal = self.journal, []
        resets = [n for n, (op, _) in enumerate(journal) if op == "reset"]
        return journal[resets[-1] :] if resets else journal

    def span_count(self) -> int:
        return sum(self.span_counts.values())

    def pending_count(self) -> int:
        """Pending suggestions that are fresh work (not covered by a span of their label)."""
        return len(self._suggestion_starts)

    def covered_count(self) -> int:
        return len(self._covered)

    def pending_ids(self) -> list[int]:
        """The fresh pending suggestions, in reading order."""
        return [s[2] for s in self._suggestion_starts]


def _discard(ordered: list[tuple[int, int, int]], key: tuple[int, int, int]) -> None:
    at = bisect_left(ordered, key)
    if at < len(ordered) and ordered[at] == key:
        del ordered[at]
