"""The fast scanners of context rules: name-like words, quotations and acronym definitions,
each giving what its regex would give without running it over the whole text (bare acronyms:
``occurrences.bare_occurrences_of``)."""

from __future__ import annotations

from typing import Any

import regex

_PREFIXED_NAME = regex.compile(r"^(?:al|el|ad|as|ar|an|at|ash|bin|ibn|d|o)[-'’]\p{Lu}")


def _name_like(word: str) -> bool:
    """A capitalised word, or a prefixed name ("al-Assad"): remembered per word."""
    like = (word[0].isupper() and word[0].isalpha()) or bool(_PREFIXED_NAME.match(word))
    if len(_NAME_LIKE) >= 50_000:
        _NAME_LIKE.clear()
    _NAME_LIKE[word] = like
    return like


_NAME_LIKE: dict[str, bool] = {}
_ACRONYM = regex.compile(r"\((\p{Lu}[\p{L}\d&.\-]{1,11})\)")
_QUOTE = regex.compile(r"[\"“](?=\S)[^\"“”\n]{1,%d}?(?<=\S)(?:[\"”]|’’|'')")
# For finding what _QUOTE finds without running it over the whole text: the character tests
# are the regex module's own, so the answers are the same.
_SPACE = regex.compile(r"\s")
_BODY_ENDS = regex.compile(r"[\"“”\n]")


def quote_spans(text: str, max_chars: int) -> list[tuple[int, int]]:
    """The spans of ``_QUOTE % max_chars`` in ``text`` (finditer order), without the regex.

    The pattern: an opening mark, a body of 1..max_chars characters up to the next ``"“”`` or
    line break, lazily, ending on a non-space, then a closing ``"``, ``”``, ``’’`` or ``\'\'``.
    A closing ``’’`` / ``\'\'`` can only lie inside the body's reach, a ``"`` / ``”`` only
    where the body has to stop; the earliest valid closing wins (the lazy body).
    """
    spans: list[tuple[int, int]] = []
    n = len(text)
    pos = 0
    straight, curly = text.find('"'), text.find("“")  # the next opening marks of each kind
    while True:
        if straight != -1 and straight < pos:
            straight = text.find('"', pos)
        if curly != -1 and curly < pos:
            curly = text.find("“", pos)
        if straight == -1 and curly == -1:
            return spans
        s = curly if straight == -1 or curly != -1 and curly < straight else straight
        pos = s + 1
        if pos >= n or text[pos] in '"“”\n' or _SPACE.match(text[pos]):
            continue
        stop = _BODY_ENDS.search(text, pos)
        k = n if stop is None else stop.start()  # the body lies in text[s+1:k] at most
        reach = s + 1 + max_chars  # the latest place a closing mark may start
        best = -1
        width = 0
        if k <= reach and k < n and text[k] in '"”' and not _SPACE.match(text[k - 1]):
            best, width = k, 1
        limit = min(k, reach + 2)
        for closing in ("’’", "''"):
            j = text.find(closing, s + 2, limit)
            while j != -1 and _SPACE.match(text[j - 1]):
                j = text.find(closing, j + 1, limit)
            if j != -1 and (best == -1 or j < best):
                best, width = j, 2
        if best != -1:
            spans.append((s, best + width))
            pos = best + width


def acronyms_in(text: str) -> list[Any]:
    """``_ACRONYM.finditer(text)``: the pattern starts with "(" and has no other inside, so
    matching at each "(" (found by ``str.find``) gives the same matches, without the scan."""
    found = []
    at = text.find("(")
    while at != -1:
        m = _ACRONYM.match(text, at)
        if m is not None:
            found.append(m)
        at = text.find("(", at + 1)
    return found
