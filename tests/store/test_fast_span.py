"""fast_span skips Span's frozen __init__ for speed; it must never make a Span with a field
missing or misplaced when Span changes."""

from __future__ import annotations

from dataclasses import fields

import pytest

from annotator.core.model import Span, SpanOrigin
from annotator.store.convert import fast_span

VALUES = {
    "start": 1,
    "end": 5,
    "label": "LOC",
    "text": "Solo",
    "origin": SpanOrigin.RULE,
    "rule": "r",
    "rule_version": 2,
    "annotator": "a",
    "note": "n",
    "attributes": {},
    "id": 7,
    "created_at": None,
    "updated_at": None,
    "layer": 3,
}


def test_it_equals_the_span_the_constructor_makes():
    assert set(VALUES) == {f.name for f in fields(Span)}
    assert fast_span(**VALUES) == Span(**VALUES)


def test_a_field_left_out_or_unknown_is_refused():
    missing = {k: v for k, v in VALUES.items() if k != "note"}
    with pytest.raises(TypeError, match=r"missing \['note'\]"):
        fast_span(**missing)
    with pytest.raises(TypeError, match=r"unknown \['colour'\]"):
        fast_span(**VALUES, colour="red")
