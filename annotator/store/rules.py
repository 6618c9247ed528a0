"""Rules as stored: one row a rule, its pack line kept whole in ``definition``."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from annotator.core.errors import UsageError
from annotator.store.schema import DocumentRow, RuleRow, utcnow


@dataclass(frozen=True)
class StoredRule:
    definition: dict[str, Any]
    pack: str | None


def rule_log_entry(row: RuleRow) -> dict[str, Any]:
    """How a rule is written into the change log: enough to put it back as it was."""
    return {"definition": dict(row.definition), "pack": row.pack, "position": row.position}


def apply_definition(row: RuleRow, definition: dict[str, Any]) -> None:
    """Set the row's definition and the columns that repeat it."""
    row.label = definition["label"]
    row.kind = definition["kind"]
    row.priority = int(definition.get("priority", 0))
    row.enabled = bool(definition.get("enabled", True))
    row.version = int(definition.get("version", 1))
    row.definition = definition
    row.updated_at = utcnow()


class RuleQueries:
    """Mixed into Store. Speaks in rule definitions (dicts): the store does not import the engine."""

    def stored_rules(self) -> list[StoredRule]:
        with self._sessions() as session:
            rows = session.execute(
                select(RuleRow.definition, RuleRow.pack).order_by(RuleRow.position, RuleRow.id)
            )
            return [StoredRule(dict(definition), pack) for definition, pack in rows]

    def rule_count(self) -> int:
        with self._sessions() as session:
            return session.scalar(select(func.count(RuleRow.id))) or 0

    def save_rules(
        self,
        definitions: Sequence[dict[str, Any]],
        *,
        pack: str | None = None,
        annotator: str | None = None,
    ) -> tuple[int, int]:
        """Insert or replace rules by name, in one transaction; returns (added, replaced)."""
        added = replaced = 0
        with self.transaction() as session:
            position = session.scalar(select(func.max(RuleRow.position))) or 0
            for definition in definitions:
                row = self._rule_row(session, definition["name"])
                before = rule_log_entry(row) if row is not None else None
                if row is None:
                    position += 1
                    row = RuleRow(name=definition["name"], position=position, pack=pack)
                    session.add(row)
                    added += 1
                elif row.definition == definition:
                    continue
                else:
                    replaced += 1
                    if pack is not None:
                        row.pack = pack
                apply_definition(row, definition)
                session.flush()
                self.log(
                    session,
                    "save" if before is None else "edit",
                    "rule",
                    entity_id=row.id,
                    annotator=annotator,
                    before=before,
                    after=rule_log_entry(row),
                )
        return added, replaced

    def _rule_row(self, session: Session, name: str) -> RuleRow | None:
        return session.scalar(select(RuleRow).where(RuleRow.name == name))

    def delete_rule(self, name: str, *, annotator: str | None = None) -> None:
        with self.transaction() as session:
            row = self._rule_row(session, name)
            if row is None:
                raise UsageError(f"no rule named {name!r} (see `annotator rules list`)")
            self.log(
                session,
                "delete",
                "rule",
                entity_id=row.id,
                annotator=annotator,
                before=rule_log_entry(row),
            )
            session.execute(delete(RuleRow).where(RuleRow.id == row.id))

    def rules_fingerprint(self) -> str:
        """Changes whenever a rule is added, edited, enabled or disabled."""
        with self._sessions() as session:
            rows = session.execute(
                select(RuleRow.name, RuleRow.version, RuleRow.enabled).order_by(RuleRow.name)
            )
            text = "\n".join(
                f"{name}\t{version}\t{int(enabled)}" for name, version, enabled in rows
            )
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    def suggested_with(self, doc_id: int) -> str | None:
        with self._sessions() as session:
            return session.scalar(
                select(DocumentRow.suggested_with).where(DocumentRow.id == doc_id)
            )

    def document_ids(self) -> list[int]:
        with self._sessions() as session:
            return list(session.scalars(select(DocumentRow.id).order_by(DocumentRow.id)))
