"""spaCy / Prodigy match patterns in and out of rule packs, checked against spaCy's EntityRuler."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.rules import Engine, parse_rule
from annotator.rules.patterns import (
    is_pattern_file,
    join_tokens,
    read_pattern_file,
    rules_to_patterns,
)

DATA = Path(__file__).parent.parent / "data" / "prodigy-jsonl"
COUNTRIES = DATA / "patterns_countries-GPE.jsonl"
TEXTS = [
    "Delegations from Afghanistan and the Republic of Estonia met on Monday.",
    "Flights to Bhutan, Moldova and Peru resumed; Keeling Islands stayed closed.",
    "the republic of estonia signed, as did FRANCE and Japan's envoy.",
]


def _engine(path: Path) -> Engine:
    return Engine([parse_rule(obj) for obj in read_pattern_file(path).rules])


def _ours(engine: Engine, text: str) -> set[tuple[int, int, str]]:
    return {(m.start, m.end, m.label) for m in engine.run(text).matches}


def _spacy_ruler(patterns: list[dict]):
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(patterns)
    return nlp


def _theirs(nlp, text: str) -> set[tuple[int, int, str]]:
    return {(e.start_char, e.end_char, e.label_) for e in nlp(text).ents}


def test_the_countries_file_becomes_a_few_rules_not_a_thousand() -> None:
    pack = read_pattern_file(COUNTRIES)
    assert pack.patterns == 1010
    assert pack.problems == []
    kinds = sorted(rule["kind"] for rule in pack.rules)
    # 1,008 plain word lists make one case-blind gazetteer; two patterns start with a space
    # token (spaCy's whitespace token) and stay token rules.
    assert kinds == ["phrase", "token", "token"]
    [phrase] = [rule for rule in pack.rules if rule["kind"] == "phrase"]
    assert phrase["label"] == "GPE"
    assert phrase["pattern"]["case_sensitive"] is False
    assert len(phrase["pattern"]["terms"]) == 1008
    assert "republic of estonia" in phrase["pattern"]["terms"]
    assert is_pattern_file(COUNTRIES)


def test_imported_countries_find_what_spacys_entity_ruler_finds() -> None:
    patterns = [json.loads(line) for line in COUNTRIES.read_text("utf-8").splitlines()]
    nlp = _spacy_ruler(patterns)
    engine = _engine(COUNTRIES)
    for text in TEXTS:
        assert _ours(engine, text) == _theirs(nlp, text), text
    assert (17, 28, "GPE") in _ours(engine, TEXTS[0])  # Afghanistan, whatever its case


def test_token_patterns_become_token_rules_that_match_like_spacy(tmp_path: Path) -> None:
    patterns = [
        {"label": "ORG", "pattern": [{"LOWER": "bank"}, {"IS_TITLE": True, "OP": "+"}]},
        {"label": "MONEY", "pattern": [{"TEXT": {"IN": ["Rp", "US$"]}}, {"IS_DIGIT": True}]},
        {"label": "ORG", "pattern": [{"TEXT": {"REGEX": "^PT$"}}, {"IS_TITLE": True}]},
        {"label": "ORG", "pattern": "Bank Indonesia"},
    ]
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in patterns), "utf-8")
    pack = read_pattern_file(path)
    assert sorted(r["kind"] for r in pack.rules) == ["phrase", "token", "token", "token"]
    text = "Dana Rp 500 dari bank Mandiri dan PT Astra ke Bank Indonesia."
    ours = _ours(_engine(path), text)
    assert (17, 29, "ORG") in ours  # bank Mandiri
    assert (34, 42, "ORG") in ours  # PT Astra
    assert (5, 11, "MONEY") in ours  # Rp 500
    assert (46, 60, "ORG") in ours  # Bank Indonesia
    nlp = _spacy_ruler(patterns)
    assert ours == _theirs(nlp, text)


def test_patterns_we_cannot_express_are_refused_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"label": "LOC", "pattern": "Jakarta"}\n'
        "not json\n"
        '{"label": "LOC", "pattern": [{"POS": "PROPN"}]}\n'
        '{"label": "LOC", "pattern": [{"LOWER": "kota", "OP": "{2}"}]}\n'
        '{"pattern": "Bandung"}\n'
        '{"label": "", "pattern": "Surabaya"}\n'
        '{"label": "LOC", "pattern": []}\n'
        '{"label": "LOC", "pattern": [{"lower": "kota"}, {"lower": "bogor"}]}\n',
        "utf-8",
    )
    pack = read_pattern_file(path)
    refused = {p.line: p.reason for p in pack.problems}
    assert sorted(refused) == [2, 3, 4, 5, 6, 7]
    assert "not valid JSON" in refused[2]
    assert "POS" in refused[3]
    assert "OP '{2}'" in refused[4]
    assert 'needs "label"' in refused[5]
    assert "label must be" in refused[6]
    assert "non-empty list" in refused[7]
    engine = Engine([parse_rule(obj) for obj in pack.rules])
    assert _ours(engine, "Dari Jakarta ke kota Bogor.") == {(5, 12, "LOC"), (16, 26, "LOC")}


def test_ids_become_canonical_forms_and_come_back(tmp_path: Path) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text(
        '{"label": "ORG", "pattern": "BI", "id": "bank-indonesia"}\n'
        '{"label": "ORG", "pattern": "Bank Indonesia", "id": "bank-indonesia"}\n',
        "utf-8",
    )
    [rule] = [parse_rule(obj) for obj in read_pattern_file(path).rules]
    assert rule.terms == (("BI", "bank-indonesia"), ("Bank Indonesia", "bank-indonesia"))
    lines, warnings = rules_to_patterns([rule])
    assert warnings == []
    assert lines == [
        {"label": "ORG", "pattern": "BI", "id": "bank-indonesia"},
        {"label": "ORG", "pattern": "Bank Indonesia", "id": "bank-indonesia"},
    ]


def test_token_lists_read_as_phrases_keep_hyphens_and_apostrophes_glued() -> None:
    assert join_tokens(["al", "-", "mamlakah"]) == "al-mamlakah"
    assert join_tokens(["cote", "d'", "ivoire"]) == "cote d'ivoire"
    assert join_tokens(["Japan", "'s", "envoy"]) == "Japan's envoy"
    assert join_tokens(["New", "York"]) == "New York"


def test_exported_patterns_find_in_spacy_what_our_rules_find(tmp_path: Path) -> None:
    rules = [
        parse_rule(
            {
                "name": "kota",
                "label": "LOC",
                "kind": "phrase",
                "pattern": {"terms": ["Jakarta", "Kota Bogor"], "case_sensitive": False},
            }
        ),
        parse_rule(
            {
                "name": "bank",
                "label": "ORG",
                "kind": "token",
                "pattern": {"tokens": [{"LOWER": "bank"}, {"IS_TITLE": True, "OP": "+"}]},
            }
        ),
        parse_rule(
            {"name": "tahun", "label": "DATE", "kind": "regex", "pattern": {"regex": r"\d{4}"}}
        ),
    ]
    lines, warnings = rules_to_patterns(rules)
    assert warnings == ["rule tahun: a regex rule has no pattern form, left out"]
    text = "Di JAKARTA dan kota bogor, Bank Mandiri buka sejak 1998."
    ours = _ours(Engine(rules[:2]), text)
    assert ours == {(3, 10, "LOC"), (15, 25, "LOC"), (27, 39, "ORG")}
    assert _theirs(_spacy_ruler(lines), text) == ours


def test_rules_patterns_cannot_hold_are_left_out_with_a_warning() -> None:
    rules = [
        parse_rule(
            {
                "name": "after-bupati",
                "label": "PERSON",
                "kind": "token",
                "pattern": {"tokens": [{"LOWER": "bupati"}, {"IS_TITLE": True}], "span": [1, 2]},
            }
        ),
        parse_rule(
            {
                "name": "off",
                "label": "LOC",
                "kind": "phrase",
                "enabled": False,
                "pattern": {"terms": ["Bogor"]},
            }
        ),
        parse_rule(
            {
                "name": "kept",
                "label": "LOC",
                "kind": "phrase",
                "exceptions": ["Jakarta Post"],
                "pattern": {"terms": ["Jakarta"]},
            }
        ),
    ]
    lines, warnings = rules_to_patterns(rules)
    assert lines == [{"label": "LOC", "pattern": "Jakarta"}]
    assert any(
        w.startswith("rule after-bupati: left out: a token rule with `span`") for w in warnings
    )
    assert "rule off: switched off, left out" in warnings
    assert any(w.startswith("rule kept: its exceptions") for w in warnings)


def test_countries_exported_and_imported_again_suggest_the_same_spans(tmp_path: Path) -> None:
    rules = [parse_rule(obj) for obj in read_pattern_file(COUNTRIES).rules]
    lines, warnings = rules_to_patterns(rules)
    assert warnings == []
    assert len(lines) == 1010  # one pattern a term: the gazetteer unfolds again
    out = tmp_path / "again.jsonl"
    out.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), "utf-8")
    again = Engine([parse_rule(obj) for obj in read_pattern_file(out).rules])
    before = Engine(rules)
    nlp = _spacy_ruler(lines)
    for text in TEXTS:
        assert _ours(again, text) == _ours(before, text), text
        assert _theirs(nlp, text) == _ours(before, text), text


HEADLINES = DATA / "annotated_news_headlines-ner.lines1-60+337.jsonl"


def test_on_61_news_headlines_only_spacys_contraction_split_differs() -> None:
    patterns = [json.loads(line) for line in COUNTRIES.read_text("utf-8").splitlines()]
    nlp = _spacy_ruler(patterns)
    engine = _engine(COUNTRIES)
    differ = {}
    for line in HEADLINES.read_text("utf-8").splitlines():
        text = json.loads(line)["text"]
        ours, theirs = _ours(engine, text), _theirs(nlp, text)
        if ours != theirs:
            differ[text] = ({text[a:b] for a, b, _ in ours ^ theirs}, ours <= theirs)
    # spaCy splits "Can’t" into "Ca" + "n’t", and "ca" (Canada's code) is a pattern; our
    # tokeniser keeps the word whole, so it suggests nothing there (rightly).
    assert differ == {"One Thing Silicon Valley Can’t Seem to Fix": ({"Ca"}, True)}
