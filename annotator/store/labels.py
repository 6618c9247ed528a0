"""Labels as stored: one row a label; every change logged whole, so undo can put it back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.store.schema import LabelRow, RuleRow, SpanRow, SuggestionRow

# Label field -> LabelRow attribute.
LABEL_FIELDS = {
    "name": "name",
    "colour": "colour",
    "hotkey": "hotkey",
    "description": "description",
    "order": "position",
}


def label_log_entry(row: LabelRow) -> dict[str, Any]:
    """How a label is written into the change log: enough to put it back as it was."""
    return {key: getattr(row, attr) for key, attr in LABEL_FIELDS.items()}


def label_uses(session: Session, row: LabelRow) -> str:
    """What uses the label ("2 spans, rule ORG-1"), or "" when nothing does."""
    spans = session.scalar(select(func.count(SpanRow.id)).where(SpanRow.label_id == row.id)) or 0
    suggestions = (
        session.scalar(select(func.count(SuggestionRow.id)).where(SuggestionRow.label_id == row.id))
        or 0
    )
    rules = list(session.scalars(select(RuleRow.name).where(RuleRow.label == row.name)))
    uses = [
        f"{spans} span{'s' if spans != 1 else ''}" if spans else "",
        f"{suggestions} suggestion{'s' if suggestions != 1 else ''}" if suggestions else "",
        f"rule{'s' if len(rules) != 1 else ''} {', '.join(rules[:3])}" if rules else "",
    ]
    return ", ".join(u for u in uses if u)
