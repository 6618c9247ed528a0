"""Rules as stored: one row a rule, its pack line kept whole in ``definition``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.store.database import Database
from annotator.store.schema import RuleBlobRow, RuleRow, utcnow
from annotator.store.states import Action, Entity


@dataclass(frozen=True)
class StoredRule:
    definition: dict[str, Any]
    pack: str | None


# A pattern larger than this (as JSON) is logged by reference (a tagger's model; a gazetteer
# of some thousand terms): each save of the rule would otherwise log it twice again.
BLOB_MIN_CHARS = 16_384
BLOB_KEY = "$blob"


def rule_log_entry(session: Session, row: RuleRow) -> dict[str, Any]:
    """How a rule is written into the change log: enough to put it back as it was."""
    definition = dict(row.definition)
    pattern = definition.get("pattern")
    text = json.dumps(pattern, sort_keys=True, ensure_ascii=False)
    if len(text) >= BLOB_MIN_CHARS:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if session.get(RuleBlobRow, digest) is None:
            session.add(RuleBlobRow(digest=digest, pattern=pattern))
        definition["pattern"] = {BLOB_KEY: digest}
    return {"definition": definition, "pack": row.pack, "position": row.position}


def logged_definition(session: Session, entry: dict[str, Any] | None) -> dict[str, Any] | None:
    """A logged rule definition as it was saved (a pattern logged by reference read back)."""
    if entry is None:
        return None
    definition = dict(entry["definition"])
    pattern = definition.get("pattern")
    if isinstance(pattern, dict) and set(pattern) == {BLOB_KEY}:
        blob = session.get(RuleBlobRow, pattern[BLOB_KEY])
        if blob is None:
            raise KeyError(f"the change log refers to a rule pattern that is gone ({pattern})")
        definition["pattern"] = blob.pattern
    return definition


def apply_definition(row: RuleRow, definition: dict[str, Any]) -> None:
    """Set the row's definition and the columns that repeat it."""
    row.label = definition["label"]
    row.kind = definition["kind"]
    row.priority = int(definition.get("priority", 0))
    row.enabled = bool(definition.get("enabled", True))
    row.version = int(definition.get("version", 1))
    row.definition = definition
    row.updated_at = utcnow()


class Rules:
    """The stored rules, as rule definitions (dicts): the store does not import the engine."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def stored(self) -> list[StoredRule]:
        with self.db.sessions() as session:
            rows = session.execute(
                select(RuleRow.definition, RuleRow.pack).order_by(RuleRow.position, RuleRow.id)
            )
            return [StoredRule(dict(definition), pack) for definition, pack in rows]

    def count(self) -> int:
        with self.db.sessions() as session:
            return session.scalar(select(func.count(RuleRow.id))) or 0

    def save(
        self,
        definitions: Sequence[dict[str, Any]],
        *,
        pack: str | None = None,
        annotator: str | None = None,
    ) -> tuple[int, int]:
        """Insert or replace rules by name, in one transaction; returns (added, replaced)."""
        added = replaced = 0
        with self.db.transaction() as session:
            position = session.scalar(select(func.max(RuleRow.position))) or 0
            for definition in definitions:
                row = self._rule_row(session, definition["name"])
                before = rule_log_entry(session, row) if row is not None else None
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
                self.db.log(
                    session,
                    Action.SAVE if before is None else Action.EDIT,
                    Entity.RULE,
                    entity_id=row.id,
                    annotator=annotator,
                    before=before,
                    after=rule_log_entry(session, row),
                )
        return added, replaced

    def _rule_row(self, session: Session, name: str) -> RuleRow | None:
        return session.scalar(select(RuleRow).where(RuleRow.name == name))

    def fingerprint(self) -> str:
        """Changes whenever a rule is added, edited, enabled or disabled."""
        with self.db.sessions() as session:
            rows = session.execute(
                select(RuleRow.name, RuleRow.version, RuleRow.enabled).order_by(RuleRow.name)
            )
            text = "\n".join(
                f"{name}\t{version}\t{int(enabled)}" for name, version, enabled in rows
            )
        return hashlib.sha256(text.encode()).hexdigest()[:32]
