"""Reading the spans and suggestions of some documents at once, grouped by document: for one
document's view and for export (filtered, a chunk of documents at a time)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, Text, select, type_coerce
from sqlalchemy.orm import Session

from annotator.core.model import MAIN_LAYER, Span, SpanOrigin, Suggestion, frozen_mapping
from annotator.store.convert import as_utc, fast_span, suggestion_from_row
from annotator.store.schema import AnnotatorRow, LabelRow, SpanRow, SuggestionRow

if TYPE_CHECKING:
    from annotator.store.document_export import ExportFilter


def spans_by_document(
    session: Session, ids: list[int], wanted: ExportFilter | None = None, layer: int = MAIN_LAYER
) -> dict[int, list[Span]]:
    """The documents' spans of one layer (``wanted.layer`` when given, else ``layer``) that
    ``wanted`` lets through, in reading order."""
    # Plain columns, no joins (label and annotator names are looked up here), a Core execute:
    # exporting 200,000 spans must take a second or two, not tens.
    label_names = {id_: name for id_, name in session.execute(select(LabelRow.id, LabelRow.name))}
    annotator_names = {
        id_: name for id_, name in session.execute(select(AnnotatorRow.id, AnnotatorRow.name))
    }
    layer = wanted.layer if wanted is not None else layer
    stmt = _span_select(ids, wanted, label_names, annotator_names, layer)
    rows: Sequence[Sequence[Any]] = session.connection().execute(stmt).all()
    return _spans_from_rows(rows, label_names, annotator_names, layer, bulk=wanted is not None)


def _span_select(
    ids: list[int],
    wanted: ExportFilter | None,
    label_names: dict[int, str],
    annotator_names: dict[int, str],
    layer: int,
) -> Select:
    columns = [
        SpanRow.id,
        SpanRow.document_id,
        SpanRow.start,
        SpanRow.end,
        SpanRow.label_id,
        SpanRow.text,
        SpanRow.origin,
        SpanRow.rule,
        SpanRow.rule_version,
        SpanRow.annotator_id,
        SpanRow.note,
        # raw JSON text, so the common empty "{}" costs no parse
        type_coerce(SpanRow.attributes, Text),
    ]
    if wanted is None:
        # Bulk reads (export) skip the timestamps: parsing them is much of the cost.
        columns += [SpanRow.created_at, SpanRow.updated_at]
    stmt = select(*columns).where(SpanRow.document_id.in_(ids), SpanRow.layer == layer)
    if wanted is not None and wanted.labels:
        stmt = stmt.where(
            SpanRow.label_id.in_([i for i, n in label_names.items() if n in wanted.labels])
        )
    if wanted is not None and wanted.annotators:
        stmt = stmt.where(
            SpanRow.annotator_id.in_(
                [i for i, n in annotator_names.items() if n in wanted.annotators]
            )
        )
    if wanted is not None and wanted.origins:
        stmt = stmt.where(SpanRow.origin.in_(wanted.origins))
    # SQLite sorts in C; ties on one range are ordered by label id (near enough to schema order).
    return stmt.order_by(SpanRow.document_id, SpanRow.start, SpanRow.end.desc(), SpanRow.label_id)


def _spans_from_rows(
    rows: Sequence[Sequence[Any]],
    label_names: dict[int, str],
    annotator_names: dict[int, str],
    layer: int,
    *,
    bulk: bool,
) -> dict[int, list[Span]]:
    """Spans of one layer from rows of ``_span_select``, by document (without timestamps when
    ``bulk``)."""
    result: dict[int, list[Span]] = {}
    origins = {origin.value: origin for origin in SpanOrigin}
    empty = frozen_mapping({})
    for row in rows:
        attributes = (
            empty if row[11] in (None, "{}", "null") else frozen_mapping(json.loads(row[11]))
        )
        span = fast_span(
            start=row[2],
            end=row[3],
            label=label_names[row[4]],
            text=row[5],
            origin=origins[row[6]],
            rule=row[7],
            rule_version=row[8],
            annotator=annotator_names.get(row[9]),
            note=row[10],
            attributes=attributes,
            id=row[0],
            created_at=None if bulk else as_utc(row[12]),
            updated_at=None if bulk else as_utc(row[13]),
            layer=layer,
        )
        result.setdefault(row[1], []).append(span)
    return result


def suggestions_by_document(
    session: Session, ids: list[int], wanted: ExportFilter | None = None
) -> dict[int, list[Suggestion]]:
    """The documents' suggestions (of ``wanted``'s labels), in reading order."""
    stmt = (
        select(SuggestionRow, LabelRow.name, AnnotatorRow.name)
        .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
        .join(AnnotatorRow, SuggestionRow.decided_by == AnnotatorRow.id, isouter=True)
        .where(SuggestionRow.document_id.in_(ids))
        .order_by(SuggestionRow.document_id, SuggestionRow.start, SuggestionRow.end.desc())
    )
    if wanted and wanted.labels:
        stmt = stmt.where(LabelRow.name.in_(wanted.labels))
    result: dict[int, list[Suggestion]] = {}
    for row, label, decided_by in session.execute(stmt):
        result.setdefault(row.document_id, []).append(suggestion_from_row(row, label, decided_by))
    return result
