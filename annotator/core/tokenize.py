"""A small, fast tokenizer for news text, with code-point offsets.

Keeps "kelompok-kelompok", "REPUBLIKA.CO.ID", "1.500.000,00" and "24/10" whole;
punctuation, quotes and emoji are tokens of their own.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from itertools import accumulate
from typing import NamedTuple

# Combining marks belong to the letter before them (decomposed accents, Indic vowel signs).
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u0900-\u0903\u093a-\u094f"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
# Possessive quantifiers (*+): giving characters back could never make a token match, and
# not keeping the positions to give back makes the scan ~8% faster.
_WORD = rf"\w[\w{_MARKS}]*+"
_TOKEN_RE = re.compile(rf"{_WORD}(?:[-.,'’/]{_WORD})*+|[^\s{_MARKS}][{_MARKS}]*+|[{_MARKS}]++")
_SENTENCE_END = {".", "!", "?", "…"}
_CLOSERS = {'"', "”", "’", "’’", "'", ")", "»"}


class Token(NamedTuple):
    # A NamedTuple, not a dataclass: a document has thousands and they are built on every export.
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text`` in order; whitespace is never part of a token."""
    return [Token(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(text)]


def sentences(text: str, tokens: list[Token] | None = None) -> Iterator[list[Token]]:
    """Group tokens into sentences: a break after . ! ? (and any closing quote) or at a newline."""
    tokens = tokenize(text) if tokens is None else tokens
    current: list[Token] = []
    for i, token in enumerate(tokens):
        if current and text.find("\n", current[-1].end, token.start) != -1:
            yield current
            current = []
        current.append(token)
        # A quote or bracket right after the stop (no space) closes the same sentence: `siap."`
        ended = token.text in _SENTENCE_END or (
            token.text in _CLOSERS
            and len(current) > 1
            and current[-2].text in _SENTENCE_END
            and current[-2].end == token.start
        )
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        closes_next = (
            following is not None and following.text in _CLOSERS and following.start == token.end
        )
        if ended and not closes_next:
            yield current
            current = []
    if current:
        yield current


# -- token boundaries around a position, for the window's selection keys ------

_CONTEXT = 200  # characters around a position that are enough to see its tokens


def _tokens_near(text: str, start: int, end: int) -> list[Token]:
    lo = max(0, start - _CONTEXT)
    # Begin the window at whitespace so the first token found is a whole one.
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    hi = min(len(text), end + _CONTEXT)
    return [Token(lo + t.start, lo + t.end, t.text) for t in tokenize(text[lo:hi])]


def snap_to_tokens(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole tokens and drop whitespace at its edges; empty stays put."""
    if start >= end:
        return start, end
    touched = [t for t in _tokens_near(text, start, end) if t.end > start and t.start < end]
    if not touched:
        return start, end
    # A token cut by an edge is widened to; whitespace before the first / after the last is dropped.
    return touched[0].start, touched[-1].end


def token_step(text: str, position: int, direction: int, *, edge: str) -> int:
    """The nearest token ``edge`` ("start" or "end") strictly left (-1) or right (+1) of
    ``position``.

    Returns ``position`` itself when there is none.
    """
    tokens = _tokens_near(text, position, position)
    edges = [t.start if edge == "start" else t.end for t in tokens]
    if direction < 0:
        before = [e for e in edges if e < position]
        return before[-1] if before else position
    after = [e for e in edges if e > position]
    return after[0] if after else position


# -- the same tokens and sentences in bulk, for exports ------------------------

# The token pattern as one group: re.split gives [gap, token, gap, ..., token, gap] in C.
_SPLIT_RE = re.compile(f"({_TOKEN_RE.pattern})")
_SENTENCE_MARKS = frozenset(_SENTENCE_END | _CLOSERS)


class TokenLayout(NamedTuple):
    """A text's tokens as ``tokenize`` and ``sentences`` find them, without a Token each."""

    texts: list[str]
    starts: list[int]
    # The index of each sentence's last token, in order (the last token always ends one).
    sentence_ends: list[int]


def token_layout(text: str) -> TokenLayout:
    """``tokenize`` and ``sentences`` of ``text`` in bulk: a document's ~600 tokens cost one
    ``re.split`` and a few scans in C instead of a Token and a loop step each (CoNLL and XMI
    export tokenize every document). Equal to them: tests/core/test_token_layout.py."""
    parts = _SPLIT_RE.split(text)
    texts = parts[1::2]
    n = len(texts)
    if not n:
        return TokenLayout([], [], [])
    # The start of token k is the length of everything before it: parts[0] .. parts[2k].
    starts = list(accumulate(map(len, parts)))[0 : 2 * n : 2]
    ends = {n - 1}
    # A line break between two tokens ends a sentence (tokens never hold whitespace, so each
    # "\n" lies in the gap after the last token starting before it).
    at = text.find("\n")
    while at != -1:
        before = bisect_right(starts, at) - 1
        if 0 <= before < n - 1:
            ends.add(before)
        at = text.find("\n", at + 1)
    # Stops and closers, found with list.index (C) per distinct mark, not a test per token.
    marks: list[int] = []
    for mark in _SENTENCE_MARKS.intersection(texts):
        i = texts.index(mark)
        while True:
            marks.append(i)
            try:
                i = texts.index(mark, i + 1)
            except ValueError:
                break

    def touching(i: int) -> bool:  # token i + 1 follows token i with no gap
        return starts[i] + len(texts[i]) == starts[i + 1]

    for i in marks:
        token = texts[i]
        # As in ``sentences``: a stop ends a sentence, and so does a closer right after a stop,
        # unless a closer follows right after (it belongs to the same sentence).
        ended = token in _SENTENCE_END or (
            i > 0 and texts[i - 1] in _SENTENCE_END and touching(i - 1)
        )
        if ended and not (i + 1 < n and texts[i + 1] in _CLOSERS and touching(i)):
            ends.add(i)
    return TokenLayout(texts, starts, sorted(ends))
