"""The suggestion lifecycle: pending, accepted, rejected, corrected; each decision one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from annotator.core.errors import UsageError
from annotator.core.model import Span, SpanOrigin, Suggestion, SuggestionState
from annotator.core.spans import span_problem
from annotator.store.bulk import bulk_insert
from annotator.store.convert import span_log_entry, suggestion_from_row, suggestion_log_entry
from annotator.store.schema import ChangeRow, DocumentRow, LabelRow, SpanRow, SuggestionRow, utcnow

PENDING = SuggestionState.PENDING.value
LOG_COLUMNS = ("action", "entity", "entity_id", "document_id", "annotator_id", "at", "before", "after", "step_id")
NEW_SUGGESTION_COLUMNS = ("document_id", "start", "end", "label_id", "text", "rule", "rule_version",
                          "explanation", "state", "created_at")


@dataclass(frozen=True)
class SuggestOutcome:
    """What re-running the rules on one document did to its suggestions."""

    added: int
    kept: int
    dropped: int


class SuggestionEdits:
    """Mixed into Store."""

    def replace_suggestions(self, doc_id: int, proposed: Sequence[Suggestion], active: Mapping[str, int],
                            fingerprint: str, *, annotator: str | None) -> SuggestOutcome:
        """Bring the document's pending suggestions in line with what the rules propose now.

        A decided suggestion (accepted, rejected, corrected) is never proposed again, nor is a
        span the document already has. A pending suggestion proposed again keeps its row (and id),
        stamped with the rule's current version; those of a rule that was disabled or no longer
        matches are dropped.
        """
        with self.transaction() as session:
            label_ids = self.label_ids(session)
            # Plain columns and a bulk insert: a corpus run writes hundreds of thousands of these.
            rows = session.execute(select(
                SuggestionRow.id, SuggestionRow.start, SuggestionRow.end, SuggestionRow.label_id,
                SuggestionRow.rule, SuggestionRow.rule_version, SuggestionRow.state, SuggestionRow.explanation,
            ).where(SuggestionRow.document_id == doc_id)).all()
            decided_ranges = {(r.start, r.end, r.label_id) for r in rows if r.state != PENDING}
            spans = {tuple(r) for r in session.execute(
                select(SpanRow.start, SpanRow.end, SpanRow.label_id).where(SpanRow.document_id == doc_id))}
            wanted: dict[tuple[int, int, int, str], Suggestion] = {}
            for sug in proposed:
                label_id = label_ids.get(sug.label)
                if label_id is None:
                    continue  # a rule for a label this database does not have
                key = (sug.start, sug.end, label_id, sug.rule)
                if (sug.start, sug.end, label_id) in decided_ranges or (sug.start, sug.end, label_id) in spans:
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
                    if (row.rule_version, row.explanation) != (again.rule_version, again.explanation):
                        renewed.append({"row_id": row.id, "version": again.rule_version,
                                        "explanation": again.explanation})
                    kept += 1
                else:
                    stale.append(row.id)
            if renewed:
                table = SuggestionRow.__table__
                session.connection().execute(
                    table.update().where(table.c.id == bindparam("row_id"))
                    .values(rule_version=bindparam("version"), explanation=bindparam("explanation")), renewed)
            if stale:
                session.execute(delete(SuggestionRow).where(SuggestionRow.id.in_(stale)))
                dropped = len(stale)
            now = utcnow()
            bulk_insert(session.connection(), SuggestionRow.__table__, NEW_SUGGESTION_COLUMNS, [
                (doc_id, s.start, s.end, label_ids[s.label], s.text, s.rule, s.rule_version, s.explanation,
                 PENDING, now)
                for s in wanted.values()
            ])
            session.execute(update(DocumentRow).where(DocumentRow.id == doc_id).values(suggested_with=fingerprint))
            if wanted or dropped:
                self.log(session, "suggest", "document", entity_id=doc_id, document_id=doc_id, annotator=annotator,
                         after={"added": len(wanted), "kept": kept, "dropped": dropped})
            return SuggestOutcome(len(wanted), kept, dropped)

    def suggestions(self, doc_id: int | None = None, states: Sequence[str] = (PENDING,),
                    rule: str | None = None) -> list[tuple[int, Suggestion]]:
        """(document id, suggestion) pairs in document order."""
        with self._sessions() as session:
            stmt = (select(SuggestionRow, LabelRow.name).join(LabelRow, SuggestionRow.label_id == LabelRow.id)
                    .order_by(SuggestionRow.document_id, SuggestionRow.start, SuggestionRow.end.desc()))
            if doc_id is not None:
                stmt = stmt.where(SuggestionRow.document_id == doc_id)
            if states:
                stmt = stmt.where(SuggestionRow.state.in_(states))
            if rule is not None:
                stmt = stmt.where(SuggestionRow.rule == rule)
            return [(row.document_id, suggestion_from_row(row, label, None)) for row, label in session.execute(stmt)]

    def suggestion(self, suggestion_id: int) -> tuple[int, Suggestion]:
        found = self.suggestions_by_id([suggestion_id])
        if not found:
            raise UsageError(f"no suggestion with id {suggestion_id} (see `annotator suggestions`)")
        return found[0]

    def suggestions_by_id(self, ids: Sequence[int]) -> list[tuple[int, Suggestion]]:
        with self._sessions() as session:
            stmt = (select(SuggestionRow, LabelRow.name).join(LabelRow, SuggestionRow.label_id == LabelRow.id)
                    .where(SuggestionRow.id.in_(list(ids))))
            return [(row.document_id, suggestion_from_row(row, label, None)) for row, label in session.execute(stmt)]

    def decisions(self) -> list[tuple[str, str]]:
        """(rule, state) of every suggestion, for the per-rule statistics."""
        with self._sessions() as session:
            return [(rule, state) for rule, state in session.execute(select(SuggestionRow.rule, SuggestionRow.state))]

    def _pending_row(self, session: Session, suggestion_id: int) -> SuggestionRow:
        row = session.get(SuggestionRow, suggestion_id)
        if row is None:
            raise UsageError(f"no suggestion with id {suggestion_id} (see `annotator suggestions`)")
        if row.state != PENDING:
            raise UsageError(f"suggestion {suggestion_id} was already {row.state}")
        return row

    def accept_suggestion(self, suggestion_id: int, *, annotator: str | None,
                          start: int | None = None, end: int | None = None, label: str | None = None
                          ) -> tuple[Span | None, Suggestion]:
        """Accept (or, with a new label or boundaries, correct) a pending suggestion: it becomes a span."""
        with self.transaction() as session:
            row = self._pending_row(session, suggestion_id)
            label_names = {v: k for k, v in self.label_ids(session).items()}
            new_start = row.start if start is None else start
            new_end = row.end if end is None else end
            new_label_id = row.label_id if label is None else self._label_id(session, label)
            corrected = (new_start, new_end, new_label_id) != (row.start, row.end, row.label_id)
            text = session.scalar(select(DocumentRow.text).where(DocumentRow.id == row.document_id)) or ""
            problem = span_problem(text, new_start, new_end)
            if problem:
                raise UsageError(f"suggestion {suggestion_id}: {problem}")
            exists = session.scalar(select(SpanRow.id).where(
                SpanRow.document_id == row.document_id, SpanRow.start == new_start, SpanRow.end == new_end,
                SpanRow.label_id == new_label_id))
            span = None
            if exists is None:
                attributes = ({"corrected_from": {"start": row.start, "end": row.end,
                                                  "label": label_names[row.label_id]}} if corrected else {})
                span_row = SpanRow(document_id=row.document_id, start=new_start, end=new_end,
                                   label_id=new_label_id, text=text[new_start:new_end], origin=SpanOrigin.RULE.value,
                                   rule=row.rule, rule_version=row.rule_version,
                                   annotator_id=self.annotator_id(session, annotator), attributes=attributes)
                session.add(span_row)
                session.flush()
                span = self._as_span(session, span_row)
            before = suggestion_from_row(row, label_names[row.label_id], None)
            row.state = (SuggestionState.CORRECTED if corrected else SuggestionState.ACCEPTED).value
            row.decided_by = self.annotator_id(session, annotator)
            row.decided_at = utcnow()
            self.log(session, row.state, "suggestion", entity_id=row.id, document_id=row.document_id,
                     annotator=annotator, before={"state": PENDING},
                     after={"state": row.state, "span_id": span.id if span else None,
                            "span": span_log_entry(span) if span else None})
            return span, before

    def accept_identical_pending(self, doc_id: int, start: int, end: int, label: str, span_id: int | None, *,
                                 annotator: str | None) -> list[Suggestion]:
        """Accept the pending suggestions exactly like a span the analyst made (same place, same label):
        that work is done, and it counts for their rules. Logged, so undo puts them back."""
        with self.transaction() as session:
            label_id = self._label_id(session, label)
            rows = session.scalars(select(SuggestionRow).where(
                SuggestionRow.document_id == doc_id, SuggestionRow.start == start, SuggestionRow.end == end,
                SuggestionRow.label_id == label_id, SuggestionRow.state == PENDING)).all()
            decided: list[Suggestion] = []
            for row in rows:
                row.state = SuggestionState.ACCEPTED.value
                row.decided_by = self.annotator_id(session, annotator)
                row.decided_at = utcnow()
                self.log(session, row.state, "suggestion", entity_id=row.id, document_id=doc_id,
                         annotator=annotator, before={"state": PENDING},
                         after={"state": row.state, "span_id": span_id, "span": None})
                decided.append(suggestion_from_row(row, label, annotator))
            return decided

    def accept_suggestions(self, ids: Sequence[int], *, annotator: str | None) -> list[Span]:
        """Accept many pending suggestions (accept all, accept a rule's); inside a step, all or none."""
        spans: list[Span] = []
        for suggestion_id in ids:
            span, _ = self.accept_suggestion(suggestion_id, annotator=annotator)
            if span is not None:
                spans.append(span)
        return spans

    def reject_suggestion(self, suggestion_id: int, *, annotator: str | None) -> Suggestion:
        with self.transaction() as session:
            row = self._pending_row(session, suggestion_id)
            row.state = SuggestionState.REJECTED.value
            row.decided_by = self.annotator_id(session, annotator)
            row.decided_at = utcnow()
            self.log(session, "rejected", "suggestion", entity_id=row.id, document_id=row.document_id,
                     annotator=annotator, before={"state": PENDING}, after={"state": row.state})
            label = session.scalar(select(LabelRow.name).where(LabelRow.id == row.label_id)) or ""
            return suggestion_from_row(row, label, annotator)

    def drop_pending(self, rule: str, text: str, label: str, *, annotator: str | None = None) -> int:
        """Remove the pending suggestions of ``rule`` with exactly this text and label, in every document.

        Each one is logged whole, so undoing a "reject everywhere" can put it back.
        """
        with self.transaction() as session:
            label_id = self._label_id(session, label)
            # Plain rows, and deletes that do not look through the session: ORM objects would
            # make deleting tens of thousands quadratic.
            rows = session.execute(select(
                SuggestionRow.id, SuggestionRow.document_id, SuggestionRow.start, SuggestionRow.end,
                SuggestionRow.text, SuggestionRow.rule, SuggestionRow.rule_version, SuggestionRow.explanation,
                SuggestionRow.state, SuggestionRow.created_at).where(
                SuggestionRow.rule == rule, SuggestionRow.text == text, SuggestionRow.label_id == label_id,
                SuggestionRow.state == PENDING).order_by(SuggestionRow.id)).all()
            if not rows:
                return 0
            ids = [row.id for row in rows]
            annotator_id, step_id, now = self.annotator_id(session, annotator), self._open_step(session), utcnow()
            # A common term can be pending in thousands of documents: one executemany, not a flush each.
            bulk_insert(session.connection(), ChangeRow.__table__, LOG_COLUMNS, [
                ("drop", "suggestion", row.id, row.document_id, annotator_id, now,
                 suggestion_log_entry(row, label), None, step_id)
                for row in rows
            ])
            for i in range(0, len(ids), 500):
                session.execute(delete(SuggestionRow).where(SuggestionRow.id.in_(ids[i:i + 500]))
                                .execution_options(synchronize_session=False))
            return len(ids)
