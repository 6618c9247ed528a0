"""Rule fixes proposed from one of the analyst's corrections, and applying the one picked.

The correction is read from the store (a suggestion rejected, or corrected into another span);
``rules.repair`` proposes the rule edits that would have avoided it; the window shows each
with its corpus diff (``Workspace.corpus_diff``) and saves the one picked as one undo step.
"""

from __future__ import annotations

from annotator.core.change import Change, Operation
from annotator.rules import Rule
from annotator.rules.repair import Correction, FixKind, RuleFix, propose_fixes
from annotator.store.corrections import corrected_into, corrected_suggestion, last_corrected
from annotator.store.store import Store
from annotator.workspace.actor import Actor
from annotator.workspace.rulebook import RuleBook

__all__ = ["Correction", "FixKind", "RuleFix", "apply_fix", "fixes_for", "last_correction"]


def last_correction(store: Store, doc_id: int) -> int | None:
    """The suggestion of the document the analyst last rejected or corrected (None: none)."""
    return last_corrected(store.database, doc_id)


def correction_behind(store: Store, span_id: int) -> int | None:
    """The suggestion a span was corrected from (None: the span is no correction)."""
    return corrected_into(store.database, span_id)


def correction_of(store: Store, suggestion_id: int) -> tuple[int, Correction]:
    """The document and the correction of a rejected or corrected suggestion."""
    found = corrected_suggestion(store.database, suggestion_id)
    correction = Correction(found.start, found.end, found.label, found.rule)
    if found.made is not None:
        start, end, label = found.made
        correction = Correction(
            found.start,
            found.end,
            found.label,
            found.rule,
            label_to=label if label != found.label else None,
            start_to=start if start != found.start else None,
            end_to=end if end != found.end else None,
        )
    return found.document_id, correction


def fixes_for(store: Store, rules: list[Rule], suggestion_id: int) -> list[RuleFix]:
    """The rule fixes that would have avoided this rejected or corrected suggestion."""
    doc_id, correction = correction_of(store, suggestion_id)
    return propose_fixes(rules, store.documents.text(doc_id), correction)


def apply_fix(actor: Actor, rulebook: RuleBook, fix: RuleFix) -> Change:
    """Save the fix's rules, all in one undo step."""
    description = f"Rule fix: {fix.description}"
    with actor.store.step(description, annotator=actor.annotator):
        for rule in fix.rules:
            rulebook.save(rule, description)
    return Change(Operation.SAVE_RULE, description, rules=tuple(r.name for r in fix.rules))
