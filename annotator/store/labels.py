"""Labels as stored: one row a label; every change logged whole, so undo can put it back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.core.errors import UsageError
from annotator.core.model import Label
from annotator.store.convert import label_from_row
from annotator.store.database import Database
from annotator.store.schema import LabelRow, RuleRow, SpanRow, SuggestionRow
from annotator.store.states import Action, Entity

_LABEL_ID = select(LabelRow.id).where(LabelRow.name == bindparam("name"))

# Label field -> LabelRow attribute.
LABEL_FIELDS = {
    "name": "name",
    "colour": "colour",
    "hotkey": "hotkey",
    "description": "description",
    "order": "position",
}


def label_log_entry(row: LabelRow) -> dict[str, Any]:
    """How a label is written into the change log: enough to put it back as it was."""
    return {key: getattr(row, attr) for key, attr in LABEL_FIELDS.items()}


def label_uses(session: Session, row: LabelRow) -> str:
    """What uses the label ("2 spans, rule ORG-1"), or "" when nothing does."""
    spans = session.scalar(select(func.count(SpanRow.id)).where(SpanRow.label_id == row.id)) or 0
    suggestions = (
        session.scalar(select(func.count(SuggestionRow.id)).where(SuggestionRow.label_id == row.id))
        or 0
    )
    rules = list(session.scalars(select(RuleRow.name).where(RuleRow.label == row.name)))
    uses = [
        f"{spans} span{'s' if spans != 1 else ''}" if spans else "",
        f"{suggestions} suggestion{'s' if suggestions != 1 else ''}" if suggestions else "",
        f"rule{'s' if len(rules) != 1 else ''} {', '.join(rules[:3])}" if rules else "",
    ]
    return ", ".join(u for u in uses if u)


class Labels:
    """The label schema: each change one transaction (or part of a step), logged whole."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> list[Label]:
        """Every label, in schema order."""
        with self.db.sessions() as session:
            rows = session.scalars(select(LabelRow).order_by(LabelRow.position, LabelRow.id))
            return [label_from_row(row) for row in rows]

    def ids(self, session: Session) -> dict[str, int]:
        """Label name -> id."""
        return {name: id_ for id_, name in session.execute(select(LabelRow.id, LabelRow.name))}

    def id_of(self, session: Session, name: str) -> int:
        """A label's id; UsageError when there is no such label."""
        found = self.db.core(session).scalar(_LABEL_ID, {"name": name})
        if found is None:
            raise UsageError(f"no label named {name!r} (see `annotator labels`)")
        return int(found)

    def add(self, label: Label, *, annotator: str | None = None) -> Label:
        try:
            with self.db.transaction() as session:
                row = LabelRow(
                    name=label.name,
                    colour=label.colour,
                    hotkey=label.hotkey,
                    description=label.description,
                    position=label.order,
                )
                session.add(row)
                session.flush()
                self.db.log(
                    session,
                    Action.ADD,
                    Entity.LABEL,
                    entity_id=row.id,
                    annotator=annotator,
                    after=label_log_entry(row),
                )
        except IntegrityError:
            raise UsageError(f"label {label.name!r} exists already") from None
        return label

    def update(self, name: str, changes: dict[str, Any], *, annotator: str | None = None) -> Label:
        """Change a label's name, colour, hotkey, description or order."""
        with self.db.transaction() as session:
            row = session.scalar(select(LabelRow).where(LabelRow.name == name))
            if row is None:
                raise UsageError(f"no label named {name!r}")
            before = label_log_entry(row)
            for key, value in changes.items():
                setattr(row, LABEL_FIELDS[key], value)
            try:
                session.flush()
            except IntegrityError:
                raise UsageError(f"label {changes.get('name')!r} exists already") from None
            self.db.log(
                session,
                Action.EDIT,
                Entity.LABEL,
                entity_id=row.id,
                annotator=annotator,
                before=before,
                after=label_log_entry(row),
            )
            return label_from_row(row)

    def delete(self, name: str, *, annotator: str | None = None) -> None:
        """Remove a label nothing uses: no span, no suggestion, no rule."""
        with self.db.transaction() as session:
            row = session.scalar(select(LabelRow).where(LabelRow.name == name))
            if row is None:
                raise UsageError(f"no label named {name!r}")
            uses = label_uses(session, row)
            if uses:
                raise UsageError(
                    f"label {name} cannot be deleted: {uses} use it (relabel or delete those first)"
                )
            before = label_log_entry(row)
            session.delete(row)
            self.db.log(
                session,
                Action.DELETE,
                Entity.LABEL,
                entity_id=row.id,
                annotator=annotator,
                before=before,
            )
