"""``token_layout`` (the bulk tokenizer of exports) finds exactly what ``tokenize`` and
``sentences`` find, on texts built to hit every sentence rule and on random ones."""

from __future__ import annotations

import random

import pytest

from annotator.core.tokenize import TokenLayout, sentences, token_layout, tokenize


def reference(text: str) -> TokenLayout:
    tokens = tokenize(text)
    ends: list[int] = []
    count = 0
    for sentence in sentences(text, tokens):
        count += len(sentence)
        ends.append(count - 1)
    return TokenLayout([t.text for t in tokens], [t.start for t in tokens], ends)


CASES = [
    "",
    "   \n ",
    "Satu.",
    'Dia berkata: "siap." Lalu pergi.',
    'Akhir." ”Awal” (ke Jakarta). Lagi!) Dan?»',
    "Baris satu\nbaris dua\r\n\nbaris tiga",
    "Tanda . . . titik… dan ’’ kutip’ .’ ’",
    "e\u0301x 😀 kelompok-kelompok REPUBLIKA.CO.ID 1.500.000,00 24/10 \u0301 awal",
    "U+2028\u2028pemisah\u2029paragraf\x85nel\tTab.\n",
    '."',
    '"."',
]


@pytest.mark.parametrize("text", CASES)
def test_same_as_tokenize_and_sentences(text: str) -> None:
    assert token_layout(text) == reference(text)


def test_same_on_random_texts() -> None:
    rng = random.Random(5)
    pieces = ["kata", "Jakarta", ".", '"', "”", "’", ")", "»", "!", "?", "…", " ", " ", "\n"]
    pieces += ["\r\n", "\t", "e\u0301", "😀", "-", "1.5", "'", "(", "A.B"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert token_layout(text) == reference(text), repr(text)
