"""Undoing and redoing a "reject everywhere": the pending suggestions it dropped, dropped again or
put back (each under its old id, unless that id or its place is taken meanwhile)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Row, delete, select
from sqlalchemy.orm import Session

from annotator.core.model import SuggestionState
from annotator.store.bulk import RESTORED_SUGGESTION_COLUMNS, bulk_insert
from annotator.store.convert import parse_time
from annotator.store.labels import Labels
from annotator.store.schema import SuggestionRow, table_of, utcnow

PENDING = SuggestionState.PENDING


def drop_again(session: Session, ids: list[int]) -> None:
    """Redo: drop those of the suggestions still pending."""
    for chunk in _chunks(ids):
        session.execute(
            delete(SuggestionRow)
            .where(SuggestionRow.id.in_(chunk), SuggestionRow.state == PENDING)
            .execution_options(synchronize_session=False)
        )


def restore_dropped(session: Session, labels: Labels, rows: list[Row]) -> None:
    """Undo: put back the dropped suggestions (their log rows) that are free to come back."""
    ids = [row.entity_id for row in rows]
    label_ids = {name: labels.id_of(session, name) for name in {r.before["label"] for r in rows}}
    taken = _taken_ids(session, ids)
    keys = _suggestion_keys(session, list({r.before["rule"] for r in rows}), label_ids)
    restored = _restorable(rows, label_ids, taken, keys, utcnow())
    bulk_insert(
        session.connection(), table_of(SuggestionRow), RESTORED_SUGGESTION_COLUMNS, restored
    )


def _taken_ids(session: Session, ids: list[int]) -> set[int]:
    """Those of the suggestion ids some suggestion has now."""
    taken: set[int] = set()
    for chunk in _chunks(ids):
        taken.update(session.scalars(select(SuggestionRow.id).where(SuggestionRow.id.in_(chunk))))
    return taken


def _suggestion_keys(session: Session, rules: list[str], label_ids: dict[str, int]) -> set[tuple]:
    """(document id, start, end, label id, rule) of the suggestions of these rules and labels."""
    return {
        tuple(key)
        for key in session.execute(
            select(
                SuggestionRow.document_id,
                SuggestionRow.start,
                SuggestionRow.end,
                SuggestionRow.label_id,
                SuggestionRow.rule,
            ).where(
                SuggestionRow.rule.in_(rules),
                SuggestionRow.label_id.in_(list(label_ids.values())),
            )
        )
    }


def _restorable(
    rows: list[Row], label_ids: dict[str, int], taken: set[int], keys: set[tuple], now: datetime
) -> list[tuple]:
    """The dropped suggestions (log rows) to put back, as rows of ``RESTORED_SUGGESTION_COLUMNS``:
    those whose id is free and whose place no suggestion of their rule holds again."""
    restored = []
    for row in rows:
        entry = row.before
        key = (
            row.document_id,
            entry["start"],
            entry["end"],
            label_ids[entry["label"]],
            entry["rule"],
        )
        if row.entity_id in taken or key in keys:
            continue
        keys.add(key)
        restored.append(
            (
                row.entity_id,
                row.document_id,
                entry["start"],
                entry["end"],
                key[3],
                entry["text"],
                entry["rule"],
                entry["rule_version"],
                entry.get("explanation", ""),
                PENDING,
                parse_time(entry.get("created_at")) or now,
            )
        )
    return restored


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    return (ids[i : i + size] for i in range(0, len(ids), size))
