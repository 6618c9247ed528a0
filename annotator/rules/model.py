"""Rules and what they produce: plain values, no matching logic.

A rule is data (one JSONL line); its kind-specific payload lives in ``pattern``
exactly as written, deep-frozen so a ``Rule`` can be shared between threads and
compared by value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple

from annotator.core.errors import InputError, Problem
from annotator.core.model import Suggestion

# A gazetteer entry: the term as it must appear, and an optional canonical form.
Term = tuple[str, str | None]


# Values ``freeze`` leaves as they are: a list of only these (a gazetteer's 50,000 terms) is
# made a tuple in one call, not item by item.
_SCALARS = frozenset({str, int, float, bool, type(None)})


def freeze(value: Any) -> Any:
    """JSON value -> immutable twin (dict -> read-only mapping, list -> tuple)."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        if _SCALARS.issuperset(map(type, value)):
            return tuple(value)
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """The inverse of ``freeze``: plain dicts and lists, ready for ``json.dumps``."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


@dataclass(frozen=True)
class Rule:
    """A named, versioned pattern that proposes spans with a label.

    ``terms`` holds the resolved gazetteer of a phrase rule (inline ``terms`` and
    the ``terms_file`` contents), so matching never touches the file system.
    ``exceptions`` are matched texts the analyst rejected everywhere (case-sensitive).
    """

    name: str
    label: str
    kind: str
    pattern: Mapping[str, Any]
    priority: int = 0
    enabled: bool = True
    version: int = 1
    description: str = ""
    allow_overlap: bool = False
    exceptions: tuple[str, ...] = ()
    # Context words (rules/final_filter.py): no match right after / before these words, or only
    # right after / before them.
    not_after: tuple[str, ...] = ()
    not_before: tuple[str, ...] = ()
    only_after: tuple[str, ...] = ()
    only_before: tuple[str, ...] = ()
    terms: tuple[Term, ...] = field(default=(), repr=False)

    def edited(self, **changes: Any) -> Rule:
        """A copy with ``changes`` and the version bumped (every edit gets a new version).

        Not for the pattern: that must be validated again, use ``load.edit_rule``.
        """
        if "pattern" in changes or "terms" in changes:
            raise ValueError("change a rule's pattern with annotator.rules.load.edit_rule")
        changes.setdefault("version", self.version + 1)
        return dataclasses.replace(self, **changes)

    def with_exception(self, text: str) -> Rule:
        """Reject ``text`` everywhere for this rule."""
        if text in self.exceptions:
            return self
        return self.edited(exceptions=self.exceptions + (text,))

    def without_exception(self, text: str) -> Rule:
        return self.edited(exceptions=tuple(e for e in self.exceptions if e != text))

    def labels(self) -> set[str]:
        """Every label this rule can emit (context rules may emit a second one, a tagger
        several)."""
        found = {self.label}
        for key in ("trigger_label",):
            if isinstance(self.pattern.get(key), str):
                found.add(self.pattern[key])
        labels = self.pattern.get("labels")
        if isinstance(labels, tuple):
            found.update(label for label in labels if isinstance(label, str))
        return found


class Match(NamedTuple):
    """One proposed span, before the analyst has seen it.

    A NamedTuple rather than a frozen dataclass: engines make hundreds per document
    and a tuple is built several times faster; it is just as immutable.
    """

    start: int
    end: int
    label: str
    text: str
    rule: str
    rule_version: int
    explanation: str
    priority: int = 0
    allow_overlap: bool = False

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.start, self.end, self.label)

    def to_suggestion(self) -> Suggestion:
        return Suggestion(
            start=self.start,
            end=self.end,
            label=self.label,
            text=self.text,
            rule=self.rule,
            rule_version=self.rule_version,
            explanation=self.explanation,
        )


MatchMaker = Callable[[int, int, str, str, str], Match]


def match_maker(rule: Rule) -> MatchMaker:
    """``make(start, end, label, text, explanation)``: a Match of ``rule`` (its name, version,
    priority and overlap), built without the Python-level ``__new__`` of a NamedTuple
    (matchers build hundreds per document). The one place that lists Match's fields in order:
    ``_check_match_maker`` below fails at import if Match gets a field this does not fill."""
    name, version, priority, overlap = rule.name, rule.version, rule.priority, rule.allow_overlap
    new = tuple.__new__

    def make(start: int, end: int, label: str, text: str, explanation: str) -> Match:
        return new(Match, (start, end, label, text, name, version, explanation, priority, overlap))

    return make


def _check_match_maker() -> None:
    """``match_maker`` must build exactly ``Match(...)``: every field, in its place."""
    rule = Rule("r", "L", "k", {}, priority=7, version=3, allow_overlap=True)
    made = match_maker(rule)(1, 2, "L", "t", "why")
    expected = Match(
        start=1,
        end=2,
        label="L",
        text="t",
        rule="r",
        rule_version=3,
        explanation="why",
        priority=7,
        allow_overlap=True,
    )
    if made != expected or len(made) != len(Match._fields):
        raise TypeError(f"match_maker is out of date with Match{Match._fields}: update it")


_check_match_maker()


@dataclass(frozen=True)
class RuleFailure:
    """A rule stopped on one document (timeout, step budget); the other rules went on."""

    rule: str
    reason: str
    rule_version: int = 1


@dataclass(frozen=True)
class RunResult:
    matches: list[Match]
    failures: list[RuleFailure]


class RuleError(InputError):
    """A rule that cannot be loaded: names the file, the line, and for patterns the position."""

    def __init__(
        self,
        reason: str,
        *,
        file: str = "<rule>",
        line: int | None = None,
        position: int | None = None,
        rule: str | None = None,
    ) -> None:
        self.reason = reason
        self.file = file
        self.line = line
        self.position = position
        self.rule = rule
        prefix = f"rule {rule!r}: " if rule else ""
        super().__init__(Problem(file=file, line=line, reason=prefix + reason))


def one_line(text: str, limit: int = 60) -> str:
    """Matched text squeezed for an explanation: no line breaks, bounded length."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class PatternError(ValueError):
    """A kind-specific pattern is invalid; ``load`` turns it into a RuleError with file and line."""

    def __init__(self, reason: str, position: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.position = position
