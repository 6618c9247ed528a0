"""Rule kinds as data: one ``RuleKind`` entry per kind, in ``KINDS``.

An entry says everything the loader and the engine need to know about a kind: the keys its
pattern accepts and how each value is checked, the checks over the whole pattern, where its
gazetteer terms come from, how to compile a rule into a matcher, and whether that matcher
reads the matches of the first stage. Adding a kind is adding an entry (``register``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from annotator.rules.doc import Deadline, Doc
from annotator.rules.model import Match, PatternError, Rule

# Checks one pattern value (raises PatternError); gets the value and the whole pattern.
Check = Callable[[Any, Mapping[str, Any]], None]
# Checks a whole pattern (raises PatternError), after its keys and values passed.
PatternCheck = Callable[[Mapping[str, Any]], None]


class Kind(StrEnum):
    """The built-in kinds; the values are what rule files and databases store."""

    PHRASE = "phrase"
    REGEX = "regex"
    TOKEN = "token"
    CONTEXT = "context"
    TAGGER = "tagger"


class Matcher(Protocol):
    rule: Rule

    def __call__(self, doc: Doc, deadline: Deadline) -> list[Match]: ...


@dataclass(frozen=True)
class TermKeys:
    """The pattern keys of a kind's gazetteer: inline terms, and a term file beside the pack."""

    inline: str
    file: str


@dataclass(frozen=True)
class Field:
    """One pattern key: how its value is checked."""

    check: Check | None = None


def _never(pattern: Mapping[str, Any]) -> bool:
    return False


@dataclass(frozen=True)
class RuleKind:
    """Everything about one kind of rule.

    ``fields``: the keys a pattern may hold (None: ``checks`` look at the keys themselves).
    Validation runs ``needs`` (what must be there), then each present field's check in this
    order, then ``checks`` over the whole pattern; the first problem found is reported.
    ``terms``: the keys its gazetteer is read from (the loader resolves them into
    ``Rule.terms``). ``second_stage``: whether the matcher reads the resolved first-stage
    matches (``Doc.set_earlier``), so runs after them.
    """

    name: str
    matcher: Callable[[Rule], Matcher]
    fields: Mapping[str, Field] | None = None
    needs: tuple[PatternCheck, ...] = ()
    checks: tuple[PatternCheck, ...] = ()
    terms: TermKeys | None = None
    second_stage: Callable[[Mapping[str, Any]], bool] = field(default=_never)

    def validate(self, pattern: Mapping[str, Any]) -> None:
        """Raise PatternError (with a position for regex errors) when ``pattern`` is invalid."""
        if self.fields is not None:
            check_keys(pattern, self.fields, f"a {self.name} pattern")
        for need in self.needs:
            need(pattern)
        for key, spec in (self.fields or {}).items():
            if spec.check is not None and key in pattern:
                spec.check(pattern[key], pattern)
        for check in self.checks:
            check(pattern)


def check_keys(obj: Mapping[str, Any], allowed: Mapping[str, Any], where: str) -> None:
    unknown = sorted(set(obj) - set(allowed))
    if unknown:
        names = ", ".join(repr(k) for k in unknown)
        raise PatternError(
            f"unknown key{'s' if len(unknown) > 1 else ''} {names} in {where} "
            f"(known: {', '.join(sorted(allowed))})"
        )


def boolean(key: str) -> Field:
    """A true/false value."""

    def check(value: Any, pattern: Mapping[str, Any]) -> None:
        if not isinstance(value, bool):
            raise PatternError(f"{key} must be true or false")

    return Field(check)


def needs_one_of(*keys: str, message: str) -> PatternCheck:
    """A pattern check: at least one of ``keys`` is present."""

    def check(pattern: Mapping[str, Any]) -> None:
        if not any(k in pattern for k in keys):
            raise PatternError(message)

    return check


KINDS: dict[str, RuleKind] = {}


def register(kind: RuleKind) -> RuleKind:
    """Add a kind (or replace the one of that name); returns it."""
    KINDS[kind.name] = kind
    return kind


def kind_of(rule: Rule) -> RuleKind:
    return KINDS[rule.kind]


def is_second_stage(rule: Rule) -> bool:
    """Whether the rule reads the first stage's resolved matches, so runs after them."""
    return KINDS[rule.kind].second_stage(rule.pattern)
