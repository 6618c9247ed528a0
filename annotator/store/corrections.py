"""The analyst's corrections of suggestions, read back: the last one in a document, and what a
rejected or corrected suggestion was turned into (for the rule fixes proposed from it)."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import select

from annotator.core.errors import UsageError
from annotator.core.model import MAIN_LAYER, SuggestionState
from annotator.store.database import Database
from annotator.store.schema import LabelRow, SpanRow, SuggestionRow

_CORRECTIONS = (SuggestionState.REJECTED, SuggestionState.CORRECTED)


class CorrectedSuggestion(NamedTuple):
    """A decided suggestion and, when it was corrected, the span made instead (else None)."""

    document_id: int
    start: int
    end: int
    label: str
    rule: str
    state: str
    made: tuple[int, int, str] | None


def last_corrected(db: Database, doc_id: int) -> int | None:
    """The suggestion of ``doc_id`` most recently rejected or corrected, or None."""
    with db.sessions() as session:
        return session.scalar(
            select(SuggestionRow.id)
            .where(SuggestionRow.document_id == doc_id, SuggestionRow.state.in_(_CORRECTIONS))
            .order_by(SuggestionRow.decided_at.desc(), SuggestionRow.id.desc())
            .limit(1)
        )


def corrected_suggestion(db: Database, suggestion_id: int) -> CorrectedSuggestion:
    """The suggestion and what the analyst made of it; UsageError unless rejected or corrected."""
    with db.sessions() as session:
        row = session.execute(
            select(
                SuggestionRow.document_id,
                SuggestionRow.start,
                SuggestionRow.end,
                LabelRow.name,
                SuggestionRow.rule,
                SuggestionRow.state,
            )
            .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
            .where(SuggestionRow.id == suggestion_id)
        ).first()
        if row is None:
            raise UsageError(f"no suggestion with id {suggestion_id}")
        doc_id, start, end, label, rule, state = row
        if state not in _CORRECTIONS:
            raise UsageError(f"suggestion {suggestion_id} was not rejected or corrected ({state})")
        made = None
        if state == SuggestionState.CORRECTED:
            spans = session.execute(
                select(SpanRow.start, SpanRow.end, LabelRow.name, SpanRow.attributes)
                .join(LabelRow, SpanRow.label_id == LabelRow.id)
                .where(
                    SpanRow.document_id == doc_id,
                    SpanRow.layer == MAIN_LAYER,
                    SpanRow.rule == rule,
                )
            )
            wanted = {"start": start, "end": end, "label": label}
            made = next(
                ((s, e, name) for s, e, name, attrs in spans
                 if (attrs or {}).get("corrected_from") == wanted),
                None,
            )  # fmt: skip
        return CorrectedSuggestion(doc_id, start, end, label, rule, state, made)


def corrected_into(db: Database, span_id: int) -> int | None:
    """The suggestion a span was made from by a correction (its label or boundaries changed on
    acceptance), or None for any other span."""
    with db.sessions() as session:
        row = session.execute(
            select(SpanRow.document_id, SpanRow.rule, SpanRow.attributes).where(
                SpanRow.id == span_id
            )
        ).first()
        if row is None or not row.rule:
            return None
        origin = (row.attributes or {}).get("corrected_from")
        if not isinstance(origin, dict):
            return None
        return session.scalar(
            select(SuggestionRow.id)
            .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
            .where(
                SuggestionRow.document_id == row.document_id,
                SuggestionRow.rule == row.rule,
                SuggestionRow.start == origin.get("start"),
                SuggestionRow.end == origin.get("end"),
                LabelRow.name == origin.get("label"),
                SuggestionRow.state == SuggestionState.CORRECTED,
            )
        )
