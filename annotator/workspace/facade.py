"""The workspace: what one open database offers the CLI and the GUI, and the only door to it.

Each operation is done by a small part (labels, annotations, rules, suggestions, transfer) that
receives the store and the annotator; the facade hands calls on. Every mutation returns a Change
(annotator.core.change) saying what changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Self

from annotator.core.change import Change
from annotator.core.errors import AnnotatorError, Problem, UsageError
from annotator.core.model import (
    MAIN_LAYER,
    Document,
    DocumentStatus,
    Label,
    SpanBrief,
    Suggestion,
    SuggestionBrief,
    SuggestionState,
)
from annotator.rules import Engine, Rule, RuleStats
from annotator.rules.induce import Proposal
from annotator.rules.model import RunResult
from annotator.rules.patterns import is_pattern_file
from annotator.shipped_data import default_labels, seeds_dir
from annotator.store.document_pages import DocumentPages
from annotator.store.documents import DocumentSummary
from annotator.store.label_merge import Merged
from annotator.store.search import SearchHit
from annotator.store.store import Store
from annotator.workspace import backups, rule_diff, rule_fix
from annotator.workspace.actor import Actor, default_annotator
from annotator.workspace.annotations import Annotations
from annotator.workspace.concordance import ConcordanceReview
from annotator.workspace.induction import Induction, RuleProposal
from annotator.workspace.labels import LabelBook
from annotator.workspace.progress import ProgressReader, ProgressReport
from annotator.workspace.rule_diff import CorpusDiff
from annotator.workspace.rule_fix import RuleFix
from annotator.workspace.rule_patterns import PatternExport, RulePatterns
from annotator.workspace.rulebook import RuleBook, RuleImport
from annotator.workspace.suggesting import Suggester, SuggestReport
from annotator.workspace.tagging import TaggerTraining, Tagging
from annotator.workspace.team_commands import TeamCommands
from annotator.workspace.transfer import Cancelled, Progress, Transfer
from annotator.workspace.transfer_commands import TransferCommands


class _RollBack(Exception):
    """Raised to undo a warm-up transaction."""


class Workspace(TransferCommands, TeamCommands):
    """One open database."""

    def __init__(self, store: Store, annotator: str | None = None) -> None:
        self._actor = Actor(store, annotator or default_annotator())
        self._labels = LabelBook(self._actor)
        self._rulebook = RuleBook(self._actor)
        self._suggester = Suggester(self._actor, self._rulebook)
        self._annotations = Annotations(self._actor, self._suggester)
        self._transfer = Transfer(self._actor, self._labels)
        backups.attach(store)

    @property
    def store(self) -> Store:
        return self._actor.store

    @property
    def annotator(self) -> str:
        """Whose actions these are; the window may change it (Preferences)."""
        return self._actor.annotator

    @annotator.setter
    def annotator(self, name: str) -> None:
        self._actor.annotator = name

    @classmethod
    def open(
        cls,
        target: str | Path,
        *,
        seed: bool = False,
        annotator: str | None = None,
        upgrade: bool = True,
    ) -> Workspace:
        """Open (creating and migrating if needed).

        A new database gets the default labels and, with seed, the seeds.
        """
        workspace = cls(Store.open(target, upgrade=upgrade), annotator)
        if workspace.store.is_new():
            for label in default_labels():
                workspace.store.labels.add(label, annotator=workspace.annotator)
            if seed:
                workspace.import_paths([seeds_dir()])
        workspace.ensure_default_rules()
        return workspace

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def location(self) -> str:
        return str(self.store.path or self.store.url)

    @property
    def notes(self) -> list[str]:
        """What opening did that the user should hear about (backups, upgrades)."""
        return list(self.store.notes)

    # -- documents ---------------------------------------------------------

    def documents(self) -> list[DocumentSummary]:
        return self.store.documents.summaries()

    def document_summary(self, doc_id: int) -> DocumentSummary:
        """One document's list line (title, status, counts), without reading its spans; on a
        document assigned to the annotator, their own status and spans."""
        found = self.summaries_for_me([doc_id])
        if not found:
            raise UsageError(f"no document with id {doc_id}")
        return found[0]

    def document_status(self, doc_id: int) -> DocumentStatus:
        """A document's status alone (one indexed read); on a document assigned to the
        annotator, their own status."""
        layer = self.layer_for(doc_id)
        if layer != MAIN_LAYER:
            own = self.store.team.own_status(doc_id, layer)
            if own is not None:
                return own
        return self.store.documents.status(doc_id)

    def resolve(self, ref: str | int) -> int:
        return self.store.documents.resolve(ref)

    def document(self, ref: str | int) -> Document:
        """A document with the spans of the acting annotator's layer on it (blind: only their own
        on a document assigned to them, and then no suggestions)."""
        doc_id = self.resolve(ref)
        layer = self.layer_for(doc_id)
        return self.store.documents.get(doc_id, layer=layer, suggestions=layer == MAIN_LAYER)

    def document_for_view(
        self, doc_id: int
    ) -> tuple[Document, list[SpanBrief], list[SuggestionBrief]]:
        """A document (without spans) and its spans and pending suggestions as light tuples, for
        the window."""
        document = self.store.documents.alone(doc_id)
        layer = self.layer_for(doc_id)
        spans, pending = self.store.documents.annotations_brief(doc_id, layer)
        if layer != MAIN_LAYER:  # an annotator's own status of their document
            document = replace(document, status=self.document_status(doc_id))
        return document, spans, pending

    def fresh_pending_ids(self, doc_id: int) -> list[int]:
        """The document's pending suggestions that are work (no span of their label overlaps them),
        in reading order: what "accept all" should accept."""
        return self.store.documents.fresh_pending_ids(doc_id)

    def warm_up(self, doc_id: int, suggestion_id: int | None = None) -> None:
        """Run a label and an accept (of ``suggestion_id``, a pending suggestion of the document,
        when given) on this document in a transaction that is rolled back.

        Nothing is stored; SQLAlchemy compiles the statements of these actions once per
        database, and doing it here keeps that out of the analyst's first key press.
        """
        labels = self.labels()
        text = self.store.documents.text(doc_id)
        if not labels or not text.strip():
            return
        start = len(text) - len(text.lstrip())
        try:
            with self.store.step("warm-up", annotator=self.annotator):
                self.add_span(doc_id, start, start + 1, labels[-1].name)
                if suggestion_id is not None:
                    self.accept(suggestion_id)
                raise _RollBack
        except (_RollBack, AnnotatorError):
            pass
        # The rollback emptied the store's caches: read the text again now, not on the first key.
        self.store.documents.text(doc_id)

    def set_status(self, doc_id: int, status: DocumentStatus | str) -> Change:
        return self._annotations.set_status(doc_id, status)

    def search(self, query: str, limit: int = 200, *, catch_up: bool = True) -> list[SearchHit]:
        """Full-text search: documents with every word of ``query`` (case and accents ignored, the
        last word may be the start of one); hits are the whole phrase where it occurs, else each
        word; in import order, then text order; at most ``limit``. Bad queries find nothing.
        ``catch_up=False``: no indexing first (the documents the index lacks are scanned)."""
        return self.store.search.find(query, limit, catch_up=catch_up)

    # -- labels ------------------------------------------------------------

    def labels(self) -> list[Label]:
        return self._labels.labels()

    def add_label(
        self,
        name: str,
        *,
        colour: str | None = None,
        hotkey: str | None = None,
        description: str = "",
    ) -> Change:
        return self._labels.add(name, colour=colour, hotkey=hotkey, description=description)

    def edit_label(self, label: str, /, **changes: object) -> Change:
        """Change a label's name, colour, hotkey, description or order."""
        return self._labels.edit(label, **changes)

    def delete_label(self, label: str) -> Change:
        """Remove a label from the schema.

        Refused, with how many spans use it, while anything does.
        """
        return self._labels.delete(label)

    # -- spans -------------------------------------------------------------

    def add_span(
        self, doc_id: int, start: int, end: int, label: str, *, note: str | None = None
    ) -> Change:
        """A span made by hand; a pending suggestion exactly like it is accepted with it."""
        return self._annotations.add_span(doc_id, start, end, label, note=note)

    def update_span(self, span_id: int, **changes: object) -> Change:
        """Relabel or move a span; a pending suggestion it now equals is accepted with it."""
        return self._annotations.update_span(span_id, **changes)

    def delete_span(self, span_id: int) -> Change:
        return self._annotations.delete_span(span_id)

    # -- undo --------------------------------------------------------------

    def undo(self) -> Change | None:
        """Undo this annotator's latest action, in whatever document; None when there is none.

        Survives restarts (the history is in the database). Raises UsageError, changing
        nothing, when what the action did was changed since by someone else.
        """
        return self._annotations.undo()

    def redo(self) -> Change | None:
        """Redo the action undone last; None when there is none (a new action ends redo)."""
        return self._annotations.redo()

    def undo_description(self) -> str | None:
        """What undo would undo ("Accept PERSON ‘Putin’"), for the menu; None when nothing."""
        return self._annotations.undo_description()

    def redo_description(self) -> str | None:
        return self._annotations.redo_description()

    # -- rules -------------------------------------------------------------

    def rules(self) -> list[Rule]:
        return self._rulebook.rules()

    def rule(self, name: str) -> Rule:
        return self._rulebook.rule(name)

    def rule_packs(self) -> dict[str, str | None]:
        return self._rulebook.packs()

    def parse_rule(self, definition: dict[str, Any], *, source: str = "editor") -> Rule:
        """A rule from its definition, checked against the labels; RuleError when it is bad."""
        return self._rulebook.parse(definition, source=source)

    def import_rules(self, path: str | Path, *, pack: str | None = None) -> RuleImport:
        """Load a pack file or folder, or a spaCy/Prodigy match-pattern file, into the database
        (one undo step); bad lines are reported."""
        if is_pattern_file(Path(path)):
            return RulePatterns(self._actor, self._labels).import_file(Path(path), pack=pack)
        return self._rulebook.import_pack(path, pack=pack)

    def export_rules(self, path: str | Path, names: Sequence[str] = ()) -> Path:
        return self._rulebook.export_pack(path, names)

    def export_rule_patterns(self, path: str | Path, names: Sequence[str] = ()) -> PatternExport:
        """The rules (all, or ``names``) as a spaCy/Prodigy match-pattern file."""
        rules = [r for r in self.rules() if not names or r.name in names]
        return RulePatterns(self._actor, self._labels).export_file(rules, Path(path))

    def save_rule(self, rule: Rule) -> Change:
        """Store a new or edited rule (its version says which edit it is); one undo step."""
        return self._rulebook.save(rule)

    def set_rule_enabled(self, name: str, enabled: bool) -> Change:
        return self._rulebook.set_enabled(name, enabled)

    def remove_exception(self, name: str, text: str) -> Change:
        return self._rulebook.remove_exception(name, text)

    def remove_learned_term(self, label: str, text: str) -> Change:
        return self._rulebook.remove_learned_term(label, text)

    def learn_term(self, label: str, text: str) -> Change:
        """Suggest ``text`` as ``label`` in every document (the label's learned terms)."""
        return self._rulebook.learn(label, text)

    def rule_from_selection(self, name: str, label: str, text: str) -> Change:
        """A new one-term phrase rule named ``name`` that suggests ``text`` as ``label``."""
        return self._rulebook.phrase_rule(name, label, text)

    def remember(self, span_id: int) -> Change:
        """Add a span's text to its label's learned terms, so it is suggested in every document."""
        span = self.store.spans.get(span_id)
        return self._rulebook.learn(span.label, span.text)

    def ensure_default_rules(self) -> None:
        self._rulebook.ensure_defaults()

    def engine(self) -> Engine:
        return self._rulebook.engine()

    def rule_statistics(
        self, *, threshold: float = 0.5, min_decisions: int = 20
    ) -> dict[str, RuleStats]:
        return self._rulebook.statistics(threshold=threshold, min_decisions=min_decisions)

    # -- suggestions -------------------------------------------------------

    def suggest(self, doc_id: int, *, pack: str | None = None) -> SuggestReport:
        """Run the rules (or only one pack's) on one document and update its pending suggestions."""
        return self._suggester.suggest(doc_id, pack=pack)

    def needs_suggest(self, doc_id: int) -> bool:
        """True when the rules changed since this document's suggestions were made."""
        return self._suggester.needs_suggest(doc_id)

    def suggest_corpus(
        self,
        doc_ids: Sequence[int] | None = None,
        *,
        pack: str | None = None,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
        jobs: int | None = 1,
    ) -> SuggestReport:
        """Suggest over many documents (all by default), with progress and cancellation; the
        engine in ``jobs`` worker processes (None: one per core for a big corpus)."""
        return self._suggester.suggest_corpus(
            doc_ids, pack=pack, progress=progress, cancelled=cancelled, jobs=jobs
        )

    def preview_rule(self, rule: Rule | dict[str, Any], doc_id: int) -> RunResult:
        """What one rule (edited, not saved) finds in a document; nothing is stored."""
        return self._suggester.preview_rule(rule, doc_id)

    def test_rules(self, path: str | Path, doc_id: int) -> tuple[RunResult, list[Problem]]:
        """A pack file's rules on one document, without storing anything."""
        return self._suggester.test_rules(path, doc_id)

    def suggestions(
        self,
        doc_id: int | None = None,
        *,
        states: Sequence[str] = (SuggestionState.PENDING,),
        rule: str | None = None,
    ) -> list[tuple[int, Suggestion]]:
        return self._suggester.suggestions(doc_id, states=states, rule=rule)

    def accept(self, suggestion_id: int) -> Change:
        return self._suggester.accept(suggestion_id)

    def correct(
        self,
        suggestion_id: int,
        *,
        label: str | None = None,
        start: int | None = None,
        end: int | None = None,
    ) -> Change:
        """Accept with another label or other boundaries: a span, and the suggestion corrected."""
        return self._suggester.correct(suggestion_id, label=label, start=start, end=end)

    def accept_many(self, suggestion_ids: Sequence[int]) -> Change:
        """Accept many pending suggestions as one undo step; all or none."""
        return self._suggester.accept_many(suggestion_ids)

    def reject(self, suggestion_id: int, *, everywhere: bool = False) -> Change:
        """Reject; with ``everywhere``, the rule never suggests this text with this label again."""
        return self._suggester.reject(suggestion_id, everywhere=everywhere)

    # -- whole database ----------------------------------------------------

    def backup(self, target: str | Path) -> Path:
        return self.store.backup(Path(target))

    def stats(self) -> dict[str, object]:
        return {"database": self.location, **self.store.counts(), "by": self.store.grouped_counts()}

    def train_tagger(self, labels: list[str] | None = None) -> TaggerTraining:
        """Train the tagger on the done or annotated documents; nothing is stored yet."""
        return Tagging(self._actor, self._rulebook).train(labels)

    def save_tagger(self, training: TaggerTraining) -> Change:
        """Store a trained tagger as the rule ``tagger`` (one undo step)."""
        return Tagging(self._actor, self._rulebook).save(training)

    # -- rule proposals (annotator/workspace/induction.py) ------------------

    def rule_proposals(self, **options: Any) -> list[RuleProposal]:
        """Rules induced from the finished documents (see ``Induction.proposals``)."""
        return Induction(self._actor, self._rulebook).proposals(**options)

    def accept_rule_proposal(self, proposal: Proposal | RuleProposal) -> Change:
        return Induction(self._actor, self._rulebook).accept(proposal)

    def turn_down_rule_proposal(self, proposal: Proposal | RuleProposal) -> Change:
        return Induction(self._actor, self._rulebook).turn_down(proposal)

    # -- the concordance: lines across the corpus, and decisions on many (concordance.py) --

    @property
    def concordance(self) -> ConcordanceReview:
        return ConcordanceReview(self._actor, self._suggester, self._annotations)

    # -- progress (the plots) ------------------------------------------------

    def progress_report(self, *, most_points: int | None = None) -> ProgressReport:
        """Rules over time (each rule's timeline thinned to about ``most_points``), per rule, per
        label and per document status: what the plots show."""
        return ProgressReader(self._actor).report(most_points)

    # -- corpus diff of a rule edit (read only) -----------------------------

    def corpus_diff(self, before: Sequence[Rule], after: Sequence[Rule], **kw: Any) -> CorpusDiff:
        """What replacing the rules ``before`` by ``after`` changes in every document's
        suggestions (``progress``, ``cancelled`` as in suggest_corpus); nothing is stored."""
        return rule_diff.corpus_diff(self.store, before, after, **kw)

    def rule_edit_diff(self, rule: Rule, **kw: Any) -> CorpusDiff:
        """The corpus diff of saving ``rule`` (``replaces``: the name it was saved under)."""
        return rule_diff.edit_diff(self.store, self.rules(), rule, **kw)

    # -- rule fixes proposed from a correction -------------------------------

    def last_correction(self, doc_id: int) -> int | None:
        """The suggestion of ``doc_id`` last rejected or corrected (None: none yet)."""
        return rule_fix.last_correction(self.store, doc_id)

    def correction_behind(self, span_id: int) -> int | None:
        """The suggestion a span was made from by a correction (None: it is no correction)."""
        return rule_fix.correction_behind(self.store, span_id)

    def rule_fixes(self, suggestion_id: int) -> list[RuleFix]:
        """Rule edits that would have avoided this rejected or corrected suggestion."""
        return rule_fix.fixes_for(self.store, self.rules(), suggestion_id)

    def apply_rule_fix(self, fix: RuleFix) -> Change:
        """Save a proposed fix's rules; one undo step."""
        return rule_fix.apply_fix(self._actor, self._rulebook, fix)

    def index_for_search(
        self, at_most: int | None = None, cancelled: Cancelled | None = None
    ) -> int:
        """Index the documents imported since the last search (if no more than ``at_most``)."""
        return self.store.search.index.catch_up(at_most, cancelled)

    def search_backlog(self) -> int:
        """How many documents the full-text index lacks (imported since its last catch-up)."""
        return self.store.search.index.behind()

    @property
    def document_pages(self) -> DocumentPages:
        """The document list a page at a time: count, ordered ids, summaries of a few."""
        return self.store.document_pages

    def merge_labels(self, source: str, target: str) -> Change:
        """Move all of ``source`` (spans, suggestions, rules) to ``target``; one undo step."""
        return self._labels.merge(source, target)

    def last_label_merge(self) -> Merged:
        return self._labels.last_merge

    def backup_kind(self) -> str:
        return self.store.backup_kind()

    def automatic_backups(self) -> list[backups.BackupFile]:
        return self.store.automatic_backups()

    def restore_backup(self, wanted: str) -> tuple[backups.BackupFile, Path]:
        return self.store.restore(wanted)

    def on_backup_failure(self, listener: Callable[[str], None]) -> None:
        backups.set_listener(self.store, listener)

    def rotate_backups(self, keep: int) -> list[Path]:
        return self.store.rotate_backups(keep)
