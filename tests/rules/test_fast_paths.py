"""The engine's shortcuts give exactly what the plain way gives (same matches, same order)."""

from __future__ import annotations

import random

import pytest
import regex

from annotator.rules import Engine, parse_rule
from annotator.rules.doc import Deadline, Doc
from annotator.rules.kinds import occurrences
from annotator.rules.kinds.context_scan import (
    _ACRONYM,
    _QUOTE,
    acronyms_in,
    quote_spans,
)
from annotator.rules.kinds.occurrences import bare_occurrences_of, find_names
from annotator.rules.kinds.phrase import Gazetteer
from annotator.rules.kinds.token import TokenMatcher

QUOTE_PIECES = [
    '"',
    "“",
    "”",
    "’",
    "'",
    "’’",
    "''",
    " ",
    "\n",
    "a",
    "b",
    "Kata",
    "\u00a0",
    "\x1c",
    "x y",
    "\u2003",
    "ab cd",
    ".",
]


def test_quote_spans_equal_the_quote_regex() -> None:
    rng = random.Random(1)
    for max_chars in (1, 2, 3, 5, 10, 2000):
        compiled = regex.compile(_QUOTE.pattern % max_chars)
        for _ in range(5000):
            text = "".join(rng.choice(QUOTE_PIECES) for _ in range(rng.randint(0, 30)))
            assert quote_spans(text, max_chars) == [m.span() for m in compiled.finditer(text)], (
                text,
                max_chars,
            )


@pytest.fixture(params=["word by word", "one automaton"])
def search_way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Document words searched one ``str.find`` loop each, or in one automaton pass (what a
    long text with many names takes): both ways must give the same answers."""
    if request.param == "one automaton":
        monkeypatch.setattr(occurrences, "FEW", 0)
        monkeypatch.setattr(occurrences, "SHORT_TEXT", 0)
    return str(request.param)


def test_bare_occurrences_equal_the_lookaround_regex(search_way: str) -> None:
    rng = random.Random(2)
    pieces = [
        "AS",
        "A",
        "S",
        " ",
        "1",
        "é",
        "\u0301",
        "-",
        "ASAS",
        "x",
        "٣",
        "Ⅷ",
        ".",
        "R&D",
        "FSA",
        "_",
    ]
    for _ in range(10000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        for words in (["AS", "A.S", "R&D", "FSA"], ["AS", "A.S", "R&D", "FSA", "A", "SA", "ASA"]):
            expected = [
                [
                    m.start()
                    for m in regex.finditer(
                        rf"(?<![\p{{L}}\p{{N}}]){regex.escape(word)}(?![\p{{L}}\p{{N}}])", text
                    )
                ]
                for word in words
            ]
            assert bare_occurrences_of(text, words) == expected, (text, words)


def test_find_names_equals_a_gazetteer_of_the_same_names(search_way: str) -> None:
    rng = random.Random(3)
    pieces = [
        "Budi",
        "Budi Santoso",
        "Santoso",
        " ",
        "-",
        "_",
        "x",
        "\u0301",
        "\n",
        "BudiBudi",
        "é",
        "\ud800",  # a lone surrogate (a JSON import can leave one): the automaton takes none
    ]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 15)))
        names = rng.sample(
            ["Budi", "Budi Santoso", "Santoso", "udi", "Budi Budi", "-Budi", "i "],
            rng.choice((3, 6)),
        )
        assert find_names(text, names) == Gazetteer([(n, None) for n in names]).find(text), (
            text,
            names,
        )


def test_anchor_positions_and_plain_positions_agree() -> None:
    rng = random.Random(4)
    words = ["Kabupaten", "Kota", "Bogor", "(", ")", "mengatakan", "di", ".", "\n"]
    pools = [frozenset({"Kota"}), frozenset({"(", ")"}), frozenset({"mengatakan", "absent"})]
    anchors = frozenset().union(*pools)
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 30)))
        fast, plain = Doc(text, anchors=anchors), Doc(text)
        for pool in pools + [frozenset({"di"})]:  # the last one is not an anchor pool
            assert (
                fast.positions_of(pool)
                == plain.positions_of(pool)
                == [i for i, w in enumerate(plain.words) if w in pool]
            )


def test_token_rules_with_labels_find_the_same_with_and_without_shortcuts() -> None:
    dates = parse_rule(
        {"name": "d", "label": "DATE", "kind": "regex", "pattern": {"regex": r"\d{4}"}}
    )
    speech = parse_rule(
        {
            "name": "sp",
            "label": "PERSON",
            "kind": "token",
            "pattern": {
                "tokens": [
                    {"IS_TITLE": True, "OP": "+"},
                    {"IN": [",", "pun"], "OP": "?"},
                    {"IN": ["mengatakan", "menjelaskan"]},
                    {"LABEL": "DATE", "OP": "?"},
                ],
                "span": [0, 1],
            },
        }
    )
    words = ["Budi", "Santoso", ",", "pun", "mengatakan", "menjelaskan", "2015", "di", "\n", "Ani"]
    rng = random.Random(5)
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 25)))
        engine = Engine([dates, speech])
        fast = [m for m in engine.run(text).matches if m.rule == "sp"]
        doc = Doc(text)
        doc.set_earlier(engine.resolver(engine._apply(engine._first, doc, [])))
        matcher = TokenMatcher(speech)
        matcher.anchors, matcher.bounded, matcher.first_test = [], [], None
        slow = matcher(doc, Deadline(1.0))
        assert [(m.start, m.end) for m in fast] == [
            (m.start, m.end) for m in engine.resolver(slow)
        ], text


def test_one_token_patterns_walk_like_the_backtracking_search() -> None:
    # Patterns of "", "!" and "?" only take the loop without recursion; forcing them through
    # the general backtracking search must give the same matches, bounds (span) included.
    words = ["Budi", "Santoso", "Ani", ",", "pun", "mengatakan", "di", "kota", "\n", "(", "BS", ")"]
    specs = [
        {"IS_TITLE": True},
        {"IN": [",", "pun"]},
        {"IN": ["mengatakan"]},
        {"LOWER": "di"},
        {"REGEX": "^[A-Z]{2}$"},
        {"TEXT": "("},
        {},
    ]
    rng = random.Random(6)
    for n in range(400):
        tokens = [
            {**rng.choice(specs), "OP": rng.choice(["", "", "!", "?", "?"])}
            for _ in range(rng.randint(1, 6))
        ]
        if all(t["OP"] == "?" for t in tokens):
            tokens[0]["OP"] = ""
        tokens = [{k: v for k, v in t.items() if v != ""} for t in tokens]  # no OP: exactly one
        lo = rng.randrange(len(tokens))
        rule = parse_rule(
            {
                "name": f"t{n}",
                "label": "X",
                "kind": "token",
                "pattern": {"tokens": tokens, "span": [lo, rng.randint(lo + 1, len(tokens))]},
            }
        )
        walk, backtrack = TokenMatcher(rule), TokenMatcher(rule)
        assert walk.one_token_each
        backtrack.one_token_each = False
        for _ in range(5):
            text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 20)))
            doc = Doc(text)
            assert walk(doc, Deadline(1.0)) == backtrack(doc, Deadline(1.0)), (tokens, text)


def test_acronyms_in_equals_the_acronym_regex() -> None:
    rng = random.Random(7)
    pieces = [
        "(",
        ")",
        "FSA",
        "AS",
        "Tentara",
        "x",
        " ",
        "((",
        "A.S",
        "R&D",
        "é",
        "Ü",
        "1",
        "-",
        "\n",
    ]
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        assert [m.span() for m in acronyms_in(text)] == [
            m.span() for m in _ACRONYM.finditer(text)
        ], text
