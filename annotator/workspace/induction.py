"""Rule proposals for the open database, induced from the documents the analyst finished.

Which documents count: those whose status is "done". Precision is measured as if every entity
in them were marked; in a document still in progress, an entity not marked yet would count a
right match as a wrong one, so those are left out until the analyst marks them done.

Accepting a proposal saves its rule (one undo step). Turning one down is remembered in the
rules themselves, so it needs no table of its own and undo comes for free: the proposed rule
is saved switched off (visible in the rule list, and the analyst may switch it on later), and
turned-down terms go to a switched-off phrase rule ``induced-terms-<label>-declined``. The
induction proposes nothing a rule of that name or those terms already holds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from annotator.core.change import Change, Operation
from annotator.core.errors import UsageError
from annotator.core.model import DocumentStatus
from annotator.core.text import one_line as short
from annotator.rules import Rule, dump_rule, parse_rule
from annotator.rules.induce import (
    DECLINED_SUFFIX,
    DoneDoc,
    Proposal,
    ProposalKind,
    count_matches,
    induce_rules,
)
from annotator.workspace.actor import Actor
from annotator.workspace.rulebook import RuleBook

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class RuleProposal:
    """A proposal and its number of matches on the whole corpus (all documents, count only)."""

    proposal: Proposal
    corpus_matches: int

    @property
    def rule(self) -> Rule:
        return self.proposal.rule

    @property
    def kind(self) -> ProposalKind:
        return self.proposal.kind

    @property
    def summary(self) -> str:
        return self.proposal.summary


class Induction:
    """Proposals from the finished documents; accept or turn one down (each one undo step)."""

    def __init__(self, actor: Actor, rulebook: RuleBook) -> None:
        self._actor = actor
        self._rulebook = rulebook

    def done_documents(self) -> list[DoneDoc]:
        store = self._actor.store
        done = []
        for summary in store.documents.summaries():
            if summary.status == DocumentStatus.DONE:
                document = store.documents.get(summary.id, suggestions=False)
                spans = tuple(sorted((s.start, s.end, s.label) for s in document.spans))
                done.append(DoneDoc(document.text, spans))
        return done

    def proposals(
        self,
        *,
        min_precision: float = 0.8,
        min_hits: int = 3,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> list[RuleProposal]:
        """The proposals, most useful first, each with its matches over the whole corpus."""
        store, rules = self._actor.store, self._rulebook.rules()
        done = self.done_documents()
        ids = store.documents.ids()
        total = len(done) + len(ids)
        labels = self._rulebook.label_names()
        found = [
            p
            for p in induce_rules(
                done,
                rules,
                min_precision=min_precision,
                min_hits=min_hits,
                progress=(lambda n, _: progress(n, total)) if progress else None,
            )
            if p.rule.labels() <= labels
        ]
        seen = [0]

        def texts() -> Iterator[str]:
            for doc_id in ids:
                seen[0] += 1
                if progress is not None and seen[0] % 20 == 0:
                    progress(len(done) + seen[0], total)
                yield store.documents.text(doc_id)

        counts = count_matches([p.rule for p in found], texts(), rules, cancelled=cancelled)
        return [RuleProposal(p, n) for p, n in zip(found, counts, strict=True)]

    def accept(self, proposal: Proposal | RuleProposal) -> Change:
        """Save the proposed rule; one undo step."""
        proposal = _proposal(proposal)
        change = self._rulebook.save(
            proposal.rule, f"Accept rule proposal {proposal.rule.name} ({short(proposal.summary)})"
        )
        return dataclasses.replace(change, operation=Operation.ACCEPT_RULE_PROPOSAL)

    def turn_down(self, proposal: Proposal | RuleProposal) -> Change:
        """Remember the proposal as turned down (a switched-off rule); one undo step."""
        proposal = _proposal(proposal)
        rule = proposal.rule
        description = f"Turn down rule proposal {rule.name} ({short(proposal.summary)})"
        if proposal.kind == ProposalKind.TERMS:
            declined = self._declined_terms(rule)
        else:
            if rule.name in {r.name for r in self._rulebook.rules()}:
                raise UsageError(f"rule {rule.name!r} exists already: nothing to turn down")
            declined = rule.edited(
                enabled=False, version=rule.version, description=f"Turned down: {proposal.summary}"
            )
        change = self._rulebook.save(declined, description)
        return dataclasses.replace(change, operation=Operation.DECLINE_RULE_PROPOSAL)

    def _declined_terms(self, rule: Rule) -> Rule:
        """The label's switched-off rule of turned-down terms, with this proposal's new terms."""
        existing = {r.name: r for r in self._rulebook.rules()}
        accepted = existing.get(rule.name)
        have = {t for t, _ in accepted.terms} if accepted is not None else set()
        new = [t for t, _ in rule.terms if t not in have]
        name = f"{rule.name}{DECLINED_SUFFIX}"
        before = existing.get(name)
        if before is None:
            definition = {
                "name": name,
                "label": rule.label,
                "kind": "phrase",
                "enabled": False,
                "description": f"Terms turned down as {rule.label} (kept so they are not "
                "proposed again)",
                "pattern": {"terms": new},
            }
        else:
            old = dump_rule(before, inline_terms=True)
            terms = [*old["pattern"].get("terms", []), *new]
            definition = {**old, "version": before.version + 1, "pattern": {"terms": terms}}
        return parse_rule(definition, source="induced")


def _proposal(proposal: Proposal | RuleProposal) -> Proposal:
    return proposal.proposal if isinstance(proposal, RuleProposal) else proposal
