"""Span edits, each one transaction with its change-log entry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.core.errors import UsageError
from annotator.core.model import Span, SpanOrigin
from annotator.core.spans import span_problem
from annotator.store.convert import span_from_row, span_log_entry
from annotator.store.schema import AnnotatorRow, DocumentRow, LabelRow, SpanRow, utcnow


class SpanEdits:
    """Mixed into Store."""

    def _label_id(self, session: Session, name: str) -> int:
        found = session.scalar(select(LabelRow.id).where(LabelRow.name == name))
        if found is None:
            raise UsageError(f"no label named {name!r} (see `annotator labels`)")
        return found

    def _span_row(self, session: Session, span_id: int) -> SpanRow:
        row = session.get(SpanRow, span_id)
        if row is None:
            raise UsageError(f"no span with id {span_id}")
        return row

    def _as_span(self, session: Session, row: SpanRow) -> Span:
        label = session.scalar(select(LabelRow.name).where(LabelRow.id == row.label_id))
        annotator = (session.scalar(select(AnnotatorRow.name).where(AnnotatorRow.id == row.annotator_id))
                     if row.annotator_id else None)
        return span_from_row(row, label or "", annotator)

    def span_document(self, span_id: int) -> int:
        """The id of the document a span is in."""
        with self._sessions() as session:
            found = session.scalar(select(SpanRow.document_id).where(SpanRow.id == span_id))
            if found is None:
                raise UsageError(f"no span with id {span_id}")
            return found

    def span(self, span_id: int) -> Span:
        with self._sessions() as session:
            return self._as_span(session, self._span_row(session, span_id))

    def add_span(self, doc_id: int, start: int, end: int, label: str, *, annotator: str | None,
                 origin: SpanOrigin = SpanOrigin.MANUAL, rule: str | None = None,
                 rule_version: int | None = None, note: str | None = None,
                 attributes: dict[str, Any] | None = None) -> Span:
        with self.transaction() as session:
            doc = session.get(DocumentRow, doc_id)
            if doc is None:
                raise UsageError(f"no document with id {doc_id}")
            problem = span_problem(doc.text, start, end)
            if problem:
                raise UsageError(f"document {doc_id}: {problem}")
            row = SpanRow(document_id=doc_id, start=start, end=end, label_id=self._label_id(session, label),
                          text=doc.text[start:end], origin=str(origin), rule=rule, rule_version=rule_version,
                          annotator_id=self.annotator_id(session, annotator), note=note,
                          attributes=dict(attributes or {}))
            session.add(row)
            try:
                session.flush()
            except IntegrityError:
                raise UsageError(f"document {doc_id} already has a {label} span at [{start}, {end})") from None
            span = self._as_span(session, row)
            self.log(session, "add", "span", entity_id=row.id, document_id=doc_id, annotator=annotator,
                     after=span_log_entry(span))
            return span

    def update_span(self, span_id: int, *, annotator: str | None, **changes: Any) -> tuple[Span, Span]:
        """Change a span's label, boundaries, note or attributes; returns (before, after)."""
        with self.transaction() as session:
            row = self._span_row(session, span_id)
            before = self._as_span(session, row)
            if "label" in changes:
                row.label_id = self._label_id(session, changes.pop("label"))
            if "start" in changes or "end" in changes:
                text = session.scalar(select(DocumentRow.text).where(DocumentRow.id == row.document_id)) or ""
                start, end = changes.pop("start", row.start), changes.pop("end", row.end)
                problem = span_problem(text, start, end)
                if problem:
                    raise UsageError(f"document {row.document_id}: {problem}")
                row.start, row.end, row.text = start, end, text[start:end]
            for key in ("note", "attributes"):
                if key in changes:
                    setattr(row, key, changes.pop(key))
            if changes:
                raise UsageError(f"cannot change {', '.join(changes)} of a span")
            row.updated_at = utcnow()
            try:
                session.flush()
            except IntegrityError:
                raise UsageError(f"document {row.document_id} already has that span") from None
            after = self._as_span(session, row)
            self.log(session, "edit", "span", entity_id=span_id, document_id=row.document_id,
                     annotator=annotator, before=span_log_entry(before), after=span_log_entry(after))
            return before, after

    def delete_span(self, span_id: int, *, annotator: str | None) -> Span:
        with self.transaction() as session:
            row = self._span_row(session, span_id)
            span = self._as_span(session, row)
            document_id = row.document_id
            session.delete(row)
            self.log(session, "delete", "span", entity_id=span_id, document_id=document_id,
                     annotator=annotator, before=span_log_entry(span))
            return span
