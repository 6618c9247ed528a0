"""What a rule takes out of its own matches at the very end of a run: its exceptions (texts
rejected everywhere) and its context words (``not_after`` / ``not_before``: no match right
after / before one of these words; ``only_after`` / ``only_before``: only right after /
before one of them).

Applied after conflicts are resolved, like exceptions always were: a match taken out still
took part in the conflicts and was seen by the context rules, so correcting one rule never
changes what another proposes. "Right after a word": that word is the nearest one before the
match on the same line, with only spaces or punctuation between; compared case-insensitively.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from annotator.rules.model import Match, Rule

# Keys of a rule definition (lists of words), in the order they are saved.
CONTEXT_KEYS = ("not_after", "not_before", "only_after", "only_before")
# A word: letters, digits, marks, and the joiners inside words ("Al-Qaeda", "d'Arc").
_WORD = r"\w+(?:[-'’]\w+)*"
_BEFORE = re.compile(rf"({_WORD})[^\w\n]*\Z")
_AFTER = re.compile(rf"\A[^\w\n]*({_WORD})")
_REACH = 80  # characters looked at either side

Drop = Callable[[str, Match], bool]


def word_before(text: str, start: int) -> str | None:
    """The word just before ``start`` on its line (punctuation and spaces between), or None."""
    found = _BEFORE.search(text, max(0, start - _REACH), start)
    return found.group(1) if found else None


def word_after(text: str, end: int) -> str | None:
    """The word just after ``end`` on its line, or None."""
    found = _AFTER.match(text[end : end + _REACH])
    return found.group(1) if found else None


def _words(rule: Rule, key: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in getattr(rule, key))


def dropper(rule: Rule) -> Drop | None:
    """``drop(text, match)``: whether ``rule``'s final filter takes ``match`` out (None: the
    rule takes nothing out)."""
    rejected = frozenset(rule.exceptions)
    not_after, not_before = _words(rule, "not_after"), _words(rule, "not_before")
    only_after, only_before = _words(rule, "only_after"), _words(rule, "only_before")
    if not (not_after or not_before or only_after or only_before):
        if not rejected:
            return None
        return lambda text, m: m.text in rejected

    def drop(text: str, m: Match) -> bool:
        if m.text in rejected:
            return True
        if not_after or only_after:
            before = (word_before(text, m.start) or "").casefold()
            if before in not_after or (only_after and before not in only_after):
                return True
        if not_before or only_before:
            after = (word_after(text, m.end) or "").casefold()
            if after in not_before or (only_before and after not in only_before):
                return True
        return False

    return drop
