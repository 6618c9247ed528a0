"""What a rule edit changes in one document's suggestions: pure, text in, differences out.

``DocumentDiffer(before, after)`` holds the two engines (the rule set before and after an edit)
and answers, for one text, which suggestions appear, disappear or change. Running both full
engines on every document of a corpus is too slow (~3 ms an article), so ``may_differ`` first
decides from the edited rules alone whether the two engines can disagree on a text at all; the
full engines run only where they can. Why that is safe, by stage:

* Only the rules that differ between the two sets (compared by value) can make the outputs
  differ; every other rule makes the same raw matches on the same text.
* A first-stage rule reads only the text. If its old and new versions make the same raw matches
  (place, label, priority, overlap, and whether its exceptions drop the match), the first-stage
  input of the resolver is the same, so the resolved first stage, what the second stage reads,
  and the final result are the same (the rule's version number aside, which is not a difference
  an analyst sees). A removed or added first-stage rule: it must match at all.
* A second-stage rule reads the resolved first stage too. When neither of its versions can match
  anything in the text (``_could_match``: a text-only necessary condition per kind, from what
  each matcher needs before it can return a match), its raw output is empty both times.
  Unknown kinds are assumed to match everywhere (correct, only slower).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from annotator.rules.doc import Deadline, Doc, RuleTimeout
from annotator.rules.engine import Engine, compile_rule
from annotator.rules.final_filter import dropper
from annotator.rules.kinds.context_scan import acronyms_in
from annotator.rules.kinds.registry import Kind, Matcher, is_second_stage
from annotator.rules.model import Match, Rule


class DiffKind(StrEnum):
    APPEAR = "appear"
    DISAPPEAR = "disappear"
    CHANGE = "change"


@dataclass(frozen=True)
class Difference:
    """One suggestion that the edit makes appear, disappear, or change (``before`` -> ``after``:
    same place with another label or rule, or overlapping it with other boundaries)."""

    kind: DiffKind
    before: Match | None
    after: Match | None

    @property
    def shown(self) -> Match:
        """The suggestion to show: the new one, or the one that goes away."""
        found = self.after or self.before
        assert found is not None
        return found


def _key(m: Match) -> tuple[int, int, str, str]:
    return (m.start, m.end, m.label, m.rule)


def compare(before: Sequence[Match], after: Sequence[Match]) -> list[Difference]:
    """The differences between two resolved match lists of one text, in text order."""
    old_keys = {_key(m) for m in before}
    new_keys = {_key(m) for m in after}
    gone = [m for m in before if _key(m) not in new_keys]
    new = [m for m in after if _key(m) not in old_keys]
    out: list[Difference] = []
    # Same place first (another label or rule), then overlapping ones (other boundaries).
    by_place: dict[tuple[int, int], list[Match]] = {}
    for m in new:
        by_place.setdefault((m.start, m.end), []).append(m)
    unpaired: list[Match] = []
    for m in gone:
        same = by_place.get((m.start, m.end))
        if same:
            out.append(Difference(DiffKind.CHANGE, m, same.pop(0)))
        else:
            unpaired.append(m)
    left = sorted(m for ms in by_place.values() for m in ms)
    for m in unpaired:
        other = next((n for n in left if n.start < m.end and m.start < n.end), None)
        if other is None:
            out.append(Difference(DiffKind.DISAPPEAR, m, None))
        else:
            left.remove(other)
            out.append(Difference(DiffKind.CHANGE, m, other))
    out += [Difference(DiffKind.APPEAR, None, m) for m in left]
    out.sort(key=lambda d: (d.shown.start, d.shown.end, d.kind))
    return out


def changed_rules(
    before: Sequence[Rule], after: Sequence[Rule]
) -> list[tuple[Rule | None, Rule | None]]:
    """(old, new) for each rule name whose enabled version matches differently (None: absent or
    disabled); a new version number or description alone is no difference."""
    old = {r.name: r for r in before if r.enabled}
    new = {r.name: r for r in after if r.enabled}
    pairs = []
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name), new.get(name)
        if a is None or b is None or _behaviour(a) != _behaviour(b):
            pairs.append((a, b))
    return pairs


def _behaviour(rule: Rule) -> Rule:
    return dataclasses.replace(rule, version=1, description="")


# The raw match of a first-stage rule as far as the final result can tell: place, label, the
# resolver's ranking, and whether the rule's final filter (exceptions, context words) takes it
# out at the end.
_RawKey = tuple[int, int, str, int, bool, bool]


def _keep(text: str, m: Match) -> bool:
    return False


class _Gate:
    """Whether one changed rule (old -> new) can make the two engines disagree on a text."""

    def __init__(self, old: Rule | None, new: Rule | None, timeout_s: float) -> None:
        self.old, self.new = old, new
        self.timeout_s = timeout_s
        self.first_stage = all(r is None or not is_second_stage(r) for r in (old, new))
        self.matchers = [(r, compile_rule(r)) for r in (old, new) if r is not None]

    def __call__(self, doc: Doc) -> bool:
        if self.first_stage:
            raws = [self._raw(rule, matcher, doc) for rule, matcher in self.matchers]
            if len(raws) == 1:
                return bool(raws[0])
            return raws[0] != raws[1]
        return any(
            _could_match(rule, matcher, doc)
            if is_second_stage(rule)
            else self._raw(rule, matcher, doc) != []
            for rule, matcher in self.matchers
        )

    def _raw(self, rule: Rule, matcher: Matcher, doc: Doc) -> list[_RawKey] | None:
        try:
            found = matcher(doc, Deadline.for_text(self.timeout_s, doc.text))
        except (RuleTimeout, RecursionError):
            return None  # a failure differs from any list: run the engines here
        drop = dropper(rule) or _keep
        text = doc.text
        return [
            (m.start, m.end, m.label, m.priority, m.allow_overlap, drop(text, m)) for m in found
        ]


def _could_match(rule: Rule, matcher: Matcher, doc: Doc) -> bool:
    """False only when ``rule`` (second stage) cannot match ``doc`` whatever the first stage
    found: each test is a check its matcher makes on the text before it returns any match."""
    if rule.kind == Kind.CONTEXT:
        kind = rule.pattern.get("type")
        if kind == "after_trigger":
            return bool(doc.find(matcher.triggers))  # type: ignore[attr-defined]
        if kind == "acronym":
            return bool(acronyms_in(doc.text))
        if kind == "quote":
            # A quote rule reads no earlier match: its own output decides.
            try:
                return bool(matcher(doc, Deadline(1.0)))
            except RuleTimeout:
                return True
        return True
    if rule.kind == Kind.TOKEN:
        if not doc.words:
            return False
        # Its anchors (TEXT / IN words a match must contain) are read from the text alone.
        anchors = getattr(matcher, "anchors", ())
        return all(doc.positions_of(pool) for pool in anchors)
    return True


def _same_but_versions(a: list[Match], b: list[Match]) -> bool:
    """Equal match lists, rule versions aside (an edited rule's matches carry its new one, which
    no second-stage rule reads)."""
    return len(a) == len(b) and all(x[:5] == y[:5] and x[6:] == y[6:] for x, y in zip(a, b))


class DocumentDiffer:
    """The rule sets before and after an edit, compiled once; ``differences(text)`` many times.

    Where the engines may disagree, both run on one shared ``Doc`` (tokens, folded text and the
    shared gazetteer scan made once) and the rules the edit did not touch match once for both:
    about the cost of one engine run rather than two. ``full_differences`` is the plain brute
    force (two ``Engine.run``), which the tests hold this against.
    """

    def __init__(
        self, before: Sequence[Rule], after: Sequence[Rule], *, timeout_s: float = 0.2
    ) -> None:
        self.before = Engine(before, timeout_s=timeout_s)
        self.after = Engine(after, timeout_s=timeout_s)
        self.changed = changed_rules(before, after)
        self._gates = [_Gate(old, new, timeout_s) for old, new in self.changed]
        names = {r.name for pair in self.changed for r in pair if r is not None}
        b, a = self.before, self.after
        self._common_first = [p for p in b._first if p[0].name not in names]
        self._common_second = [p for p in b._second if p[0].name not in names]
        self._own = (
            (
                [p for p in b._first if p[0].name in names],
                [p for p in b._second if p[0].name in names],
            ),
            (
                [p for p in a._first if p[0].name in names],
                [p for p in a._second if p[0].name in names],
            ),
        )
        self._anchors = b._anchors | a._anchors

    @property
    def unchanged(self) -> bool:
        """The edit changes nothing any engine runs (e.g. only a description)."""
        return not self.changed

    def may_differ(self, text: str) -> bool:
        """False when the two engines provably agree on ``text`` (see the module's docstring)."""
        if not self._gates:
            return False
        doc = Doc(text)
        return any(gate(doc) for gate in self._gates)

    def differences(self, text: str) -> list[Difference]:
        """What the edit changes in ``text``'s suggestions (empty where it provably changes
        nothing, without running the full engines)."""
        if not self.may_differ(text):
            return []
        before, after = self.twin_run(text)
        return compare(before, after)

    def twin_run(self, text: str) -> tuple[list[Match], list[Match]]:
        """``(before.run(text).matches, after.run(text).matches)``, sharing the common work
        (a rule whose only change is its version or description counts as untouched: its
        matches then carry the old version on both sides).

        The order in which rules' raw matches are joined does not matter to the resolver: it
        ranks by priority, length, start and rule name, and only matches of one rule can tie
        on all of those, which keep their order here as in ``Engine.run``.
        """
        doc = Doc(text, self.before._phrases, self._anchors)
        engines = (self.before, self.after)
        apply = self.before._apply
        common = apply(self._common_first, doc, [])
        firsts = [
            engine.resolver(common + engine._apply(own_first, doc, []))
            for engine, (own_first, _) in zip(engines, self._own, strict=True)
        ]
        out: list[list[Match]] = []
        common_second: list[Match] | None = None
        for engine, first, (_, own_second) in zip(engines, firsts, self._own, strict=True):
            doc.set_earlier(first)
            if common_second is None or not _same_but_versions(first, firsts[0]):
                common_second = apply(self._common_second, doc, [])
            second = common_second + engine._apply(own_second, doc, [])
            matches = engine.resolver(first + second) if second else first
            if engine._drops:
                matches = engine.final_filter(text, matches)
            out.append(matches)
        return out[0], out[1]

    def full_differences(self, text: str) -> list[Difference]:
        """Both full engines on ``text``, compared (the brute force ``differences`` prunes)."""
        return compare(self.before.run(text).matches, self.after.run(text).matches)
