"""Train the tagger on my spans: a CRF learned from the analyst's own work, saved as the rule
``tagger`` (rules/kinds/tagger.py), one undo step.

Training reads and computes only (``train``: the window runs it in a background job on its own
connection); saving is the write (``save``), so it happens where the window applies changes.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotator.core.change import Change, Operation
from annotator.core.errors import UsageError
from annotator.core.model import DocumentStatus
from annotator.core.tokenize import tokenize
from annotator.rules import Rule
from annotator.rules.kinds.tagger import DEFAULT_MIN_CONFIDENCE, DEFAULT_PRIORITY
from annotator.rules.tagger_training import train_tagger
from annotator.workspace.actor import Actor

if TYPE_CHECKING:
    from annotator.workspace.rulebook import RuleBook

TAGGER_RULE = "tagger"
# By default the tagger learns the labels of names (a few tokens): a label whose spans are longer
# than this on average (QUOTE) is left out, since a sequence tagger over words would mostly
# learn where quotation marks are. Naming the labels includes them.
LONGEST_MEAN_TOKENS = 6.0

Spans = list[tuple[int, int, str]]


@dataclass(frozen=True)
class TaggerTraining:
    """A trained, not yet saved, tagger rule and what it learned from."""

    rule: Rule
    documents: int
    spans: int
    seconds: float

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.rule.pattern["labels"])


class Tagging:
    """The tagger trained on this database's done or annotated documents."""

    def __init__(self, actor: Actor, rulebook: RuleBook) -> None:
        self._actor = actor
        self._rulebook = rulebook

    def training_documents(self) -> list[tuple[str, Spans]]:
        """The documents the analyst has done or annotated: text and spans."""
        documents = self._actor.store.documents
        out: list[tuple[str, Spans]] = []
        for summary in documents.summaries():
            if summary.status != DocumentStatus.DONE and not summary.spans:
                continue
            spans, _ = documents.annotations_brief(summary.id)
            out.append((documents.text(summary.id), [(s.start, s.end, s.label) for s in spans]))
        return out

    def train(self, labels: list[str] | None = None) -> TaggerTraining:
        """Train on the done or annotated documents (``labels``: all but long-span ones).

        Raises UsageError, nothing changed, when a label is unknown or there is nothing to learn.
        """
        started = time.perf_counter()
        known = self._rulebook.label_names()
        unknown = sorted(set(labels or ()) - known)
        if unknown:
            raise UsageError(
                f"unknown label {', '.join(unknown)} (known: {', '.join(sorted(known))})"
            )
        docs = self.training_documents()
        if not docs:
            raise UsageError(
                "no document is done or has spans yet: annotate some, then train the tagger"
            )
        wanted = labels or default_labels(docs)
        if not wanted:
            raise UsageError("no span of a name-like label to learn from (give --labels)")
        old = self._existing()
        # A retrained tagger keeps what the analyst set on the one it replaces.
        priority = old.priority if old is not None else DEFAULT_PRIORITY
        confidence = (
            float(old.pattern.get("min_confidence", DEFAULT_MIN_CONFIDENCE))
            if old is not None
            else DEFAULT_MIN_CONFIDENCE
        )
        try:
            rule = train_tagger(
                docs, wanted, name=TAGGER_RULE, priority=priority, min_confidence=confidence
            )
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        spans = sum(1 for _, found in docs for s in found if s[2] in rule.pattern["labels"])
        return TaggerTraining(rule, len(docs), spans, time.perf_counter() - started)

    def save(self, training: TaggerTraining) -> Change:
        """Store the trained rule (one undo step); a retrained tagger keeps the exceptions, the
        switch and the version line of the one it replaces."""
        rule, old = training.rule, self._existing()
        if old is not None:
            rule = rule.edited(
                exceptions=old.exceptions, enabled=old.enabled, version=old.version + 1
            )
        labels = ", ".join(training.labels)
        description = (
            f"Train the tagger on {training.spans} spans in {training.documents} documents "
            f"({labels})"
        )
        change = self._rulebook.save(rule, description)
        return Change(Operation.TRAIN_TAGGER, description, rules=change.rules)

    def _existing(self) -> Rule | None:
        try:
            return self._rulebook.rule(TAGGER_RULE)
        except UsageError:
            return None


def default_labels(docs: list[tuple[str, Spans]]) -> list[str]:
    """The labels of the spans, most frequent first, but those of long spans (quotes)."""
    counts: Counter[str] = Counter()
    tokens: Counter[str] = Counter()
    for text, spans in docs:
        for start, end, label in spans:
            counts[label] += 1
            tokens[label] += len(tokenize(text[start:end]))
    return [label for label, n in counts.most_common() if tokens[label] / n <= LONGEST_MEAN_TOKENS]
