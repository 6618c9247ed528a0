"""Match a document with a set of rules, then resolve conflicts.

Matching is separate from applying: ``Engine.run`` returns matches and failures
and changes nothing; the caller (the workspace) turns them into suggestions.

Two stages. Stage 1: phrase, regex and token rules that read only the text.
Stage 2: context rules and token rules with LABEL constraints, which read the
resolved stage-1 matches. The final list is resolved again over both stages.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from annotator.rules.doc import Deadline, Doc, RuleTimeout
from annotator.rules.kinds.context import ContextMatcher
from annotator.rules.kinds.phrase import PhraseMatcher
from annotator.rules.kinds.regex_kind import RegexMatcher
from annotator.rules.kinds.token import TokenMatcher, uses_labels
from annotator.rules.model import Match, Rule, RuleFailure, RunResult


class Matcher(Protocol):
    rule: Rule

    def __call__(self, doc: Doc, deadline: Deadline) -> list[Match]: ...


Resolver = Callable[[list[Match]], list[Match]]

_MATCHERS: dict[str, Callable[[Rule], Matcher]] = {
    "phrase": PhraseMatcher,
    "regex": RegexMatcher,
    "token": TokenMatcher,
    "context": ContextMatcher,
}
# Compiled matchers by rule identity, so a new Engine over mostly the same rules (one rule
# edited, an exception added) does not rebuild every automaton.
_CACHE: dict[tuple, Matcher] = {}
_CACHE_SIZE = 256


def _cache_key(rule: Rule) -> tuple:
    # id(rule.terms) would be cheaper but is not stable across equal rules loaded twice.
    return (rule.name, rule.version, rule.kind, _freeze_key(rule.pattern), rule.terms,
            rule.label, rule.priority, rule.allow_overlap)


def _freeze_key(value: object) -> object:
    if hasattr(value, "items"):
        return tuple(sorted((k, _freeze_key(v)) for k, v in value.items()))  # type: ignore[attr-defined]
    if isinstance(value, tuple):
        return tuple(_freeze_key(v) for v in value)
    return value


def compile_rule(rule: Rule) -> Matcher:
    """The matcher for a rule (cached); raises PatternError only for rules not made by parse_rule."""
    key = _cache_key(rule)
    matcher = _CACHE.get(key)
    if matcher is None:
        matcher = _MATCHERS[rule.kind](rule)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = matcher
    return matcher


def is_second_stage(rule: Rule) -> bool:
    return rule.kind == "context" or (rule.kind == "token" and uses_labels(rule.pattern))


def resolve(matches: list[Match]) -> list[Match]:
    """Default overlap policy: priority, then longest, then earliest wins.

    Overlapping matches of different labels both stay when either rule allows
    overlap (a QUOTE around the names in it). Identical (start, end, label) from
    two rules: the higher priority one stays. Returns matches in text order.
    """
    in_text_order = sorted(matches)  # Match is a tuple: (start, end, label, ...) order, in C
    reach = -1
    for m in in_text_order:
        if m.start < reach:
            break
        reach = m.end
    else:
        return in_text_order  # nothing overlaps: the common case for one gazetteer
    ordered = sorted(matches, key=lambda m: (-m.priority, m.start - m.end, m.start, m.rule))
    kept_starts: list[int] = []
    kept: list[Match] = []
    longest = 0
    for m in ordered:
        lo = bisect.bisect_left(kept_starts, m.start - longest)
        hi = bisect.bisect_left(kept_starts, m.end)
        clash = False
        for other in kept[lo:hi]:
            if other.end <= m.start or other.start >= m.end:
                continue
            if other.label != m.label and (other.allow_overlap or m.allow_overlap):
                continue
            clash = True
            break
        if not clash:
            at = bisect.bisect_right(kept_starts, m.start)
            kept_starts.insert(at, m.start)
            kept.insert(at, m)
            longest = max(longest, m.end - m.start)
    return sorted(kept)


class Engine:
    """Rules compiled once; ``run`` many times. Not tied to a database."""

    def __init__(self, rules: Sequence[Rule], *, timeout_s: float = 0.2,
                 resolver: Resolver = resolve) -> None:
        self.rules = [r for r in rules if r.enabled]
        self.timeout_s = timeout_s
        self.resolver = resolver
        # (rule, matcher) pairs: exceptions are read from the rule, since the cached
        # matcher may have been compiled for an equal rule with other exceptions.
        self._first = [(r, compile_rule(r)) for r in self.rules if not is_second_stage(r)]
        self._second = [(r, compile_rule(r)) for r in self.rules if is_second_stage(r)]

    def run(self, text: str) -> RunResult:
        """All resolved matches of the enabled rules on ``text``, and the rules that failed."""
        doc = Doc(text)
        failures: list[RuleFailure] = []
        first = self.resolver(self._apply(self._first, doc, failures))
        doc.set_earlier(first)
        second = self._apply(self._second, doc, failures)
        matches = self.resolver(first + second) if second else first
        return RunResult(matches, failures)

    def preview(self, rule: Rule, text: str) -> RunResult:
        """What one (edited, unsaved) rule finds on ``text``, unresolved against the others.

        The engine's other first-stage rules still run, unseen, so LABEL constraints
        and context rules see the matches they would see for real.
        """
        doc = Doc(text)
        failures: list[RuleFailure] = []
        if is_second_stage(rule):
            others = [pair for pair in self._first if pair[0].name != rule.name]
            doc.set_earlier(self.resolver(self._apply(others, doc, [])))
        found = self._apply([(rule, compile_rule(rule))], doc, failures)
        return RunResult(sorted(found, key=lambda m: (m.start, m.end, m.label)), failures)

    def _apply(self, matchers: Sequence[tuple[Rule, Matcher]], doc: Doc,
               failures: list[RuleFailure]) -> list[Match]:
        out: list[Match] = []
        for rule, matcher in matchers:
            deadline = Deadline(self.timeout_s)
            try:
                found = matcher(doc, deadline)
            except RuleTimeout as e:
                failures.append(RuleFailure(rule.name, str(e), rule.version))
                continue
            except RecursionError:
                failures.append(RuleFailure(rule.name, "pattern too deep for this document",
                                            rule.version))
                continue
            if rule.exceptions:
                rejected = set(rule.exceptions)
                found = [m for m in found if m.text not in rejected]
            out.extend(found)
        return out


def preview(rule: Rule, text: str, *, context: Sequence[Rule] = (), timeout_s: float = 0.2
            ) -> RunResult:
    """One rule on one text; ``context`` rules supply earlier-stage matches it may read."""
    return Engine(list(context), timeout_s=timeout_s).preview(rule, text)


def timed_run(engine: Engine, text: str) -> tuple[RunResult, float]:
    """``engine.run`` and the seconds it took (for the benchmark and the status bar)."""
    t0 = time.perf_counter()
    result = engine.run(text)
    return result, time.perf_counter() - t0
