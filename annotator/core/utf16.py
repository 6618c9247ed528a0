"""Offsets in UTF-16 code units (what Java and JavaScript count: UIMA XMI, WebAnno TSV, Label
Studio) and in code points (what Python and we count). They differ only after a character
beyond U+FFFF, which takes two units; most texts have none, so each check is one pass in C."""

from __future__ import annotations

import re
from bisect import bisect_left

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def astral_positions(text: str) -> list[int]:
    """Where ``text`` has characters beyond U+FFFF; mostly none, found by an encode in C
    rather than a regex scan."""
    if text.isascii() or len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text):
        return []
    return [m.start() for m in _ASTRAL.finditer(text)]


def to_utf16(astral: list[int], offsets: list[int]) -> list[int]:
    """Code-point offsets as UTF-16 ones: one more per astral character before each."""
    if not astral:
        return offsets
    return [at + bisect_left(astral, at) for at in offsets]


def utf16_len(text: str) -> int:
    return len(text) + len(astral_positions(text))


def code_point_table(text: str) -> list[int]:
    """For each UTF-16 offset into ``text`` (and its end), the code-point offset; -1 for an
    offset between the two units of one character."""
    astral = astral_positions(text)
    if not astral:
        return list(range(len(text) + 1))
    table = [-1] * (len(text) + len(astral) + 1)
    for index, unit in enumerate(to_utf16(astral, list(range(len(text) + 1)))):
        table[unit] = index
    return table
