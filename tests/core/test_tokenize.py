"""The news tokenizer: offsets are code points and tokens never hold whitespace."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.core.spans import span_problem
from annotator.core.tokenize import sentences, tokenize


def texts(text: str) -> list[str]:
    return [t.text for t in tokenize(text)]


def test_news_tokens_stay_whole():
    assert texts("kelompok-kelompok REPUBLIKA.CO.ID 1.500.000,00 (24/10)") == [
        "kelompok-kelompok",
        "REPUBLIKA.CO.ID",
        "1.500.000,00",
        "(",
        "24/10",
        ")",
    ]


def test_quotes_and_punctuation_are_tokens_of_their_own():
    assert texts('"Kami siap," katanya.’’') == [
        '"',
        "Kami",
        "siap",
        ",",
        '"',
        "katanya",
        ".",
        "’",
        "’",
    ]


def test_offsets_are_code_points_after_emoji_and_combining_marks():
    text = "😀 cafe\u0301 日本語 \u200bnol"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["😀", "cafe\u0301", "日本語", "\u200b", "nol"]
    for token in tokens:
        assert text[token.start : token.end] == token.text


def test_sentences_break_after_full_stops_and_at_newlines():
    text = 'Lavrov tiba. "Kami siap." Ia pergi\nJudul baru'
    got = [" ".join(t.text for t in s) for s in sentences(text)]
    assert got == ["Lavrov tiba .", '" Kami siap . "', "Ia pergi", "Judul baru"]


@given(st.text(max_size=200))
def test_tokens_are_ordered_non_empty_and_exact_for_any_text(text):
    previous_end = 0
    for token in tokenize(text):
        assert token.start >= previous_end and token.end > token.start
        assert text[token.start : token.end] == token.text
        assert not any(ch.isspace() for ch in token.text)
        previous_end = token.end
    assert sum(len(s) for s in sentences(text)) == len(tokenize(text))


def test_span_problem_words_each_failure():
    assert span_problem("abc", 0, 3) is None
    assert "out of range" in span_problem("abc", 2, 9)
    assert "out of range" in span_problem("abc", 2, 2)
    assert "integers" in span_problem("abc", "0", 2)
    assert "integers" in span_problem("abc", True, 2)
    assert "not the text given" in span_problem("abc", 0, 2, "bc")
