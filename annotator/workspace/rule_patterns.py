"""Match-pattern files (spaCy EntityRuler, Prodigy ``--patterns``) in and out of the rule book."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator.core.change import Change, Operation
from annotator.core.errors import Problem
from annotator.io.atomic import atomic_file
from annotator.rules import Rule, RuleError, dump_rule, parse_rule
from annotator.rules.patterns import read_pattern_file, rules_to_patterns, write_pattern_lines
from annotator.workspace.actor import Actor
from annotator.workspace.labels import LabelBook
from annotator.workspace.rulebook import RuleImport


@dataclass(frozen=True)
class PatternExport:
    path: Path
    patterns: int
    warnings: list[str]


class RulePatterns:
    def __init__(self, actor: Actor, labels: LabelBook) -> None:
        self._actor = actor
        self._labels = labels

    def import_file(self, path: Path, *, pack: str | None = None) -> RuleImport:
        """A pattern file's rules stored as a pack (one undo step); the labels it names that the
        database lacks are added, as an import of documents adds them."""
        converted = read_pattern_file(path)
        problems = list(converted.problems)
        rules: list[Rule] = []
        for obj in converted.rules:
            try:
                rules.append(parse_rule(obj, source=str(path)))
            except RuleError as e:
                problems.append(Problem(str(path), f"rule {obj['name']}: {e.reason}"))
        name = pack or path.name
        known = {label.name for label in self._labels.labels()}
        new_labels = tuple(sorted({r.label for r in rules} - known))
        store, who = self._actor.store, self._actor.annotator
        description = f"Import rule pack {name}"
        with store.step(description, annotator=who):
            for label in new_labels:
                store.labels.add(self._labels.new_label(label), annotator=who)
            added, replaced = store.rules.save(
                [dump_rule(r, inline_terms=True) for r in rules], pack=name, annotator=who
            )
        change = Change(
            Operation.IMPORT_RULES,
            description,
            rules=tuple(r.name for r in rules),
            labels=new_labels,
        )
        return RuleImport(added, replaced, problems, change, converted.patterns, new_labels)

    def export_file(self, rules: Sequence[Rule], path: Path) -> PatternExport:
        lines, warnings = rules_to_patterns(rules)
        with atomic_file(path) as handle:
            handle.write(write_pattern_lines(lines))
        return PatternExport(path, len(lines), warnings)
