"""Tagger rules: a statistical sequence tagger (a CRF, python-crfsuite) trained on the
analyst's own spans, used like any other rule.

The trained model lives in the rule's definition (``pattern.model``: the CRFsuite model file,
zlib-compressed, in base64), so it is stored, undone, exported and imported with the rule,
and matching never trains or touches the disk. Its suggestions name the rule, obey its
exceptions and count in its precision like any rule's. One rule proposes several labels
(``pattern.labels``).

    {"name": "tagger", "label": "PERSON", "kind": "tagger",
     "pattern": {"labels": ["PERSON", "ORG", "LOC"], "model": "<base64>",
                 "min_confidence": 0.5}}
"""

from __future__ import annotations

import base64
import binascii
import threading
import zlib
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from annotator.core.tokenize import Token, sentences
from annotator.rules.doc import Deadline, Doc
from annotator.rules.kinds.registry import Field, Kind, RuleKind
from annotator.rules.kinds.tagger_features import sentence_features
from annotator.rules.model import Match, PatternError, Rule, match_maker, one_line

KIND_NAME = Kind.TAGGER
FEATURES_VERSION = 1
DEFAULT_MIN_CONFIDENCE = 0.5
# Above the shipped gazetteers (10-11) and the learned terms (11), below the date patterns and
# the person patterns with a title (15-20): where the tagger and a word list disagree on
# overlapping spans, the tagger, which reads the context, wins. bench/rules_quality.py's analyst
# (bulk + tagger, 200 documents): idner 0.805 actions per entity at 12 against 0.922 at 5,
# NERGrit 1.082 against 1.102, NERP 1.414 against 1.391 (its lower-cased learned terms win there).
DEFAULT_PRIORITY = 12


# ---------------------------------------------------------------- matching


class TaggerMatcher:
    """A trained tagger opened from memory, proposing the entities it tags with enough
    confidence (the least marginal probability of their tokens)."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.make = match_maker(rule)
        self.model = open_model(rule.pattern["model"])
        self.labels = frozenset(rule.pattern["labels"])
        self.min_confidence = float(rule.pattern.get("min_confidence", DEFAULT_MIN_CONFIDENCE))
        # One CRFsuite tagger holds the sequence it tags: engines on two threads (the window's
        # background jobs) share this cached matcher, so they take turns.
        self.lock = threading.Lock()

    def __call__(self, doc: Doc, deadline: Deadline) -> list[Match]:
        text, out = doc.text, []
        prefix = f"tagger {self.rule.name} ("
        for sentence in sentences(text, doc.tokens):
            with self.lock:
                entities = self._tag(sentence)
            for start, end, label, confidence in entities:
                if label not in self.labels:
                    continue
                found = text[start:end]
                why = f'{prefix}{confidence:.2f}) tagged "{one_line(found)}"'
                out.append(self.make(start, end, label, found, why))
            deadline.check()
        return out

    def _tag(self, sentence: list[Token]) -> list[tuple[int, int, str, float]]:
        tagger = self.model.tagger
        tags = tagger.tag(sentence_features([t.text for t in sentence]))
        out = []
        for first, last, label in bio_entities(tags):
            confidence = min(tagger.marginal(tags[i], i) for i in range(first, last + 1))
            if confidence >= self.min_confidence:
                out.append((sentence[first].start, sentence[last].end, label, confidence))
        return out


def bio_entities(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(first token, last token, label) of each entity in a BIO sequence; an I- that follows
    O or another label opens an entity (a tagger may produce one)."""
    found: list[list[Any]] = []
    for i, tag in enumerate(tags):
        prefix, _, label = tag.partition("-")
        if not label:
            continue
        if prefix == "I" and found and found[-1][1] == i - 1 and found[-1][2] == label:
            found[-1][1] = i
        else:
            found.append([i, i, label])
    return [(a, b, label) for a, b, label in found]


class OpenModel:
    """A CRFsuite tagger read from memory, and that memory: CRFsuite reads the model where it
    lies without copying it, so the bytes must live as long as the tagger does."""

    def __init__(self, model: str) -> None:
        # Imported here: every process that loads the rule kinds (each worker of a corpus run)
        # would pay for it, and only a pack with a tagger rule uses it.
        import pycrfsuite

        self.data = zlib.decompress(base64.b64decode(model, validate=True))
        self.tagger = pycrfsuite.Tagger()
        self.tagger.open_inmemory(self.data)


def open_model(model: str) -> OpenModel:
    return OpenModel(model)


# ---------------------------------------------------------------- checks


@lru_cache(maxsize=16)
def _model_labels(model: str) -> frozenset[str]:
    """The labels a model can tag (cached: every read of the rules checks every pattern)."""
    try:
        opened = open_model(model)
    except (binascii.Error, ValueError, zlib.error):
        raise PatternError("model must be a CRFsuite model, compressed, in base64") from None
    return frozenset(tag.partition("-")[2] for tag in opened.tagger.labels() if tag != "O")


def _check_model(model: Any, pattern: Mapping[str, Any]) -> None:
    if not isinstance(model, str) or not model:
        raise PatternError("model must be a CRFsuite model, compressed, in base64")
    _model_labels(model)


def _check_labels(labels: Any, pattern: Mapping[str, Any]) -> None:
    if not isinstance(labels, (list, tuple)) or not labels:
        raise PatternError("labels must be a non-empty list of label names")
    if not all(isinstance(label, str) and label for label in labels):
        raise PatternError("labels must be a non-empty list of label names")


def _check_confidence(value: Any, pattern: Mapping[str, Any]) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise PatternError("min_confidence must be a number from 0 to 1")


def _check_features(value: Any, pattern: Mapping[str, Any]) -> None:
    if value != FEATURES_VERSION:
        raise PatternError(
            f"features {value!r}: this version reads tagger models of features "
            f"{FEATURES_VERSION} only (train the tagger again)"
        )


def _needs_model_and_labels(pattern: Mapping[str, Any]) -> None:
    for key in ("model", "labels"):
        if key not in pattern:
            raise PatternError(f"a tagger pattern needs {key!r} (train one with train-tagger)")


def _check_model_knows_labels(pattern: Mapping[str, Any]) -> None:
    unknown = sorted(set(pattern["labels"]) - _model_labels(pattern["model"]))
    if unknown:
        raise PatternError(f"the model was not trained on {', '.join(unknown)}")


KIND = RuleKind(
    name=KIND_NAME,
    matcher=TaggerMatcher,
    fields={
        "labels": Field(_check_labels),
        "model": Field(_check_model),
        "min_confidence": Field(_check_confidence),
        "features": Field(_check_features),
    },
    needs=(_needs_model_and_labels,),
    checks=(_check_model_knows_labels,),
)
