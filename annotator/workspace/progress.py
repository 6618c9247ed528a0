"""How the work goes, as plain values for the plots: each rule's precision and hits as the
decisions were made, accepted / corrected / rejected per rule, spans per label, documents per
status and how those counts moved over time, and the documents worked on last.

Precision is the rule statistics' own (accepted / decided; a correction counts against the rule,
see annotator.rules.stats), so a plot and the rule editor never disagree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

from annotator.core.model import DocumentStatus, SpanOrigin
from annotator.rules import RuleStats, rule_stats_from_counts
from annotator.store.progress_queries import EVERY, ProgressQueries
from annotator.workspace.actor import Actor

RECENT_DOCUMENTS = 20  # the documents the per-document chart shows


class TimelinePoint(NamedTuple):
    """A rule right after one of its decisions: its counts so far."""

    decision: int  # the decision's place among all decisions (1 = the first ever made)
    accepted: int
    corrected: int
    rejected: int

    @property
    def hits(self) -> int:
        """The rule's suggestions decided so far."""
        return self.accepted + self.corrected + self.rejected

    @property
    def precision(self) -> float:
        return self.accepted / self.hits if self.hits else 0.0


@dataclass(frozen=True)
class RuleTimeline:
    """One rule's decisions in the order they were made, and its counts so far after each one.

    Columns, not points (what a plot takes; a corpus has 100,000 decisions): after the rule's
    ``hits[i]``-th decision, made ``decision[i]``-th among all decisions, it had ``accepted[i]``
    accepted. Read with ``most_points``, a long timeline keeps every k-th decision and its last.
    """

    rule: str
    decision: tuple[int, ...]
    hits: tuple[int, ...]
    accepted: tuple[int, ...]
    corrected: tuple[int, ...]
    rejected: tuple[int, ...]

    @property
    def decisions(self) -> int:
        return self.hits[-1] if self.hits else 0

    @property
    def precision(self) -> float | None:
        """After the rule's last decision; None before its first."""
        return self.accepted[-1] / self.hits[-1] if self.hits else None

    def precisions(self) -> list[float]:
        """The rule's precision after each of its decisions."""
        return [accepted / hits for accepted, hits in zip(self.accepted, self.hits, strict=True)]

    def points(self) -> list[TimelinePoint]:
        return [
            TimelinePoint(*columns)
            for columns in zip(
                self.decision, self.accepted, self.corrected, self.rejected, strict=True
            )
        ]


@dataclass(frozen=True)
class LabelProgress:
    """A label's spans by origin, and its suggestions still to decide."""

    label: str
    colour: str
    manual: int
    from_rules: int
    pending: int

    @property
    def spans(self) -> int:
        return self.manual + self.from_rules


class StatusPoint(NamedTuple):
    """Documents per status right after a status change (or an undo or redo of one)."""

    at: datetime
    new: int
    in_progress: int
    done: int


@dataclass(frozen=True)
class DocumentProgress:
    """Documents per status now, and after each status change since the first."""

    new: int
    in_progress: int
    done: int
    history: tuple[StatusPoint, ...]

    @property
    def total(self) -> int:
        return self.new + self.in_progress + self.done


@dataclass(frozen=True)
class DocumentWork:
    """One document's progress: its spans (by hand, accepted from rules) and what is left."""

    document_id: int
    title: str
    status: str
    manual: int
    from_rules: int
    pending: int


@dataclass(frozen=True)
class ProgressReport:
    """Everything the plots show, read at ``at``."""

    at: datetime
    decisions: int  # every decision that stands, all rules together
    timelines: tuple[RuleTimeline, ...]  # most decisions first
    rules: tuple[RuleStats, ...]  # most decisions first, then most suggestions
    labels: tuple[LabelProgress, ...]  # in label order
    documents: DocumentProgress
    recent: tuple[DocumentWork, ...] = ()  # the documents worked on last, the latest first


class ProgressReader:
    """Reads the counts; changes nothing."""

    def __init__(self, actor: Actor) -> None:
        self._queries = ProgressQueries(actor.store.database)

    def report(self, most_points: int | None = None) -> ProgressReport:
        timelines = self.rule_timelines(most_points)
        return ProgressReport(
            at=datetime.now(UTC),
            decisions=sum(timeline.decisions for timeline in timelines),
            timelines=tuple(timelines),
            rules=tuple(self.rule_tallies()),
            labels=tuple(self.label_progress()),
            documents=self.document_progress(),
            recent=tuple(self.recent_documents()),
        )

    def rule_timelines(self, most_points: int | None = None) -> list[RuleTimeline]:
        """Each rule's counts after each of its decisions (about ``most_points`` of them at most,
        evenly spread, the last always); the rules with most decisions first."""
        columns: dict[str, tuple[list[int], ...]] = {}
        rows = self._queries.timelines(most_points or EVERY)
        for rule, *values in rows:
            found = columns.get(rule)
            if found is None:
                found = columns[rule] = ([], [], [], [], [])
            for column, value in zip(found, values, strict=True):
                column.append(value)
        timelines = [
            RuleTimeline(rule, *(tuple(column) for column in found))
            for rule, found in columns.items()
        ]
        return sorted(timelines, key=lambda timeline: (-timeline.decisions, timeline.rule))

    def rule_tallies(self) -> list[RuleStats]:
        """Suggestions per rule and state (the rule statistics), most decisions first."""
        stats = rule_stats_from_counts(self._queries.rule_states())
        return sorted(stats.values(), key=lambda s: (-s.decisions, -s.suggested, s.rule))

    def label_progress(self) -> list[LabelProgress]:
        """Every label's spans (made by hand, accepted from rules) and pending suggestions."""
        pending = self._queries.label_pending()
        found: dict[str, tuple[str, Counter[str]]] = {}
        for name, colour, origin, count in self._queries.label_spans():
            _, by_origin = found.setdefault(name, (colour, Counter()))
            if origin is not None:
                by_origin[origin] += count
        return [
            LabelProgress(
                name,
                colour,
                by_origin[SpanOrigin.MANUAL],
                sum(n for origin, n in by_origin.items() if origin != SpanOrigin.MANUAL),
                pending.get(name, 0),
            )
            for name, (colour, by_origin) in found.items()
        ]

    def recent_documents(self, limit: int = RECENT_DOCUMENTS) -> list[DocumentWork]:
        """The ``limit`` documents changed last (the latest first), each with its spans by origin
        and its pending suggestions: progress per document, where the analyst is working."""
        return [
            DocumentWork(
                doc_id,
                title,
                status,
                by_origin.get(SpanOrigin.MANUAL, 0),
                sum(n for origin, n in by_origin.items() if origin != SpanOrigin.MANUAL),
                pending,
            )
            for doc_id, title, status, by_origin, pending in self._queries.recent_documents(limit)
        ]

    def document_progress(self) -> DocumentProgress:
        """Documents per status, and the counts after every status change.

        The history is walked back from today's counts, so it always ends where the document
        list is; documents imported later count from the start (imports are not status changes).
        """
        now = Counter(self._queries.statuses())
        counts = Counter(now)
        history: list[StatusPoint] = []
        for at, before, after in reversed(self._queries.status_changes()):
            history.append(_point(at, counts))
            if before is not None and after is not None:
                counts[after] -= 1
                counts[before] += 1
        if history:
            history.append(_point(history[-1].at, counts))  # before the first change
        history.reverse()
        return DocumentProgress(
            now[DocumentStatus.NEW],
            now[DocumentStatus.IN_PROGRESS],
            now[DocumentStatus.DONE],
            tuple(history),
        )


def _point(at: datetime, counts: Counter[str]) -> StatusPoint:
    return StatusPoint(
        at,
        counts[DocumentStatus.NEW],
        counts[DocumentStatus.IN_PROGRESS],
        counts[DocumentStatus.DONE],
    )
