"""spaCy / Prodigy match patterns (``{"label": ..., "pattern": ...}`` a line) as rules, and back.

What other tools bring as an EntityRuler or ``prodigy ner.manual --patterns`` file becomes a
rule pack here, shaped for speed and for an analyst to read:

- phrase patterns (a string, or a token list whose every token is one plain ``ORTH``/``TEXT`` or
  ``LOWER`` value) join one gazetteer per label and case handling: a file of 1,010 country
  names is two rules, not 1,010 (a pattern's ``id`` becomes its term's canonical form);
- other token patterns become token rules when our token kind can say the same thing
  (TEXT/ORTH, LOWER, IN and NOT_IN, REGEX, IS_TITLE/IS_UPPER/IS_DIGIT, SHAPE, OP ``? * + !``);
- anything else (POS, LEMMA, ENT_TYPE, ``{n,m}`` quantifiers, ...) is refused line by line.

Rule names come from the file's stem and the label, so importing the same file again
replaces its rules instead of adding copies. Export goes the other way for phrase and token
rules; the kinds patterns cannot express are left out, each with a warning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from annotator.core.errors import Problem
from annotator.core.text import not_utf8
from annotator.core.tokenize import tokenize
from annotator.rules.model import Rule, Term

# Tokens glued to their neighbour when a token pattern is read as a phrase: spaCy splits
# "al-Mamlakah" and "Cote d'Ivoire" into tokens the text never separated by spaces.
_NO_SPACE_BEFORE = frozenset("-–—/.,:;)]}'’%") | {"'s", "’s", "n't"}
_NO_SPACE_AFTER = frozenset("-–—/([{'’$")
_TEXT_KEYS = {"ORTH": "TEXT", "TEXT": "TEXT", "LOWER": "LOWER"}
_FLAG_KEYS = ("IS_TITLE", "IS_UPPER", "IS_DIGIT")
_OPS = ("?", "*", "+", "!")


class NoEquivalent(Exception):
    """A pattern (or rule) the other side cannot express; the message says what."""


@dataclass
class PatternPack:
    """What a pattern file became: rule objects (pack lines), refusals, and counts."""

    rules: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    patterns: int = 0


def is_pattern_line(obj: Any) -> bool:
    """A match pattern: ``label`` and ``pattern``, none of a rule's ``name`` or ``kind``."""
    return (
        isinstance(obj, Mapping)
        and "pattern" in obj
        and "label" in obj
        and "name" not in obj
        and "kind" not in obj
    )


def is_pattern_file(path: Path) -> bool:
    """Whether a .jsonl file's first object is a match pattern (not one of our rules)."""
    if path.is_dir():
        return False
    try:
        with open(path, encoding="utf-8-sig") as f:
            for line in f:
                if line.strip():
                    return is_pattern_line(json.loads(line))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return False


def read_pattern_file(path: Path) -> PatternPack:
    """The rules a pattern file becomes; a bad line is a Problem (file, line, reason)."""
    pack = PatternPack()
    stem = _slug(path.stem) or "patterns"
    phrases: dict[tuple[str, bool], list[Term]] = {}
    data = path.read_bytes()
    try:
        lines = data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as e:
        line, reason = not_utf8(data, e)
        pack.problems.append(Problem(str(path), reason, line))
        return pack
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        pack.patterns += 1
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as e:
            pack.problems.append(
                Problem(str(path), f"not valid JSON: {e.msg} at column {e.colno}", number)
            )
            continue
        try:
            label, phrase, tokens = _read_pattern(obj)
        except NoEquivalent as e:
            pack.problems.append(Problem(str(path), str(e), number))
            continue
        if phrase is not None:
            text, case_sensitive = phrase
            canonical = obj.get("id") if isinstance(obj.get("id"), str) else None
            phrases.setdefault((label, case_sensitive), []).append((text, canonical))
        else:
            pack.rules.append(
                {
                    "name": f"{stem}-{_slug(label)}-token-{number}",
                    "label": label,
                    "kind": "token",
                    "description": f"Token pattern from {path.name} line {number}",
                    "pattern": {"tokens": tokens},
                }
            )
    for (label, case_sensitive), terms in phrases.items():
        suffix = "" if case_sensitive else "-lower"
        pack.rules.append(
            {
                "name": f"{stem}-{_slug(label)}{suffix}",
                "label": label,
                "kind": "phrase",
                "description": f"{len(terms)} phrase patterns from {path.name}",
                "pattern": {
                    "terms": [t if c is None else [t, c] for t, c in terms],
                    "case_sensitive": case_sensitive,
                },
            }
        )
    return pack


def _read_pattern(obj: Any) -> tuple[str, tuple[str, bool] | None, list[dict[str, Any]]]:
    """(label, (phrase, case sensitive) or None, token constraints); NoEquivalent says why not."""
    if not is_pattern_line(obj):
        raise NoEquivalent(
            'not a match pattern: needs "label" and "pattern" (and no "name" or "kind")'
        )
    label, pattern = obj["label"], obj["pattern"]
    if not isinstance(label, str) or not label.strip():
        raise NoEquivalent("label must be a non-empty string")
    if isinstance(pattern, str):
        if not pattern.strip():
            raise NoEquivalent("pattern must not be empty")
        return label, (pattern, True), []
    if not isinstance(pattern, list) or not pattern:
        raise NoEquivalent("pattern must be a string or a non-empty list of token objects")
    phrase = _as_phrase(pattern)
    if phrase is not None:
        return label, phrase, []
    return label, None, [_token_constraint(spec, i) for i, spec in enumerate(pattern)]


def _as_phrase(pattern: list[Any]) -> tuple[str, bool] | None:
    """A token list that only spells words (all ORTH/TEXT, or all LOWER) as a phrase."""
    keys = set()
    words = []
    for spec in pattern:
        if not isinstance(spec, Mapping) or len(spec) != 1:
            return None
        [(key, value)] = spec.items()
        key = str(key).upper()
        if key not in _TEXT_KEYS or not isinstance(value, str) or not value.strip():
            return None
        keys.add(_TEXT_KEYS[key])
        words.append(value)
    if len(keys) != 1:
        return None
    return join_tokens(words), keys == {"TEXT"}


def join_tokens(words: Sequence[str]) -> str:
    """Token texts as the text most likely spelt them (no space around hyphens, before commas)."""
    out = words[0]
    for before, word in pairwise(words):
        glued = word in _NO_SPACE_BEFORE or before in _NO_SPACE_AFTER or before[-1] in "'’"
        out += word if glued else " " + word
    return out


def _token_constraint(spec: Any, index: int) -> dict[str, Any]:
    """One spaCy token pattern as one of our token constraints (else NoEquivalent says why)."""
    where = f"token {index}"
    if not isinstance(spec, Mapping):
        raise NoEquivalent(f"{where}: must be an object")
    out: dict[str, Any] = {}
    for raw_key, value in spec.items():
        key = str(raw_key).upper()
        if key == "OP":
            if value not in _OPS:
                raise NoEquivalent(
                    f"{where}: OP {value!r} has no equivalent here (we have ? * + !)"
                )
            out["OP"] = value
        elif key in _TEXT_KEYS:
            out.update(_text_constraint(_TEXT_KEYS[key], value, where))
        elif key in _FLAG_KEYS:
            if not isinstance(value, bool):
                raise NoEquivalent(f"{where}: {key} must be true or false")
            out[key] = value
        elif key == "SHAPE" and isinstance(value, str):
            out["SHAPE"] = value
        else:
            raise NoEquivalent(
                f"{where}: {raw_key} is not something our token rules test "
                "(they test TEXT/ORTH, LOWER, IS_TITLE, IS_UPPER, IS_DIGIT, SHAPE, OP)"
            )
    return out


def _text_constraint(key: str, value: Any, where: str) -> dict[str, Any]:
    if isinstance(value, str):
        return {key: value}
    if not isinstance(value, Mapping) or len(value) != 1:
        raise NoEquivalent(f"{where}: {key} must be a string or one of IN, NOT_IN, REGEX")
    [(op, arg)] = value.items()
    op = str(op).upper()
    if op == "REGEX" and isinstance(arg, str):
        return {"REGEX": arg if key == "TEXT" else f"(?i){arg}"}
    if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
        if key == "TEXT":
            return {op: arg}
        # Our IN lists exact texts; a LOWER list is the same as a case-blind whole-token regex.
        alternatives = "|".join(re.escape(a) for a in arg)
        regex = f"(?i)^(?:{alternatives})$"
        return {"REGEX": regex} if op == "IN" else {"REGEX": f"(?i)^(?!(?:{alternatives})$)"}
    raise NoEquivalent(f"{where}: {key} {op} has no equivalent here (we have IN, NOT_IN, REGEX)")


def _slug(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text.strip(), flags=re.UNICODE).strip("_")


# -- export ----------------------------------------------------------------------------------


def rules_to_patterns(rules: Iterable[Rule]) -> tuple[list[dict[str, Any]], list[str]]:
    """Pattern lines for the rules patterns can express, and a warning for each left out or
    changed (a rule's exceptions and context words cannot be said in a pattern)."""
    lines: list[dict[str, Any]] = []
    warnings: list[str] = []
    for rule in rules:
        if not rule.enabled:
            warnings.append(f"rule {rule.name}: switched off, left out")
            continue
        if rule.kind == "phrase":
            case_sensitive = bool(rule.pattern.get("case_sensitive", True))
            lines += [_phrase_line(rule.label, t, c, case_sensitive) for t, c in rule.terms]
        elif rule.kind == "token":
            try:
                lines.append({"label": rule.label, "pattern": _spacy_tokens(rule)})
            except NoEquivalent as e:
                warnings.append(f"rule {rule.name}: left out: {e}")
                continue
        else:
            warnings.append(f"rule {rule.name}: a {rule.kind} rule has no pattern form, left out")
            continue
        if rule.exceptions or any(
            getattr(rule, k) for k in ("not_after", "not_before", "only_after", "only_before")
        ):
            warnings.append(
                f"rule {rule.name}: its exceptions and context words have no pattern form; "
                "the patterns match without them"
            )
    return lines, warnings


def _phrase_line(
    label: str, term: str, canonical: str | None, case_sensitive: bool
) -> dict[str, Any]:
    pattern: str | list[dict[str, str]]
    if case_sensitive:
        pattern = term  # a string pattern matches the exact text (spaCy's ORTH)
    else:
        pattern = [{"LOWER": token.text.lower()} for token in tokenize(term)]
    line: dict[str, Any] = {"label": label, "pattern": pattern}
    if canonical:
        line["id"] = canonical
    return line


def _spacy_tokens(rule: Rule) -> list[dict[str, Any]]:
    if "span" in rule.pattern:
        raise NoEquivalent("a token rule with `span` (part of the match) has no pattern form")
    out = []
    for spec in rule.pattern["tokens"]:
        token: dict[str, Any] = {}
        for key, value in spec.items():
            if key == "LABEL":
                raise NoEquivalent("LABEL (a match of another rule) has no pattern form")
            if key == "REGEX":
                _check_python_regex(value)
            if key in ("IN", "NOT_IN", "REGEX"):
                token["TEXT"] = {key: list(value) if key != "REGEX" else value}
            else:
                token[key] = list(value) if isinstance(value, (list, tuple)) else value
        out.append(token)
    return out


def _check_python_regex(pattern: str) -> None:
    # spaCy compiles REGEX with Python's re; ours use the regex module (\\p{Lu}, ...).
    try:
        re.compile(pattern)
    except re.error as e:
        raise NoEquivalent(f"REGEX {pattern!r} is not a Python `re` pattern ({e})") from None


def write_pattern_lines(lines: Sequence[Mapping[str, Any]]) -> str:
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
