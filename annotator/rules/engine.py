"""Match a document with a set of rules, then resolve conflicts.

Matching is separate from applying: ``Engine.run`` returns matches and failures
and changes nothing; the caller (the workspace) turns them into suggestions.

Two stages. Stage 1: phrase, regex and token rules that read only the text.
Stage 2: context rules and token rules with LABEL constraints, which read the
resolved stage-1 matches. The final list is resolved again over both stages.
"""

from __future__ import annotations

import bisect
import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from annotator.rules.doc import Deadline, Doc, RuleTimeout
from annotator.rules.final_filter import dropper
from annotator.rules.kinds import KINDS
from annotator.rules.kinds.phrase import SHARE_LIMIT, Gazetteer, PhraseSet
from annotator.rules.kinds.regex_starts import Starts
from annotator.rules.kinds.registry import Matcher, is_second_stage
from annotator.rules.model import Match, Rule, RuleFailure, RunResult

Resolver = Callable[[list[Match]], list[Match]]

# ``resolve`` sorts matches as tuples (text order) and reads m[0], m[1] in its hot loop.
if Match._fields[:3] != ("start", "end", "label"):
    raise TypeError("resolve needs Match to begin with start, end, label: update it")

# Compiled matchers by rule identity, so a new Engine over mostly the same rules (one rule
# edited, an exception added) does not rebuild every automaton.
_CACHE: dict[tuple, Matcher] = {}
_CACHE_SIZE = 256
# And at most this many gazetteer terms in them all: a 50,000-term matcher takes ~40 MB, and
# each edit of such a rule compiles a new one (the oldest go first).
_CACHE_TERMS = 300_000
# Shared scans by the identities of their gazetteers and regex starts (the PhraseSet holds
# them, so no id is reused). Only the current engine's and the one before are worth keeping
# (their automata take a few MB to a dozen).
_SETS: dict[tuple[tuple[int, ...], tuple[int, ...]], PhraseSet] = {}
_SETS_SIZE = 4
# From this length on, a run pauses the garbage collector: everything it allocates (tokens'
# matches, found terms) lives to its end, so each full collection during it walks them all
# again, and none is garbage yet. On a 1 MB article that was a quarter of the run.
_PAUSE_GC_CHARS = 100_000


@contextmanager
def _collector_paused(text: str | None = None) -> Iterator[None]:
    """No automatic garbage collection while a long text is matched, or while a rule is
    compiled (``text`` None), left as it is when someone else has turned it off, and back on
    afterwards. A 50,000-term gazetteer allocates ~150,000 tuples that all live on: full
    collections set off meanwhile walked them, and the rules' own terms, for nothing
    (30-50 ms of a ~300 ms compile)."""
    if (text is not None and len(text) < _PAUSE_GC_CHARS) or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _terms_in(matcher: Matcher) -> int:
    g = getattr(matcher, "gazetteer", None) or getattr(matcher, "triggers", None)
    return g.size if isinstance(g, Gazetteer) else 0


def _cache_key(rule: Rule) -> tuple:
    # id(rule.terms) would be cheaper but is not stable across equal rules loaded twice.
    # No version and no exceptions: a "reject everywhere" must not rebuild a 50,000-term
    # automaton; _apply stamps the current version and filters the exceptions.
    return (
        rule.name,
        rule.kind,
        _freeze_key(rule.pattern),
        rule.terms,
        rule.label,
        rule.priority,
        rule.allow_overlap,
    )


def _freeze_key(value: object) -> object:
    if hasattr(value, "items"):
        return tuple(sorted((k, _freeze_key(v)) for k, v in value.items()))
    if isinstance(value, tuple):
        try:
            hash(value)  # no mapping inside (a gazetteer's terms): a key as it is, in one call
        except TypeError:
            return tuple(_freeze_key(v) for v in value)
    return value


def compile_rule(rule: Rule) -> Matcher:
    """The matcher for a rule (cached); PatternError only for rules not made by parse_rule."""
    key = _cache_key(rule)
    matcher = _CACHE.get(key)
    if matcher is None:
        with _collector_paused():
            matcher = KINDS[rule.kind].matcher(rule)
        _CACHE[key] = matcher
        terms = sum(map(_terms_in, _CACHE.values()))
        while len(_CACHE) > 1 and (len(_CACHE) > _CACHE_SIZE or terms > _CACHE_TERMS):
            terms -= _terms_in(_CACHE.pop(next(iter(_CACHE))))
    return matcher


def phrase_set(matchers: Sequence[Matcher]) -> PhraseSet | None:
    """One shared scan for the small gazetteers of these matchers (phrase terms, context triggers)
    and for the literal starts of their regex rules."""
    gazetteers: dict[int, Gazetteer] = {}
    starts: dict[int, Starts] = {}
    for matcher in matchers:
        g = getattr(matcher, "gazetteer", None) or getattr(matcher, "triggers", None)
        if isinstance(g, Gazetteer) and 0 < g.size <= SHARE_LIMIT:
            gazetteers.setdefault(id(g), g)
        s = getattr(matcher, "starts", None)
        if isinstance(s, Starts):
            starts.setdefault(id(s), s)
    if len(gazetteers) + len(starts) < 2:
        return None
    key = (tuple(gazetteers), tuple(starts))
    found = _SETS.get(key)
    if found is None:
        found = PhraseSet(list(gazetteers.values()), list(starts.values()))
        if len(_SETS) >= _SETS_SIZE:
            _SETS.pop(next(iter(_SETS)))
        _SETS[key] = found
    return found


def resolve(matches: list[Match]) -> list[Match]:
    """Default overlap policy: priority, then longest, then earliest wins.

    Overlapping matches of different labels both stay when either rule allows
    overlap (a QUOTE around the names in it). Identical (start, end, label) from
    two rules: the higher priority one stays. Returns matches in text order.
    """
    # Indices in text order (Match is a tuple: (start, end, label, ...) order, compared in C);
    # the index also breaks ties in the ranking the way a stable sort of ``matches`` would.
    order = sorted(range(len(matches)), key=matches.__getitem__)
    # Only matches that overlap (directly or through others) compete: resolve each such
    # cluster alone, keep every match that overlaps nothing. Same result as ranking them all.
    # A cluster is a run of ``order``: order[first:k]. m[0] is start, m[1] end (Match fields).
    out: list[Match] = []
    first = 0
    reach = -1
    for k, i in enumerate(order):
        m = matches[i]
        if m[0] >= reach:
            if k - first == 1:
                out.append(matches[order[first]])
            elif k - first == 2:
                _resolve_pair(matches, order[first], order[first + 1], out)
            elif k:
                out += _resolve_cluster(matches, order[first:k])
            first = k
            reach = m[1]
        elif m[1] > reach:
            reach = m[1]
    k = len(order)
    if k - first == 1:
        out.append(matches[order[first]])
    elif k - first == 2:
        _resolve_pair(matches, order[first], order[first + 1], out)
    elif k:
        out += _resolve_cluster(matches, order[first:k])
    return out


def _resolve_pair(matches: list[Match], i: int, j: int, out: list[Match]) -> None:
    """``_resolve_cluster`` for a cluster of two (i before j in text order), appended to ``out``."""
    a, b = matches[i], matches[j]
    if (-a.priority, a.start - a.end, a.start, a.rule, i) > (
        -b.priority,
        b.start - b.end,
        b.start,
        b.rule,
        j,
    ):
        winner, other = b, a
    else:
        winner, other = a, b
    if (
        winner.end <= other.start
        or winner.start >= other.end
        or winner.label != other.label
        and (winner.allow_overlap or other.allow_overlap)
    ):
        out.append(a)
        out.append(b)
    else:
        out.append(winner)


def _resolve_cluster(matches: list[Match], cluster: list[int]) -> list[Match]:
    """The kept matches of one cluster of overlapping matches (indices into ``matches``),
    in text order."""
    kept_starts: list[int] = []
    kept: list[Match] = []
    longest = 0
    ranked = sorted(
        (-m.priority, m.start - m.end, m.start, m.rule, i)
        for i, m in ((i, matches[i]) for i in cluster)
    )
    for *_, i in ranked:
        m = matches[i]
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

    def __init__(
        self, rules: Sequence[Rule], *, timeout_s: float = 0.2, resolver: Resolver = resolve
    ) -> None:
        self.rules = [r for r in rules if r.enabled]
        self.timeout_s = timeout_s
        self.resolver = resolver
        # (rule, matcher) pairs: exceptions are read from the rule, since the cached
        # matcher may have been compiled for an equal rule with other exceptions.
        self._first = [(r, compile_rule(r)) for r in self.rules if not is_second_stage(r)]
        self._second = [(r, compile_rule(r)) for r in self.rules if is_second_stage(r)]
        # The small gazetteers of every rule, scanned together: one pass per case handling.
        self._phrases = phrase_set([m for _, m in self._first + self._second])
        # What each rule takes out of the final result: texts rejected everywhere, matches next
        # to its forbidden context words (rules/final_filter.py).
        self._drops = {r.name: d for r in self.rules if (d := dropper(r)) is not None}
        # The anchor words of every token rule, located in one pass per document.
        self._anchors = frozenset().union(
            *(pool for _, m in self._first + self._second for pool in getattr(m, "anchors", ()))
        )

    def run(self, text: str) -> RunResult:
        """All resolved matches of the enabled rules on ``text``, and the rules that failed.

        A rule's exceptions (texts rejected everywhere) are taken out of the result last: an
        excepted match still takes part in the conflicts and is still seen by the context rules,
        so rejecting one rule's hit never changes what another rule proposes.
        """
        return self.run_doc(text)[0]

    def run_doc(self, text: str) -> tuple[RunResult, Doc]:
        """``run``, and the document it prepared: its tokens, and as ``earlier`` the resolved
        first-stage matches, so more rules can be tried on it without running these again."""
        with _collector_paused(text):
            return self._run_doc(text)

    def _run_doc(self, text: str) -> tuple[RunResult, Doc]:
        doc = Doc(text, self._phrases, self._anchors)
        failures: list[RuleFailure] = []
        first = self.resolver(self._apply(self._first, doc, failures))
        doc.set_earlier(first)
        second = self._apply(self._second, doc, failures)
        matches = self.resolver(first + second) if second else first
        if self._drops:
            matches = self.final_filter(text, matches)
        return RunResult(matches, failures), doc

    def preview(self, rule: Rule, text: str) -> RunResult:
        """What one (edited, unsaved) rule finds on ``text``, unresolved against the others.

        The engine's other first-stage rules still run, unseen, so LABEL constraints
        and context rules see the matches they would see for real.
        """
        doc = Doc(text, self._phrases, self._anchors)
        failures: list[RuleFailure] = []
        if is_second_stage(rule):
            others = [pair for pair in self._first if pair[0].name != rule.name]
            doc.set_earlier(self.resolver(self._apply(others, doc, [])))
        found = self._apply([(rule, compile_rule(rule))], doc, failures)
        drop = dropper(rule)
        if drop is not None:
            found = [m for m in found if not drop(text, m)]
        return RunResult(sorted(found, key=lambda m: (m.start, m.end, m.label)), failures)

    def final_filter(self, text: str, matches: list[Match]) -> list[Match]:
        """``matches`` without those their rules take out last (exceptions, context words)."""
        drops = self._drops
        return [m for m in matches if (d := drops.get(m.rule)) is None or not d(text, m)]

    def _apply(
        self, matchers: Sequence[tuple[Rule, Matcher]], doc: Doc, failures: list[RuleFailure]
    ) -> list[Match]:
        out: list[Match] = []
        deadline = Deadline.for_text(self.timeout_s, doc.text)
        for rule, matcher in matchers:
            deadline.restart()
            try:
                found = matcher(doc, deadline)
            except RuleTimeout as e:
                failures.append(RuleFailure(rule.name, str(e), rule.version))
                continue
            except RecursionError:
                failures.append(
                    RuleFailure(rule.name, "pattern too deep for this document", rule.version)
                )
                continue
            if not found:  # most rules, on most documents
                continue
            if found[0].rule_version != rule.version:
                found = [m._replace(rule_version=rule.version) for m in found]
            out += found
        return out


def preview(
    rule: Rule, text: str, *, context: Sequence[Rule] = (), timeout_s: float = 0.2
) -> RunResult:
    """One rule on one text; ``context`` rules supply earlier-stage matches it may read."""
    return Engine(list(context), timeout_s=timeout_s).preview(rule, text)
