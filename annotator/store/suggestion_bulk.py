"""A corpus rule run's writes: many documents' suggestions brought in line with what the rules
propose, in one transaction and a handful of statements.

The per-document path (``SuggestionRun.replace``) costs ~8 ORM statements and a commit per
document, several times what SQLite itself spends; here each statement covers the whole batch
(texts, current suggestions, spans, label ids read with one query each; rows written with
executemany of plain tuples). What it writes is exactly what ``replace`` would write for each
document in turn: the same rows, the same change-log entries (tests/store/test_suggestion_bulk.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, bindparam, delete, select, update
from sqlalchemy.orm import Session

from annotator.core.model import MAIN_LAYER
from annotator.store.bulk import (
    LOG_COLUMNS,
    NEW_SUGGESTION_COLUMNS,
    bulk_insert,
    bulk_insert_sharing,
)
from annotator.store.database import Database
from annotator.store.labels import Labels
from annotator.store.schema import (
    ChangeRow,
    DocumentRow,
    SpanRow,
    SuggestionRow,
    table_of,
    utcnow,
)
from annotator.store.states import Action, Entity
from annotator.store.suggestion_rows import PENDING
from annotator.store.suggestion_run import CURRENT_COLUMNS, SuggestOutcome

# (start, end, label, text, rule, rule version, explanation): what the engine proposes.
Proposal = tuple[int, int, str, str, str, int, str]
# (document id, its proposals)
Proposed = tuple[int, Sequence[Proposal]]
_Key = tuple[int, int, int, str]


def _ids() -> BindParameter[Any]:
    return bindparam("ids", expanding=True)


# Built once (building a statement costs more than running it).
_TEXTS = select(DocumentRow.id, DocumentRow.text).where(DocumentRow.id.in_(_ids()))
_EXISTING = select(DocumentRow.id).where(DocumentRow.id.in_(_ids()))
_CURRENT = select(SuggestionRow.document_id, *CURRENT_COLUMNS).where(
    SuggestionRow.document_id.in_(_ids())
)
# Suggestions are the main layer's: only its spans settle them.
_SPANS = select(SpanRow.document_id, SpanRow.start, SpanRow.end, SpanRow.label_id).where(
    SpanRow.document_id.in_(_ids()), SpanRow.layer == MAIN_LAYER
)
_DROP = delete(SuggestionRow).where(SuggestionRow.id.in_(_ids()))
_STAMP = (
    update(DocumentRow).where(DocumentRow.id.in_(_ids())).values(suggested_with=bindparam("fp"))
)
_RENEW = (
    table_of(SuggestionRow)
    .update()
    .where(table_of(SuggestionRow).c.id == bindparam("row_id"))
    .values(rule_version=bindparam("version"), explanation=bindparam("explanation"))
)


@dataclass
class _Plan:
    """What the batch does to the suggestions table, gathered over its documents."""

    renewed: list[dict[str, object]]
    stale: list[int]
    new: list[tuple[Any, ...]]  # NEW_SUGGESTION_COLUMNS but the last two
    logged: list[tuple[int, dict[str, int]]]  # (document id, {"added", "kept", "dropped"})


class SuggestionBulk:
    """The corpus half of ``store.suggestions``: reads texts in chunks, writes runs in batches."""

    db: Database
    labels: Labels

    def texts(self, doc_ids: Sequence[int]) -> list[tuple[int, str]]:
        """(id, text) of these documents, in the order given; ids of no document are left out."""
        with self.db.sessions() as session:
            found = dict(self.db.core(session).execute(_TEXTS, {"ids": list(doc_ids)}).all())
        return [(doc_id, found[doc_id]) for doc_id in doc_ids if doc_id in found]

    def replace_many(
        self,
        batch: Sequence[Proposed],
        active: Mapping[str, int],
        fingerprint: str,
        *,
        annotator: str | None,
    ) -> list[SuggestOutcome | None]:
        """``replace`` for each document of the batch, in one transaction.

        Returns the outcome of each document in batch order; None for a document removed since
        its text was read (nothing is written for it).
        """
        del active  # as in ``replace``: a proposal carries its rule's current version
        with self.db.transaction() as session:
            connection = self.db.core(session)
            ids = [doc_id for doc_id, _ in batch]
            existing = {row[0] for row in connection.execute(_EXISTING, {"ids": ids})}
            current: dict[int, list[Any]] = defaultdict(list)
            for row in connection.execute(_CURRENT, {"ids": ids}):
                current[row[0]].append(row)
            spans: dict[int, set[tuple[int, int, int]]] = defaultdict(set)
            for doc_id, start, end, label_id in connection.execute(_SPANS, {"ids": ids}):
                spans[doc_id].add((start, end, label_id))
            label_ids = self.labels.ids(session)
            plan = _Plan([], [], [], [])
            now = utcnow()
            outcomes: list[SuggestOutcome | None] = []
            for doc_id, proposed in batch:
                if doc_id not in existing:
                    outcomes.append(None)
                    continue
                outcomes.append(
                    _plan_document(
                        plan, doc_id, proposed, current[doc_id], spans[doc_id], label_ids
                    )
                )
            if plan.renewed:
                connection.execute(_RENEW, plan.renewed)
            if plan.stale:
                connection.execute(_DROP, {"ids": plan.stale})
            bulk_insert_sharing(
                connection,
                table_of(SuggestionRow),
                NEW_SUGGESTION_COLUMNS[:-2],
                plan.new,
                {"state": PENDING, "created_at": now},
            )
            stamped = [doc_id for doc_id in ids if doc_id in existing]
            if stamped:
                connection.execute(_STAMP, {"ids": stamped, "fp": fingerprint})
            self._log(session, plan.logged, annotator, now)
            return outcomes

    def _log(
        self,
        session: Session,
        logged: list[tuple[int, dict[str, int]]],
        annotator: str | None,
        now: datetime,
    ) -> None:
        if not logged:
            return
        step_id = self.db.open_step(session)
        who = self.db.annotator_id(session, annotator)
        bulk_insert(
            self.db.core(session),
            table_of(ChangeRow),
            LOG_COLUMNS,
            [
                (Action.SUGGEST, Entity.DOCUMENT, doc_id, doc_id, who, now, None, after, step_id)
                for doc_id, after in logged
            ],
        )


def _plan_document(
    plan: _Plan,
    doc_id: int,
    proposed: Sequence[Proposal],
    rows: Sequence[Any],
    spans: set[tuple[int, int, int]],
    label_ids: dict[str, int],
) -> SuggestOutcome:
    """One document's part of the plan: the rules of ``suggestion_run.replace``, on tuples."""
    # The proposals worth having: of a known label, neither decided before nor a span already.
    # rows: (document id, id, start, end, label id, rule, rule version, state, explanation)
    decided = {(r[2], r[3], r[4]) for r in rows if r[7] != PENDING}
    wanted: dict[_Key, Proposal] = {}
    for p in proposed:
        label_id = label_ids.get(p[2])
        if label_id is None:
            continue  # a rule for a label this database does not have
        place = (p[0], p[1], label_id)
        if place in decided or place in spans:
            continue
        wanted.setdefault((p[0], p[1], label_id, p[4]), p)
    kept = 0
    stale_before = len(plan.stale)
    for r in rows:
        key = (r[2], r[3], r[4], r[5])
        if r[7] != PENDING:
            wanted.pop(key, None)
        elif key in wanted:
            again = wanted.pop(key)
            if (r[6], r[8]) != (again[5], again[6]):
                plan.renewed.append({"row_id": r[1], "version": again[5], "explanation": again[6]})
            kept += 1
        else:
            plan.stale.append(r[1])
    dropped = len(plan.stale) - stale_before
    # In NEW_SUGGESTION_COLUMNS order; state and created_at are the same for all.
    plan.new += [
        (doc_id, p[0], p[1], lid, p[3], p[4], p[5], p[6]) for (_, _, lid, _), p in wanted.items()
    ]
    if wanted or dropped:
        plan.logged.append((doc_id, {"added": len(wanted), "kept": kept, "dropped": dropped}))
    return SuggestOutcome(len(wanted), kept, dropped)
