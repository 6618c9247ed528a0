"""Checks on offsets that every importer and the store share."""

from __future__ import annotations

from annotator.core.model import Span


def span_problem(
    text: str, start: object, end: object, expected_text: str | None = None
) -> str | None:
    """Why ``[start, end)`` is not a valid span of ``text``, or None when it is."""
    if isinstance(start, bool) or isinstance(end, bool):
        return f"offsets must be integers, got {start!r}, {end!r}"
    if not isinstance(start, int) or not isinstance(end, int):
        return f"offsets must be integers, got {start!r}, {end!r}"
    if start < 0 or end > len(text) or start >= end:
        return f"span [{start}, {end}) is out of range for a text of {len(text)} characters"
    if expected_text is not None and text[start:end] != expected_text:
        return (
            f"span [{start}, {end}) covers {text[start:end]!r}, "
            f"not the text given for it {expected_text!r}"
        )
    return None


def sort_spans(spans: list[Span] | tuple[Span, ...]) -> list[Span]:
    """Document order: by start, longer first, then label."""
    return sorted(spans, key=lambda s: (s.start, -s.end, s.label))
