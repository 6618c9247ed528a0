"""One suggestion as the decisions, the queries and undo read it: its columns, the statement that
reads it by id, and the Suggestion made from such a row."""

from __future__ import annotations

from sqlalchemy import Row, bindparam, select

from annotator.core.model import Suggestion, SuggestionState
from annotator.store.convert import as_utc
from annotator.store.schema import LabelRow, SuggestionRow

PENDING = SuggestionState.PENDING
# Built once (building a statement costs more than running it).
_SUGGESTION_COLUMNS = (
    SuggestionRow.start,
    SuggestionRow.end,
    LabelRow.name.label("label"),
    SuggestionRow.text,
    SuggestionRow.rule,
    SuggestionRow.rule_version,
    SuggestionRow.explanation,
    SuggestionRow.state,
    SuggestionRow.decided_at,
    SuggestionRow.id,
    SuggestionRow.label_id,
    SuggestionRow.document_id,
)
_SUGGESTION = (
    select(*_SUGGESTION_COLUMNS)
    .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
    .where(SuggestionRow.id == bindparam("suggestion_id"))
)


def suggestion_of(row: Row) -> Suggestion:
    """A Suggestion from a row of ``_SUGGESTION_COLUMNS``; decided_by is left None (the caller
    knows who)."""
    return Suggestion(
        row[0],
        row[1],
        row[2],
        row[3],
        row[4],
        row[5],
        row[6] or "",
        SuggestionState(row[7]),
        None,
        as_utc(row[8]),
        row[9],
    )
