"""Tokens cut at span boundaries, so token-based exports (CoNLL, CoNLL-U, spaCy) keep every
span's exact characters.

Our tokenizer keeps ``Uber’s`` and ``AS-Rusia`` whole; a span ``Uber`` (0-4) or two spans
``AS`` and ``Rusia`` would be widened or merged by a format that tags whole tokens. So a token
is split wherever a span starts or ends inside it. What no token layout can express (a span
that starts or ends in whitespace, or covers only whitespace) is reported per span, never
silently changed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from annotator.core.tokenize import TokenLayout


def cut_layout(layout: TokenLayout, cuts: Iterable[int]) -> TokenLayout:
    """``layout`` with each token split at the ``cuts`` (character offsets) strictly inside it.

    Sentence ends stay after the same characters: a split token's sentence end moves to its
    last piece. Returns ``layout`` itself when no cut falls inside a token (the usual case)."""
    texts, starts = layout.texts, layout.starts
    inside: dict[int, list[int]] = {}
    for cut in cuts:
        i = bisect_right(starts, cut) - 1
        if i >= 0 and cut - starts[i] < len(texts[i]) and cut != starts[i]:
            inside.setdefault(i, []).append(cut - starts[i])
    if not inside:
        return layout
    new_texts: list[str] = []
    new_starts: list[int] = []
    moved = [0] * len(texts)  # new index of each old token's last piece
    previous = 0
    for i in sorted(inside):
        new_texts += texts[previous:i]
        new_starts += starts[previous:i]
        for k in range(previous, i):
            moved[k] = k + len(new_texts) - i
        text, start, at = texts[i], starts[i], 0
        for offset in sorted(set(inside[i])):
            new_texts.append(text[at:offset])
            new_starts.append(start + at)
            at = offset
        new_texts.append(text[at:])
        new_starts.append(start + at)
        moved[i] = len(new_texts) - 1
        previous = i + 1
    shift = len(new_texts) - previous
    new_texts += texts[previous:]
    new_starts += starts[previous:]
    for k in range(previous, len(texts)):
        moved[k] = k + shift
    return TokenLayout(new_texts, new_starts, [moved[e] for e in layout.sentence_ends])


class Placed(NamedTuple):
    """Where a span lands in a cut layout: tokens ``first`` .. ``last - 1`` (empty: none)."""

    first: int
    last: int


def place_spans(
    layout: TokenLayout, bounds: Sequence[tuple[int, int]]
) -> tuple[TokenLayout, list[Placed], list[tuple[int, str]]]:
    """Cut ``layout`` at every span boundary and place each span (``(start, end)``) on it.

    Also gives the problems, as (index into ``bounds``, reason): a span whose tokens do not
    cover exactly its characters (whitespace at an edge) or that covers no token at all."""
    cut = cut_layout(layout, [edge for span in bounds for edge in span])
    starts, texts = cut.starts, cut.texts
    placed: list[Placed] = []
    problems: list[tuple[int, str]] = []
    for index, (start, end) in enumerate(bounds):
        first, last = bisect_left(starts, start), bisect_left(starts, end)
        placed.append(Placed(first, last))
        if first >= last:
            problems.append((index, "it covers no token (only whitespace)"))
        elif starts[first] != start or starts[last - 1] + len(texts[last - 1]) != end:
            exported = f"{starts[first]}-{starts[last - 1] + len(texts[last - 1])}"
            problems.append((index, f"it starts or ends in whitespace: exported as {exported}"))
    return cut, placed, problems


def join_sentences(sentence_ends: Sequence[int], placed: Iterable[Placed]) -> list[int]:
    """``sentence_ends`` without the ends that fall inside a span: a span crossing a sentence
    break joins those sentences, so no format has to split a span at a sentence start."""
    inner: set[int] = set()
    for first, last in placed:
        if last - first > 1:
            at = bisect_left(sentence_ends, first)
            while at < len(sentence_ends) and sentence_ends[at] < last - 1:
                inner.add(sentence_ends[at])
                at += 1
    if not inner:
        return list(sentence_ends)
    return [end for end in sentence_ends if end not in inner]
