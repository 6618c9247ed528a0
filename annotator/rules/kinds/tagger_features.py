"""What the sequence tagger sees of each token: the features of a CRF over one sentence.

Every feature also works on lower-cased text (NERP is all lower case): the word itself,
its affixes, its neighbours up to two tokens away and the pairs they form carry most of
the signal there; the shape and title-case features add to it on cased text.
Training and matching call the same function, so the two can never see different features.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Runs of one character class collapse to one letter: "Jokowi" -> "Xx", "24/10" -> "d/d".
_SHAPE_RUNS = re.compile(r"(.)\1+")


def shape(word: str) -> str:
    """The word's character classes, runs collapsed ("Joko" -> "Xx", "1.500" -> "d.d")."""
    classes = "".join(
        "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch for ch in word
    )
    return _SHAPE_RUNS.sub(r"\1", classes)


def _word_features(word: str) -> dict[str, str | float]:
    low = word.lower()
    out: dict[str, str | float] = {
        "w": low,
        "p3": low[:3],
        "s3": low[-3:],
        "s2": low[-2:],
        "shape": shape(word),
    }
    if word[:1].isupper():
        out["title"] = 1.0
    if word.isupper() and len(word) > 1:
        out["upper"] = 1.0
    if any(ch.isdigit() for ch in word):
        out["digit"] = 1.0
    if not word[:1].isalnum():
        out["punct"] = 1.0
    if len(word) <= 2:
        out["short"] = 1.0
    return out


def sentence_features(words: Sequence[str]) -> list[dict[str, str | float]]:
    """One feature dict per token of a sentence (pycrfsuite's item format)."""
    lows = [w.lower() for w in words]
    titles = [w[:1].isupper() for w in words]
    n = len(words)
    out: list[dict[str, str | float]] = []
    for i, word in enumerate(words):
        f = _word_features(word)
        f["bias"] = 1.0
        if i == 0:
            f["first"] = 1.0  # a capital here says little: every sentence starts with one
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                f[f"w{d:+d}"] = lows[j]
                if d in (-1, 1):
                    f[f"s3{d:+d}"] = lows[j][-3:]
                    if titles[j]:
                        f[f"title{d:+d}"] = 1.0
            elif d in (-1, 1):
                f[f"w{d:+d}"] = "<s>" if d < 0 else "</s>"
        if i > 0:
            f["w-1|w"] = f"{lows[i - 1]}|{lows[i]}"
        if i + 1 < n:
            f["w|w+1"] = f"{lows[i]}|{lows[i + 1]}"
        out.append(f)
    return out
