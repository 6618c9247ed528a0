"""A rule as the JSON text the rule editor shows, and that text checked back into a Rule.

No Qt here: the editor widget calls ``check`` on every (debounced) keystroke and
paints what it returns. The text leaves out what the editor manages elsewhere
(name, version, enabled, exceptions): those come from the stored rule on save,
so removing an exception while an edit is open cannot be undone by the save.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from annotator.workspace import Rule, RuleError, dump_rule, parse_rule

MANAGED_KEYS = ("name", "version", "enabled", "exceptions")
_KEY_IN_REASON = re.compile(r"'([A-Za-z_]+)'")
_STRING_START = r'"{key}"\s*:\s*"'


@dataclass(frozen=True)
class Checked:
    """The outcome of checking the editor's text: a rule, or where and why it is wrong."""

    rule: Rule | None
    reason: str = ""
    offset: int | None = (
        None  # character offset in the editor's text (None: no better place than the top)
    )

    @property
    def ok(self) -> bool:
        return self.rule is not None


def editable_text(rule: Rule) -> str:
    """The rule's definition as indented JSON, without the keys the editor manages itself."""
    obj = {k: v for k, v in dump_rule(rule, inline_terms=True).items() if k not in MANAGED_KEYS}
    return json.dumps(obj, ensure_ascii=False, indent=2)


def check(text: str, stored: Rule, known_labels: set[str]) -> Checked:
    """Parse and validate the editor's text as an edit of ``stored`` (its next version)."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        return Checked(None, f"not valid JSON: {e.msg}", e.pos)
    if not isinstance(obj, dict):
        return Checked(None, "the rule must be a JSON object { … }", 0)
    managed = sorted(set(obj) & set(MANAGED_KEYS))
    if managed:
        return Checked(
            None,
            f"{', '.join(map(repr, managed))} cannot be edited here "
            "(the name is fixed; use the checkbox and the lists for the rest)",
            _key_offset(text, managed[0]),
        )
    # The whole definition, not a merge: a key deleted in the text goes back to its default.
    full = {**obj, "name": stored.name, "version": stored.version + 1}
    if not stored.enabled:
        full["enabled"] = False
    if stored.exceptions:
        full["exceptions"] = list(stored.exceptions)
    try:
        rule = parse_rule(full, source=f"rule {stored.name}", known_labels=known_labels)
    except RuleError as e:
        reason = e.reason
        return Checked(None, reason, _error_offset(text, obj, e))
    return Checked(rule)


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _error_offset(text: str, obj: dict[str, Any], error: RuleError) -> int | None:
    pattern = obj.get("pattern")
    if (
        error.position is not None
        and isinstance(pattern, dict)
        and isinstance(pattern.get("regex"), str)
    ):
        return string_offset(text, "regex", error.position)
    for key in _KEY_IN_REASON.findall(error.reason):
        found = _key_offset(text, key)
        if found is not None:
            return found
    # "unknown label FOO", "kind must be str", "terms[2] must be …": a key named in plain words.
    keys = set(obj) | (set(pattern) if isinstance(pattern, dict) else set())
    for word in re.findall(r"[A-Za-z_]+", error.reason):
        if word in keys:
            return _key_offset(text, word)
    return None


def _key_offset(text: str, key: str) -> int | None:
    at = text.find(f'"{key}"')
    return at if at >= 0 else None


def string_offset(text: str, key: str, position: int) -> int | None:
    """Where character ``position`` of the JSON string value of ``key`` sits in ``text``.

    The value is written with escapes (a regex's ``\\d`` is ``\\\\d`` in JSON), so the
    position in the pattern is walked through the literal one escape at a time.
    """
    found = re.search(_STRING_START.format(key=re.escape(key)), text)
    if found is None:
        return None
    i = found.end()
    for _ in range(position):
        if i >= len(text) or text[i] == '"':
            break
        if text[i] != "\\":
            i += 1
        elif text[i + 1 : i + 2] != "u":
            i += 2
        elif (
            0xD800 <= int(text[i + 2 : i + 6] or "0", 16) < 0xDC00 and text[i + 6 : i + 8] == "\\u"
        ):
            i += 12  # a surrogate pair is one code point
        else:
            i += 6
    return i
