"""Merging one label into another: its spans and suggestions moved, each logged, so the undo
step puts every one back (a span or suggestion that would double one of the target label's at
the same place is removed instead, and comes back on undo)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from annotator.core.errors import UsageError
from annotator.store.convert import span_log_entry, suggestion_log_entry
from annotator.store.database import Database
from annotator.store.labels import Labels
from annotator.store.schema import LabelRow, SpanRow, SuggestionRow, utcnow
from annotator.store.spans import _DELETE_SPAN, _SPAN, span_of
from annotator.store.states import Action, Entity

_RELABEL_SPAN = (
    update(SpanRow)
    .where(SpanRow.id == bindparam("span_id"))
    .values(label_id=bindparam("label_id"), updated_at=bindparam("now"))
)
_RELABEL_SUGGESTION = (
    update(SuggestionRow)
    .where(SuggestionRow.id == bindparam("suggestion_id"))
    .values(label_id=bindparam("label_id"))
)
_SUGGESTION_LABEL = (
    select(LabelRow.name)
    .join(SuggestionRow, SuggestionRow.label_id == LabelRow.id)
    .where(SuggestionRow.id == bindparam("suggestion_id"))
)


@dataclass(frozen=True)
class Merged:
    """What a merge moved and what it removed as a duplicate of the target's."""

    spans: int = 0
    duplicate_spans: int = 0
    suggestions: int = 0
    duplicate_suggestions: int = 0
    document_ids: tuple[int, ...] = ()


def move_label_rows(
    db: Database, labels: Labels, source: str, target: str, *, annotator: str | None
) -> Merged:
    """Every span and suggestion of ``source`` onto ``target``, logged one by one (part of the
    caller's step)."""
    with db.transaction() as session:
        src, dst = labels.id_of(session, source), labels.id_of(session, target)
        spans, dup_spans, docs = _move_spans(db, session, src, dst, annotator)
        suggestions, dup_suggestions, sug_docs = _move_suggestions(
            db, session, source, src, target, dst, annotator
        )
    return Merged(spans, dup_spans, suggestions, dup_suggestions, tuple(sorted(docs | sug_docs)))


def _move_spans(
    db: Database, session: Session, src: int, dst: int, annotator: str | None
) -> tuple[int, int, set[int]]:
    taken = {
        tuple(key)
        for key in session.execute(
            select(SpanRow.document_id, SpanRow.layer, SpanRow.start, SpanRow.end).where(
                SpanRow.label_id == dst
            )
        )
    }
    ids = list(session.scalars(select(SpanRow.id).where(SpanRow.label_id == src)))
    connection, now = db.core(session), utcnow()
    moved = dropped = 0
    docs: set[int] = set()
    for span_id in ids:
        row = connection.execute(_SPAN, {"span_id": span_id}).one()
        span, doc_id = span_of(row), row[13]
        layer = row[14]
        docs.add(doc_id)
        before = span_log_entry(replace(span, layer=layer))
        if (doc_id, layer, span.start, span.end) in taken:
            connection.execute(_DELETE_SPAN, {"span_id": span_id})
            db.log(
                session,
                Action.DELETE,
                Entity.SPAN,
                entity_id=span_id,
                document_id=doc_id,
                annotator=annotator,
                before=before,
            )
            dropped += 1
            continue
        connection.execute(_RELABEL_SPAN, {"span_id": span_id, "label_id": dst, "now": now})
        after = {**before, "label": _name(session, dst)}
        db.log(
            session,
            Action.EDIT,
            Entity.SPAN,
            entity_id=span_id,
            document_id=doc_id,
            annotator=annotator,
            before=before,
            after=after,
        )
        moved += 1
    return moved, dropped, docs


def _move_suggestions(
    db: Database,
    session: Session,
    source: str,
    src: int,
    target: str,
    dst: int,
    annotator: str | None,
) -> tuple[int, int, set[int]]:
    taken = {
        tuple(key)
        for key in session.execute(
            select(
                SuggestionRow.document_id,
                SuggestionRow.start,
                SuggestionRow.end,
                SuggestionRow.rule,
            ).where(SuggestionRow.label_id == dst)
        )
    }
    rows = session.execute(select(SuggestionRow).where(SuggestionRow.label_id == src)).scalars()
    connection = db.core(session)
    moved = dropped = 0
    docs: set[int] = set()
    for row in list(rows):
        docs.add(row.document_id)
        if (row.document_id, row.start, row.end, row.rule) in taken:
            # Logged as a "reject everywhere" drop: undo puts it back (as pending).
            entry = suggestion_log_entry(row, source)
            session.delete(row)
            session.flush()
            db.log(
                session,
                Action.DROP,
                Entity.SUGGESTION,
                entity_id=row.id,
                document_id=row.document_id,
                annotator=annotator,
                before=entry,
            )
            dropped += 1
            continue
        connection.execute(_RELABEL_SUGGESTION, {"suggestion_id": row.id, "label_id": dst})
        db.log(
            session,
            Action.EDIT,
            Entity.SUGGESTION,
            entity_id=row.id,
            document_id=row.document_id,
            annotator=annotator,
            before={"label": source},
            after={"label": target},
        )
        moved += 1
    return moved, dropped, docs


def _name(session: Session, label_id: int) -> str:
    return str(session.scalar(select(LabelRow.name).where(LabelRow.id == label_id)))


def relabel_suggestion(
    db: Database,
    labels: Labels,
    session: Session,
    suggestion_id: int,
    expect: dict[str, Any] | None,
    want: dict[str, Any] | None,
) -> None:
    """Undo or redo of a merge's suggestion move: its label from ``expect``'s to ``want``'s."""
    connection = db.core(session)
    now = connection.scalar(_SUGGESTION_LABEL, {"suggestion_id": suggestion_id})
    was, becomes = (expect or {}).get("label"), (want or {}).get("label")
    if now is None or now != was or becomes is None:
        raise UsageError(f"suggestion {suggestion_id} was changed or removed")
    connection.execute(
        _RELABEL_SUGGESTION,
        {"suggestion_id": suggestion_id, "label_id": labels.id_of(session, becomes)},
    )
