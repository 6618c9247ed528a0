"""The tagger rule kind: a CRF trained on the analyst's spans, used like any rule."""

from __future__ import annotations

import base64
import json
import zlib

import pytest

from annotator.core.tokenize import tokenize
from annotator.rules import Engine, RuleError, dump_rule, load_pack, parse_rule, save_pack
from annotator.rules.kinds.tagger import bio_entities
from annotator.rules.tagger_training import token_tags, train_tagger

PEOPLE = ["Ahmad", "Siti", "Rudi", "Dewi", "Hendra", "Rina", "Agus", "Wati", "Bayu", "Lina"]
CITIES = ["Bandung", "Medan", "Surabaya", "Makassar", "Padang", "Malang", "Bogor", "Solo"]
TEMPLATES = [
    "Menurut {p} , harga beras di {c} naik lagi pekan ini .",
    "Warga {c} menyambut kedatangan {p} dengan gembira .",
    "Kemarin {p} berkata bahwa jalan di {c} rusak parah .",
    "Banjir melanda {c} dan {p} meminta bantuan pemerintah .",
]


def corpus(lower: bool = False) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Documents of a few sentences each, every person and city marked."""
    docs = []
    for d in range(12):
        parts: list[str] = []
        spans = []
        offset = 0
        for k, template in enumerate(TEMPLATES):
            person = PEOPLE[(d + k) % len(PEOPLE)]
            city = CITIES[(d * 3 + k) % len(CITIES)]
            sentence = template.format(p=person, c=city)
            for name, label in ((person, "PERSON"), (city, "LOC")):
                at = sentence.index(name)
                spans.append((offset + at, offset + at + len(name), label))
            parts.append(sentence)
            offset += len(sentence) + 1
        text = "\n".join(parts)
        docs.append((text.lower() if lower else text, spans))
    return docs


@pytest.fixture(scope="module")
def tagger():
    return train_tagger(corpus(), ["PERSON", "LOC"])


def found(rule, text):
    return {(m.text, m.label, m.rule) for m in Engine([rule]).run(text).matches}


def test_it_finds_a_name_it_never_saw_in_a_new_sentence(tagger):
    text = "Menurut Bambang , harga cabai di Kupang naik lagi pekan ini ."
    assert ("Bambang", "PERSON", "tagger") in found(tagger, text)
    assert ("Kupang", "LOC", "tagger") in found(tagger, text)
    # It proposes names, not the words around them.
    assert not {t for t, _, _ in found(tagger, text)} & {"Menurut", "harga", "naik"}


def test_it_learns_a_lower_cased_corpus_too():
    rule = train_tagger(corpus(lower=True), ["PERSON", "LOC"])
    text = "menurut bambang , harga cabai di kupang naik lagi pekan ini ."
    assert ("bambang", "PERSON", "tagger") in found(rule, text)


def test_its_suggestions_obey_its_exceptions_and_it_can_be_switched_off(tagger):
    text = "Menurut Bambang , harga cabai di Kupang naik lagi pekan ini ."
    excepted = tagger.with_exception("Bambang")
    assert [t for t, _, _ in found(excepted, text)] == ["Kupang"]
    assert found(tagger.edited(enabled=False), text) == set()


def test_the_rule_names_its_labels_and_a_confidence_threshold_keeps_doubts_out(tagger):
    assert tagger.kind == "tagger" and tagger.labels() == {"PERSON", "LOC"}
    text = "Menurut Bambang , harga cabai di Kupang naik lagi pekan ini ."
    (match,) = [m for m in Engine([tagger]).run(text).matches if m.text == "Bambang"]
    assert match.explanation.startswith("tagger tagger (") and "Bambang" in match.explanation
    certain = parse_rule(
        {**dump_rule(tagger), "pattern": {**dump_rule(tagger)["pattern"], "min_confidence": 1.0}}
    )
    assert found(certain, text) == set()


def test_it_round_trips_through_dump_and_parse_and_a_pack_file(tagger, tmp_path):
    again = parse_rule(json.loads(json.dumps(dump_rule(tagger))))
    assert again == tagger
    path = save_pack([tagger.with_exception("Bambang")], tmp_path / "pack.jsonl")
    (loaded,), problems = load_pack(path)
    assert problems == [] and loaded.exceptions == ("Bambang",)
    text = "Menurut Bambang , harga cabai di Kupang naik lagi pekan ini ."
    assert found(loaded, text) == {("Kupang", "LOC", "tagger")}


NOT_A_MODEL = base64.b64encode(zlib.compress(b"not a model" * 10)).decode("ascii")


def test_a_damaged_model_is_a_clear_error(tagger):
    obj = dump_rule(tagger)
    for pattern, reason in (
        (
            {**obj["pattern"], "model": "not base64!"},
            "model must be a CRFsuite model, compressed, in base64",
        ),
        (
            {**obj["pattern"], "model": "AAAA"},
            "model must be a CRFsuite model, compressed, in base64",
        ),
        ({**obj["pattern"], "model": NOT_A_MODEL}, "model must be a CRFsuite model"),
        ({**obj["pattern"], "labels": ["ORG"]}, "the model was not trained on ORG"),
        ({**obj["pattern"], "min_confidence": 2}, "min_confidence must be a number from 0 to 1"),
        ({"labels": ["PERSON"]}, "a tagger pattern needs 'model'"),
        ({**obj["pattern"], "features": 99}, "features 99"),
    ):
        with pytest.raises(RuleError) as err:
            parse_rule({**obj, "pattern": pattern}, source="pack.jsonl", line=3)
        assert reason in str(err.value) and "pack.jsonl" in str(err.value)


def test_training_needs_spans_of_the_labels():
    with pytest.raises(ValueError, match="no span labelled ORG"):
        train_tagger(corpus(), ["ORG"])
    # A label with no span is left out of the rule; the others are learned.
    rule = train_tagger(corpus(), ["ORG", "PERSON"])
    assert rule.pattern["labels"] == ("PERSON",) and rule.label == "PERSON"


def test_token_tags_and_bio_entities_agree():
    text = "Presiden Joko Widodo tiba di Jakarta ."
    tokens = tokenize(text)
    spans = [(9, 20, "PERSON"), (0, 20, "ROLE"), (29, 36, "LOC")]
    tags = token_tags(tokens, spans)
    # The shorter of two overlapping spans is what the tagger learns.
    assert tags == ["O", "B-PERSON", "I-PERSON", "O", "O", "B-LOC", "O"]
    assert bio_entities(tags) == [(1, 2, "PERSON"), (5, 5, "LOC")]
    assert bio_entities(["I-ORG", "I-ORG", "B-ORG", "I-LOC"]) == [
        (0, 1, "ORG"),
        (2, 2, "ORG"),
        (3, 3, "LOC"),
    ]
