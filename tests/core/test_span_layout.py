"""Tokens cut at span boundaries: the cut layout is the tokenizer's, split exactly at the cuts,
with the same sentence breaks; spans crossing a break join its sentences."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.span_layout import Placed, cut_layout, join_sentences, place_spans
from annotator.core.tokenize import token_layout, tokenize

TEXTS = st.text(alphabet="ab’-.,! \n😀\u0301", max_size=40)


def ends_at(layout) -> list[int]:  # type: ignore[no-untyped-def]
    """The character offset after each sentence's last token."""
    return [layout.starts[e] + len(layout.texts[e]) for e in layout.sentence_ends]


@given(TEXTS, st.lists(st.integers(0, 40), max_size=8))
def test_cut_layout_splits_tokens_exactly_at_the_cuts(text: str, cuts: list[int]) -> None:
    layout = token_layout(text)
    cut = cut_layout(layout, cuts)
    expected = []
    for token in tokenize(text):
        inner = sorted({c for c in cuts if token.start < c < token.end})
        edges = [token.start, *inner, token.end]
        expected += [(a, text[a:b]) for a, b in pairwise(edges)]
    assert list(zip(cut.starts, cut.texts, strict=True)) == expected
    assert ends_at(cut) == ends_at(layout)


def test_uber_and_as_rusia() -> None:
    text = "Uber’s Lesson. AS-Rusia"
    cut, placed, problems = place_spans(token_layout(text), [(0, 4), (15, 17), (18, 23)])
    assert cut.texts == ["Uber", "’s", "Lesson", ".", "AS", "-", "Rusia"]
    assert placed == [Placed(0, 1), Placed(4, 5), Placed(6, 7)] and problems == []


def test_whitespace_edges_and_whitespace_only_are_problems() -> None:
    text = "Joko  Widodo"
    _, placed, problems = place_spans(token_layout(text), [(0, 5), (4, 6), (5, 12)])
    assert problems == [
        (0, "it starts or ends in whitespace: exported as 0-4"),
        (1, "it covers no token (only whitespace)"),
        (2, "it starts or ends in whitespace: exported as 6-12"),
    ]
    assert placed[1].first == placed[1].last


def test_a_span_across_a_sentence_break_joins_the_sentences() -> None:
    text = "Satu. Dua tiga. Empat."
    layout = token_layout(text)
    assert layout.sentence_ends == [1, 4, 6]
    assert join_sentences(layout.sentence_ends, [Placed(1, 3)]) == [4, 6]
    assert join_sentences(layout.sentence_ends, [Placed(0, 2), Placed(4, 6)]) == [1, 6]
