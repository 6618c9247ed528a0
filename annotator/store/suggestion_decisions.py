"""The analyst's decisions on pending suggestions: accept (a span is made), correct (accept with
new boundaries or label), reject, and drop a rule's pending ones everywhere; each one transaction,
logged so undo can reverse it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import Row, bindparam, delete, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from annotator.core.errors import UsageError
from annotator.core.model import (
    MAIN_LAYER,
    Span,
    SpanOrigin,
    Suggestion,
    SuggestionState,
    frozen_mapping,
)
from annotator.core.spans import span_problem
from annotator.store.bulk import LOG_COLUMNS, bulk_insert
from annotator.store.convert import span_log_entry, suggestion_log_entry
from annotator.store.database import Database
from annotator.store.labels import Labels
from annotator.store.schema import (
    ChangeRow,
    LabelRow,
    SpanRow,
    SuggestionRow,
    table_of,
    utcnow,
)
from annotator.store.spans import Spans
from annotator.store.states import Action, Entity
from annotator.store.suggestion_rows import (
    _SUGGESTION,
    _SUGGESTION_COLUMNS,
    PENDING,
    suggestion_of,
)

# What one decision reads and writes, built once (building a statement costs more than running it).
_IDENTICAL_PENDING = (
    select(*_SUGGESTION_COLUMNS)
    .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
    .where(
        SuggestionRow.document_id == bindparam("doc_id"),
        SuggestionRow.start == bindparam("start"),
        SuggestionRow.end == bindparam("end"),
        LabelRow.name == bindparam("label"),
        SuggestionRow.state == PENDING,
    )
)
_DECIDE = (
    update(SuggestionRow)
    .where(SuggestionRow.id == bindparam("suggestion_id"), SuggestionRow.state == PENDING)
    .values(state=bindparam("new_state"), decided_by=bindparam("by"), decided_at=bindparam("at"))
)
_SPAN_AT = select(SpanRow.id).where(
    SpanRow.document_id == bindparam("doc_id"),
    SpanRow.layer == MAIN_LAYER,  # suggestions are the main layer's
    SpanRow.start == bindparam("start"),
    SpanRow.end == bindparam("end"),
    SpanRow.label_id == bindparam("label_id"),
)


class SuggestionDecisions:
    """The deciding half of ``store.suggestions``."""

    db: Database
    labels: Labels
    spans: Spans

    def _pending(self, connection: Connection, suggestion_id: int) -> Row:
        """A pending suggestion's ``_SUGGESTION`` row; UsageError when it is gone or decided."""
        row = connection.execute(_SUGGESTION, {"suggestion_id": suggestion_id}).first()
        if row is None:
            raise UsageError(f"no suggestion with id {suggestion_id} (see `annotator suggestions`)")
        if row.state != PENDING:
            raise UsageError(f"suggestion {suggestion_id} was already {row.state}")
        return row

    def _decide(
        self, session: Session, row: Row, state: SuggestionState, annotator: str | None
    ) -> Suggestion:
        """Mark a pending suggestion decided; what it is now (StaleDataError when it was removed
        meanwhile)."""
        now = utcnow()
        decided = self.db.core(session).execute(
            _DECIDE,
            {
                "suggestion_id": row.id,
                "new_state": state.value,
                "by": self.db.annotator_id(session, annotator),
                "at": now,
            },
        )
        if decided.rowcount != 1:
            raise StaleDataError(f"suggestion {row.id} was decided or removed meanwhile")
        return replace(suggestion_of(row), state=state, decided_by=annotator, decided_at=now)

    def accept(
        self,
        suggestion_id: int,
        *,
        annotator: str | None,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
    ) -> tuple[Span | None, Suggestion]:
        """Accept (or, with a new label or boundaries, correct) a pending suggestion: it becomes a
        span."""
        span, before, _ = self._accept(suggestion_id, annotator, start, end, label)
        return span, before

    def _accept(
        self,
        suggestion_id: int,
        annotator: str | None,
        start: int | None = None,
        end: int | None = None,
        label: str | None = None,
    ) -> tuple[Span | None, Suggestion, int]:
        """``accept``, and the suggestion's document."""
        with self.db.transaction() as session:
            connection = self.db.core(session)
            row = self._pending(connection, suggestion_id)
            new_start = row.start if start is None else start
            new_end = row.end if end is None else end
            new_label_id = row.label_id if label is None else self.labels.id_of(session, label)
            corrected = (new_start, new_end, new_label_id) != (row.start, row.end, row.label_id)
            text = self.db.text(connection, row.document_id)
            problem = span_problem(text, new_start, new_end)
            if problem:
                raise UsageError(f"suggestion {suggestion_id}: {problem}")
            exists = connection.scalar(
                _SPAN_AT,
                {
                    "doc_id": row.document_id,
                    "start": new_start,
                    "end": new_end,
                    "label_id": new_label_id,
                },
            )
            span = None
            if exists is None:
                span = self._make_span(
                    session, row, (new_start, new_end, new_label_id), label, text, annotator
                )
            decided = self._decide(
                session,
                row,
                SuggestionState.CORRECTED if corrected else SuggestionState.ACCEPTED,
                annotator,
            )
            self._log_acceptance(session, row, decided, span, annotator)
            return span, suggestion_of(row), row.document_id

    def _make_span(
        self,
        session: Session,
        row: Row,
        place: tuple[int, int, int],
        label: str | None,
        text: str,
        annotator: str | None,
    ) -> Span:
        """The span an accepted suggestion makes at ``place`` (start, end, label id), inserted;
        when the place differs from the suggestion's, it remembers where it was corrected from."""
        new_start, new_end, new_label_id = place
        corrected = place != (row.start, row.end, row.label_id)
        attributes = (
            {"corrected_from": {"start": row.start, "end": row.end, "label": row.label}}
            if corrected
            else {}
        )
        now = utcnow()
        span = Span(
            new_start,
            new_end,
            label or row.label,
            text[new_start:new_end],
            SpanOrigin.RULE,
            row.rule,
            row.rule_version,
            annotator,
            None,
            frozen_mapping(attributes),
            None,
            now,
            now,
        )
        return replace(span, id=self.spans.insert(session, row.document_id, span, new_label_id))

    def _log_acceptance(
        self,
        session: Session,
        row: Row,
        decided: Suggestion,
        span: Span | None,
        annotator: str | None,
    ) -> None:
        self.db.log(
            session,
            Action(decided.state.value),
            Entity.SUGGESTION,
            entity_id=row.id,
            document_id=row.document_id,
            annotator=annotator,
            before={"state": PENDING},
            after={
                "state": decided.state.value,
                "span_id": span.id if span else None,
                "span": span_log_entry(span) if span else None,
            },
        )

    def accept_identical(
        self,
        doc_id: int,
        start: int,
        end: int,
        label: str,
        span_id: int | None,
        *,
        annotator: str | None,
    ) -> list[Suggestion]:
        """Accept the pending suggestions exactly like a span the analyst made (same place, same
        label): that work is done, and it counts for their rules. Logged, so undo puts them back."""
        with self.db.transaction() as session:
            # One indexed read (the suggestions' unique index starts with these four columns);
            # sorted here, as an ORDER BY id made SQLite walk every suggestion of the document.
            rows = sorted(
                self.db.core(session).execute(
                    _IDENTICAL_PENDING,
                    {"doc_id": doc_id, "start": start, "end": end, "label": label},
                ),
                key=lambda row: row.id,
            )
            decided: list[Suggestion] = []
            for row in rows:
                decided.append(self._decide(session, row, SuggestionState.ACCEPTED, annotator))
                self.db.log(
                    session,
                    Action.ACCEPTED,
                    Entity.SUGGESTION,
                    entity_id=row.id,
                    document_id=doc_id,
                    annotator=annotator,
                    before={"state": PENDING},
                    after={"state": SuggestionState.ACCEPTED, "span_id": span_id, "span": None},
                )
            return decided

    def accept_many(
        self, ids: Sequence[int], *, annotator: str | None
    ) -> tuple[list[Span], list[Suggestion]]:
        """Accept many pending suggestions (accept all, a rule's); inside a step, all or none.

        Returns the spans made, and the other pending suggestions exactly like one of them
        (another rule's), accepted with it.
        """
        spans: list[Span] = []
        resolved: list[Suggestion] = []
        done: set[int] = set()
        for suggestion_id in ids:
            if suggestion_id in done:
                continue  # accepted already, with an identical one before it
            span, _, doc_id = self._accept(suggestion_id, annotator)
            if span is not None:
                spans.append(span)
                found = self.accept_identical(
                    doc_id, span.start, span.end, span.label, span.id, annotator=annotator
                )
                resolved += found
                done.update(s.id for s in found if s.id is not None)
        return spans, resolved

    def reject(self, suggestion_id: int, *, annotator: str | None) -> Suggestion:
        with self.db.transaction() as session:
            row = self._pending(self.db.core(session), suggestion_id)
            rejected = self._decide(session, row, SuggestionState.REJECTED, annotator)
            self.db.log(
                session,
                Action.REJECTED,
                Entity.SUGGESTION,
                entity_id=row.id,
                document_id=row.document_id,
                annotator=annotator,
                before={"state": PENDING},
                after={"state": rejected.state.value},
            )
            return rejected

    def drop_pending(
        self, rule: str, text: str, label: str, *, annotator: str | None = None
    ) -> int:
        """Remove the pending suggestions of ``rule`` with exactly this text and label, in every
        document.

        Each one is logged whole, so undoing a "reject everywhere" can put it back.
        """
        with self.db.transaction() as session:
            label_id = self.labels.id_of(session, label)
            rows = _pending_like(session, rule, text, label_id)
            if not rows:
                return 0
            self._log_drops(session, rows, label, annotator)
            ids = [row.id for row in rows]
            for i in range(0, len(ids), 500):
                session.execute(
                    delete(SuggestionRow)
                    .where(SuggestionRow.id.in_(ids[i : i + 500]))
                    .execution_options(synchronize_session=False)
                )
            return len(ids)

    def _log_drops(
        self, session: Session, rows: Sequence[Row], label: str, annotator: str | None
    ) -> None:
        """Log each dropped suggestion whole (rows of ``_pending_like``)."""
        annotator_id, step_id, now = (
            self.db.annotator_id(session, annotator),
            self.db.open_step(session),
            utcnow(),
        )
        # A common term can be pending in thousands of documents: one executemany, not a flush
        # each.
        bulk_insert(
            session.connection(),
            table_of(ChangeRow),
            LOG_COLUMNS,
            [
                (
                    Action.DROP,
                    Entity.SUGGESTION,
                    row.id,
                    row.document_id,
                    annotator_id,
                    now,
                    suggestion_log_entry(row, label),
                    None,
                    step_id,
                )
                for row in rows
            ],
        )


def _pending_like(session: Session, rule: str, text: str, label_id: int) -> Sequence[Row]:
    """The pending suggestions of ``rule`` with this text and label, in every document."""
    # Plain rows, and deletes that do not look through the session: ORM objects would make
    # deleting tens of thousands quadratic.
    return session.execute(
        select(
            SuggestionRow.id,
            SuggestionRow.document_id,
            SuggestionRow.start,
            SuggestionRow.end,
            SuggestionRow.text,
            SuggestionRow.rule,
            SuggestionRow.rule_version,
            SuggestionRow.explanation,
            SuggestionRow.state,
            SuggestionRow.created_at,
        )
        .where(
            SuggestionRow.rule == rule,
            SuggestionRow.text == text,
            SuggestionRow.label_id == label_id,
            SuggestionRow.state == PENDING,
        )
        .order_by(SuggestionRow.id)
    ).all()
