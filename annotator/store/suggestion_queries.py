"""Reading suggestions: by document, state and rule; by id; and every decision, for the per-rule
statistics."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, select

from annotator.core.errors import UsageError
from annotator.core.model import Suggestion
from annotator.store.convert import suggestion_from_row
from annotator.store.database import Database
from annotator.store.schema import LabelRow, SuggestionRow
from annotator.store.suggestion_rows import _SUGGESTION_COLUMNS, PENDING, suggestion_of

# Built once (building a statement costs more than running it).
_SUGGESTIONS_BY_ID = (
    select(*_SUGGESTION_COLUMNS)
    .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
    .where(SuggestionRow.id.in_(bindparam("ids", expanding=True)))
)


class SuggestionQueries:
    """The reading half of ``store.suggestions``."""

    db: Database

    def find(
        self, doc_id: int | None = None, states: Sequence[str] = (PENDING,), rule: str | None = None
    ) -> list[tuple[int, Suggestion]]:
        """(document id, suggestion) pairs in document order."""
        with self.db.sessions() as session:
            stmt = (
                select(SuggestionRow, LabelRow.name)
                .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
                .order_by(SuggestionRow.document_id, SuggestionRow.start, SuggestionRow.end.desc())
            )
            if doc_id is not None:
                stmt = stmt.where(SuggestionRow.document_id == doc_id)
            if states:
                stmt = stmt.where(SuggestionRow.state.in_(states))
            if rule is not None:
                stmt = stmt.where(SuggestionRow.rule == rule)
            return [
                (row.document_id, suggestion_from_row(row, label, None))
                for row, label in session.execute(stmt)
            ]

    def get(self, suggestion_id: int) -> tuple[int, Suggestion]:
        found = self.by_id([suggestion_id])
        if not found:
            raise UsageError(f"no suggestion with id {suggestion_id} (see `annotator suggestions`)")
        return found[0]

    def by_id(self, ids: Sequence[int]) -> list[tuple[int, Suggestion]]:
        with self.db.sessions() as session:
            rows = self.db.core(session).execute(_SUGGESTIONS_BY_ID, {"ids": list(ids)})
            return [(row[11], suggestion_of(row)) for row in rows]

    def decisions(self) -> list[tuple[str, str]]:
        """(rule, state) of every suggestion, for the per-rule statistics."""
        with self.db.sessions() as session:
            return [
                (rule, state)
                for rule, state in session.execute(select(SuggestionRow.rule, SuggestionRow.state))
            ]
