"""The suggestion lifecycle: pending, accepted, rejected, corrected; each decision one
transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Row, bindparam, delete, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from annotator.core.errors import UsageError
from annotator.core.model import Span, SpanOrigin, Suggestion, SuggestionState, frozen_mapping
from annotator.core.spans import span_problem
from annotator.store.bulk import bulk_insert
from annotator.store.convert import (
    as_utc,
    span_log_entry,
    suggestion_from_row,
    suggestion_log_entry,
)
from annotator.store.database import Database
from annotator.store.labels import Labels
from annotator.store.schema import (
    ChangeRow,
    DocumentRow,
    LabelRow,
    SpanRow,
    SuggestionRow,
    table_of,
    utcnow,
)
from annotator.store.spans import Spans
from annotator.store.states import Action, Entity

PENDING = SuggestionState.PENDING
LOG_COLUMNS = (
    "action",
    "entity",
    "entity_id",
    "document_id",
    "annotator_id",
    "at",
    "before",
    "after",
    "step_id",
)
# What one decision reads and writes, built once (building a statement costs more than running it).
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
_SUGGESTIONS_BY_ID = (
    select(*_SUGGESTION_COLUMNS)
    .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
    .where(SuggestionRow.id.in_(bindparam("ids", expanding=True)))
)
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
    SpanRow.start == bindparam("start"),
    SpanRow.end == bindparam("end"),
    SpanRow.label_id == bindparam("label_id"),
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


NEW_SUGGESTION_COLUMNS = (
    "document_id",
    "start",
    "end",
    "label_id",
    "text",
    "rule",
    "rule_version",
    "explanation",
    "state",
    "created_at",
)


@dataclass(frozen=True)
class SuggestOutcome:
    """What re-running the rules on one document did to its suggestions."""

    added: int
    kept: int
    dropped: int


class Suggestions:
    """What the rules propose, and the analyst's decisions on it: each one transaction, logged."""

    def __init__(self, db: Database, labels: Labels, spans: Spans) -> None:
        self.db = db
        self.labels = labels
        self.spans = spans

    def replace(
        self,
        doc_id: int,
        proposed: Sequence[Suggestion],
        active: Mapping[str, int],
        fingerprint: str,
        *,
        annotator: str | None,
    ) -> SuggestOutcome:
        """Bring the document's pending suggestions in line with what the rules propose now.

        A decided suggestion (accepted, rejected, corrected) is never proposed again, nor is a
        span the document already has. A pending suggestion proposed again keeps its row (and id),
        stamped with the rule's current version; those of a rule that was disabled or no longer
        matches are dropped.
        """
        with self.db.transaction() as session:
            label_ids = self.labels.ids(session)
            # Plain columns and a bulk insert: a corpus run writes hundreds of thousands of these.
            rows = session.execute(
                select(
                    SuggestionRow.id,
                    SuggestionRow.start,
                    SuggestionRow.end,
                    SuggestionRow.label_id,
                    SuggestionRow.rule,
                    SuggestionRow.rule_version,
                    SuggestionRow.state,
                    SuggestionRow.explanation,
                ).where(SuggestionRow.document_id == doc_id)
            ).all()
            decided_ranges = {(r.start, r.end, r.label_id) for r in rows if r.state != PENDING}
            spans = {
                tuple(r)
                for r in session.execute(
                    select(SpanRow.start, SpanRow.end, SpanRow.label_id).where(
                        SpanRow.document_id == doc_id
                    )
                )
            }
            wanted: dict[tuple[int, int, int, str], Suggestion] = {}
            for sug in proposed:
                label_id = label_ids.get(sug.label)
                if label_id is None:
                    continue  # a rule for a label this database does not have
                key = (sug.start, sug.end, label_id, sug.rule)
                if (sug.start, sug.end, label_id) in decided_ranges or (
                    sug.start,
                    sug.end,
                    label_id,
                ) in spans:
                    continue
                wanted.setdefault(key, sug)
            kept = dropped = 0
            stale: list[int] = []
            renewed: list[dict[str, object]] = []
            for row in rows:
                key = (row.start, row.end, row.label_id, row.rule)
                if row.state != PENDING:
                    wanted.pop(key, None)
                elif key in wanted:
                    # Proposed again (maybe by a newer version of its rule): the same row, so its id
                    # stays valid for a window that shows it and the analyst may be deciding on it.
                    again = wanted.pop(key)
                    if (row.rule_version, row.explanation) != (
                        again.rule_version,
                        again.explanation,
                    ):
                        renewed.append(
                            {
                                "row_id": row.id,
                                "version": again.rule_version,
                                "explanation": again.explanation,
                            }
                        )
                    kept += 1
                else:
                    stale.append(row.id)
            if renewed:
                table = table_of(SuggestionRow)
                session.connection().execute(
                    table.update()
                    .where(table.c.id == bindparam("row_id"))
                    .values(
                        rule_version=bindparam("version"), explanation=bindparam("explanation")
                    ),
                    renewed,
                )
            if stale:
                session.execute(delete(SuggestionRow).where(SuggestionRow.id.in_(stale)))
                dropped = len(stale)
            now = utcnow()
            bulk_insert(
                session.connection(),
                table_of(SuggestionRow),
                NEW_SUGGESTION_COLUMNS,
                [
                    (
                        doc_id,
                        s.start,
                        s.end,
                        label_ids[s.label],
                        s.text,
                        s.rule,
                        s.rule_version,
                        s.explanation,
                        PENDING,
                        now,
                    )
                    for s in wanted.values()
                ],
            )
            session.execute(
                update(DocumentRow)
                .where(DocumentRow.id == doc_id)
                .values(suggested_with=fingerprint)
            )
            if wanted or dropped:
                self.db.log(
                    session,
                    Action.SUGGEST,
                    Entity.DOCUMENT,
                    entity_id=doc_id,
                    document_id=doc_id,
                    annotator=annotator,
                    after={"added": len(wanted), "kept": kept, "dropped": dropped},
                )
            return SuggestOutcome(len(wanted), kept, dropped)

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
                span = replace(
                    span, id=self.spans.insert(session, row.document_id, span, new_label_id)
                )
            decided = self._decide(
                session,
                row,
                SuggestionState.CORRECTED if corrected else SuggestionState.ACCEPTED,
                annotator,
            )
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
            return span, suggestion_of(row), row.document_id

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
            # Plain rows, and deletes that do not look through the session: ORM objects would
            # make deleting tens of thousands quadratic.
            rows = session.execute(
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
            if not rows:
                return 0
            ids = [row.id for row in rows]
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
            for i in range(0, len(ids), 500):
                session.execute(
                    delete(SuggestionRow)
                    .where(SuggestionRow.id.in_(ids[i : i + 500]))
                    .execution_options(synchronize_session=False)
                )
            return len(ids)
