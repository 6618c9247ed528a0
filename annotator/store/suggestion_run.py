"""After a rule run: bringing a document's pending suggestions in line with what the rules propose
now (new ones added, those proposed again kept, the rest dropped), in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Row, bindparam, delete, select, update
from sqlalchemy.orm import Session

from annotator.core.model import MAIN_LAYER, Suggestion
from annotator.store.bulk import NEW_SUGGESTION_COLUMNS, bulk_insert
from annotator.store.database import Database
from annotator.store.labels import Labels
from annotator.store.schema import DocumentRow, SpanRow, SuggestionRow, table_of, utcnow
from annotator.store.states import Action, Entity
from annotator.store.suggestion_rows import PENDING

# A suggestion is the same proposal when these agree: (start, end, label id, rule).
Key = tuple[int, int, int, str]


@dataclass(frozen=True)
class SuggestOutcome:
    """What re-running the rules on one document did to its suggestions."""

    added: int
    kept: int
    dropped: int


@dataclass
class _Sorted:
    """The document's suggestions sorted out against the proposal."""

    kept: int  # pending, proposed again
    stale: list[int]  # pending, no longer proposed: to drop
    renewed: list[dict[str, object]]  # kept, with a new rule version or explanation


class SuggestionRun:
    """The rule-run half of ``store.suggestions``."""

    db: Database
    labels: Labels

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
            rows = _current(session, doc_id)
            wanted = _wanted(proposed, label_ids, rows, _span_ranges(session, doc_id))
            sorted_out = _sort_out(rows, wanted)  # leaves in ``wanted`` only what is new
            _renew(session, sorted_out.renewed)
            dropped = _drop(session, sorted_out.stale)
            _add(session, doc_id, wanted.values(), label_ids)
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
                    after={"added": len(wanted), "kept": sorted_out.kept, "dropped": dropped},
                )
            return SuggestOutcome(len(wanted), sorted_out.kept, dropped)


# What a run compares a document's new matches with (the corpus run reads them per chunk too).
CURRENT_COLUMNS = (
    SuggestionRow.id,
    SuggestionRow.start,
    SuggestionRow.end,
    SuggestionRow.label_id,
    SuggestionRow.rule,
    SuggestionRow.rule_version,
    SuggestionRow.state,
    SuggestionRow.explanation,
)


def _current(session: Session, doc_id: int) -> Sequence[Row]:
    """The document's suggestions, decided or not."""
    # Plain columns and a bulk insert: a corpus run writes hundreds of thousands of these.
    return session.execute(
        select(*CURRENT_COLUMNS).where(SuggestionRow.document_id == doc_id)
    ).all()


def _span_ranges(session: Session, doc_id: int) -> set[tuple[int, ...]]:
    """(start, end, label id) of the document's spans."""
    return {
        tuple(r)
        for r in session.execute(
            select(SpanRow.start, SpanRow.end, SpanRow.label_id).where(
                SpanRow.document_id == doc_id, SpanRow.layer == MAIN_LAYER
            )
        )
    }


def _wanted(
    proposed: Sequence[Suggestion],
    label_ids: dict[str, int],
    rows: Sequence[Row],
    spans: set[tuple[int, ...]],
) -> dict[Key, Suggestion]:
    """The proposals worth having: of a known label, neither decided before nor a span already."""
    decided_ranges = {(r.start, r.end, r.label_id) for r in rows if r.state != PENDING}
    wanted: dict[Key, Suggestion] = {}
    for sug in proposed:
        label_id = label_ids.get(sug.label)
        if label_id is None:
            continue  # a rule for a label this database does not have
        place = (sug.start, sug.end, label_id)
        if place in decided_ranges or place in spans:
            continue
        wanted.setdefault((sug.start, sug.end, label_id, sug.rule), sug)
    return wanted


def _sort_out(rows: Sequence[Row], wanted: dict[Key, Suggestion]) -> _Sorted:
    """Keep, renew or drop each current suggestion; what it keeps leaves ``wanted``."""
    sorted_out = _Sorted(0, [], [])
    for row in rows:
        key = (row.start, row.end, row.label_id, row.rule)
        if row.state != PENDING:
            wanted.pop(key, None)
        elif key in wanted:
            # Proposed again (maybe by a newer version of its rule): the same row, so its id
            # stays valid for a window that shows it and the analyst may be deciding on it.
            again = wanted.pop(key)
            if (row.rule_version, row.explanation) != (again.rule_version, again.explanation):
                sorted_out.renewed.append(
                    {
                        "row_id": row.id,
                        "version": again.rule_version,
                        "explanation": again.explanation,
                    }
                )
            sorted_out.kept += 1
        else:
            sorted_out.stale.append(row.id)
    return sorted_out


def _renew(session: Session, renewed: list[dict[str, object]]) -> None:
    if renewed:
        table = table_of(SuggestionRow)
        session.connection().execute(
            table.update()
            .where(table.c.id == bindparam("row_id"))
            .values(rule_version=bindparam("version"), explanation=bindparam("explanation")),
            renewed,
        )


def _drop(session: Session, stale: list[int]) -> int:
    if stale:
        session.execute(delete(SuggestionRow).where(SuggestionRow.id.in_(stale)))
    return len(stale)


def _add(
    session: Session, doc_id: int, new: Iterable[Suggestion], label_ids: dict[str, int]
) -> None:
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
            for s in new
        ],
    )
