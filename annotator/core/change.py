"""The record every workspace operation returns: what changed, so each screen decides to refresh.

The window reads a Change in one place (as Anki's ``OpChanges``): spans and suggestions are
drawn or removed by what the record lists, the document list follows ``documents`` and
``statuses``, the label palette follows ``labels``, and a change of ``rules`` makes the open
document's suggestions again. No screen guesses from empty fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from annotator.core.model import Span, Suggestion


class Operation(StrEnum):
    """What the user did; ``Change.description`` says it as a sentence."""

    ADD_SPAN = "add-span"
    EDIT_SPAN = "edit-span"
    DELETE_SPAN = "delete-span"
    ACCEPT = "accept"
    CORRECT = "correct"
    ACCEPT_MANY = "accept-many"
    REJECT = "reject"
    REJECT_EVERYWHERE = "reject-everywhere"
    REMEMBER = "remember"
    SET_STATUS = "status"
    ADD_LABEL = "add-label"
    EDIT_LABEL = "edit-label"
    DELETE_LABEL = "delete-label"
    MERGE_LABELS = "merge-labels"
    SAVE_RULE = "save-rule"
    ENABLE_RULE = "enable-rule"
    DISABLE_RULE = "disable-rule"
    IMPORT_RULES = "import-rules"
    IMPORT_DOCUMENTS = "import-documents"
    UNDO = "undo"
    REDO = "redo"
    TRAIN_TAGGER = "train-tagger"
    ACCEPT_RULE_PROPOSAL = "accept-rule-proposal"
    DECLINE_RULE_PROPOSAL = "decline-rule-proposal"
    REJECT_MANY = "reject-many"
    RELABEL_MANY = "relabel-many"
    EDIT_TEAM = "edit-team"  # annotators and assignments (not undo steps)
    PREMERGE_AGREEMENTS = "premerge-agreements"
    TAKE_VERSION = "take-version"
    REJECT_VERSIONS = "reject-versions"


@dataclass(frozen=True)
class Change:
    """What one operation changed. Every tuple lists things as they are after it."""

    operation: Operation
    description: str  # a sentence: "Accept PERSON ‘Putin’", shown after undo and in the Edit menu
    documents: tuple[
        int, ...
    ] = ()  # whose spans or suggestions changed; the first is where to look
    spans: tuple[Span, ...] = ()  # added or edited
    removed_spans: tuple[Span, ...] = ()  # deleted, or an edited span as it was before
    suggestions: tuple[Suggestion, ...] = ()  # whose state changed (the first is the one acted on)
    statuses: tuple[int, ...] = ()  # documents whose status changed
    added_documents: tuple[int, ...] = ()  # new in the corpus (an import)
    rules: tuple[str, ...] = ()  # rules saved, switched on or off, or removed
    labels: tuple[str, ...] = ()  # labels added, edited (old and new name) or removed
    count: int = 0  # spans made by an accept-many; change-log rows an undo replayed
    focus: Span | Suggestion | None = None  # what to select afterwards (a removed span: its place)

    @property
    def rules_changed(self) -> bool:
        """The rules changed, so every document's suggestions may have."""
        return bool(self.rules)

    @property
    def labels_changed(self) -> bool:
        return bool(self.labels)

    @property
    def statuses_changed(self) -> bool:
        return bool(self.statuses)
