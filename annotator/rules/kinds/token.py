"""Token-pattern rules in the spirit of spaCy's Matcher.

Semantics (kept simple on purpose, and documented because analysts write these):
- A pattern is a list of token constraints; every key of one constraint must hold.
  ``{}`` matches any token. Keys: TEXT, LOWER, IN / NOT_IN (lists of exact texts),
  REGEX (searched in the token text, ``regex`` module), IS_TITLE / IS_UPPER / IS_DIGIT
  (booleans), SHAPE (spaCy shape: X upper, x lower, d digit, other characters
  themselves, runs cut at 4: "Xxxxx", "dd/dd"), LABEL (the token lies inside a match
  of that label from the first stage).
- OP: none = exactly one, "?" = zero or one, "*" = zero or more, "+" = one or more,
  "!" = exactly one token that does NOT satisfy the constraint.
- Quantifiers are greedy; when the rest of the pattern fails they give back one
  token at a time (plain backtracking). The first match found at a start position is
  taken, the scan goes on after it, so matches never overlap.
- A match never crosses a line break (news paragraphs and captions are lines).
- ``span: [i, j]`` picks pattern positions i..j-1 as the suggested span (default: all);
  if those positions matched no token, nothing is suggested.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import regex

from annotator.rules.doc import Deadline, Doc, RuleTimeout
from annotator.rules.kinds.registry import Field, Kind, RuleKind
from annotator.rules.model import Match, PatternError, Rule, match_maker, one_line

OPS = ("?", "*", "+", "!")
_STR_KEYS = ("TEXT", "LOWER", "REGEX", "SHAPE", "LABEL")
_BOOL_KEYS = ("IS_TITLE", "IS_UPPER", "IS_DIGIT")
_LIST_KEYS = ("IN", "NOT_IN")
KEYS = set(_STR_KEYS) | set(_BOOL_KEYS) | set(_LIST_KEYS) | {"OP"}
# Search steps before the rule is stopped: this many per document of up to _BUDGET_TOKENS
# tokens (a long article, ~6 KB), in proportion beyond, so a sound pattern is never stopped
# for the length of its text (the search is linear in it), only for backtracking.
_STEP_BUDGET = 200_000
_BUDGET_TOKENS = 1_000

Test = Callable[[Doc, int], bool]
# match(p, t, first): whether pattern positions p... match from token t (filling ``bounds``).
Search = Callable[[int, int, bool], bool]


def shape(text: str) -> str:
    """spaCy-style word shape: "Lavrov" -> "Xxxxx", "24/10" -> "dd/dd"."""
    out: list[str] = []
    last, run = "", 0
    for ch in text:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        run = run + 1 if c == last else 1
        last = c
        if run <= 4:
            out.append(c)
    return "".join(out)


def _word_test(key: str, value: Any, where: str) -> Callable[[str], bool]:
    """The test of one key on a token's text (every key but LABEL reads only the text)."""
    if key == "TEXT":
        return lambda w: w == value
    if key == "LOWER":
        low = value.lower()
        return lambda w: w.lower() == low
    if key == "IN":
        pool = frozenset(value)
        return lambda w: w in pool
    if key == "NOT_IN":
        pool = frozenset(value)
        return lambda w: w not in pool
    if key == "REGEX":
        try:
            compiled = regex.compile(value)
        except regex.error as e:
            raise PatternError(
                f"{where}: invalid REGEX: {e.msg} at position {e.pos}", e.pos
            ) from None
        return lambda w: compiled.search(w) is not None
    if key == "SHAPE":
        return lambda w: shape(w) == value
    wanted = bool(value)
    if key == "IS_TITLE":
        return lambda w: w.istitle() == wanted
    if key == "IS_UPPER":
        return lambda w: w.isupper() == wanted
    return lambda w: w.isdigit() == wanted  # IS_DIGIT


# The text tests of a constraint depend on the token's text alone, so their results are
# remembered per distinct text, across documents, and shared by every element (of any rule)
# with the same text constraints: news repeats its words, and REGEX tests cost most.
_MEMO_SIZE = 50_000  # texts remembered per constraint before its memo starts over
_MEMOS: dict[tuple, dict[str, bool]] = {}
_MEMOS_SIZE = 512


def _memo_for(key: tuple) -> dict[str, bool]:
    memo = _MEMOS.get(key)
    if memo is None:
        if len(_MEMOS) >= _MEMOS_SIZE:
            _MEMOS.pop(next(iter(_MEMOS)))
        memo = _MEMOS[key] = {}
    return memo


def compile_element(spec: Any, index: int) -> tuple[Test, str]:
    """One constraint dict -> (test, op); PatternError names the token index and key."""
    where = f"token {index}"
    if not isinstance(spec, Mapping):
        raise PatternError(f'{where}: must be an object like {{"LOWER": "presiden"}}')
    checks: list[Callable[[str], bool]] = []
    labels: list[str] = []
    memo_key: list[tuple[str, Any]] = []
    for key, value in spec.items():
        if key not in KEYS:
            raise PatternError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(KEYS))})")
        if key == "OP":
            if value not in OPS:
                raise PatternError(f"{where}: OP must be one of {' '.join(OPS)}, not {value!r}")
            continue
        if key in _STR_KEYS and not isinstance(value, str):
            raise PatternError(f"{where}: {key} must be a string")
        if key in _BOOL_KEYS and not isinstance(value, bool):
            raise PatternError(f"{where}: {key} must be true or false")
        if key in _LIST_KEYS and not (
            isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
        ):
            raise PatternError(f"{where}: {key} must be a list of strings")
        if key == "LABEL":
            labels.append(value)
            continue
        checks.append(_word_test(key, value, where))
        memo_key.append((key, tuple(value) if key in _LIST_KEYS else value))
    op = spec.get("OP", "")

    def all_checks(w: str) -> bool:
        return all(check(w) for check in checks)

    if not checks:
        if not labels:
            return (lambda doc, i: True), op
        return (lambda doc, i: all(i in doc.tokens_labelled(label) for label in labels)), op
    check = checks[0] if len(checks) == 1 else all_checks
    memo = _memo_for(tuple(sorted(memo_key, key=repr)))

    def test(doc: Doc, i: int) -> bool:
        w = doc.words[i]
        result = memo.get(w)
        if result is None:
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            result = memo[w] = check(w)
        if result and labels:
            return all(i in doc.tokens_labelled(label) for label in labels)
        return result

    if not labels:
        # The memo alone answers for a word seen before: matchers read it inline (no call).
        test.memo = memo  # type: ignore[attr-defined]
    return test, op


def step_budget(tokens: int) -> int:
    """The search steps a token rule may take on a document of ``tokens`` tokens."""
    return max(_STEP_BUDGET, _STEP_BUDGET * tokens // _BUDGET_TOKENS)


def _spend(steps: int, budget: int, deadline: Deadline) -> None:
    """Every 2,000 search steps: stop the rule past its time or its step budget."""
    deadline.check()
    if steps > budget:
        raise RuleTimeout(f"token pattern gave up after {budget} steps")


def validate(pattern: Mapping[str, Any]) -> None:
    """Raise PatternError when the token pattern cannot be compiled."""
    TokenMatcher.compile(pattern)


def uses_labels(pattern: Mapping[str, Any]) -> bool:
    """Token rules with LABEL constraints run in the second stage, after the matches they read."""
    return any(isinstance(t, Mapping) and "LABEL" in t for t in pattern.get("tokens", ()))


class TokenMatcher:
    """A compiled token rule."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.make = match_maker(rule)
        self.elements, self.span = self.compile(rule.pattern)
        # Words that required pattern tokens must be (IN / TEXT): a document, or a line, with
        # none of them cannot match, so most lines are never tried. Only the case-sensitive
        # literals count; other constraints leave the element unanchored. When every token
        # before an anchor has a bounded width, a match can only start a few tokens before it.
        self.anchors: list[frozenset[str]] = []
        self.bounded: list[tuple[frozenset[str], int, int]] = []  # (words, min, max tokens before)
        ops = [op for _, op in self.elements]
        for p, spec in enumerate(rule.pattern["tokens"]):
            if spec.get("OP", "") not in ("", "+"):
                continue
            pool = (
                frozenset([spec["TEXT"]])
                if "TEXT" in spec
                else frozenset(spec["IN"])
                if "IN" in spec
                else None
            )
            if pool is None:
                continue
            self.anchors.append(pool)
            if all(op in ("", "!", "?") for op in ops[:p]):
                self.bounded.append((pool, sum(op in ("", "!") for op in ops[:p]), p))
        first_test, first_op = self.elements[0]
        self.first_test = first_test if first_op in ("", "+") else None
        first_spec = rule.pattern["tokens"][0]
        only_label = "LABEL" in first_spec and set(first_spec) <= {"LABEL", "OP"}
        self.first_label: str | None = (
            first_spec["LABEL"] if only_label and first_op in ("", "+") else None
        )
        # No "*" or "+": every element takes at most one token (a simpler, faster search).
        self.one_token_each = all(op in ("", "!", "?") for op in ops)
        # Per pattern position: its test, its op, and the word memo of a text-only test (None:
        # call the test); the memo dicts are kept by their tests, so they stay these objects.
        self.tests = [test for test, _ in self.elements]
        self.ops = ops
        self.memos: list[dict[str, bool] | None] = [getattr(t, "memo", None) for t in self.tests]
        # The first position after a quantifier: from there on, failures are remembered.
        self.converge = next(
            (k + 1 for k, op in enumerate(ops) if op in ("?", "*", "+")), len(ops) + 1
        )

    def _starts(self, doc: Doc) -> list[int] | None:
        """Token indices where a match may start, in order (None: every token)."""
        if not self.anchors:
            if self.first_label is not None:
                # A pattern that begins with a LABEL token (ORG "(" ... ")" LOC) can only start
                # inside a match of that label: try those tokens, not every one.
                return sorted(doc.tokens_labelled(self.first_label))
            if getattr(self.first_test, "memo", None) is None:
                return None
            # A text test on the first token, answered from its memo: cheaper than a search.
            starts: list[int] | range = range(len(doc.words))
        elif not all((hits := {pool: doc.positions_of(pool) for pool in self.anchors}).values()):
            return []
        elif self.bounded:
            pool, least, most = min(self.bounded, key=lambda b: len(hits[b[0]]))
            starts = sorted({s for k in hits[pool] for s in range(max(k - most, 0), k - least + 1)})
        else:
            line_of = doc.line_of
            lines = set.intersection(*({line_of[i] for i in h} for h in hits.values()))
            starts = [i for i, line in enumerate(line_of) if line in lines]
        first_test = self.first_test
        if first_test is not None:
            memo = getattr(first_test, "memo", None)
            if memo is None:
                return [i for i in starts if first_test(doc, i)]
            words, kept = doc.words, []
            for i in starts:
                ok = memo.get(words[i])
                if ok is None:
                    ok = first_test(doc, i)
                if ok:
                    kept.append(i)
            return kept
        return list(starts)

    @staticmethod
    def compile(pattern: Mapping[str, Any]) -> tuple[list[tuple[Test, str]], tuple[int, int]]:
        tokens = pattern.get("tokens")
        if not isinstance(tokens, (list, tuple)) or not tokens:
            raise PatternError("tokens must be a non-empty list of token constraints")
        elements = [compile_element(spec, i) for i, spec in enumerate(tokens)]
        span = pattern.get("span", (0, len(elements)))
        if (
            not isinstance(span, (list, tuple))
            or len(span) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in span)
            or not 0 <= span[0] < span[1] <= len(elements)
        ):
            raise PatternError(
                f"span must be [i, j] with 0 <= i < j <= {len(elements)}, got {span!r}"
            )
        if all(op in ("?", "*") for _, op in elements):
            raise PatternError("the pattern can match zero tokens: give one token without ? or *")
        return elements, (span[0], span[1])

    def __call__(self, doc: Doc, deadline: Deadline) -> list[Match]:
        """The matches, left to right: the first match at each start, none overlapping."""
        if not doc.words:
            return []
        starts = self._starts(doc)
        if starts is not None and not starts:
            return []
        # bounds[p]: the token where pattern position p starts; bounds[size]: the match's end.
        bounds = [0] * (len(self.elements) + 1)
        if self.one_token_each:
            return self._collect(doc, starts, self._linear_search(doc, deadline, bounds), bounds)
        match, release = self._backtracking_search(doc, deadline, bounds)
        try:
            return self._collect(doc, starts, match, bounds)
        finally:
            release()

    def _collect(
        self, doc: Doc, starts: list[int] | None, match: Search, bounds: list[int]
    ) -> list[Match]:
        """Try ``match`` at each candidate start (every token when ``starts`` is None).

        Invariant: ``i`` is the first token a match may start at; after a match (one that
        took at least one token) the search goes on at its end, ``bounds[size]``.
        """
        text, words = doc.text, doc.words
        n, size = len(words), len(self.elements)
        lo, hi = self.span
        doc_starts, doc_ends = doc.starts, doc.ends
        label, name, make = self.rule.label, self.rule.name, self.make
        out = []
        candidates = iter(starts or ())
        i = 0 if starts is None else next(candidates, n)
        while i < n:
            if not match(0, i, True) or bounds[size] == i:
                i = i + 1 if starts is None else next(candidates, n)
                continue
            first_tok, last_tok = bounds[lo], bounds[hi] - 1
            if last_tok >= first_tok:  # the span's positions took tokens
                start, end = doc_starts[first_tok], doc_ends[last_tok]
                found = text[start:end]
                why = f'token pattern {name} matched "{one_line(found)}"'
                out.append(make(start, end, label, found, why))
            resume = bounds[size]
            i = resume if starts is None else next((c for c in candidates if c >= resume), n)
        return out

    def _linear_search(self, doc: Doc, deadline: Deadline, bounds: list[int]) -> Search:
        """``match(p, t, first)`` for patterns whose every element takes at most one token.

        The same search as ``_backtracking_search`` without recursion: a "?" that took its
        token leaves a choice to skip it instead, tried (last taken, first retried) when the
        rest fails, as backtracking would. ``first``: t is the match's first token (a line
        break before it does not count). Fills ``bounds`` on success.
        """
        words, breaks = doc.words, doc.break_before
        n, size = len(words), len(self.elements)
        tests, ops, memos = self.tests, self.ops, self.memos
        steps, budget = 0, step_budget(n)

        def match(p: int, t: int, first: bool) -> bool:
            nonlocal steps
            choices: list[tuple[int, int, bool]] = []
            while True:
                steps += 1
                if steps % 2000 == 0:
                    _spend(steps, budget, deadline)
                bounds[p] = t
                if p == size:
                    return True
                op = ops[p]
                ok = t < n and (first or not breaks[t])
                if ok:
                    memo = memos[p]
                    known = None if memo is None else memo.get(words[t])
                    ok = tests[p](doc, t) if known is None else known
                    if op == "!":
                        ok = not ok
                if ok:
                    if op == "?":
                        choices.append((p, t, first))
                    p, t, first = p + 1, t + 1, False
                elif op == "?":
                    p += 1
                elif choices:
                    p, t, first = choices.pop()
                    p += 1  # skip it (bounds[p] is still t)
                else:
                    return False

        return match

    def _backtracking_search(
        self, doc: Doc, deadline: Deadline, bounds: list[int]
    ) -> tuple[Search, Callable[[], None]]:
        """``match(p, t, first)``: the first match at token t of pattern positions p...

        Plain backtracking, greedy quantifiers giving back one token at a time; one step per
        call (the step budget). Whether positions p... match from token t depends on
        (p, t, first) alone, so a failure is remembered: after a quantifier, the paths that
        took or gave back tokens meet again at the same place ("*" then "+" would otherwise
        retry every split). The memo holds across start tokens too: a later start reaches the
        same places. Also returns ``release``, which frees the recursive function without
        the garbage collector (it refers to itself); call it when done.
        """
        words, breaks = doc.words, doc.break_before
        n, size = len(words), len(self.elements)
        tests, ops, memos = self.tests, self.ops, self.memos
        converge = self.converge
        failed: set[int] = set()
        width = 2 * (n + 1)
        steps, budget = 0, step_budget(n)

        def match(p: int, t: int, first: bool) -> bool:
            nonlocal steps
            steps += 1
            if steps % 2000 == 0:
                _spend(steps, budget, deadline)
            bounds[p] = t
            if p == size:
                return True
            if p >= converge:
                key = p * width + 2 * t + first
                if key in failed:
                    return False
            op = ops[p]
            test = tests[p]
            memo = memos[p]
            if op == "" or op == "!":
                # A token is consumed only before the end and not across a line break.
                if t < n and (first or not breaks[t]):
                    ok = None if memo is None else memo.get(words[t])
                    if ok is None:
                        ok = test(doc, t)
                    if (not ok if op == "!" else ok) and match(p + 1, t + 1, False):
                        return True
            else:
                limit = 1 if op == "?" else n
                run = 0
                while run < limit and t + run < n and ((first and run == 0) or not breaks[t + run]):
                    # Each token a "*" or "+" reads is a step: a long line of them, tried from
                    # each of its tokens, is the slow case the budget is for.
                    steps += 1
                    if steps % 2000 == 0:
                        _spend(steps, budget, deadline)
                    ok = None if memo is None else memo.get(words[t + run])
                    if ok is None:
                        ok = test(doc, t + run)
                    if not ok:
                        break
                    run += 1
                least = 1 if op == "+" else 0
                for count in range(run, least - 1, -1):
                    if match(p + 1, t + count, first and count == 0):
                        bounds[p] = t
                        return True
            if p >= converge:
                failed.add(key)
            return False

        def release() -> None:
            nonlocal match
            match = None  # type: ignore[assignment]

        return match, release


KIND = RuleKind(
    name=Kind.TOKEN,
    matcher=TokenMatcher,
    fields={"tokens": Field(), "span": Field()},
    checks=(validate,),
    second_stage=uses_labels,
)
