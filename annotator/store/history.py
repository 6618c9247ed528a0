"""Undo and redo: a step's change-log rows applied backwards (undo) or forwards (redo).

Each row says what one thing was before and after the action (a span, a document's status, a
suggestion's decision, a dropped pending suggestion, a rule, a label). Undo checks the thing is
still as the action left it and puts it back; redo checks it is still as before and does it again.
All of a step happens in one transaction or not at all: when something was changed since by
someone else, nothing is changed and the user gets a UsageError saying what.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, Select, bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.core.errors import UsageError
from annotator.store.bulk import LOG_COLUMNS, bulk_insert
from annotator.store.database import Database
from annotator.store.labels import Labels
from annotator.store.replay import Replay, Replayer
from annotator.store.schema import (
    ChangeRow,
    UndoStepRow,
    table_of,
    utcnow,
)
from annotator.store.states import Action, Entity, StepState

__all__ = ["History", "Replay"]

DROP = (Entity.SUGGESTION, Action.DROP)
REPLAYS = (Action.UNDO, Action.REDO)  # log rows written by undo and redo themselves
# The statements of an undo, built once (building one costs more than running it).
_NEXT_STEP = {
    (nobody, undone): select(UndoStepRow.id, UndoStepRow.state, UndoStepRow.description)
    .where(
        UndoStepRow.annotator_id.is_(None)
        if nobody
        else UndoStepRow.annotator_id == bindparam("who"),
        # Undone steps are always the newest of an annotator's (a new action discards them):
        # the oldest of them is the one undone last.
        UndoStepRow.state == (StepState.UNDONE if undone else StepState.DONE),
    )
    .order_by(UndoStepRow.id.asc() if undone else UndoStepRow.id.desc())
    .limit(1)
    for nobody in (False, True)
    for undone in (False, True)
}
_CLAIM = (
    update(UndoStepRow)
    .where(UndoStepRow.id == bindparam("step_id"), UndoStepRow.state == bindparam("was"))
    .values(state=bindparam("now_state"), updated_at=bindparam("now"))
)
_STEP_ROWS = {
    undo: select(
        ChangeRow.id,
        ChangeRow.at,
        ChangeRow.annotator_id,
        ChangeRow.action,
        ChangeRow.entity,
        ChangeRow.entity_id,
        ChangeRow.document_id,
        ChangeRow.before,
        ChangeRow.after,
    )
    .where(ChangeRow.step_id == bindparam("step_id"), ChangeRow.action.not_in(REPLAYS))
    .order_by(ChangeRow.id.desc() if undo else ChangeRow.id)
    for undo in (False, True)
}


def _next_step(annotator_id: int | None, undone: bool) -> Select:
    return _NEXT_STEP[annotator_id is None, undone]


class History:
    """Undo and redo of steps, per annotator, from the change log."""

    def __init__(self, db: Database, labels: Labels) -> None:
        self.db = db
        self.labels = labels

    def description(self, annotator: str | None, *, undone: bool = False) -> str | None:
        """What undo (or, with ``undone``, redo) would do next for this annotator, or None."""
        with self.db.sessions() as session:
            found = self.db.known_annotator(session, annotator)
            if found is False:
                return None
            step = self.db.core(session).execute(_next_step(found, undone), {"who": found}).first()
            return step.description if step is not None else None

    def has_logged(self, entity: str) -> bool:
        """Whether the change log has any entry about this kind of thing (e.g. rules)."""
        with self.db.sessions() as session:
            found = session.scalar(select(ChangeRow.id).where(ChangeRow.entity == entity).limit(1))
            return found is not None

    def undo(self, annotator: str | None) -> Replay | None:
        """Undo this annotator's latest step; None when there is nothing to undo."""
        return self._replay(annotator, undo=True)

    def redo(self, annotator: str | None) -> Replay | None:
        """Redo this annotator's most recently undone step; None when there is nothing to redo."""
        return self._replay(annotator, undo=False)

    def _claim(self, session: Session, annotator_id: int | None, undo: bool) -> Row | None:
        """The step to replay, (id, state, description), marked as being replayed; or None."""
        connection = self.db.core(session)
        # The UPDATE opens the write transaction; a step another window took meanwhile is skipped.
        while True:
            step = connection.execute(
                _next_step(annotator_id, undone=not undo), {"who": annotator_id}
            ).first()
            if step is None:
                return None
            claimed = connection.execute(
                _CLAIM,
                {
                    "step_id": step.id,
                    "was": step.state,
                    "now_state": StepState.UNDONE if undo else StepState.DONE,
                    "now": utcnow(),
                },
            )
            if claimed.rowcount == 1:
                return step

    def _replay(self, annotator: str | None, *, undo: bool) -> Replay | None:
        verb = Action.UNDO if undo else Action.REDO
        description = ""
        claimed: list[int] = []
        try:
            with self.db.transaction() as session:
                known = self.db.known_annotator(session, annotator)
                if known is False:
                    return None
                step = self._claim(session, known, undo)
                if step is None:
                    return None
                description = step.description
                claimed.append(step.id)
                rows = self.db.core(session).execute(_STEP_ROWS[undo], {"step_id": step.id}).all()
                replayer = Replayer(self.db, self.labels, session, verb, description)
                drops = [row for row in rows if (row.entity, row.action) == DROP]
                for row in rows:
                    if (row.entity, row.action) == DROP:
                        if row is drops[0]:
                            # A "reject everywhere" can drop tens of thousands: all of them at once.
                            replayer.drops(drops, not undo)
                            self._log_drops(session, drops, verb, annotator, step.id)
                        continue
                    replayer.apply(row)
                    self.db.log(
                        session,
                        verb,
                        row.entity,
                        entity_id=row.entity_id,
                        document_id=row.document_id,
                        annotator=annotator,
                        before=row.after if undo else row.before,
                        after=row.before if undo else row.after,
                        step_id=step.id,
                    )
                return replayer.result(len(rows))
        except IntegrityError:
            self._set_aside(claimed)
            raise UsageError(
                f"cannot {verb} ‘{description}’: it clashes with changes made since; "
                "nothing was changed; it is left out of the history, so the next "
                f"{verb} goes on with the action before it"
            ) from None
        except UsageError as exc:
            self._set_aside(claimed)
            raise UsageError(
                f"{exc}; it is left out of the history, so the next {verb} goes on with "
                "the action before it"
            ) from None

    def _set_aside(self, step_ids: list[int]) -> None:
        """A step that can no longer be replayed must not block every undo after it."""
        if not step_ids:
            return
        with self.db.transaction() as session:
            session.execute(
                update(UndoStepRow)
                .where(UndoStepRow.id.in_(step_ids))
                .values(state=StepState.DISCARDED, updated_at=utcnow())
            )

    def _log_drops(
        self,
        session: Session,
        rows: list[Row[Any]],
        verb: Action,
        annotator: str | None,
        step_id: int,
    ) -> None:
        annotator_id, now = self.db.annotator_id(session, annotator), utcnow()
        bulk_insert(
            session.connection(),
            table_of(ChangeRow),
            LOG_COLUMNS,
            [
                (
                    verb,
                    row.entity,
                    row.entity_id,
                    row.document_id,
                    annotator_id,
                    now,
                    row.after if verb == Action.UNDO else row.before,
                    row.before if verb == Action.UNDO else row.after,
                    step_id,
                )
                for row in rows
            ],
        )
