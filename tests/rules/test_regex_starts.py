"""Regex rules tried only where their literal starts occur find exactly what finditer finds."""

from __future__ import annotations

import random

import regex

from annotator.rules import Engine, RuleError, load_pack, parse_rule
from annotator.rules.doc import Deadline, Doc
from annotator.rules.kinds.regex_kind import RegexMatcher
from annotator.rules.kinds.regex_starts import _folded_spellings, starts_of


def _plain(matcher: RegexMatcher, text: str) -> list:
    """The matcher with its literal starts switched off: finditer over the whole text."""
    saved, matcher.starts = matcher.starts, None
    try:
        return matcher(Doc(text), Deadline(5.0))
    finally:
        matcher.starts = saved


def _engine_matches(rules, text):
    return sorted(Engine(rules).run(text).matches)


def test_unknown_constructs_give_no_starts() -> None:
    for pattern in [
        r"\Gab",
        r"a?",
        r"[ab]c",
        r"ab\Kc",
        r"(?r)ab",
        r"(?f)(?i)ab",
        r"\1(a)",
        r".b",
        r"(?:ab){e<=1}",
        r"(?(1)a|b)",
        r"a(*SKIP)(*FAIL)|b",
        r"\w+",
        r"\p{Lu}x",
        r"(?i)(?f)ß",
        r"(?V1)(?i)ab",
        r"\X",
        r"(?a)(?L)x" if False else r"(?<=a)",
        r"",
    ]:
        assert starts_of(pattern) is None, pattern


def test_known_starts() -> None:
    s = starts_of(r"\b(?:Senin|Sabtu)\s*\(\d")
    assert s is not None and s.exact == {"Senin", "Sabtu"} and not s.folded and not s.digits
    assert s.bounded
    s = starts_of(r"(?:\bx,?\s+)?\b\d{1,2}")
    assert s is not None and s.exact == {"x"} and s.digits and s.bounded
    s = starts_of(r"(?:x,?\s+)?\b\d{1,2}")
    assert s is not None and s.exact == {"x"} and s.digits and not s.bounded
    s = starts_of(r"\b(?i:pada)\s+\d")
    assert s is not None and s.folded == {"pada"} and s.bounded
    assert starts_of(r"(?a)\d").digits  # type: ignore[union-attr]
    assert not starts_of(r"(?a)\b\d").bounded  # type: ignore[union-attr]  # ASCII \b: not tested
    assert not starts_of(r"(?:a\b)?\d").bounded  # type: ignore[union-attr]


def test_folded_spellings_cover_what_ignorecase_matches() -> None:
    # Every character the regex module matches case-insensitively folds to a listed spelling.
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    from annotator.rules.doc import fold

    for ch in "abcdefghijklmnopqrstuvwxyzIKSß":
        matched = set(regex.findall("(?i)" + regex.escape(ch), everything))
        spellings = _folded_spellings(ch, regex.I | regex.U | regex.V0)
        assert spellings is not None
        assert {fold(c) for c in matched} <= spellings, ch


ALPHABET = [
    "a",
    "b",
    "A",
    "B",
    "1",
    "2",
    "٣",
    " ",
    "\n",
    "(",
    ")",
    "-",
    "İ",
    "ı",
    "ſ",
    "K",
    "ß",
    "é",
    "x",
    "'",
    "\ud800",
]
PIECES = [
    r"a",
    r"b",
    r"A",
    r"ab",
    r"\d",
    r"\d{1,2}",
    r"\s*",
    r"\s+",
    r"\b",
    r"\b",
    r"(?i:ab)",
    r"(?i:k)",
    r"\B",
    r"(?:\b|x)",
    r"(?a:\b)",
    r"(?:a|b)",
    r"(?:a|)",
    r"x?",
    r"[ab]",
    r"\(",
    r"(?=a)",
    r"(?<!b)",
    r"(?:ab)+",
    r"\p{Nd}",
    r"(?i:i)",
    r"(a)",
    r"\w",
    r"b*?",
    r"(?>a|ab)",
    r"(?i:ss)",
    r"ß",
    r"(?i:ß)",
    r"a'b",
    r"(?i:b'a)",
    r"'a",
]


def test_random_patterns_find_the_same_as_finditer() -> None:
    rng = random.Random(11)
    tried = 0
    for _ in range(1500):
        pattern = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 4)))
        flags = rng.choice([[], [], ["IGNORECASE"], ["ASCII"], ["MULTILINE"]])
        try:
            rule = parse_rule(
                {
                    "name": "r",
                    "label": "X",
                    "kind": "regex",
                    "pattern": {"regex": pattern, "flags": flags},
                }
            )
        except RuleError:  # an invalid random pattern
            continue
        other = parse_rule(
            {"name": "days", "label": "D", "kind": "regex", "pattern": {"regex": r"\bSenin\b"}}
        )
        matcher = RegexMatcher(rule)
        for _ in range(15):
            text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 25)))
            expected = sorted(_plain(matcher, text))
            # Alone and with another regex rule (then the shared scan supplies the starts).
            got = [m for m in _engine_matches([rule, other], text) if m.rule == "r"]
            assert got == [m for m in expected if m.start != m.end], (pattern, flags, text)
            tried += 1
    assert tried > 5000


def test_pack_regex_rules_on_real_looking_text() -> None:
    from pathlib import Path

    pack, problems = load_pack(
        Path(__file__).resolve().parents[2] / "resources" / "rules" / "id-news"
    )
    assert not problems
    rules = [r for r in pack if r.kind == "regex"]
    assert all(RegexMatcher(r).starts is not None for r in rules)
    texts = [
        (
            "Jakarta, Sabtu (24/10/2015) pukul 10.00 WIB: sejak 2011 hingga 2015, PADA TAHUN 2014, "
            "pada 3 November 2015, Senin, 3 Nov. 2015 pukul 10.00 WIB, Oktober lalu, 25 Oktober."
        ),
        "SEJAK 2011 — Sabtu(1/2) ٣ November ٢٠١٥ 07:45 WIB, ١٢:٣٠ WITA, hİngga 2019, Jum'at (5/6).",
        "",
    ]
    for text in texts:
        got = [m for m in Engine(rules).run(text).matches]
        expected = []
        for r in rules:
            expected += _plain(RegexMatcher(r), text)
        from annotator.rules.engine import resolve

        assert got == resolve(expected), text
