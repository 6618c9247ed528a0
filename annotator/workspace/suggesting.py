"""Suggestions: the rules run on documents, and the analyst's decisions on what they propose."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotator.core.change import Change, Operation
from annotator.core.errors import Problem
from annotator.core.model import DocumentStatus, Span, Suggestion, SuggestionState
from annotator.core.text import one_line as short
from annotator.rules import Engine, Rule, load_pack
from annotator.rules.model import RunResult
from annotator.workspace.actor import Actor
from annotator.workspace.corpus_suggest import CorpusRun, default_jobs
from annotator.workspace.rulebook import RuleBook, pack_path


@dataclass
class SuggestReport:
    documents: int = 0
    added: int = 0
    kept: int = 0
    dropped: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cancelled: bool = False


class Suggester:
    """Makes suggestions with the rule book's engine and records accept, correct and reject."""

    def __init__(self, actor: Actor, rulebook: RuleBook) -> None:
        self._actor = actor
        self._rulebook = rulebook

    # -- making suggestions ------------------------------------------------------

    def suggest(self, doc_id: int, *, pack: str | None = None) -> SuggestReport:
        """Run the rules (or only one pack's) on one document and update its pending suggestions."""
        engine, fingerprint = self._engine_for(pack)
        return self._suggest_with(engine, fingerprint, doc_id)

    def _engine_for(self, pack: str | None) -> tuple[Engine, str]:
        if pack is None:
            engine = self._rulebook.engine()
            return engine, self._rulebook.engine_fingerprint()
        # A run with one pack leaves the document marked as not suggested with the full rule set.
        return self._rulebook.pack_engine(pack), f"pack:{pack}"[:64]

    def _suggest_with(self, engine: Engine, fingerprint: str, doc_id: int) -> SuggestReport:
        started = time.perf_counter()
        store = self._actor.store
        result = engine.run(store.documents.text(doc_id))
        active = {rule.name: rule.version for rule in engine.rules}
        outcome = store.suggestions.replace(
            doc_id,
            [m.to_suggestion() for m in result.matches],
            active,
            fingerprint,
            annotator=self._actor.annotator,
        )
        return SuggestReport(
            1,
            outcome.added,
            outcome.kept,
            outcome.dropped,
            [f"document {doc_id}: rule {f.rule!r} stopped: {f.reason}" for f in result.failures],
            time.perf_counter() - started,
        )

    def needs_suggest(self, doc_id: int) -> bool:
        """True when the rules changed since this document's suggestions were made (never on a
        read-only database, where they cannot be stored)."""
        store = self._actor.store
        if store.read_only is not None:
            return False
        return store.documents.suggested_with(doc_id) != store.rules.fingerprint()

    def suggest_corpus(
        self,
        doc_ids: Sequence[int] | None = None,
        *,
        pack: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        jobs: int | None = 1,
    ) -> SuggestReport:
        """Suggest over many documents (all by default), with progress and cancellation.

        The engine runs in ``jobs`` worker processes (1: in this process; None: one per idle
        core when the corpus is big enough to pay for starting them). Documents are written in
        order, a chunk per transaction: a cancelled run keeps the chunks it finished.
        """
        ids = list(doc_ids) if doc_ids else self._actor.store.documents.ids()
        started = time.perf_counter()
        workers = default_jobs(len(ids)) if jobs is None else max(1, jobs)
        engine: Engine | None = None
        if workers == 1:
            engine, fingerprint = self._engine_for(pack)
            rules: list[Rule] = engine.rules
        else:
            # The workers compile the rules: this process need not (unless the corpus is one
            # chunk, too small to share).
            rules, fingerprint = self._rules_for(pack)
        run = CorpusRun(self._actor, rules, fingerprint, progress=progress, cancelled=cancelled)
        run.run(ids, workers, lambda: engine if engine is not None else Engine(rules))
        return SuggestReport(
            run.documents,
            run.added,
            run.kept,
            run.dropped,
            run.failures,
            time.perf_counter() - started,
            run.cancelled,
        )

    def _rules_for(self, pack: str | None) -> tuple[list[Rule], str]:
        """The rules ``_engine_for`` would compile, and its fingerprint."""
        if pack is None:
            fingerprint = self._actor.store.rules.fingerprint()
            return self._rulebook.rules(), fingerprint
        packs = self._rulebook.packs()
        rules = [r for r in self._rulebook.rules() if packs.get(r.name) == pack]
        if not rules:
            self._rulebook.pack_engine(pack)  # raises the message for a pack not loaded
        return rules, f"pack:{pack}"[:64]

    def preview_rule(self, rule: Rule | dict[str, Any], doc_id: int) -> RunResult:
        """What one rule (edited, not saved) finds in a document; nothing is stored."""
        if isinstance(rule, dict):
            rule = self._rulebook.parse(rule, source="preview")
        text = self._actor.store.documents.get(doc_id, suggestions=False).text
        return self._rulebook.engine().preview(rule, text)

    def test_rules(self, path: str | Path, doc_id: int) -> tuple[RunResult, list[Problem]]:
        """A pack file's rules on one document, without storing anything."""
        rules, problems = load_pack(pack_path(str(path)), known_labels=self._rulebook.label_names())
        text = self._actor.store.documents.get(doc_id, suggestions=False).text
        return Engine(rules).run(text), problems

    def suggestions(
        self,
        doc_id: int | None = None,
        *,
        states: Sequence[str] = (SuggestionState.PENDING,),
        rule: str | None = None,
    ) -> list[tuple[int, Suggestion]]:
        return self._actor.store.suggestions.find(doc_id, states, rule)

    # -- decisions (each one undo step) -------------------------------------------

    def accept(self, suggestion_id: int) -> Change:
        return self._decide(suggestion_id, Operation.ACCEPT)

    def correct(
        self,
        suggestion_id: int,
        *,
        label: str | None = None,
        start: int | None = None,
        end: int | None = None,
    ) -> Change:
        """Accept with another label or other boundaries.

        A span, and the suggestion marked corrected.
        """
        return self._decide(suggestion_id, Operation.CORRECT, label=label, start=start, end=end)

    def _decide(
        self,
        suggestion_id: int,
        operation: Operation,
        *,
        label: str | None = None,
        start: int | None = None,
        end: int | None = None,
    ) -> Change:
        store, who = self._actor.store, self._actor.annotator
        self._actor.check_main_layer(store.suggestions.get(suggestion_id)[0])
        verb = "Accept" if operation == Operation.ACCEPT else "Correct"
        with store.step(f"{verb} suggestion {suggestion_id}", annotator=who) as step:
            span, before = store.suggestions.accept(
                suggestion_id, annotator=who, start=start, end=end, label=label
            )
            step.description = f"{verb} {before.label} ‘{short(before.text)}’"
            if operation == Operation.CORRECT and span is not None:
                step.description += f" to {span.label} ‘{short(span.text)}’"
            doc_id, after = store.suggestions.get(suggestion_id)
            # Another rule's pending suggestion of the same place and label: the same work, done.
            resolved = self.resolve_identical(doc_id, span)
            statuses = self.mark_in_progress(doc_id)
        return Change(
            operation,
            step.description,
            (doc_id,),
            spans=(span,) if span is not None else (),
            suggestions=(after, *resolved),
            statuses=statuses,
            focus=span,
        )

    def accept_many(self, suggestion_ids: Sequence[int]) -> Change:
        """Accept many pending suggestions as one action (one undo step); all or none.

        Another rule's pending suggestion exactly like one of them is accepted too.
        """
        store, who = self._actor.store, self._actor.annotator
        ids = list(suggestion_ids)
        for doc_id in sorted({doc for doc, _ in store.suggestions.by_id(ids)}):
            self._actor.check_main_layer(doc_id)
        description = f"Accept {len(ids)} suggestions"
        with store.step(description, annotator=who):
            spans, resolved = store.suggestions.accept_many(ids, annotator=who)
            decided = store.suggestions.by_id(ids)
            docs = tuple(sorted({doc for doc, _ in decided}))
            statuses = tuple(doc for doc_id in docs for doc in self.mark_in_progress(doc_id))
        return Change(
            Operation.ACCEPT_MANY,
            description,
            docs,
            spans=tuple(spans),
            suggestions=(*(s for _, s in decided), *resolved),
            statuses=statuses,
            count=len(spans),
        )

    def reject(self, suggestion_id: int, *, everywhere: bool = False) -> Change:
        """Reject; with ``everywhere``, the rule never suggests this text with this label again."""
        store, who = self._actor.store, self._actor.annotator
        self._actor.check_main_layer(store.suggestions.get(suggestion_id)[0])
        rules: list[str] = []
        with store.step(f"Reject suggestion {suggestion_id}", annotator=who) as step:
            rejected = store.suggestions.reject(suggestion_id, annotator=who)
            step.description = f"Reject {rejected.label} ‘{short(rejected.text)}’"
            doc_id, _ = store.suggestions.get(suggestion_id)
            if everywhere:
                step.description += " everywhere"
                for rule in self._rules_proposing(rejected, doc_id):
                    self._rulebook.save(rule.with_exception(rejected.text))
                    store.suggestions.drop_pending(
                        rule.name, rejected.text, rejected.label, annotator=who
                    )
                    rules.append(rule.name)
        operation = Operation.REJECT_EVERYWHERE if everywhere else Operation.REJECT
        return Change(
            operation,
            step.description,
            (doc_id,),
            suggestions=(rejected,),
            rules=tuple(rules),
            focus=rejected,
        )

    def _rules_proposing(self, rejected: Suggestion, doc_id: int) -> list[Rule]:
        """The rule that made the suggestion, and any other rule that would propose the same text
        with the same label here (two gazetteers often share a term): all get the exception,
        or the next run would bring the rejected text back under another rule's name."""
        text = self._actor.store.documents.get(doc_id, suggestions=False).text
        engine = self._rulebook.engine()
        found = []
        for rule in self._rulebook.rules():
            if rule.name == rejected.rule:
                found.append(rule)
            elif rule.enabled and rule.label == rejected.label:
                matches = engine.preview(rule, text).matches
                if any(m.text == rejected.text and m.label == rejected.label for m in matches):
                    found.append(rule)
        return found

    # -- shared by span edits and decisions ------------------------------------------

    def resolve_identical(self, doc_id: int, span: Span | None) -> tuple[Suggestion, ...]:
        """Accept the pending suggestions exactly like ``span`` (place and label)."""
        if span is None:
            return ()
        store = self._actor.store
        return tuple(
            store.suggestions.accept_identical(
                doc_id, span.start, span.end, span.label, span.id, annotator=self._actor.annotator
            )
        )

    def mark_in_progress(self, doc_id: int) -> tuple[int, ...]:
        """The first annotation moves a new document to "in progress"; returns it when it did."""
        store = self._actor.store
        if store.documents.status(doc_id) != DocumentStatus.NEW:
            return ()
        store.documents.set_status(
            doc_id, DocumentStatus.IN_PROGRESS, annotator=self._actor.annotator
        )
        return (doc_id,)
