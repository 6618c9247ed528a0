"""What the plots read: the decisions on suggestions in the order they were made, suggestions per
rule and state, spans per label and origin, pending suggestions per label, documents per status
and every status change.

One statement each, plain columns (no ORM objects): a corpus has hundreds of thousands of
suggestions, and the plots are read again after the analyst's decisions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from annotator.core.model import SuggestionState
from annotator.store.convert import as_utc
from annotator.store.database import Database
from annotator.store.schema import ChangeRow, DocumentRow, LabelRow, SpanRow, SuggestionRow
from annotator.store.states import Action, Entity

DECIDED = (SuggestionState.ACCEPTED, SuggestionState.CORRECTED, SuggestionState.REJECTED)

# Built once (building a statement costs more than running it).
# A decision undone is pending again and drops out; a redone one gets its first time back (the
# change log keeps it), so the order is the order of the decisions that stand.
# A decision undone is pending again and drops out; a redone one gets its first time back (the
# change log keeps it), so the order is the order of the decisions that stand.
_DECISIONS = (
    select(SuggestionRow.rule, SuggestionRow.state)
    .where(SuggestionRow.state.in_([str(state) for state in DECIDED]))
    .order_by(SuggestionRow.decided_at, SuggestionRow.id)
)
_RULE_STATES = select(SuggestionRow.rule, SuggestionRow.state, func.count()).group_by(
    SuggestionRow.rule, SuggestionRow.state
)
_LABEL_SPANS = (
    select(LabelRow.name, LabelRow.colour, SpanRow.origin, func.count(SpanRow.id))
    .join(SpanRow, SpanRow.label_id == LabelRow.id, isouter=True)
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


class ProgressQueries:
    """Read-only counts over the whole database, for the plots."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def decisions(self) -> Sequence[tuple[str, str]]:
        """(rule, state) of every decided suggestion, oldest decision first (those without a
        time, imported decided, before all)."""
        with self.db.sessions() as session:
            # Core rows, not the ORM's: a third of the time on 100,000 suggestions.
            return self.db.core(session).execute(_DECISIONS).all()

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
