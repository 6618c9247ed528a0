"""Span edits, each one transaction with its change-log entry.

An edit is a key press in the window: each runs a few prebuilt Core statements on the session's
connection (an ORM object and a statement built anew cost more than the SQL they write).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Select, bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from annotator.core.errors import UsageError
from annotator.core.model import MAIN_LAYER, Span, SpanOrigin, frozen_mapping
from annotator.core.spans import span_problem
from annotator.store.convert import as_utc, span_log_entry
from annotator.store.database import Database, new_id
from annotator.store.labels import Labels
from annotator.store.schema import AnnotatorRow, LabelRow, SpanRow, utcnow
from annotator.store.states import Action, Entity

_ANNOTATOR_NAME = select(AnnotatorRow.name).where(AnnotatorRow.id == bindparam("annotator_id"))
_SPAN_DOCUMENT = select(SpanRow.document_id).where(SpanRow.id == bindparam("span_id"))
# What span_of reads (a row's first 13 columns), the label's and annotator's names joined.
SPAN_COLUMNS = (
    SpanRow.start,
    SpanRow.end,
    LabelRow.name,
    SpanRow.text,
    SpanRow.origin,
    SpanRow.rule,
    SpanRow.rule_version,
    AnnotatorRow.name,
    SpanRow.note,
    SpanRow.attributes,
    SpanRow.id,
    SpanRow.created_at,
    SpanRow.updated_at,
)


def named_spans(*extra: Any) -> Select:
    """A select of SPAN_COLUMNS and then ``extra``, with the label and annotator names joined."""
    return (
        select(*SPAN_COLUMNS, *extra)
        .join(LabelRow, SpanRow.label_id == LabelRow.id)
        .outerjoin(AnnotatorRow, SpanRow.annotator_id == AnnotatorRow.id)
    )


# A span with its label and annotator names, its document and layer: one read.
_SPAN = named_spans(SpanRow.document_id, SpanRow.layer).where(SpanRow.id == bindparam("span_id"))
# Every span of a document with its layer (column 13), layer by layer in the order index's order.
LAYER_SPANS = (
    named_spans(SpanRow.layer)
    .where(SpanRow.document_id == bindparam("doc_id"))
    .order_by(SpanRow.layer, SpanRow.start, SpanRow.end.desc(), SpanRow.label_id)
)
_NEW_SPAN = insert(SpanRow)
_EDIT_SPAN = (
    update(SpanRow)
    .where(SpanRow.id == bindparam("span_id"))
    .values(
        {
            name: bindparam(name)
            for name in ("start", "end", "label_id", "text", "note", "attributes", "updated_at")
        }
    )
)
_DELETE_SPAN = delete(SpanRow).where(SpanRow.id == bindparam("span_id"))


def span_of(row: Sequence[Any]) -> Span:
    """A Span from a row of ``_SPAN``'s columns (its first 13)."""
    return Span(
        row[0],
        row[1],
        row[2],
        row[3],
        SpanOrigin(row[4]),
        row[5],
        row[6],
        row[7],
        row[8],
        frozen_mapping(row[9]),
        row[10],
        as_utc(row[11]),
        as_utc(row[12]),
    )


class Spans:
    """The spans of documents: each edit one transaction (or part of a step), logged."""

    def __init__(self, db: Database, labels: Labels) -> None:
        self.db = db
        self.labels = labels

    def span_and_document(self, connection: Connection, span_id: int) -> tuple[Span, int]:
        row = connection.execute(_SPAN, {"span_id": span_id}).first()
        if row is None:
            raise UsageError(f"no span with id {span_id}")
        return replace(span_of(row), layer=row[14]), row[13]

    def document_of(self, span_id: int) -> int:
        """The id of the document a span is in."""
        with self.db.sessions() as session:
            found = self.db.core(session).scalar(_SPAN_DOCUMENT, {"span_id": span_id})
            if found is None:
                raise UsageError(f"no span with id {span_id}")
            return found

    def get(self, span_id: int) -> Span:
        with self.db.sessions() as session:
            return self.span_and_document(self.db.core(session), span_id)[0]

    def add(
        self,
        doc_id: int,
        start: int,
        end: int,
        label: str,
        *,
        annotator: str | None,
        origin: SpanOrigin = SpanOrigin.MANUAL,
        rule: str | None = None,
        rule_version: int | None = None,
        note: str | None = None,
        attributes: dict[str, Any] | None = None,
        layer: int = MAIN_LAYER,
    ) -> Span:
        with self.db.transaction() as session:
            connection = self.db.core(session)
            text = self.db.text(connection, doc_id)
            problem = span_problem(text, start, end)
            if problem:
                raise UsageError(f"document {doc_id}: {problem}")
            now = utcnow()
            span = Span(
                start,
                end,
                label,
                text[start:end],
                SpanOrigin(origin),
                rule,
                rule_version,
                annotator,
                note,
                frozen_mapping(attributes),
                None,
                now,
                now,
                layer,
            )
            try:
                span_id = self.insert(session, doc_id, span)
            except IntegrityError:
                raise UsageError(
                    f"document {doc_id} already has a {label} span at [{start}, {end})"
                ) from None
            span = replace(span, id=span_id)
            self.db.log(
                session,
                Action.ADD,
                Entity.SPAN,
                entity_id=span_id,
                document_id=doc_id,
                annotator=annotator,
                after=span_log_entry(span),
            )
            return span

    def insert(self, session: Session, doc_id: int, span: Span, label_id: int | None = None) -> int:
        """Write a new span (IntegrityError when the document has it already); its id."""
        return new_id(
            self.db.core(session).execute(
                _NEW_SPAN,
                {
                    "document_id": doc_id,
                    "layer": span.layer,
                    "start": span.start,
                    "end": span.end,
                    "label_id": self.labels.id_of(session, span.label)
                    if label_id is None
                    else label_id,
                    "text": span.text,
                    "origin": str(span.origin),
                    "rule": span.rule,
                    "rule_version": span.rule_version,
                    "annotator_id": self.db.annotator_id(session, span.annotator),
                    "note": span.note,
                    "attributes": dict(span.attributes),
                    "created_at": span.created_at,
                    "updated_at": span.updated_at,
                },
            )
        )

    def update(self, span_id: int, *, annotator: str | None, **changes: Any) -> tuple[Span, Span]:
        """Change a span's label, boundaries, note or attributes; returns (before, after)."""
        with self.db.transaction() as session:
            connection = self.db.core(session)
            before, doc_id = self.span_and_document(connection, span_id)
            label = changes.pop("label", before.label)
            label_id = self.labels.id_of(session, label)
            start, end, text = before.start, before.end, before.text
            if "start" in changes or "end" in changes:
                document = self.db.text(connection, doc_id)
                start, end = changes.pop("start", start), changes.pop("end", end)
                problem = span_problem(document, start, end)
                if problem:
                    raise UsageError(f"document {doc_id}: {problem}")
                text = document[start:end]
            note = changes.pop("note", before.note)
            attributes: Mapping[str, Any] = changes.pop("attributes", before.attributes)
            if changes:
                raise UsageError(f"cannot change {', '.join(changes)} of a span")
            after = replace(
                before,
                start=start,
                end=end,
                label=label,
                text=text,
                note=note,
                attributes=frozen_mapping(attributes),
                updated_at=utcnow(),
            )
            try:
                edited = connection.execute(
                    _EDIT_SPAN,
                    {
                        "span_id": span_id,
                        "start": start,
                        "end": end,
                        "label_id": label_id,
                        "text": text,
                        "note": note,
                        "attributes": dict(attributes),
                        "updated_at": after.updated_at,
                    },
                )
            except IntegrityError:
                raise UsageError(f"document {doc_id} already has that span") from None
            if edited.rowcount != 1:
                raise StaleDataError(f"span {span_id} was removed meanwhile")
            self.db.log(
                session,
                Action.EDIT,
                Entity.SPAN,
                entity_id=span_id,
                document_id=doc_id,
                annotator=annotator,
                before=span_log_entry(before),
                after=span_log_entry(after),
            )
            return before, after

    def delete(self, span_id: int, *, annotator: str | None) -> tuple[Span, int]:
        """Remove a span; returns it as it was, and its document."""
        with self.db.transaction() as session:
            connection = self.db.core(session)
            span, doc_id = self.span_and_document(connection, span_id)
            if connection.execute(_DELETE_SPAN, {"span_id": span_id}).rowcount != 1:
                raise StaleDataError(f"span {span_id} was removed meanwhile")
            self.db.log(
                session,
                Action.DELETE,
                Entity.SPAN,
                entity_id=span_id,
                document_id=doc_id,
                annotator=annotator,
                before=span_log_entry(span),
            )
            return span, doc_id
