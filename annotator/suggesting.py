"""The workspace's rule side: rules in the database, suggestions, decisions, learning.

Mixed into Workspace; every mutation returns a Change like the rest of the facade.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.errors import Problem, UsageError
from annotator.core.model import Suggestion, SuggestionState
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
from annotator.rules.model import RuleFailure, RunResult
from annotator.shipped_data import resources_dir

if TYPE_CHECKING:
    from annotator.store.store import Store
    from annotator.workspace import Change

DEFAULT_PACK = "id-news"


@dataclass
class SuggestReport:
    documents: int = 0
    added: int = 0
    kept: int = 0
    dropped: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cancelled: bool = False


@dataclass(frozen=True)
class RuleImport:
    added: int
    replaced: int
    problems: list[Problem]


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


class SuggestionsMixin:
    store: Store
    annotator: str
    _engine: tuple[str, Engine] | None = None

    def _change(self, action: str, **fields: object) -> Change:
        from annotator.workspace import Change

        return Change(action, **fields)  # type: ignore[arg-type]

    def _label_names(self) -> set[str]:
        return {label.name for label in self.store.labels.all()}

    # -- rules -------------------------------------------------------------

    def rules(self) -> list[Rule]:
        return [
            parse_rule(stored.definition, source="database") for stored in self.store.rules.stored()
        ]

    def rule(self, name: str) -> Rule:
        for rule in self.rules():
            if rule.name == name:
                return rule
        raise UsageError(f"no rule named {name!r} (see `annotator rules list`)")

    def rule_packs(self) -> dict[str, str | None]:
        return {stored.definition["name"]: stored.pack for stored in self.store.rules.stored()}

    def import_rules(self, path: str | Path, *, pack: str | None = None) -> RuleImport:
        """Load a pack file or folder into the database; bad lines are reported, the rest load."""
        source = pack_path(str(path))
        rules, problems = load_pack(source, known_labels=self._label_names())
        added, replaced = self.store.rules.save(
            [dump_rule(r, inline_terms=True) for r in rules],
            pack=pack or source.name,
            annotator=self.annotator,
        )
        return RuleImport(added, replaced, problems)

    def export_rules(self, path: str | Path, names: Sequence[str] = ()) -> Path:
        rules = [r for r in self.rules() if not names or r.name in names]
        return save_pack(rules, Path(path), inline_terms=True)

    def save_rule(self, rule: Rule) -> Change:
        """Store a new or edited rule (its version says which edit it is)."""
        unknown = rule.labels() - self._label_names()
        if unknown:
            raise UsageError(f"rule {rule.name!r}: unknown label {', '.join(sorted(unknown))}")
        self.store.rules.save([dump_rule(rule, inline_terms=True)], annotator=self.annotator)
        return self._change("save-rule", rules_changed=True)

    def set_rule_enabled(self, name: str, enabled: bool) -> Change:
        rule = self.rule(name)
        if rule.enabled != enabled:
            self.save_rule(rule.edited(enabled=enabled))
        return self._change("enable-rule" if enabled else "disable-rule", rules_changed=True)

    def remove_exception(self, name: str, text: str) -> Change:
        rule = self.rule(name)
        if text not in rule.exceptions:
            raise UsageError(f"rule {name!r} has no exception {text!r}")
        return self.save_rule(rule.without_exception(text))

    def remove_learned_term(self, label: str, text: str) -> Change:
        rule = self.rule(learned_rule_name(label))
        changed = remove_learned_term(rule, text)
        if changed is rule:
            raise UsageError(f"{text!r} is not a learned {label} term")
        return self.save_rule(changed)

    def ensure_default_rules(self) -> None:
        """A database that never had rules gets the default pack."""
        if self.store.rules.count() == 0 and not self.store.history.has_logged("rule"):
            self.import_rules(DEFAULT_PACK)

    def engine(self) -> Engine:
        """The engine for the current rules, rebuilt only when they change."""
        fingerprint = self.store.rules.fingerprint()
        if self._engine is None or self._engine[0] != fingerprint:
            self._engine = (fingerprint, Engine(self.rules()))
        return self._engine[1]

    # -- suggesting --------------------------------------------------------

    def suggest(self, doc_id: int, *, pack: str | None = None) -> SuggestReport:
        """Run the rules (or only one pack's) on one document and update its pending suggestions."""
        engine, fingerprint = self._engine_for(pack)
        return self._suggest_with(engine, fingerprint, doc_id)

    def _engine_for(self, pack: str | None) -> tuple[Engine, str]:
        if pack is None:
            engine = self.engine()
            return engine, self._engine[0] if self._engine else ""
        # A run with one pack leaves the document marked as not suggested with the full rule set.
        return self._pack_engine(pack), f"pack:{pack}"[:64]

    def _suggest_with(self, engine: Engine, fingerprint: str, doc_id: int) -> SuggestReport:
        started = time.perf_counter()
        result = engine.run(self.store.documents.text(doc_id))
        active = {rule.name: rule.version for rule in engine.rules}
        outcome = self.store.suggestions.replace(
            doc_id,
            [m.to_suggestion() for m in result.matches],
            active,
            fingerprint,
            annotator=self.annotator,
        )
        return SuggestReport(
            1,
            outcome.added,
            outcome.kept,
            outcome.dropped,
            [f"document {doc_id}: rule {f.rule!r} stopped: {f.reason}" for f in result.failures],
            time.perf_counter() - started,
        )

    def _pack_engine(self, pack: str) -> Engine:
        packs = self.rule_packs()
        rules = [r for r in self.rules() if packs.get(r.name) == pack]
        if not rules:
            raise UsageError(
                f"no rules of pack {pack!r} in this database (load it with `annotator rules import`)"
            )
        return Engine(rules)

    def needs_suggest(self, doc_id: int) -> bool:
        """True when the rules changed since this document's suggestions were made."""
        return self.store.documents.suggested_with(doc_id) != self.store.rules.fingerprint()

    def suggest_corpus(
        self,
        doc_ids: Sequence[int] | None = None,
        *,
        pack: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> SuggestReport:
        """Suggest over many documents (all by default), with progress and cancellation."""
        ids = list(doc_ids) if doc_ids else self.store.documents.ids()
        total = SuggestReport()
        started = time.perf_counter()
        engine, fingerprint = self._engine_for(pack)
        for done, doc_id in enumerate(ids, 1):
            if cancelled and cancelled():
                total.cancelled = True
                break
            one = self._suggest_with(engine, fingerprint, doc_id)
            total.documents += 1
            total.added += one.added
            total.kept += one.kept
            total.dropped += one.dropped
            total.failures += one.failures
            if progress:
                progress(done, len(ids))
        total.seconds = time.perf_counter() - started
        return total

    def preview_rule(self, rule: Rule | dict, doc_id: int) -> RunResult:
        """What one rule (edited, not saved) finds in a document; nothing is stored."""
        if isinstance(rule, dict):
            rule = parse_rule(rule, source="preview", known_labels=self._label_names())
        return self.engine().preview(rule, self.store.documents.get(doc_id, suggestions=False).text)

    def test_rules(self, path: str | Path, doc_id: int) -> tuple[RunResult, list[Problem]]:
        """A pack file's rules on one document, without storing anything."""
        rules, problems = load_pack(pack_path(str(path)), known_labels=self._label_names())
        return Engine(rules).run(self.store.documents.get(doc_id, suggestions=False).text), problems

    def suggestions(
        self,
        doc_id: int | None = None,
        *,
        states: Sequence[str] = ("pending",),
        rule: str | None = None,
    ) -> list[tuple[int, Suggestion]]:
        return self.store.suggestions.find(doc_id, states, rule)

    # -- decisions ---------------------------------------------------------

    def accept(self, suggestion_id: int) -> Change:
        with self.store.step(
            f"Accept suggestion {suggestion_id}", annotator=self.annotator
        ) as step:
            span, before = self.store.suggestions.accept(suggestion_id, annotator=self.annotator)
            step.description = f"Accept {before.label} ‘{short(before.text)}’"
            doc_id, after = self.store.suggestions.get(suggestion_id)
            # Another rule's pending suggestion of the same place and label: the same work, done.
            resolved = self._resolve_identical(doc_id, span)  # type: ignore[attr-defined]
            self._mark_in_progress(doc_id)  # type: ignore[attr-defined]
        return self._change(
            "accept", document_ids=(doc_id,), span=span, suggestion=after, resolved=resolved
        )

    def correct(
        self,
        suggestion_id: int,
        *,
        label: str | None = None,
        start: int | None = None,
        end: int | None = None,
    ) -> Change:
        """Accept with another label or other boundaries: a span, and the suggestion marked corrected."""
        with self.store.step(
            f"Correct suggestion {suggestion_id}", annotator=self.annotator
        ) as step:
            span, before = self.store.suggestions.accept(
                suggestion_id, annotator=self.annotator, start=start, end=end, label=label
            )
            step.description = f"Correct {before.label} ‘{short(before.text)}’"
            if span is not None:
                step.description += f" to {span.label} ‘{short(span.text)}’"
            doc_id, after = self.store.suggestions.get(suggestion_id)
            resolved = self._resolve_identical(doc_id, span)  # type: ignore[attr-defined]
            self._mark_in_progress(doc_id)  # type: ignore[attr-defined]
        return self._change(
            "correct", document_ids=(doc_id,), span=span, suggestion=after, resolved=resolved
        )

    def accept_many(self, suggestion_ids: Sequence[int]) -> Change:
        """Accept many pending suggestions as one action (one undo step); all or none. Another rule's
        pending suggestion exactly like one of them is accepted too (``Change.resolved``)."""
        ids = list(suggestion_ids)
        with self.store.step(f"Accept {len(ids)} suggestions", annotator=self.annotator):
            spans, resolved = self.store.suggestions.accept_many(ids, annotator=self.annotator)
            docs = tuple(sorted({doc for doc, _ in self.store.suggestions.by_id(ids)}))
            for doc_id in docs:
                self._mark_in_progress(doc_id)  # type: ignore[attr-defined]
        return self._change(
            "accept-many", document_ids=docs, count=len(spans), resolved=tuple(resolved)
        )

    def reject(self, suggestion_id: int, *, everywhere: bool = False) -> Change:
        """Reject; with ``everywhere``, the rule never suggests this text with this label again."""
        with self.store.step(
            f"Reject suggestion {suggestion_id}", annotator=self.annotator
        ) as step:
            rejected = self.store.suggestions.reject(suggestion_id, annotator=self.annotator)
            step.description = f"Reject {rejected.label} ‘{short(rejected.text)}’"
            doc_id, _ = self.store.suggestions.get(suggestion_id)
            if everywhere:
                step.description += " everywhere"
                for rule in self._rules_proposing(rejected, doc_id):
                    self.save_rule(rule.with_exception(rejected.text))
                    self.store.suggestions.drop_pending(
                        rule.name, rejected.text, rejected.label, annotator=self.annotator
                    )
        if everywhere:
            return self._change(
                "reject-everywhere", document_ids=(doc_id,), rules_changed=True, suggestion=rejected
            )
        return self._change("reject", document_ids=(doc_id,), suggestion=rejected)

    def _rules_proposing(self, rejected: Suggestion, doc_id: int) -> list[Rule]:
        """The rule that made the suggestion, and any other rule that would propose the same text
        with the same label here (two gazetteers often share a term): all get the exception,
        or the next run would bring the rejected text back under another rule's name."""
        text = self.store.documents.get(doc_id, suggestions=False).text
        engine = self.engine()
        found = []
        for rule in self.rules():
            if rule.name == rejected.rule:
                found.append(rule)
            elif rule.enabled and rule.label == rejected.label:
                matches = engine.preview(rule, text).matches
                if any(m.text == rejected.text and m.label == rejected.label for m in matches):
                    found.append(rule)
        return found

    def remember(self, span_id: int) -> Change:
        """Add a span's text to its label's learned terms, so it is suggested in every document."""
        span = self.store.spans.get(span_id)
        name = learned_rule_name(span.label)
        with self.store.step(
            f"Remember {span.label} ‘{short(span.text)}’", annotator=self.annotator
        ):
            try:
                rule = self.rule(name)
            except UsageError:
                rule = new_learned_rule(span.label)
            changed = add_learned_term(rule, span.text)
            if changed is not rule or name not in {r.name for r in self.rules()}:
                self.save_rule(changed)
        return self._change("remember", rules_changed=True)

    # -- statistics --------------------------------------------------------

    def rule_statistics(
        self, *, threshold: float = 0.5, min_decisions: int = 20
    ) -> dict[str, RuleStats]:
        stats = rule_stats(
            self.store.suggestions.decisions(), threshold=threshold, min_decisions=min_decisions
        )
        for rule in self.rules():
            stats.setdefault(
                rule.name,
                RuleStats(
                    rule=rule.name, suggested=0, pending=0, accepted=0, rejected=0, corrected=0
                ),
            )
        return stats


__all__ = [
    "DEFAULT_PACK",
    "RuleError",
    "RuleFailure",
    "RuleImport",
    "SuggestReport",
    "SuggestionState",
    "SuggestionsMixin",
    "pack_path",
    "short",
]
