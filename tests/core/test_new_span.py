"""new_span skips Span's frozen __init__ for the importers' speed; it must make exactly the Span
the constructor makes, and notice when Span gains a field."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields

import pytest

from annotator.core.model import Span, SpanOrigin
from annotator.core.spans import new_span


def test_it_equals_the_span_the_constructor_makes_field_for_field():
    args = (3, 9, "LOC", "Moskow", SpanOrigin.RULE, "r", 2, "ana", "a note", {"k": 1})
    made, expected = new_span(*args), Span(*args)
    assert made == expected
    assert {f.name: getattr(made, f.name) for f in fields(Span)} == {
        f.name: getattr(expected, f.name) for f in fields(Span)
    }
    # Every field Span has is set (a field added to Span and forgotten here would be missing).
    assert set(vars(made)) == {f.name for f in fields(Span)}


def test_it_is_as_frozen_as_the_constructor_s():
    span = new_span(0, 1, "LOC", "M", SpanOrigin.MANUAL, None, None, None, None, {})
    with pytest.raises(FrozenInstanceError):
        span.start = 5  # type: ignore[misc]
    assert span.start == 0
