"""Regular-expression rules, run through the ``regex`` module with a time limit per document.

A catastrophic pattern (``(a|aa)+$`` on a long run of "a") raises TimeoutError
inside the module; the engine turns that into a RuleFailure and the other rules go on.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import regex

from annotator.rules.doc import Deadline, Doc, RuleTimeout
from annotator.rules.kinds.regex_starts import starts_of
from annotator.rules.kinds.registry import Field, Kind, RuleKind
from annotator.rules.model import Match, PatternError, Rule, match_maker, one_line

FLAGS = {
    "IGNORECASE": regex.IGNORECASE,
    "MULTILINE": regex.MULTILINE,
    "DOTALL": regex.DOTALL,
    "VERBOSE": regex.VERBOSE,
    "ASCII": regex.ASCII,
    "FULLCASE": regex.FULLCASE,
    "V1": regex.V1,
}


def flag_value(flags: Any = ()) -> int:
    value = 0
    for name in flags or ():
        value |= FLAGS[name]
    return value


def compile_pattern(source: str, flags: Any = ()) -> regex.Pattern[str]:
    """Compile with named flags; raises ``regex.error`` (with ``.pos``) on a bad pattern."""
    return regex.compile(source, flag_value(flags))


class RegexMatcher:
    """A compiled regex rule; the span is the whole match or the chosen group."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.make = match_maker(rule)
        self.compiled = compile_pattern(rule.pattern["regex"], rule.pattern.get("flags", ()))
        self.group: int | str = rule.pattern.get("group", 0)
        self.shown = one_line(rule.pattern["regex"], 40)
        # Where matches can begin (None: anywhere); the engine finds those places for all its
        # regex rules in its shared gazetteer scan, and matching is tried only there.
        self.starts = starts_of(rule.pattern["regex"], flag_value(rule.pattern.get("flags", ())))

    def _finditer(self, text: str, begins: list[int] | None, deadline: Deadline) -> Iterator[Any]:
        """``compiled.finditer(text)``, trying only ``begins`` when given (no match starts
        elsewhere; the shared scan has already dropped the places where a bounded pattern's
        ``\\b`` fails)."""
        if begins is None:
            yield from self.compiled.finditer(text, timeout=max(deadline.remaining(), 1e-3))
            return
        match = self.compiled.match
        resume = 0  # finditer goes on where the previous match ended
        for at in begins:
            if at < resume:
                continue
            left = deadline.remaining()
            if not left:
                deadline.check()  # past its time: thousands of places, each quickly refused
            m = match(text, at, timeout=max(left, 1e-3))
            if m is not None:
                yield m
                resume = m.end()

    def __call__(self, doc: Doc, deadline: Deadline) -> list[Match]:
        rule, text, group = self.rule, doc.text, self.group
        prefix = f"regex {rule.name} /{self.shown}/ matched "
        label, make = rule.label, self.make
        begins = doc.regex_starts(self.starts) if self.starts is not None else None
        out: list[Match] = []
        try:
            for m in self._finditer(text, begins, deadline):
                start, end = m.span(group)
                if start < 0 or start == end:  # the group did not take part, or matched nothing
                    continue
                found = text[start:end]
                out.append(make(start, end, label, found, f'{prefix}"{one_line(found)}"'))
                deadline.check()
        except TimeoutError:
            raise RuleTimeout(
                f"regex timed out after {deadline.limit:g} s on this document "
                "(catastrophic backtracking?)"
            ) from None
        return out


def _needs_source(pattern: Mapping[str, Any]) -> None:
    source = pattern.get("regex")
    if not isinstance(source, str) or not source:
        raise PatternError("a regex pattern needs a non-empty string under 'regex'")


def _check_flags(flags: Any, pattern: Mapping[str, Any]) -> None:
    if not isinstance(flags, (list, tuple)) or any(f not in FLAGS for f in flags):
        raise PatternError(f"flags must be a list of {', '.join(FLAGS)}")


def _check_group(group: Any, pattern: Mapping[str, Any]) -> None:
    if isinstance(group, bool) or not isinstance(group, (int, str)):
        raise PatternError("group must be a group number or name")


def _check_compiles(pattern: Mapping[str, Any]) -> None:
    """The regex compiles (PatternError with its position if not) and has the chosen group."""
    try:
        compiled = compile_pattern(pattern["regex"], pattern.get("flags", []))
    except regex.error as e:
        raise PatternError(f"invalid regex: {e.msg} at position {e.pos}", e.pos) from None
    group = pattern.get("group", 0)
    if (isinstance(group, int) and not 0 <= group <= compiled.groups) or (
        isinstance(group, str) and group not in compiled.groupindex
    ):
        raise PatternError(f"the regex has no group {group!r}")


KIND = RuleKind(
    name=Kind.REGEX,
    matcher=RegexMatcher,
    fields={"regex": Field(), "group": Field(_check_group), "flags": Field(_check_flags)},
    needs=(_needs_source,),
    checks=(_check_compiles,),
)
