"""The rules in the database: read, save, switch, import, export, learn. Each edit is undoable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.core.change import Change, Operation
from annotator.core.errors import Problem, UsageError
from annotator.core.text import one_line as short
from annotator.rules import (
    Engine,
    Rule,
    RuleError,
    RuleStats,
    dump_rule,
    load_pack,
    parse_rule,
    rule_stats,
    save_pack,
)
from annotator.rules.learn import (
    add_learned_term,
    learned_rule_name,
    new_learned_rule,
    remove_learned_term,
)
from annotator.shipped_data import resources_dir
from annotator.workspace.actor import Actor

DEFAULT_PACK = "id-news"
# A rule made from a selection ranks like the shipped gazetteers (learned terms stay above).
SELECTION_RULE_PRIORITY = 10


@dataclass(frozen=True)
class RuleImport:
    added: int
    replaced: int
    problems: list[Problem]
    change: Change
    # A match-pattern file (annotator.rules.patterns): how many patterns, and the labels added.
    patterns: int = 0
    new_labels: tuple[str, ...] = ()


def pack_path(name: str) -> Path:
    """A shipped pack by name, or a path to a pack file or folder."""
    shipped = resources_dir() / "rules" / name
    if shipped.is_dir():
        return shipped
    path = Path(name).expanduser()
    if path.exists():
        return path
    packs = sorted(
        p.name for p in (resources_dir() / "rules").iterdir() if p.is_dir() and p.name != "tools"
    )
    raise UsageError(
        f"no rule pack {name!r}: the shipped packs are {', '.join(packs)}, or give a path"
    )


class RuleBook:
    """The database's rules and the engine built from them."""

    def __init__(self, actor: Actor) -> None:
        self._actor = actor
        self._engine: tuple[str, Engine] | None = None

    def label_names(self) -> set[str]:
        return {label.name for label in self._actor.store.labels.all()}

    # -- reading -------------------------------------------------------------

    def rules(self) -> list[Rule]:
        stored = self._actor.store.rules.stored()
        return [parse_rule(rule.definition, source="database") for rule in stored]

    def rule(self, name: str) -> Rule:
        for rule in self.rules():
            if rule.name == name:
                return rule
        raise UsageError(f"no rule named {name!r} (see `annotator rules list`)")

    def packs(self) -> dict[str, str | None]:
        return {
            stored.definition["name"]: stored.pack for stored in self._actor.store.rules.stored()
        }

    def parse(self, definition: dict[str, Any], *, source: str = "editor") -> Rule:
        """A rule from its definition, checked against this database's labels; RuleError if bad."""
        return parse_rule(definition, source=source, known_labels=self.label_names())

    def engine(self) -> Engine:
        """The engine for the current rules, rebuilt only when they change."""
        fingerprint = self._actor.store.rules.fingerprint()
        if self._engine is None or self._engine[0] != fingerprint:
            self._engine = (fingerprint, Engine(self.rules()))
        return self._engine[1]

    def engine_fingerprint(self) -> str:
        return self._engine[0] if self._engine else ""

    def pack_engine(self, pack: str) -> Engine:
        packs = self.packs()
        rules = [r for r in self.rules() if packs.get(r.name) == pack]
        if not rules:
            raise UsageError(
                f"no rules of pack {pack!r} in this database "
                "(load it with `annotator rules import`)"
            )
        return Engine(rules)

    # -- editing (each one undo step) -----------------------------------------

    def import_pack(self, path: str | Path, *, pack: str | None = None) -> RuleImport:
        """Load a pack file or folder into the database; bad lines are reported, the rest load."""
        actor, source = self._actor, pack_path(str(path))
        name = pack or source.name
        with actor.store.step(f"Import rule pack {name}", annotator=actor.annotator):
            rules, problems, added, replaced = self._store_pack(source, name)
        change = Change(
            Operation.IMPORT_RULES,
            f"Import rule pack {name}",
            rules=tuple(r.name for r in rules) if added or replaced else (),
        )
        return RuleImport(added, replaced, problems, change)

    def export_pack(self, path: str | Path, names: Sequence[str] = ()) -> Path:
        rules = [r for r in self.rules() if not names or r.name in names]
        return save_pack(rules, Path(path), inline_terms=True)

    def save(self, rule: Rule, description: str | None = None) -> Change:
        """Store a new or edited rule (its version says which edit it is)."""
        unknown = rule.labels() - self.label_names()
        if unknown:
            raise UsageError(f"rule {rule.name!r}: unknown label {', '.join(sorted(unknown))}")
        description = description or f"Save rule {rule.name}"
        actor = self._actor
        with actor.store.step(description, annotator=actor.annotator):
            actor.store.rules.save([dump_rule(rule, inline_terms=True)], annotator=actor.annotator)
        return Change(Operation.SAVE_RULE, description, rules=(rule.name,))

    def set_enabled(self, name: str, enabled: bool) -> Change:
        rule = self.rule(name)
        description = f"Switch rule {name} {'on' if enabled else 'off'}"
        if rule.enabled != enabled:
            self.save(rule.edited(enabled=enabled), description)
        operation = Operation.ENABLE_RULE if enabled else Operation.DISABLE_RULE
        return Change(operation, description, rules=(name,))

    def remove_exception(self, name: str, text: str) -> Change:
        rule = self.rule(name)
        if text not in rule.exceptions:
            raise UsageError(f"rule {name!r} has no exception {text!r}")
        return self.save(
            rule.without_exception(text), f"Remove exception ‘{short(text)}’ of {name}"
        )

    def remove_learned_term(self, label: str, text: str) -> Change:
        rule = self.rule(learned_rule_name(label))
        changed = remove_learned_term(rule, text)
        if changed is rule:
            raise UsageError(f"{text!r} is not a learned {label} term")
        return self.save(changed, f"Forget learned {label} ‘{short(text)}’")

    def learn(self, label: str, text: str) -> Change:
        """Add ``text`` to the label's learned terms, so it is suggested in every document.

        Raises UsageError when it is a learned term of that label already."""
        name = learned_rule_name(label)
        try:
            rule, exists = self.rule(name), True
        except UsageError:
            rule, exists = new_learned_rule(label), False
        changed = add_learned_term(rule, text.strip())
        if changed is rule and exists:
            raise UsageError(f"‘{short(text)}’ is already a learned {label} term")
        change = self.save(changed, f"Remember {label} ‘{short(text)}’")
        return Change(Operation.REMEMBER, change.description, rules=change.rules)

    def phrase_rule(self, name: str, label: str, text: str) -> Change:
        """A new one-term phrase rule made from a selection."""
        name, text = name.strip(), text.strip()
        if not name or name in {r.name for r in self.rules()}:
            raise UsageError(f"rule name {name!r}: give a name no other rule has")
        try:
            rule = self.parse(
                {
                    "name": name,
                    "label": label,
                    "kind": "phrase",
                    "priority": SELECTION_RULE_PRIORITY,
                    "description": f"Made from the selection ‘{short(text)}’",
                    "pattern": {"terms": [text]},
                },
                source="new rule",
            )
        except RuleError as exc:
            raise UsageError(str(exc)) from None
        return self.save(rule, f"New rule {name} ({label} ‘{short(text)}’)")

    def ensure_defaults(self) -> None:
        """A database that never had rules gets the default pack (not an undo step of anyone's)."""
        store = self._actor.store
        if store.rules.count() == 0 and not store.history.has_logged("rule"):
            self._store_pack(pack_path(DEFAULT_PACK), DEFAULT_PACK)

    def _store_pack(self, source: Path, name: str) -> tuple[list[Rule], list[Problem], int, int]:
        """A pack's good rules stored under ``name``: (rules, problems, added, replaced)."""
        rules, problems = load_pack(source, known_labels=self.label_names())
        added, replaced = self._actor.store.rules.save(
            [dump_rule(r, inline_terms=True) for r in rules],
            pack=name,
            annotator=self._actor.annotator,
        )
        return rules, problems, added, replaced

    # -- statistics ------------------------------------------------------------

    def statistics(
        self, *, threshold: float = 0.5, min_decisions: int = 20
    ) -> dict[str, RuleStats]:
        decisions = self._actor.store.suggestions.decisions()
        stats = rule_stats(decisions, threshold=threshold, min_decisions=min_decisions)
        for rule in self.rules():
            stats.setdefault(
                rule.name,
                RuleStats(
                    rule=rule.name, suggested=0, pending=0, accepted=0, rejected=0, corrected=0
                ),
            )
        return stats
