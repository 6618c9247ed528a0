"""Rules induced from the analyst's finished documents, each measured on those documents.

``induce_rules(done_docs, existing_rules)`` mines candidates (``induce_mine``), runs each one
alone over the finished documents (with the existing rules' first stage under it, so LABEL
constraints see what they would see for real) and keeps those that are precise and add spans
the existing rules do not already propose:
- hit: a match equal to a span of the document (start, end and label);
- precision: hits / matches; new hits: hits the existing rules did not already make.
A proposal whose new hits are none duplicates what the rules do already, and is left out.
Pure: no database; the workspace feeds it and saves what the analyst accepts.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from annotator.rules.doc import Deadline, RuleTimeout
from annotator.rules.engine import Engine
from annotator.rules.induce_mine import (
    INDUCED_PREFIX,
    Candidate,
    Prepared,
    context_candidates,
    prepare_inside,
    sequence_candidates,
    term_candidates,
)
from annotator.rules.kinds import KINDS
from annotator.rules.load import dump_rule, parse_rule
from annotator.rules.model import Rule, thaw

__all__ = [
    "DECLINED_SUFFIX",
    "INDUCED_PREFIX",
    "DoneDoc",
    "Proposal",
    "ProposalKind",
    "count_matches",
    "induce_rules",
]

DECLINED_SUFFIX = "-declined"  # the switched-off rule keeping a label's turned-down terms
_TIMEOUT_S = 0.2
_CANDIDATES = 60  # of each kind, measured at most
_EARLY = 30  # matches seen before a candidate far below the precision asked is given up
_TERMS_SHOWN = 4


@dataclass(frozen=True)
class DoneDoc:
    """A document the analyst finished: its text and spans ``(start, end, label)``."""

    text: str
    spans: tuple[tuple[int, int, str], ...]


class ProposalKind(StrEnum):
    CONTEXT = "context"
    TERMS = "terms"
    SEQUENCE = "sequence"


@dataclass(frozen=True)
class Proposal:
    """A rule to propose, with what it did on the finished documents."""

    rule: Rule
    kind: ProposalKind
    summary: str
    matches: int
    hits: int
    new_hits: int

    @property
    def precision(self) -> float:
        return self.hits / self.matches if self.matches else 0.0

    @property
    def usefulness(self) -> float:
        """What sorts proposals: the spans it adds, weighted by how often it is right."""
        return self.new_hits * self.precision


# Per matched text: [matches, hits, new hits].
Tally = dict[str, list[int]]


def induce_rules(
    done_docs: Sequence[DoneDoc],
    existing_rules: Sequence[Rule],
    *,
    min_precision: float = 0.8,
    min_hits: int = 3,
    min_term_seen: int = 2,
    progress: Callable[[int, int], None] | None = None,
) -> list[Proposal]:
    """Proposals for new rules, most useful first (see the module's docstring)."""
    docs = prepare(done_docs, existing_rules, progress)
    names = {r.name for r in existing_rules}
    patterns = {_shape(r) for r in existing_rules}
    out: list[Proposal] = []
    for candidate in [
        *context_candidates(docs, min_hits, min_precision, _CANDIDATES),
        *sequence_candidates(docs, min_hits, _CANDIDATES),
    ]:
        rule = parse_rule(candidate.definition, source="induced")
        if rule.name in names or _shape(rule) in patterns:
            continue  # accepted or turned down before, or the same pattern under another name
        tally = _measure(rule, docs, give_up_below=min_precision / 2)
        if tally is None:
            continue
        matches, hits, new = (sum(t[i] for t in tally.values()) for i in range(3))
        if hits >= min_hits and new and hits >= min_precision * matches:
            kind = ProposalKind(candidate.kind)
            out.append(Proposal(rule, kind, candidate.summary, matches, hits, new))
    by_name = {r.name: r for r in existing_rules}
    for candidate in term_candidates(docs, _known_terms(existing_rules), min_term_seen):
        proposal = _terms_proposal(candidate, docs, by_name, min_precision)
        if proposal is not None:
            out.append(proposal)
    return sorted(out, key=lambda p: (-p.usefulness, p.rule.name))


def prepare(
    done_docs: Sequence[DoneDoc],
    existing_rules: Sequence[Rule],
    progress: Callable[[int, int], None] | None = None,
) -> list[Prepared]:
    """Each document run once through the existing rules, kept ready for the candidates."""
    engine = Engine(existing_rules, timeout_s=_TIMEOUT_S)
    docs = []
    for n, done in enumerate(done_docs):
        result, doc = engine.run_doc(done.text)
        known = {(m.start, m.end, m.label) for m in result.matches}
        prepared = Prepared(doc, set(done.spans), known)
        prepare_inside(prepared)
        docs.append(prepared)
        if progress is not None and n % 20 == 0:
            progress(n, len(done_docs))
    return docs


def count_matches(
    rules: Sequence[Rule],
    texts: Iterable[str],
    existing_rules: Sequence[Rule],
    *,
    cancelled: Callable[[], bool] | None = None,
) -> list[int]:
    """How many matches each rule makes over ``texts`` (alone, on the existing first stage)."""
    engine = Engine(existing_rules, timeout_s=_TIMEOUT_S)
    matchers = [KINDS[r.kind].matcher(r) for r in rules]
    counts = [0] * len(rules)
    for text in texts:
        if cancelled is not None and cancelled():
            break
        _, doc = engine.run_doc(text)
        for i, matcher in enumerate(matchers):
            try:
                counts[i] += len(matcher(doc, Deadline(_TIMEOUT_S)))
            except (RuleTimeout, RecursionError):
                continue
    return counts


def _measure(rule: Rule, docs: Sequence[Prepared], give_up_below: float = 0.0) -> Tally | None:
    """Run ``rule`` alone over the prepared documents; the tally of its matches per text.

    None when, after ``_EARLY`` matches, fewer than ``give_up_below`` of them were hits: a
    rule that far below the precision asked will not make it, and general patterns are the
    slow ones.
    """
    matcher = KINDS[rule.kind].matcher(rule)
    tally: Tally = defaultdict(lambda: [0, 0, 0])
    labels, texts = _required(rule)
    matches = hits = 0
    for p in docs:
        if matches >= _EARLY and hits < give_up_below * matches:
            return None
        if not (labels <= p.labels and texts <= p.doc.word_positions.keys()):
            continue  # a label or a word the rule needs is not in this document
        try:
            found = matcher(p.doc, Deadline(_TIMEOUT_S))
        except (RuleTimeout, RecursionError):
            continue  # a rule this slow on a document makes nothing there
        matches += len(found)
        for m in found:
            counts = tally[m.text]
            counts[0] += 1
            key = (m.start, m.end, m.label)
            if key in p.gold:
                hits += 1
                counts[1] += 1
                if key not in p.known:
                    counts[2] += 1
    return tally


def _required(rule: Rule) -> tuple[set[str], set[str]]:
    """The labels and token texts every match of a token rule needs (none for other kinds)."""
    labels: set[str] = set()
    texts: set[str] = set()
    if rule.kind == "token":
        for spec in rule.pattern["tokens"]:
            if spec.get("OP", "") in ("", "+"):
                if "LABEL" in spec:
                    labels.add(spec["LABEL"])
                if "TEXT" in spec:
                    texts.add(spec["TEXT"])
    return labels, texts


def _terms_proposal(
    candidate: Candidate,
    docs: Sequence[Prepared],
    existing: dict[str, Rule],
    min_precision: float,
) -> Proposal | None:
    """The candidate's terms that are precise and add spans, as one phrase rule (merged into
    the label's induced-terms rule when the analyst accepted one before)."""
    tally = _measure(parse_rule(candidate.definition, source="induced"), docs) or {}
    kept = sorted(
        term
        for term, (matches, hits, new) in tally.items()
        if new and hits >= min_precision * matches
    )
    if not kept:
        return None
    matches, hits, new = (sum(tally[t][i] for t in kept) for i in range(3))
    label = candidate.definition["label"]
    shown = ", ".join(f'"{t}"' for t in kept[:_TERMS_SHOWN])
    more = f" and {len(kept) - _TERMS_SHOWN} more" if len(kept) > _TERMS_SHOWN else ""
    summary = f"{label}: {len(kept)} term{'s' * (len(kept) > 1)} {shown}{more}"
    definition = {**candidate.definition, "pattern": {"terms": kept}}
    before = existing.get(definition["name"])
    if before is not None:  # more terms for the rule accepted before: a new version of it
        old = dump_rule(before)
        definition = {
            **old,
            "version": before.version + 1,
            "pattern": {**old["pattern"], "terms": [*old["pattern"].get("terms", []), *kept]},
        }
    rule = parse_rule(definition, source="induced")
    return Proposal(rule, ProposalKind.TERMS, summary, matches, hits, new)


def _known_terms(rules: Sequence[Rule]) -> dict[str, set[str]]:
    """Per label, the terms its phrase rules have already (switched off ones too: a term turned
    down is kept in one)."""
    known: dict[str, set[str]] = defaultdict(set)
    for rule in rules:
        if rule.kind == "phrase":
            known[rule.label] |= {term for term, _ in rule.terms}
    return known


def _shape(rule: Rule) -> str:
    """What a rule does, without its name: two rules of equal shape behave the same."""
    pattern: Any = thaw(rule.pattern)
    return json.dumps([rule.kind, rule.label, pattern], sort_keys=True)
