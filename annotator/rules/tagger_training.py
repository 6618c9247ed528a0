"""Training a tagger rule (``rules/kinds/tagger.py``) on the analyst's spans: a pure function,
text and spans in, a rule out (CRFsuite needs a file to write its model to: a temporary one,
read back and removed)."""

from __future__ import annotations

import base64
import bisect
import os
import tempfile
import zlib
from collections.abc import Iterable, Sequence

import pycrfsuite

from annotator.core.tokenize import Token, sentences, tokenize
from annotator.rules.kinds.tagger import (
    DEFAULT_MIN_CONFIDENCE,
    DEFAULT_PRIORITY,
    FEATURES_VERSION,
    KIND_NAME,
)
from annotator.rules.kinds.tagger_features import sentence_features
from annotator.rules.load import parse_rule
from annotator.rules.model import Rule

# L1 keeps the model small (most features get a zero weight), L2 keeps it smooth; chosen on
# the gold corpora of bench/rules_quality.py.
TRAINING = {"c1": 0.1, "c2": 0.01, "max_iterations": 100, "feature.possible_transitions": True}

Span = tuple[int, int, str]


def token_tags(tokens: Sequence[Token], spans: Iterable[Span]) -> list[str]:
    """BIO tags of ``tokens`` for ``spans``: a token belongs to a span it overlaps. Where
    spans overlap, the shorter one wins (a name inside a longer span is what a tagger learns)."""
    tags = ["O"] * len(tokens)
    starts = [t.start for t in tokens]
    for start, end, label in sorted(spans, key=lambda s: s[0] - s[1], reverse=True):
        first = bisect.bisect_right(starts, start) - 1
        # The token holding ``start`` when a span starts inside one, else the next token.
        if first < 0 or tokens[first].end <= start:
            first += 1
        last = bisect.bisect_left(starts, end)  # tokens starting before ``end``
        inside = range(first, last)
        if not inside:
            continue
        if any(tags[i] != "O" for i in inside):
            continue
        tags[first] = f"B-{label}"
        for i in inside[1:]:
            tags[i] = f"I-{label}"
    return tags


def train_tagger(
    docs: Iterable[tuple[str, Iterable[Span]]],
    labels: Sequence[str],
    *,
    name: str = "tagger",
    priority: int = DEFAULT_PRIORITY,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> Rule:
    """A tagger rule learned from ``docs`` (text and its spans, every one of ``labels`` marked:
    what is not a span is taken as no entity). Spans of other labels are left out.

    Raises ValueError when there is nothing to learn from (no span of these labels).
    """
    wanted = list(dict.fromkeys(labels))
    if not wanted:
        raise ValueError("give at least one label to train the tagger on")
    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.set_params(TRAINING)
    documents = spans_seen = 0
    for text, spans in docs:
        kept = [s for s in spans if s[2] in wanted]
        tokens = tokenize(text)
        tags = token_tags(tokens, kept)
        first = 0
        for sentence in sentences(text, tokens):
            trainer.append(
                sentence_features([t.text for t in sentence]), tags[first : first + len(sentence)]
            )
            first += len(sentence)
        documents += 1
        spans_seen += len(kept)
    if not spans_seen:
        raise ValueError(f"no span labelled {', '.join(wanted)} to learn from")
    model = _train(trainer)
    # A label with no span is not in the model: the rule proposes only what it learned.
    learned = [label for label in wanted if f"B-{label}" in _tags_of(model)]
    return parse_rule(
        {
            "name": name,
            "label": learned[0],
            "kind": KIND_NAME,
            "priority": priority,
            "description": f"Sequence tagger trained on {spans_seen} spans, {documents} documents",
            "pattern": {
                "labels": learned,
                # Compressed: the model is in the rule's definition, which every save of the
                # rule (an exception too) writes again, twice in the change log.
                "model": base64.b64encode(zlib.compress(model, 9)).decode("ascii"),
                "min_confidence": min_confidence,
                "features": FEATURES_VERSION,
            },
        },
        source="trained tagger",
    )


def _tags_of(model: bytes) -> set[str]:
    tagger = pycrfsuite.Tagger()
    tagger.open_inmemory(model)  # ``model`` outlives the tagger (CRFsuite does not copy it)
    return set(tagger.labels())


def _train(trainer: pycrfsuite.Trainer) -> bytes:
    fd, path = tempfile.mkstemp(prefix="annotator-tagger-", suffix=".crfsuite")
    os.close(fd)
    try:
        trainer.train(path)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)
