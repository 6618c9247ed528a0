"""Context rules around bodies: an acronym's long form and region, a name after a title and a
body (the patterns of issue 12's failures, with the smallest rule sets that show them)."""

from __future__ import annotations

from annotator.rules import Engine, parse_rule


def rule(name: str, kind: str, label: str, pattern: dict, priority: int = 10) -> object:
    return parse_rule(
        {"name": name, "label": label, "kind": kind, "pattern": pattern, "priority": priority}
    )


PLACES = rule("places", "phrase", "LOC", {"terms": ["Cilacap", "Jakarta", "Banyumas"]})
BODIES = rule(
    "bodies",
    "phrase",
    "ORG",
    {"terms": ["Palang Merah Indonesia", "Persatuan Sepak Bola Seluruh Indonesia", "Polres"]},
)
# Above the names, as in the id-news pack: a long form it guesses would beat a shorter name.
ACRONYMS = rule("acronyms", "context", "ORG", {"type": "acronym"}, priority=12)
TITLES = rule(
    "titles",
    "context",
    "PERSON",
    {
        "type": "after_trigger",
        "triggers": ["Ketua", "Gubernur", "Presiden"],
        "trigger_label": "ROLE",
    },
)


def found(rules: list, text: str) -> set[tuple[str, str]]:
    result = Engine(rules).run(text)
    assert result.failures == []
    for m in result.matches:
        assert text[m.start : m.end] == m.text
    return {(m.text, m.label) for m in result.matches}


def test_a_place_after_the_bracket_or_the_bare_acronym_belongs_to_the_body():
    text = "Palang Merah Indonesia (PMI) Cilacap mengirim relawan. PMI Cilacap dan PMI pusat."
    got = found([PLACES, BODIES, ACRONYMS], text)
    assert ("Palang Merah Indonesia (PMI) Cilacap", "ORG") in got
    assert ("PMI Cilacap", "ORG") in got
    assert ("PMI", "ORG") in got  # the bare acronym without a place after it
    assert ("Cilacap", "LOC") not in got


def test_without_a_place_after_it_the_long_form_and_the_acronym_stay_apart():
    text = "Palang Merah Indonesia (PMI) mengirim relawan ke Cilacap."
    got = found([PLACES, BODIES, ACRONYMS], text)
    assert {("Palang Merah Indonesia", "ORG"), ("PMI", "ORG"), ("Cilacap", "LOC")} <= got


def test_a_known_body_before_the_bracket_is_the_long_form_whatever_its_initials():
    text = "Persatuan Sepak Bola Seluruh Indonesia (PSSI) menggelar kongres. PSSI berjanji."
    got = found([PLACES, BODIES, ACRONYMS], text)
    assert ("Persatuan Sepak Bola Seluruh Indonesia", "ORG") in got
    assert ("Sepak Bola Seluruh Indonesia", "ORG") not in got
    assert [t for t, label in got if t == "PSSI"] == ["PSSI"]


def test_a_one_capital_acronym_needs_a_known_body_and_a_place_is_not_one():
    known = found([PLACES, BODIES, ACRONYMS], "Polres (Polres) Banyumas. Polres juga.")
    assert ("Polres (Polres) Banyumas", "ORG") in known
    unknown = found([PLACES, BODIES, ACRONYMS], "Kota Lama (Semarang) ramai. Semarang cerah.")
    assert not [t for t, _ in unknown if "Semarang" in t]
    dateline = found([PLACES, BODIES, ACRONYMS], "Jakarta (ANTARA) - ANTARA melaporkan.")
    assert ("ANTARA", "LOC") not in dateline and ("ANTARA", "ORG") not in dateline


def test_the_name_after_a_title_passes_the_body_its_acronym_a_comma_and_a_bare_acronym():
    rules = [PLACES, BODIES, ACRONYMS, TITLES]
    text = "Ketua Palang Merah Indonesia (PMI) Cilacap Bambang Wahyudi tiba."
    assert ("Bambang Wahyudi", "PERSON") in found(rules, text)
    text = "Ketua Palang Merah Indonesia, Bambang Wahyudi, tiba."
    assert ("Bambang Wahyudi", "PERSON") in found(rules, text)
    text = "Gubernur BI Agus Martowardojo tiba."
    got = found(rules, text)
    assert ("Agus Martowardojo", "PERSON") in got and ("Gubernur", "ROLE") in got
    assert ("BI Agus Martowardojo", "PERSON") not in got
    # A bare acronym with no name after it is not passed over: it is the name ("Presiden SBY").
    assert ("SBY", "PERSON") in found(rules, "Presiden SBY tiba.")
