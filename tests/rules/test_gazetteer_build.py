"""A gazetteer built in whole-list steps holds exactly what the former per-term loop built."""

from __future__ import annotations

import gc
import random

from annotator.rules.doc import fold, is_word_char, word_mask
from annotator.rules.engine import Engine
from annotator.rules.kinds.phrase import Gazetteer
from annotator.rules.load import parse_rule
from annotator.rules.model import RuleError, Term

PIECES = ["Kari", "kari", "KARI", "Inc", "Inc.", "Inc,", "&", "AT&T", "(AS)", "St. Petersburg"]
PIECES += ["Straße", "STRASSE", "İstanbul", "Jum'at", "Ka\nri", "-", "  ", "é", "e\u0301"]


def reference(
    terms: list[Term], case_sensitive: bool, also_upper: bool
) -> tuple[list[str], list[tuple[tuple[str, int, str, str | None], ...]], list[tuple]]:
    """The former build: one term at a time, the first spelling of a key kept."""
    entries: dict[str, tuple[int, str, str | None]] = {}
    for term, canonical in terms:
        for variant in (term, term.upper()) if also_upper else (term,):
            key = variant if case_sensitive else fold(variant)
            if key.strip() and key not in entries:
                entries[key] = (len(key), term, canonical)
    grouped: dict[str, list[tuple[str, int, str, str | None]]] = {}
    bare = []
    for key, (length, term, canonical) in entries.items():
        masked = word_mask(key)
        if is_word_char(key[-1]):
            masked += " "
        elif not is_word_char(key[0]) and not masked.strip():
            bare.append((key, length, term, canonical))
            continue
        grouped.setdefault(masked, []).append((key, length, term, canonical))
    candidates = [tuple(sorted(c, key=lambda c: -c[1])) for c in grouped.values()]
    return list(grouped), candidates, bare


def test_build_equals_the_per_term_build() -> None:
    rng = random.Random(7)
    for n in range(600):
        terms: list[Term] = [
            (rng.choice(PIECES) + rng.choice(["", " ", "x", "."]), rng.choice([None, "C", "D"]))
            for _ in range(rng.randint(0, 12))
        ]
        case_sensitive, also_upper = n % 3 != 0, n % 4 == 0
        g = Gazetteer(terms, case_sensitive=case_sensitive, also_upper=also_upper)
        keys, candidates, bare = reference(terms, case_sensitive, also_upper)
        assert (g.masked_keys, g.candidates, g.bare) == (keys, candidates, bare), terms
        assert g.size == sum(map(len, candidates)) + len(bare)


def test_explanation_names_the_term_of_an_upper_variant_with_its_canonical() -> None:
    rule = parse_rule(
        {
            "name": "cities",
            "label": "LOC",
            "kind": "phrase",
            "pattern": {"terms": [["Moskow", "Moscow"], ["Moskow", "Other"]], "also_upper": True},
        }
    )
    matches = Engine([rule]).run("MOSKOW, lalu Moskow.").matches
    assert [(m.text, m.explanation) for m in matches] == [
        ("MOSKOW", 'phrase "Moskow" = "Moscow" in gazetteer cities'),
        ("Moskow", 'phrase "Moskow" = "Moscow" in gazetteer cities'),
    ]


def _phrase(terms: object) -> dict[str, object]:
    return {"name": "g", "label": "LOC", "kind": "phrase", "pattern": {"terms": terms}}


def test_inline_terms_read_as_before_and_a_bad_one_is_named() -> None:
    rule = parse_rule(_phrase(["Jakarta", ["DKI", "Jakarta"], "Bandung"]))
    assert rule.terms == (("Jakarta", None), ("DKI", "Jakarta"), ("Bandung", None))
    assert rule.pattern["terms"] == ("Jakarta", ("DKI", "Jakarta"), "Bandung")
    assert parse_rule(_phrase(["Jakarta", "Bandung"])).terms == (
        ("Jakarta", None),
        ("Bandung", None),
    )
    for terms, index in ((["Jakarta", "  "], 1), (["Jakarta", 3, "Bandung"], 1), ([""], 0)):
        try:
            parse_rule(_phrase(terms), source="rules.jsonl", line=4)
        except RuleError as e:
            assert f"terms[{index}] must be a non-empty string" in str(e)
            assert "rules.jsonl" in str(e) and "4" in str(e)
        else:
            raise AssertionError(f"{terms} accepted")


def test_no_garbage_collection_while_a_rule_compiles_and_the_collector_is_left_as_found() -> None:
    rule = parse_rule(_phrase([f"Nama{i:05d} Orang" for i in range(30_000)]))
    collections: list[int] = []  # the generation of each collection

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        Engine([rule])
        # At most the one that may follow the compile, once the collector is back on.
        assert len(collections) <= 1 and gc.isenabled(), collections
        gc.disable()
        Engine([parse_rule(_phrase(["Jakarta"]))])
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.callbacks.remove(seen)
