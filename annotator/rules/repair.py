"""From one correction to the rule changes that would have avoided it.

The analyst rejected a suggestion, gave it another label, or moved its boundaries. Each
candidate here is a rule edit (sometimes two rules: a term moved to a rule of the corrected
label) that no longer makes that suggestion in that document: an exception, a narrower
pattern (a gazetteer without the term, a case-sensitive gazetteer or regex, a regex held to
word boundaries), a forbidden context word (the word just before or after the match), a
priority below the rule that proposes the corrected span, or the term moved to a rule of the
corrected label. Only candidates that really avoid the suggestion are returned (each is run).
Pure: rules and text in, candidates out; the workspace measures each one's corpus diff.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from annotator.rules.engine import Engine
from annotator.rules.final_filter import word_after, word_before
from annotator.rules.learn import add_learned_term, learned_rule_name, new_learned_rule
from annotator.rules.load import dump_rule, edit_rule
from annotator.rules.model import Rule, RuleError


class FixKind(StrEnum):
    EXCEPTION = "exception"
    DROP_TERM = "drop term"
    REQUIRE_CASE = "require case"
    WORD_BOUNDARY = "word boundary"
    NOT_AFTER = "not after word"
    NOT_BEFORE = "not before word"
    LOWER_PRIORITY = "lower priority"
    MOVE_TERM = "move term"


@dataclass(frozen=True)
class Correction:
    """What the analyst did to one suggestion: rejected it (``label`` and bounds None), or made
    it ``label`` and/or ``[start, end)``."""

    start: int
    end: int
    label: str
    rule: str
    label_to: str | None = None
    start_to: int | None = None
    end_to: int | None = None

    @property
    def rejected(self) -> bool:
        return self.label_to is None and self.start_to is None and self.end_to is None

    @property
    def corrected_place(self) -> tuple[int, int, str] | None:
        """Where and what the analyst put instead (None: a rejection)."""
        if self.rejected:
            return None
        return (
            self.start if self.start_to is None else self.start_to,
            self.end if self.end_to is None else self.end_to,
            self.label_to or self.label,
        )


@dataclass(frozen=True)
class RuleFix:
    """One candidate: the rules to save (edited versions, or a new rule) and why."""

    kind: FixKind
    description: str
    rules: tuple[Rule, ...]

    def applied_to(self, rules: Sequence[Rule]) -> list[Rule]:
        """``rules`` with this fix's rules saved over them (a new one added)."""
        mine = {r.name: r for r in self.rules}
        out = [mine.pop(r.name, r) for r in rules]
        return out + list(mine.values())


def propose_fixes(rules: Sequence[Rule], text: str, correction: Correction) -> list[RuleFix]:
    """The candidate fixes of ``correction`` (made in ``text``) that avoid it, best first."""
    rule = next((r for r in rules if r.name == correction.rule), None)
    if rule is None:
        return []
    matched = text[correction.start : correction.end]
    candidates = [
        _exception(rule, matched),
        *_narrower(rule, text, correction, matched),
        *_context_words(rule, text, correction),
        _lower_priority(rule, rules, text, correction),
        _move_term(rule, rules, correction, matched),
    ]
    return [c for c in candidates if c is not None and _avoids(c, rules, text, correction)]


def _avoids(fix: RuleFix, rules: Sequence[Rule], text: str, c: Correction) -> bool:
    """Whether the rules with ``fix`` no longer make the corrected suggestion in ``text``."""
    after = Engine(fix.applied_to(rules)).run(text).matches
    return not any(
        (m.start, m.end, m.label, m.rule) == (c.start, c.end, c.label, c.rule) for m in after
    )


def _edited(rule: Rule, **changes: Any) -> Rule | None:
    try:
        return edit_rule(rule, changes)
    except RuleError:
        return None


def _pattern(rule: Rule, **changes: Any) -> Rule | None:
    pattern = dump_rule(rule, inline_terms=True)["pattern"]
    pattern.update(changes)
    return _edited(rule, pattern=pattern)


def _fix(kind: FixKind, why: str, edited: Rule | None) -> RuleFix | None:
    return None if edited is None else RuleFix(kind, why, (edited,))


def _exception(rule: Rule, matched: str) -> RuleFix:
    return RuleFix(
        FixKind.EXCEPTION,
        f"Never suggest ‘{matched}’ with {rule.name} (an exception)",
        (rule.with_exception(matched),),
    )


def _term_of(rule: Rule, matched: str) -> str | None:
    """The gazetteer term of ``rule`` that made a match on ``matched``."""
    folded = matched.casefold()
    for term, _ in rule.terms:
        if term == matched:
            return term
    return next((t for t, _ in rule.terms if t.casefold() == folded), None)


def _narrower(rule: Rule, text: str, c: Correction, matched: str) -> list[RuleFix | None]:
    out: list[RuleFix | None] = []
    if rule.kind == "phrase":
        term = _term_of(rule, matched)
        if term is not None and len(rule.terms) > 1:
            kept = [t if canon is None else [t, canon] for t, canon in rule.terms if t != term]
            edited = _pattern(rule, terms=kept)
            out.append(_fix(FixKind.DROP_TERM, f"Drop the term ‘{term}’ from {rule.name}", edited))
        if term is not None and term != matched and not rule.pattern.get("case_sensitive", True):
            edited = _pattern(rule, case_sensitive=True)
            why = f"Match {rule.name}'s terms only as written (‘{term}’, not ‘{matched}’)"
            out.append(_fix(FixKind.REQUIRE_CASE, why, edited))
    elif rule.kind == "regex":
        regex = str(rule.pattern.get("regex", ""))
        flags = list(rule.pattern.get("flags", ()))
        if "IGNORECASE" in flags:
            edited = _pattern(rule, flags=[f for f in flags if f != "IGNORECASE"])
            out.append(_fix(FixKind.REQUIRE_CASE, f"Make {rule.name} case-sensitive", edited))
        inside_word = (c.start > 0 and text[c.start - 1].isalnum()) or (
            c.end < len(text) and text[c.end].isalnum()
        )
        if inside_word and not (regex.startswith(r"\b") and regex.endswith(r"\b")):
            edited = _pattern(rule, regex=rf"\b(?:{regex})\b")
            why = f"Hold {rule.name} to whole words (‘{matched}’ is part of a longer word)"
            out.append(_fix(FixKind.WORD_BOUNDARY, why, edited))
    return out


def _context_words(rule: Rule, text: str, c: Correction) -> list[RuleFix | None]:
    out: list[RuleFix | None] = []
    before, after = word_before(text, c.start), word_after(text, c.end)
    if before:
        edited = _edited(rule, not_after=[*rule.not_after, before])
        why = f"{rule.name}: no match right after the word ‘{before}’"
        out.append(_fix(FixKind.NOT_AFTER, why, edited))
    if after:
        edited = _edited(rule, not_before=[*rule.not_before, after])
        why = f"{rule.name}: no match right before the word ‘{after}’"
        out.append(_fix(FixKind.NOT_BEFORE, why, edited))
    return out


def _lower_priority(rule: Rule, rules: Sequence[Rule], text: str, c: Correction) -> RuleFix | None:
    """Below the rule that proposes what the analyst put instead (when one does)."""
    place = c.corrected_place
    if place is None:
        return None
    others = [r for r in rules if r.name != rule.name]
    rivals = [m for m in Engine(others).run(text).matches if (m.start, m.end, m.label) == place]
    if not rivals:
        return None
    rival = max(rivals, key=lambda m: m.priority)
    if rival.priority > rule.priority:
        return None  # it wins already; something else beat it
    priority = rival.priority - 1
    why = f"Lower {rule.name}'s priority to {priority}, below {rival.rule} ({rival.priority})"
    return RuleFix(FixKind.LOWER_PRIORITY, why, (rule.edited(priority=priority),))


def _move_term(rule: Rule, rules: Sequence[Rule], c: Correction, matched: str) -> RuleFix | None:
    """A relabel: the text becomes a learned term of the corrected label, and this rule stops
    suggesting it (its term dropped, or an exception for other kinds)."""
    if c.label_to is None or c.label_to == c.label:
        return None
    target_name = learned_rule_name(c.label_to)
    target = next((r for r in rules if r.name == target_name), None) or new_learned_rule(c.label_to)
    grown = add_learned_term(target, matched)
    term = _term_of(rule, matched) if rule.kind == "phrase" else None
    mine: Rule | None = rule.with_exception(matched)
    if term is not None and len(rule.terms) > 1:
        kept = [t if canon is None else [t, canon] for t, canon in rule.terms if t != term]
        mine = _pattern(rule, terms=kept)
    if mine is None:
        return None
    why = f"Move ‘{matched}’ from {rule.name} to {target_name} ({c.label_to})"
    return RuleFix(FixKind.MOVE_TERM, why, (mine, grown))
