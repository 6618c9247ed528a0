"""Rows <-> core value objects."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

from annotator.core.model import (
    MAIN_LAYER,
    Document,
    DocumentStatus,
    Label,
    Span,
    SpanOrigin,
    Suggestion,
    SuggestionState,
    frozen_mapping,
)
from annotator.store.schema import DocumentRow, LabelRow


def as_utc(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; everything we store is UTC.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def parse_time(text: str | None) -> datetime | None:
    """A time a log entry holds (ISO text), in UTC; None for none."""
    return as_utc(datetime.fromisoformat(text)) if text else None


_SPAN_FIELDS = frozenset(f.name for f in fields(Span))
_new = object.__new__


def fast_span(**values: object) -> Span:
    """A Span from every one of its fields by name, without the frozen __init__'s per-field setattr.

    Used where 200,000 spans are read for an export; the result equals ``Span(**values)``. A
    field added to Span and not given here (or a name given that Span lacks) raises TypeError
    instead of making a Span with a field missing.
    """
    if values.keys() != _SPAN_FIELDS:
        missing, unknown = _SPAN_FIELDS - values.keys(), values.keys() - _SPAN_FIELDS
        raise TypeError(f"fast_span: missing {sorted(missing)}, unknown {sorted(unknown)}")
    span = _new(Span)
    span.__dict__.update(values)
    return span


def label_from_row(row: LabelRow) -> Label:
    return Label(row.name, row.colour, row.hotkey, row.description or "", row.position)


def span_from_row(row, label: str, annotator: str | None) -> Span:
    return Span(
        start=row.start,
        end=row.end,
        label=label,
        text=row.text,
        origin=SpanOrigin(row.origin),
        rule=row.rule,
        rule_version=row.rule_version,
        annotator=annotator,
        note=row.note,
        attributes=frozen_mapping(row.attributes),
        id=row.id,
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
    )


def suggestion_from_row(row, label: str, decided_by: str | None) -> Suggestion:
    return Suggestion(
        start=row.start,
        end=row.end,
        label=label,
        text=row.text,
        rule=row.rule,
        rule_version=row.rule_version,
        explanation=row.explanation or "",
        state=SuggestionState(row.state),
        decided_by=decided_by,
        decided_at=as_utc(row.decided_at),
        id=row.id,
    )


def document_from_row(
    row: DocumentRow, spans: tuple[Span, ...] = (), suggestions: tuple[Suggestion, ...] = ()
) -> Document:
    return Document(
        text=row.text,
        title=row.title,
        source=row.source,
        metadata=frozen_mapping(row.meta),
        language=row.language,
        spans=spans,
        suggestions=suggestions,
        id=row.id,
        uid=row.uid,
        status=DocumentStatus(row.status),
        imported_at=as_utc(row.imported_at),
    )


def span_log_entry(span: Span) -> dict:
    """How a span is written into the change log (enough to restore it, in its layer)."""
    entry = {
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "text": span.text,
        "origin": str(span.origin),
        "rule": span.rule,
        "rule_version": span.rule_version,
        "annotator": span.annotator,
        "note": span.note,
        "attributes": dict(span.attributes),
        "created_at": span.created_at.isoformat() if span.created_at else None,
    }
    if span.layer != MAIN_LAYER:
        # Only an annotator's own layer is named: the main layer's entries stay as they were.
        entry["layer"] = span.layer
    return entry


def suggestion_log_entry(row, label: str) -> dict:
    """How a pending suggestion is written into the change log when it is dropped."""
    created = as_utc(row.created_at)
    return {
        "start": row.start,
        "end": row.end,
        "label": label,
        "text": row.text,
        "rule": row.rule,
        "rule_version": row.rule_version,
        "explanation": row.explanation or "",
        "state": row.state,
        "created_at": created.isoformat() if created else None,
    }
