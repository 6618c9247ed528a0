"""Gazetteers (alone and in a shared scan) against a brute-force reference, on awkward text.

The automata search a word mask of the text and take leftmost-longest hits when they can;
these cases are the ones that shortcut could get wrong: terms that are prefixes or suffixes
of words, terms that start or end with punctuation, terms made only of punctuation, spellings
the mask cannot tell apart ("St. Petersburg" / "St, Petersburg"), adjacent terms, letters
beyond Latin-1, combining marks, curly quotes, case folding that changes length, and the lone
surrogates a JSON import can leave in a text (the automata only take encodable text).
"""

from __future__ import annotations

import random

from annotator.rules.doc import Doc, fold, is_word_char, word_mask
from annotator.rules.kinds.phrase import Gazetteer, PhraseSet

PIECES = [
    "Rusia",
    "Rusian",
    "Iran",
    "Iranian",
    "AS",
    "(AS)",
    "AS.",
    "Inc",
    "Inc.",
    "St.",
    "St. Petersburg",
    "St, Petersburg",
    "Petersburg",
    "&",
    "R&D",
    "—",
    "-",
    "Jawa",
    "Jawa-Bali",
    "Bali",
    "straße",
    "STRASSE",
    "İstanbul",
    "istanbul",
    "ğü",
    "çay",
    "e\u0301",
    "cafe\u0301",
    "cafe",
    "中国",
    "中",
    "“Rusia”",
    "’’",
    "٣",
    "2015",
    "Kari",
    "Kari Tonoha",
    "Tonoha",
    "Tonohaba",
    "_x",
    "x_",
    "\u00a0",
    "«AS»",
    "Ahad",
    "kepada",
    "pada",
    "menteri",
    "Kementerian",
    "Menteri",
    "an Kari",
    "nia",
    "Rus",
    "\ud800",
    "\ufffd",
    "a\ud800b",
    "\U0001f600",
    "a",
    "b",
]
SEPARATORS = [" ", " ", "", "  ", "\n", ", ", ".", "-", "(", ")", "“", "”", "\u00a0"]


def reference(terms: list[str], text: str, case_sensitive: bool) -> list[tuple[int, int, str]]:
    """Every occurrence by str.find, the boundary test on the text, then the greedy pick."""
    haystack = text if case_sensitive else fold(text)
    keys: dict[str, str] = {}
    for term in terms:
        key = term if case_sensitive else fold(term)
        if key.strip():
            keys.setdefault(key, term)
    found = []
    for key, term in keys.items():
        at = haystack.find(key)
        while at != -1:
            end = at + len(key)
            if not (
                (is_word_char(key[0]) and at > 0 and is_word_char(text[at - 1]))
                or (is_word_char(key[-1]) and end < len(text) and is_word_char(text[end]))
            ):
                found.append((at, -len(key), term))
            at = haystack.find(key, at + 1)
    found.sort()
    picked, taken_to = [], -1
    for start, neg_len, term in found:
        if start >= taken_to:
            taken_to = start - neg_len
            picked.append((start, taken_to, term))
    return picked


def _random_text(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) + rng.choice(SEPARATORS) for _ in range(rng.randint(0, 40)))


def test_word_mask_blanks_exactly_the_non_word_characters() -> None:
    rng = random.Random(5)
    for _ in range(300):
        text = _random_text(rng)
        masked = word_mask(text)
        assert len(masked) == len(text)
        assert all(
            (m == c) if is_word_char(c) else m == " " for c, m in zip(text, masked, strict=True)
        ), text


def test_gazetteer_equals_reference_alone_and_shared() -> None:
    rng = random.Random(11)
    for n in range(1500):
        text = _random_text(rng)
        case_sensitive = n % 3 != 0
        terms = rng.sample(PIECES, rng.randint(1, 12))
        g = Gazetteer([(t, None) for t in terms], case_sensitive=case_sensitive)
        expected = reference(terms, text, case_sensitive)
        assert [(s, e, t) for s, e, t, _ in g.find(text)] == expected, (text, terms)
        other = Gazetteer(
            [(t, None) for t in rng.sample(PIECES, 5)], case_sensitive=not case_sensitive
        )
        doc = Doc(text, PhraseSet([g, other]))
        assert [(s, e, t) for s, e, t, _ in doc.find(g)] == expected, (text, terms)
        assert doc.find(other) == other.find(text)


def test_shortcut_cases_named() -> None:
    g = Gazetteer(
        [(t, None) for t in ("Rusia", "(AS)", "St. Petersburg", "St", "Inc", "Inc.", "&")]
    )
    text = "Rusia(AS) di St, Petersburg; Inc, Inc. R&D & Rusian"
    assert [text[s:e] for s, e, _, _ in g.find(text)] == [
        "Rusia",
        "(AS)",
        "St",
        "Inc",
        "Inc.",
        "&",
        "&",
    ]
    words = Gazetteer([(t, None) for t in ("Kari", "Kari Tonoha", "Tonoha")])
    text = "Kari Tonoha Tonohaba Kari,Tonoha"
    assert [text[s:e] for s, e, _, _ in words.find(text)] == ["Kari Tonoha", "Kari", "Tonoha"]
    # A hit inside a word ("nia Kari" in "Rusnia Kari") must not hide the match after it.
    inner = Gazetteer([(t, None) for t in ("nia Kari", "Kari Tonoha")])
    text = "Rusnia Kari Tonoha"
    assert [text[s:e] for s, e, _, _ in inner.find(text)] == ["Kari Tonoha"]
