"""One long article costs what the same text in pieces costs: every rule kind is linear in the
text, and each rule's deadline is checked inside its loops.

No timing here (bench/rules_big_doc.py prints the figures): results on a ~1 MB text are
compared with the results on its pieces and with the old per-name search, and the work is
counted (searches from the text's start), not timed.
"""

from __future__ import annotations

import gc
import json
import random
from pathlib import Path

import pytest

from annotator.rules import Engine, load_pack, parse_rule
from annotator.rules import engine as engine_module
from annotator.rules.doc import BUDGET_CHARS, Deadline, is_word_char
from annotator.rules.kinds.context import ContextType
from annotator.rules.kinds.occurrences import bare_occurrences_of, find_names
from annotator.rules.kinds.phrase import _pick
from annotator.rules.kinds.token import step_budget
from annotator.rules.load import edit_rule
from annotator.rules.model import Match, Rule

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "resources" / "rules" / "id-news"
SAMPLES = ROOT / "tests" / "data" / "id-news-samples"
SEP = "\n\n"


def _samples() -> list[str]:
    return [
        json.loads(line)["text"]
        for name in ("articles.jsonl", "held-out.jsonl")
        for line in (SAMPLES / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _names(n: int, rng: random.Random) -> list[str]:
    """``n`` distinct made-up capitalised names ("Rima Tokasu")."""
    syllables = ["ka", "ri", "ma", "su", "to", "no", "ha", "le", "wi", "ja", "de", "ba", "pu"]
    seen: set[str] = set()
    while len(seen) < n:
        words = [
            "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()
            for _ in range(rng.choice((1, 2, 2)))
        ]
        seen.add(" ".join(words))
    return sorted(seen)


def _piecewise(pack: list[Rule]) -> list[Rule]:
    """The pack without what reads a whole document at once (an acronym is defined once per
    document; a name seen after a title is looked for everywhere in it): the rest gives the
    same matches on a text as on its paragraphs."""
    kept = []
    for rule in pack:
        if rule.kind == "context" and rule.pattern.get("type") == ContextType.ACRONYM:
            continue
        if rule.pattern.get("repeat_names"):
            rule = edit_rule(
                rule, {"pattern": {**rule.pattern, "repeat_names": False}}, base_dir=PACK
            )
        kept.append(rule)
    return kept


def _keys(matches: list[Match]) -> list[tuple[int, int, str, str, str]]:
    return [(m.start, m.end, m.label, m.rule, m.text) for m in matches]


def test_a_1mb_article_gets_the_matches_of_its_pieces() -> None:
    pack, problems = load_pack(PACK)
    assert not problems
    engine = Engine(_piecewise(pack))  # the default time limit: it grows with the text
    pieces = _samples() * 50
    whole = SEP.join(pieces)
    assert len(whole) > 300_000
    expected: list[Match] = []
    offset = 0
    for piece in pieces:
        result = engine.run(piece)
        assert not result.failures
        expected += [m._replace(start=m.start + offset, end=m.end + offset) for m in result.matches]
        offset += len(piece) + len(SEP)
    result = engine.run(whole)
    assert result.failures == []
    assert len(expected) > 5000
    assert _keys(result.matches) == _keys(expected)


def _find_names_per_name(text: str, names: list[str]) -> list[tuple[int, int, str, str | None]]:
    """The search the engine used to make: the whole text once per name (kept as the reference)."""
    found: list[tuple[int, int, str, str | None]] = []
    for name in dict.fromkeys(n for n in names if n.strip()):
        at = text.find(name)
        while at != -1:
            end = at + len(name)
            before_ok = not (is_word_char(name[0]) and at and is_word_char(text[at - 1]))
            after_ok = not (is_word_char(name[-1]) and end < len(text) and is_word_char(text[end]))
            if before_ok and after_ok:
                found.append((at, -len(name), name, None))
            at = text.find(name, at + 1)
    return _pick(found)


def test_names_in_a_1mb_text_are_found_as_the_per_name_search_found_them() -> None:
    rng = random.Random(7)
    names = _names(2500, rng)
    words = ["dan", "kata", "Budi", "di", "yang", "-", "Rima"] + names
    text = " ".join(
        rng.choice(words) + rng.choice(("", "", "an", ".", "\n")) for _ in range(150_000)
    )
    assert len(text) > 1_000_000
    wanted = rng.sample(names, 2000) + ["Budi", "Rima", "an di"]
    assert find_names(text, wanted) == _find_names_per_name(text, wanted)


def test_bare_acronyms_in_a_1mb_text_match_one_search_per_acronym() -> None:
    rng = random.Random(8)
    acronyms = sorted(
        {"".join(rng.choices("ABCDEFGHKLMPRST", k=rng.randint(2, 5))) for _ in range(600)}
    )
    pieces = ["dan", "(", ")", "x", "1", "\n"] + acronyms
    text = " ".join(rng.choice(pieces) + rng.choice(("", "", "s", "-")) for _ in range(200_000))
    found = bare_occurrences_of(text, acronyms)
    for acronym, places in zip(acronyms, found, strict=True):
        # The lookaround pattern, by str.find: no letter or digit on either side.
        expected = []
        at = text.find(acronym)
        while at != -1:
            end = at + len(acronym)
            if (at == 0 or not text[at - 1].isalnum()) and (
                end >= len(text) or not text[end].isalnum()
            ):
                expected.append(at)
                at = text.find(acronym, end)
            else:
                at = text.find(acronym, at + 1)
        assert places == expected, acronym


class _CountingText(str):
    """A text that counts the searches starting at its beginning (``find`` with no start)."""

    scans_from_start = 0

    def find(self, sub: str, *args: int | None) -> int:  # type: ignore[override]
        if not args:
            type(self).scans_from_start += 1
        return super().find(sub, *args)


def _article(names: list[str], acronyms: list[tuple[str, str]], rng: random.Random) -> str:
    sentences = []
    for name in names:
        sentences.append(f'"Kami siap," ujar {name} kepada wartawan.')
        sentences.append(f"Menurut dia, {name} hadir di kantor.")
    for long_form, acronym in acronyms:
        sentences.append(f"Pegawai {long_form} ({acronym}) datang. Kata {acronym} itu benar.")
    rng.shuffle(sentences)
    return "\n".join(sentences)


def _scans(text: str) -> tuple[int, int]:
    """(searches from the text's start, matches) of the pack on ``text``."""
    pack, _ = load_pack(PACK)
    _CountingText.scans_from_start = 0
    result = Engine(pack, timeout_s=60).run(_CountingText(text))
    return _CountingText.scans_from_start, len(result.matches)


def test_the_searches_over_the_whole_text_do_not_grow_with_the_names_in_it() -> None:
    # The same article shape with 20 or 2,000 distinct names and 5 or 500 acronyms: the
    # per-name search read the whole text once per name and per acronym (names x length).
    rng = random.Random(9)
    names = _names(2000, rng)
    letters = "ABCDEFGHKLMNPRSTUW"
    acronyms = []
    for k in range(500):
        words = ["".join(rng.choices("kmrstaeiou", k=5)).capitalize() for _ in range(3)]
        acronyms.append((" ".join(words), "".join(w[0] for w in words) + letters[k % len(letters)]))
    few = _article(names[:20] * 100, acronyms[:5] * 100, random.Random(1))
    many = _article(names, acronyms, random.Random(1))
    few_scans, few_matches = _scans(few)
    many_scans, many_matches = _scans(many)
    assert many_matches > 3000 and few_matches > 1000  # the rules did find the names
    assert many_scans == few_scans


def test_a_rule_past_its_deadline_stops_inside_its_loop_and_the_others_go_on() -> None:
    rng = random.Random(10)
    names = _names(3000, rng)
    text = _article(names, [("Badan Sar Nasional", "BSN")] * 200, rng) + " 1234 5678" * 20_000
    after_title = parse_rule(
        {
            "name": "speaker",
            "label": "PERSON",
            "kind": "context",
            "pattern": {"type": "after_trigger", "triggers": ["ujar"], "repeat_names": True},
        }
    )
    acronym = parse_rule(
        {"name": "acronym", "label": "ORG", "kind": "context", "pattern": {"type": "acronym"}}
    )
    # Tried at each of its 40,000 literal starts (digits), refused at every one.
    regex = parse_rule(
        {
            "name": "year-range",
            "label": "DATE",
            "kind": "regex",
            "pattern": {"regex": r"\d{4}-\d{4}"},
        }
    )
    phrase = parse_rule(
        {"name": "agency", "label": "ORG", "kind": "phrase", "pattern": {"terms": ["Badan Sar"]}}
    )
    engine = Engine([after_title, acronym, regex, phrase], timeout_s=1e-9)
    result = engine.run(text)
    assert sorted(f.rule for f in result.failures) == ["acronym", "speaker", "year-range"]
    assert all(f.reason.startswith("stopped after") for f in result.failures)
    assert {m.rule for m in result.matches} == {"agency"}
    assert len(result.matches) == 200
    # With time enough, the same rules all finish.
    finished = Engine([after_title, acronym, regex, phrase], timeout_s=60).run(text)
    assert finished.failures == []
    assert {"acronym", "speaker"} <= {m.rule for m in finished.matches}


def test_the_budgets_grow_with_the_text_beyond_an_article() -> None:
    assert Deadline.for_text(0.2, "x" * 5000).limit == 0.2
    assert Deadline.for_text(0.2, "x" * BUDGET_CHARS).limit == 0.2
    assert Deadline.for_text(0.2, "x" * (10 * BUDGET_CHARS)).limit == 2.0
    assert step_budget(800) == step_budget(1000)
    assert step_budget(150_000) == 150 * step_budget(1000)


def test_a_long_run_pauses_the_garbage_collector_and_restores_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Everything a run allocates lives to its end: full collections during a 1 MB run walked
    # them all again and again (a quarter of its time), so a long run pauses the collector.
    pack, _ = load_pack(PACK)
    engine = Engine(pack, timeout_s=60)
    text = SEP.join(_samples() * 150)
    assert len(text) > 300_000
    collections: list[int] = []

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(record)
    try:
        assert gc.isenabled()
        engine.run(text)
        # At most the one that catches up once the collector is back on.
        assert len(collections) <= 1
        assert gc.isenabled()
        gc.disable()  # someone else's choice is left as it is
        engine.run(text)
        assert not gc.isenabled()
        gc.enable()
        # Not paused (as for a short text), the same run sets off many collections.
        monkeypatch.setattr(engine_module, "_PAUSE_GC_CHARS", len(text) + 1)
        collections.clear()
        engine.run(text)
        assert len(collections) > 10
    finally:
        gc.enable()
        gc.callbacks.remove(record)
