"""Rule fixes proposed from one correction: each kind really avoids the corrected suggestion, and
its corpus diff on that text says so; the context-word option they may use is a real rule
option (validated, round-tripped, applied by the engine at the end like exceptions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.rules import Engine, Match, dump_rule, load_pack, parse_rule
from annotator.rules.corpus_diff import DiffKind, DocumentDiffer
from annotator.rules.final_filter import word_after, word_before
from annotator.rules.model import RuleError
from annotator.rules.repair import Correction, FixKind, propose_fixes
from annotator.workspace import pack_path

SEED = next((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt")).read_text("utf-8")


@pytest.fixture(scope="module")
def pack():
    rules, _ = load_pack(pack_path("id-news"))
    return rules


def _find(rules, text, words, rule=None) -> Match:
    return next(
        m
        for m in Engine(rules).run(text).matches
        if m.text == words and (rule is None or m.rule == rule)
    )


def _check_each_avoids(rules, text, correction, fixes):
    key = (correction.start, correction.end, correction.label, correction.rule)
    assert fixes
    for fix in fixes:
        after = fix.applied_to(rules)
        made = {(m.start, m.end, m.label, m.rule) for m in Engine(after).run(text).matches}
        assert key not in made, fix
        # and the corpus diff of the fix on this text shows the suggestion going or changing
        diffs = DocumentDiffer(rules, after).differences(text)
        gone = [
            d
            for d in diffs
            if d.before is not None and tuple(d.before[:3]) + (d.before.rule,) == key
        ]
        assert gone and gone[0].kind in (DiffKind.DISAPPEAR, DiffKind.CHANGE), fix


def test_a_rejected_gazetteer_hit(pack):
    m = _find(pack, SEED, "Reuters")
    c = Correction(m.start, m.end, m.label, m.rule)
    fixes = propose_fixes(pack, SEED, c)
    kinds = [f.kind for f in fixes]
    assert kinds[0] == FixKind.EXCEPTION
    assert {FixKind.DROP_TERM, FixKind.NOT_AFTER} <= set(kinds)
    assert FixKind.NOT_BEFORE not in kinds  # "Reuters" ends its line: no word after it
    drop = next(f for f in fixes if f.kind == FixKind.DROP_TERM)
    assert "Reuters" not in [t for t, _ in drop.rules[0].terms]
    not_after = next(f for f in fixes if f.kind == FixKind.NOT_AFTER)
    assert not_after.rules[0].not_after == ("Foto",)  # "Foto: Reuters"
    _check_each_avoids(pack, SEED, c, fixes)


def test_a_relabel_moves_the_term_to_the_corrected_label(pack):
    m = _find(pack, SEED, "Al Jazeera")
    c = Correction(m.start, m.end, m.label, m.rule, label_to="LOC")
    fixes = propose_fixes(pack, SEED, c)
    move = next(f for f in fixes if f.kind == FixKind.MOVE_TERM)
    mine, learned = move.rules
    assert mine.name == m.rule and "Al Jazeera" not in [t for t, _ in mine.terms]
    assert learned.name == "learned-LOC" and learned.label == "LOC"
    after = Engine(move.applied_to(pack)).run(SEED).matches
    assert any((x.start, x.end, x.label) == (m.start, m.end, "LOC") for x in after)
    _check_each_avoids(pack, SEED, c, fixes)


def test_a_rebound_proposes_a_priority_below_the_rule_that_found_it(pack):
    m = _find(pack, SEED, "Sabtu (24/10)")
    c = Correction(m.start, m.end, m.label, m.rule, end_to=m.start + len("Sabtu"))
    fixes = propose_fixes(pack, SEED, c)
    lower = next(f for f in fixes if f.kind == FixKind.LOWER_PRIORITY)
    day_names = next(r for r in pack if r.name == "day-names-id")
    assert lower.rules[0].priority == day_names.priority - 1
    after = Engine(lower.applied_to(pack)).run(SEED).matches
    assert any((x.start, x.end, x.rule) == (m.start, m.start + 5, "day-names-id") for x in after)
    _check_each_avoids(pack, SEED, c, fixes)


def test_a_regex_inside_a_word_gets_word_boundaries_and_case(pack):
    rus = parse_rule(
        {
            "name": "rus",
            "label": "LOC",
            "kind": "regex",
            "pattern": {"regex": "Rus", "flags": ["IGNORECASE"]},
        }
    )
    rules = [*pack, rus]
    text = "Kota rusia dan Rus bertemu."
    m = _find(rules, text, "rus", "rus")
    assert m.start == 5  # inside "rusia"
    c = Correction(m.start, m.end, m.label, m.rule)
    fixes = propose_fixes(rules, text, c)
    kinds = {f.kind for f in fixes}
    assert {FixKind.WORD_BOUNDARY, FixKind.REQUIRE_CASE} <= kinds
    bounded = next(f for f in fixes if f.kind == FixKind.WORD_BOUNDARY).rules[0]
    assert bounded.pattern["regex"] == r"\b(?:Rus)\b"
    assert [(x.start, x.text) for x in Engine([bounded]).run(text).matches] == [(15, "Rus")]
    _check_each_avoids(rules, text, c, fixes)


def test_a_lower_case_hit_of_a_case_insensitive_gazetteer_can_require_case(pack):
    text = "Kata presiden itu, Presiden Joko Widodo datang."
    m = next(x for x in Engine(pack).run(text).matches if x.text == "presiden")
    c = Correction(m.start, m.end, m.label, m.rule)
    fixes = propose_fixes(pack, text, c)
    case = next(f for f in fixes if f.kind == FixKind.REQUIRE_CASE)
    assert case.rules[0].pattern["case_sensitive"] is True
    _check_each_avoids(pack, text, c, fixes)


def test_no_candidate_for_an_unknown_rule(pack):
    assert propose_fixes(pack, SEED, Correction(0, 4, "DATE", "no-such-rule")) == []


# -- context words as a rule option ---------------------------------------------------------


def test_words_before_and_after_stay_on_the_line():
    text = "Foto: Reuters\nPresiden AS, kata dia"
    assert word_before(text, text.index("Reuters")) == "Foto"
    assert word_after(text, text.index("Reuters") + 7) is None  # the line ends
    assert word_before(text, text.index("Presiden")) is None
    assert word_after(text, text.index("AS") + 2) == "kata"


def test_context_words_round_trip_and_filter_last():
    obj = {
        "name": "as",
        "label": "LOC",
        "kind": "phrase",
        "pattern": {"terms": ["AS"]},
        "not_after": ["Presiden"],
        "only_before": ["dan", "kata"],
    }
    rule = parse_rule(obj)
    assert rule.not_after == ("Presiden",) and rule.only_before == ("dan", "kata")
    assert parse_rule(dump_rule(rule)) == rule
    assert dump_rule(rule)["not_after"] == ["Presiden"]
    text = "Presiden AS kata. Dari AS dan Rusia. AS pulang."
    found = [(m.start, m.text) for m in Engine([rule]).run(text).matches]
    assert found == [(23, "AS")]  # after "Presiden": no; before "pulang": not in only_before


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (["two words"], "not_after must be a list of single words"),
        ([""], "not_after must be a list of single words"),
        ("Presiden", "not_after must be list or tuple"),
        ([3], "not_after must be a list of single words"),
    ],
)
def test_bad_context_words_are_refused_with_the_reason(value, reason):
    obj = {"name": "x", "label": "LOC", "kind": "phrase", "pattern": {"terms": ["AS"]}}
    with pytest.raises(RuleError, match=reason):
        parse_rule({**obj, "not_after": value})
