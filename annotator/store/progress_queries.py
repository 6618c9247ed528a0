"""What the plots read: the decisions on suggestions in the order they were made, suggestions per
rule and state, spans per label and origin, pending suggestions per label, documents per status
every status change, and the documents worked on last with their spans and pending suggestions.

One statement each, plain columns (no ORM objects): a corpus has hundreds of thousands of
suggestions, and the plots are read again after the analyst's decisions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, case, func, or_, select

from annotator.core.model import MAIN_LAYER, SuggestionState
from annotator.store.convert import as_utc
from annotator.store.database import Database
from annotator.store.schema import ChangeRow, DocumentRow, LabelRow, SpanRow, SuggestionRow
from annotator.store.states import Action, Entity

DECIDED = (SuggestionState.ACCEPTED, SuggestionState.CORRECTED, SuggestionState.REJECTED)

# Built once (building a statement costs more than running it).
# A decision undone is pending again and drops out; a redone one gets its first time back (the
# change log keeps it), so the order is the order of the decisions that stand.
_ORDER = (SuggestionRow.decided_at, SuggestionRow.id)
_IN_ORDER = SuggestionRow.state.in_([str(state) for state in DECIDED])


def _so_far(state: SuggestionState) -> ColumnElement[int]:
    """How many of the rule's decisions up to this one were ``state``."""
    return func.sum(case((SuggestionRow.state == str(state), 1), else_=0)).over(
        partition_by=SuggestionRow.rule, order_by=_ORDER, rows=(None, 0)
    )


# Each decision with its place among all decisions and the rule's counts so far, counted by the
# database (window functions): no Python loop over 100,000 rows holds the GIL while the
# window's keys wait. Of a rule with more than ``most`` decisions only every k-th row comes
# back (and its last), k = ceil(decisions / most): a curve needs no more points than pixels.
_RUNNING = (
    select(
        SuggestionRow.rule,
        func.row_number().over(order_by=_ORDER).label("place"),
        func.row_number().over(partition_by=SuggestionRow.rule, order_by=_ORDER).label("hits"),
        func.count().over(partition_by=SuggestionRow.rule).label("total"),
        _so_far(SuggestionState.ACCEPTED).label("accepted"),
        _so_far(SuggestionState.CORRECTED).label("corrected"),
        _so_far(SuggestionState.REJECTED).label("rejected"),
    )
    .where(_IN_ORDER)
    .subquery()
)
_STEP = (_RUNNING.c.total + bindparam("most") - 1) // bindparam("most")
_TIMELINES = (
    select(
        _RUNNING.c.rule,
        _RUNNING.c.place,
        _RUNNING.c.hits,
        _RUNNING.c.accepted,
        _RUNNING.c.corrected,
        _RUNNING.c.rejected,
    )
    .where(or_((_RUNNING.c.hits - 1) % _STEP == 0, _RUNNING.c.hits == _RUNNING.c.total))
    .order_by(_RUNNING.c.place)
)
EVERY = 2**62  # ``most`` that keeps every decision
_RULE_STATES = select(SuggestionRow.rule, SuggestionRow.state, func.count()).group_by(
    SuggestionRow.rule, SuggestionRow.state
)
_LABEL_SPANS = (
    select(LabelRow.name, LabelRow.colour, SpanRow.origin, func.count(SpanRow.id))
    .join(SpanRow, (SpanRow.label_id == LabelRow.id) & (SpanRow.layer == MAIN_LAYER), isouter=True)
    .group_by(LabelRow.id, SpanRow.origin)
    .order_by(LabelRow.position, LabelRow.id)
)
_LABEL_PENDING = (
    select(LabelRow.name, func.count())
    .join(SuggestionRow, SuggestionRow.label_id == LabelRow.id)
    .where(SuggestionRow.state == str(SuggestionState.PENDING))
    .group_by(LabelRow.id)
)
_STATUSES = select(DocumentRow.status, func.count()).group_by(DocumentRow.status)
# A status change, and the undo and redo of one (their log rows carry before and after too).
_STATUS_CHANGES = (
    select(
        ChangeRow.at,
        ChangeRow.before["status"].as_string(),
        ChangeRow.after["status"].as_string(),
    )
    .where(
        ChangeRow.entity == str(Entity.DOCUMENT),
        ChangeRow.action.in_([str(Action.STATUS), str(Action.UNDO), str(Action.REDO)]),
    )
    .order_by(ChangeRow.id)
)


# The documents worked on last: the latest change-log entry of each, imports and rule runs left
# out (a fresh import of 10,000 articles, or the suggestions made on opening one, is no work).
_RECENT = (
    select(ChangeRow.document_id, func.max(ChangeRow.id).label("last"))
    .where(
        ChangeRow.document_id.is_not(None),
        ChangeRow.action.not_in([Action.IMPORT, Action.SUGGEST]),
    )
    .group_by(ChangeRow.document_id)
    .order_by(func.max(ChangeRow.id).desc())
    .limit(bindparam("limit"))
    .subquery()
)
_RECENT_DOCUMENTS = (
    select(DocumentRow.id, DocumentRow.title, DocumentRow.status)
    .join(_RECENT, _RECENT.c.document_id == DocumentRow.id)
    .order_by(_RECENT.c.last.desc())
)
_DOCUMENT_SPANS = (
    select(SpanRow.document_id, SpanRow.origin, func.count())
    .where(SpanRow.document_id.in_(bindparam("ids", expanding=True)), SpanRow.layer == MAIN_LAYER)
    .group_by(SpanRow.document_id, SpanRow.origin)
)
_DOCUMENT_PENDING = (
    select(SuggestionRow.document_id, func.count())
    .where(
        SuggestionRow.document_id.in_(bindparam("ids", expanding=True)),
        SuggestionRow.state == SuggestionState.PENDING,
    )
    .group_by(SuggestionRow.document_id)
)


class ProgressQueries:
    """Read-only counts over the whole database, for the plots."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def timelines(self, most: int = EVERY) -> Sequence[tuple[str, int, int, int, int, int]]:
        """(rule, place among all decisions, the rule's decisions so far, accepted, corrected and
        rejected so far) after each decision, oldest first (those without a time, imported
        decided, before all); at most about ``most`` rows a rule, its last always."""
        with self.db.sessions() as session:
            # Core rows, not the ORM's: a third of the time on 100,000 suggestions.
            return self.db.core(session).execute(_TIMELINES, {"most": max(1, most)}).all()

    def rule_states(self) -> Sequence[tuple[str, str, int]]:
        """(rule, state, how many suggestions) for every rule that made any."""
        with self.db.sessions() as session:
            return self.db.core(session).execute(_RULE_STATES).all()

    def label_spans(self) -> list[tuple[str, str, str | None, int]]:
        """(label, colour, span origin, how many spans) in label order; a label without spans
        once, with origin None and 0."""
        with self.db.sessions() as session:
            return [
                (name, colour, origin, count)
                for name, colour, origin, count in session.execute(_LABEL_SPANS)
            ]

    def label_pending(self) -> dict[str, int]:
        """Pending suggestions per label (labels without any are left out)."""
        with self.db.sessions() as session:
            return {name: count for name, count in session.execute(_LABEL_PENDING)}

    def statuses(self) -> dict[str, int]:
        """Documents per status (statuses no document has are left out)."""
        with self.db.sessions() as session:
            return {status: count for status, count in session.execute(_STATUSES)}

    def status_changes(self) -> list[tuple[datetime, str | None, str | None]]:
        """(when, status before, status after) of every status change, undo and redo, in order."""
        with self.db.sessions() as session:
            rows = session.execute(_STATUS_CHANGES)
            return [(as_utc(at) or at, before, after) for at, before, after in rows]

    def recent_documents(self, limit: int) -> list[tuple[int, str, str, dict[str, int], int]]:
        """(id, title, status, spans by origin, pending suggestions) of the ``limit`` documents
        changed last, the latest first."""
        with self.db.sessions() as session:
            documents = session.execute(_RECENT_DOCUMENTS, {"limit": max(0, limit)}).all()
            ids = [doc_id for doc_id, _, _ in documents]
            spans: dict[int, dict[str, int]] = {doc_id: {} for doc_id in ids}
            pending: dict[int, int] = {}
            if ids:
                for doc_id, origin, count in session.execute(_DOCUMENT_SPANS, {"ids": ids}):
                    spans[doc_id][origin] = count
                pending = {doc: n for doc, n in session.execute(_DOCUMENT_PENDING, {"ids": ids})}
            return [
                (doc_id, title, status, spans[doc_id], pending.get(doc_id, 0))
                for doc_id, title, status in documents
            ]
