"""Small text helpers for messages, menus and tables."""

from __future__ import annotations


def one_line(text: str, limit: int = 40) -> str:
    """Text on one line (runs of whitespace become one space), cut with "…" past ``limit``
    characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 document``, ``2 documents`` (or ``many`` for an irregular plural)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
