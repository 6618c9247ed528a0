"""The simulated analyst of ``bench/rules_quality.py``: goes through documents in order and
does what a person does in the window, counting keyboard actions.

A mode says which tools the analyst uses:

* ``learning``: "reject everywhere" makes an exception of the rule; a span marked by hand
  or a corrected label joins learned-<LABEL> (as before this module);
* ``bulk``: wrong suggestions are rejected or corrected one by one first, then the rest are
  taken with "Accept all suggestions" (one key, one undo step) when at least 2 are left;
* ``tagger_every``: every K documents the analyst runs "Train the tagger on my spans"
  (one action) on the documents done so far; the tagger is one more rule among the others
  (its conflicts resolved by the engine, its exceptions learned like any rule's);
* ``induce``: a hook for induced rule proposals (``Induce``: the documents done so far and the
  rules -> the rules to add), asked every ``induce_every`` documents; each proposal returned
  is accepted, one action each (the hook decides which proposals a person would take, reading
  only the done documents: ``induced_proposals`` takes rules/induce.py's proposals with a
  precision of at least 0.9 on them, as the Rule proposals dock shows it).

The analyst reads only what a person sees: the suggestions of the open document, and the
gold of that document as the truth they would type. Training and induction read only the
documents already done, whose spans are the analyst's own.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from annotator.rules import Engine, Match, Rule
from annotator.rules.induce import DoneDoc, induce_rules
from annotator.rules.learn import add_learned_term, learned_rule_name, new_learned_rule
from annotator.rules.tagger_training import train_tagger

# Keyboard actions, as in the window: a suggestion is one key (Enter accepts, X rejects, a
# number key corrects the label); a span nobody suggested takes two (select it, press the label).
# "bulk" (Accept all), "train" (the menu command) and "rule" (accept a proposal) are one each.
COST = {"accept": 1, "correct": 1, "reject": 1, "add": 2, "bulk": 1, "train": 1, "rule": 1}


class GoldDoc(Protocol):
    text: str
    gold: set[tuple[int, int, str]]


Scope = Callable[[list[Match], GoldDoc], list[Match]]
# Induced rule proposals: (documents done so far, the rules as they are) -> rules to add.
Induce = Callable[[Sequence[GoldDoc], dict[str, Rule]], list[Rule]]


def no_induction(done: Sequence[GoldDoc], rules: dict[str, Rule]) -> list[Rule]:
    """The hook's default: no proposals."""
    return []


# What the analyst accepts of the Rule proposals dock: the proposals it shows with at least this
# precision on the documents done (the dock shows each one's precision and hits there).
ACCEPTED_PRECISION = 0.9


def induced_proposals(done: Sequence[GoldDoc], rules: dict[str, Rule]) -> list[Rule]:
    """rules/induce.py's proposals on the documents done, the precise ones accepted."""
    found = induce_rules(
        [DoneDoc(d.text, tuple(sorted(d.gold))) for d in done],
        list(rules.values()),
        min_precision=ACCEPTED_PRECISION,
    )
    return [p.rule for p in found]


@dataclass(frozen=True)
class Mode:
    name: str
    learning: bool = True
    bulk: bool = False
    tagger_every: int = 0  # 0: no tagger
    tagger_priority: int = 12
    tagger_confidence: float = 0.5
    induce: Induce | None = None  # e.g. Mode("+ induced", bulk=True, induce=my_proposals)
    induce_every: int = 10


@dataclass
class SimResult:
    entities: list[int] = field(default_factory=list)  # cumulative after each document
    actions: list[int] = field(default_factory=list)
    kinds: list[Counter] = field(default_factory=list)  # cumulative action kinds
    rebuilds: int = 0
    exceptions: int = 0
    learned_terms: int = 0
    trainings: int = 0
    train_seconds: float = 0.0
    induced: int = 0


class Analyst:
    """One run of the simulation: the rules as the analyst has them, and the counts."""

    def __init__(self, rules: list[Rule], mode: Mode, scope: Scope, labels: Sequence[str]):
        self.mode, self.scope, self.labels = mode, scope, labels
        self.by_name: dict[str, Rule] = {r.name: r for r in rules}
        for label in labels:
            self.by_name.setdefault(learned_rule_name(label), new_learned_rule(label))
        self.engine = Engine(list(self.by_name.values()))
        self.result = SimResult()
        self.kinds: Counter = Counter()
        self.entities = 0

    def run(self, docs: Sequence[GoldDoc]) -> SimResult:
        for n, doc in enumerate(docs, start=1):
            changed = self.annotate(doc)
            every = self.mode.tagger_every
            if every and n % every == 0 and n < len(docs):
                changed |= self.train(docs[:n])
            if self.mode.induce is not None and n % self.mode.induce_every == 0 and n < len(docs):
                changed |= self.accept_proposals(docs[:n])
            if changed:
                self.engine = Engine(list(self.by_name.values()))
                self.result.rebuilds += 1
        return self.result

    def annotate(self, doc: GoldDoc) -> bool:
        """One document: decide every suggestion, add what is missing; True when a rule changed."""
        mode, kinds = self.mode, self.kinds
        suggestions = self.scope(self.engine.run(doc.text).matches, doc)
        gold_spans = {(s, e): label for s, e, label in doc.gold}
        covered: set[tuple[int, int, str]] = set()
        rejected_here: set[tuple[str, str]] = set()  # (rule, text) rejected everywhere
        to_reject: list[tuple[str, str]] = []
        to_learn: list[tuple[str, str]] = []  # (label, text)
        accepted = 0
        for m in suggestions:  # text order
            if mode.learning and (m.rule, m.text) in rejected_here:
                continue  # gone with the "reject everywhere" of an identical one
            key = (m.start, m.end, m.label)
            right = gold_spans.get((m.start, m.end))
            if key in doc.gold and key not in covered:
                covered.add(key)
                accepted += 1
            elif right is not None and (m.start, m.end, right) not in covered:
                covered.add((m.start, m.end, right))
                kinds["correct"] += 1
                to_reject.append((m.rule, m.text))
                to_learn.append((right, m.text))
            else:
                kinds["reject"] += 1
                to_reject.append((m.rule, m.text))
                rejected_here.add((m.rule, m.text))
        kinds["accept"] += accepted
        if mode.bulk and accepted >= 2:
            kinds["bulk"] += 1
        else:
            kinds["single"] += accepted
        for s, e, label in sorted(doc.gold - covered):
            kinds["add"] += 1
            to_learn.append((label, doc.text[s:e]))
        self.entities += len(doc.gold)
        self.result.entities.append(self.entities)
        self.result.actions.append(actions(kinds))
        self.result.kinds.append(Counter(kinds))
        return mode.learning and self.learn(to_reject, to_learn)

    def learn(self, to_reject: list[tuple[str, str]], to_learn: list[tuple[str, str]]) -> bool:
        by_name, result, changed = self.by_name, self.result, False
        for name, text in to_reject:
            new = by_name[name].with_exception(text)
            if new is not by_name[name]:
                by_name[name] = new
                changed = True
                result.exceptions += 1
        for label, text in to_learn:
            name = learned_rule_name(label)
            new = add_learned_term(by_name[name], text)
            if new is not by_name[name]:
                by_name[name] = new
                changed = True
                result.learned_terms += 1
        return changed

    def train(self, done: Sequence[GoldDoc]) -> bool:
        """The menu command "Train the tagger on my spans": one action; the retrained rule keeps
        the exceptions the analyst gave the previous one (as the workspace does)."""
        t0 = time.perf_counter()
        mode = self.mode
        rule = train_tagger(
            [(d.text, d.gold) for d in done],
            self.labels,
            priority=mode.tagger_priority,
            min_confidence=mode.tagger_confidence,
        )
        old = self.by_name.get(rule.name)
        if old is not None:
            rule = rule.edited(exceptions=old.exceptions, version=old.version + 1)
        self.by_name[rule.name] = rule
        self.kinds["train"] += 1
        self.result.trainings += 1
        self.result.train_seconds += time.perf_counter() - t0
        self._recount()
        return True

    def accept_proposals(self, done: Sequence[GoldDoc]) -> bool:
        proposals = self.mode.induce(done, dict(self.by_name)) if self.mode.induce else []
        for rule in proposals:
            self.by_name[rule.name] = rule
            self.kinds["rule"] += 1
            self.result.induced += 1
        if proposals:
            self._recount()
        return bool(proposals)

    def _recount(self) -> None:
        # Actions taken between documents belong to the document just done.
        self.result.actions[-1] = actions(self.kinds)
        self.result.kinds[-1] = Counter(self.kinds)


def actions(kinds: Counter) -> int:
    """Keyboard actions of these counts: accepted suggestions cost one each ("single") unless
    they were taken with Accept all ("bulk", one for the document)."""
    paid = ("single", "correct", "reject", "add", "bulk", "train", "rule")
    return sum(COST.get(k, 1) * kinds[k] for k in paid)


def simulate(
    rules: list[Rule],
    docs: Sequence[GoldDoc],
    mode: Mode,
    scope: Scope,
    labels: Sequence[str],
) -> SimResult:
    return Analyst(rules, mode, scope, labels).run(docs)


def at(result: SimResult, n: int) -> tuple[int, int, float, Counter] | None:
    if n > len(result.entities):
        return None
    ent, act = result.entities[n - 1], result.actions[n - 1]
    return ent, act, (act / ent if ent else 0.0), result.kinds[n - 1]


def print_modes(
    rules: list[Rule],
    docs: Sequence[GoldDoc],
    learning: SimResult,
    modes: list[Mode],
    scope: Scope,
    labels: Sequence[str],
    checkpoints: Sequence[int],
) -> dict[str, float]:
    """The learning analyst again in each mode (bulk accept, the tagger, and induced rules when
    ``Mode.induce`` is plugged in): a table beside ``learning``'s figures, and
    ``{"actions_per_entity_<last checkpoint>_<mode>": figure}`` for the RESULT line."""
    results = [simulate(rules, docs, m, scope, labels) for m in modes]
    tagged = next((m for m in modes if m.tagger_every), None)
    if tagged is not None:
        print(
            f"   the learning analyst with the new tools (the tagger retrained every "
            f"{tagged.tagger_every} documents, priority {tagged.tagger_priority}, "
            f"min confidence {tagged.tagger_confidence}); actions per entity:"
        )
    widths = [max(16, len(m.name)) for m in modes]
    head = "".join(f" {m.name:>{w}}" for m, w in zip(modes, widths, strict=True))
    print(f"    {'docs':>5} {'entities':>8} {'learning':>9}{head}   last: " + "/".join(BREAKDOWN))
    for n in checkpoints:
        row = [at(r, n) for r in (learning, *results)]
        if any(r is None for r in row):
            continue
        cells = "".join(
            f" {r[2]:>{w}.3f}"  # type: ignore[index]
            for r, w in zip(row[1:], widths, strict=True)
        )
        kinds = row[-1][3]  # type: ignore[index]
        print(
            f"    {n:>5} {row[0][0]:>8} {row[0][2]:>9.3f}{cells}   "  # type: ignore[index]
            + "/".join(str(kinds[k]) for k in BREAKDOWN)
        )
    last = results[-1]
    print(
        f"    last mode: the tagger was trained {last.trainings} times "
        f"({last.train_seconds:.1f} s in all); {last.induced} rule proposals accepted; "
        f"{last.exceptions} exceptions, {last.learned_terms} learned terms"
    )
    out = {}
    for mode, result in zip(modes, results, strict=True):
        found = at(result, checkpoints[-1])
        key = mode.name.strip("+ ").replace(" + ", "_").replace(" ", "_")
        out[f"actions_per_entity_{checkpoints[-1]}_{key}"] = found[2] if found else float("nan")
    return out


# What the last mode's actions were: accepted (in all), one by one, Accept all, corrected,
# rejected, added by hand, trainings, accepted rule proposals.
BREAKDOWN = ("accept", "single", "bulk", "correct", "reject", "add", "train", "rule")
