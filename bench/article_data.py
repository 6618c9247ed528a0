"""The generated news-like article the benchmarks share (no Qt, so any bench may import it)."""

from __future__ import annotations

import random
from collections.abc import Iterable

from annotator.core.model import Document, Span

WORDS = [
    "pemerintah",
    "menyatakan",
    "bahwa",
    "rencana",
    "kerja",
    "sama",
    "ekonomi",
    "antara",
    "kedua",
    "negara",
    "akan",
    "dibahas",
    "dalam",
    "pertemuan",
    "tingkat",
    "menteri",
    "pekan",
    "depan",
    "di",
    "ibu",
    "kota",
    "sementara",
    "para",
    "pengamat",
    "menilai",
    "langkah",
    "itu",
    "penting",
    "bagi",
    "stabilitas",
    "kawasan",
]
NAMES = (
    "Jakarta",
    "Surabaya",
    "Moskow",
    "Putin",
    "Jokowi",
    "Kerry",
    "Lavrov",
    "Suriah",
    "Mesir",
    "Bandung",
)
LABELS = ("PERSON", "ORG", "LOC", "DATE", "ROLE")


def build_text(size: int, rng: random.Random) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        sentence = (
            " ".join(
                rng.choice(NAMES) if rng.random() < 0.12 else rng.choice(WORDS)
                for _ in range(rng.randint(12, 24))
            ).capitalize()
            + ". "
        )
        if rng.random() < 0.15:
            sentence += "\n"
        parts.append(sentence)
        length += len(sentence)
    return "".join(parts)


def word_ranges(text: str) -> list[tuple[int, int]]:
    ranges, start = [], None
    for i, ch in enumerate(text):
        if ch.isalpha():
            if start is None:
                start = i
        elif start is not None:
            ranges.append((start, i))
            start = None
    return ranges


def labelled_article(
    text: str, title: str, words: list[tuple[int, int]], chosen: Iterable[int]
) -> Document:
    """The article with a span on each chosen word, labels taken in turn."""
    return Document(
        text=text,
        title=title,
        source="bench",
        spans=tuple(
            Span(words[i][0], words[i][1], LABELS[i % len(LABELS)], text[words[i][0] : words[i][1]])
            for i in sorted(chosen)
        ),
    )
