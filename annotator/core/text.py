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


def not_utf8(data: bytes, exc: UnicodeDecodeError) -> tuple[int, str]:
    """Where a file that is not UTF-8 text fails (its line) and why, for a Problem."""
    line = data[: exc.start].count(b"\n") + 1
    return line, f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be read (save it as UTF-8)"
