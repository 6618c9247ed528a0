"""A rule's exceptions take its rejected texts out of the result last: no other rule gets worse."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from annotator.rules import Engine, load_pack, parse_rule

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "republika-2015-10-25-rusia-tawarkan-kerja-sama.txt"
PACK = ROOT / "resources" / "rules" / "id-news"
LABELS = {"PERSON", "ORG", "LOC", "DATE", "ROLE", "QUOTE"}


def keyed(matches):
    return [(m.start, m.end, m.label, m.text, m.rule) for m in matches]


def test_rejecting_as_everywhere_leaves_barrack_obama_as_he_was():
    rules, problems = load_pack(PACK, known_labels=LABELS)
    assert not problems
    text = SEED.read_text(encoding="utf-8")
    before = Engine(rules).run(text).matches
    loc_as = {m.rule for m in before if m.text == "AS" and m.label == "LOC"}
    assert loc_as  # the pack proposes "AS" as LOC
    excepted = [rule.with_exception("AS") if rule.name in loc_as else rule for rule in rules]
    after = Engine(excepted).run(text).matches
    people = [m.text for m in after if m.label == "PERSON" and "Obama" in m.text]
    assert people and set(people) == {"Barrack Obama"}  # not "AS Barrack Obama"
    # Exactly the same output, less the excepted "AS" matches.
    assert keyed(after) == [k for k in keyed(before) if not (k[3] == "AS" and k[4] in loc_as)]


def test_an_excepted_match_still_wins_its_conflict():
    text = "Kota Batu Malang"
    high = parse_rule(
        {
            "name": "places",
            "label": "LOC",
            "kind": "phrase",
            "priority": 20,
            "pattern": {"terms": ["Batu Malang"]},
        }
    )
    low = parse_rule(
        {
            "name": "things",
            "label": "ORG",
            "kind": "phrase",
            "priority": 5,
            "pattern": {"terms": ["Kota Batu"]},
        }
    )
    assert [m.text for m in Engine([high, low]).run(text).matches] == ["Batu Malang"]
    # "Batu Malang" rejected everywhere: the lower-priority "Kota Batu" it beat stays beaten.
    assert Engine([high.with_exception("Batu Malang"), low]).run(text).matches == []


def test_preview_of_a_rule_leaves_out_its_own_exceptions():
    rule = parse_rule(
        {"name": "places", "label": "LOC", "kind": "phrase", "pattern": {"terms": ["AS", "Rusia"]}}
    )
    found = Engine([]).preview(replace(rule, exceptions=("AS",)), "AS dan Rusia").matches
    assert [m.text for m in found] == ["Rusia"]


def test_a_context_rule_still_reads_an_excepted_earlier_match_in_run_and_in_preview():
    text = "Tentara Pembebasan Suriah (FSA) menyerang. FSA mundur."
    long_form = parse_rule(
        {
            "name": "groups",
            "label": "ORG",
            "kind": "phrase",
            "priority": 10,
            "pattern": {"terms": ["Tentara Pembebasan Suriah"]},
        }
    )
    acronyms = parse_rule(
        {
            "name": "acronyms",
            "label": "LOC",
            "kind": "context",
            "priority": 5,
            "pattern": {"type": "acronym"},
        }
    )
    plain = Engine([long_form, acronyms])
    excepted = Engine([long_form.with_exception("Tentara Pembebasan Suriah"), acronyms])
    fsa = [(m.start, m.text, m.label) for m in plain.run(text).matches if m.text == "FSA"]
    assert [label for *_, label in fsa] == ["ORG", "ORG"]  # the long form's label
    # The long form rejected everywhere: gone from the result, but FSA is labelled as before.
    assert [(m.start, m.text, m.label) for m in excepted.run(text).matches] == fsa
    assert keyed(excepted.preview(acronyms, text).matches) == keyed(
        plain.preview(acronyms, text).matches
    )
    assert {m.label for m in excepted.preview(acronyms, text).matches if m.text == "FSA"} == {"ORG"}
