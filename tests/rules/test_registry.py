"""Rule kinds come from the registry alone; the fast Match constructor keeps up with Match."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

import pytest

from annotator.rules import Engine, RuleError, dump_rule, model, parse_rule
from annotator.rules.doc import Deadline, Doc
from annotator.rules.engine import compile_rule
from annotator.rules.kinds import KINDS
from annotator.rules.kinds.context import PARAMS, TYPES, ContextMatcher, ContextType
from annotator.rules.kinds.registry import Field, Kind, RuleKind, is_second_stage, needs_one_of
from annotator.rules.model import Match, PatternError, Rule, match_maker


class WordsMatcher:
    """A toy kind: every occurrence of the pattern's words, as they stand."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.make = match_maker(rule)

    def __call__(self, doc: Doc, deadline: Deadline) -> list[Match]:
        out = []
        for word in self.rule.pattern["words"]:
            at = doc.text.find(word)
            while at != -1:
                out.append(self.make(at, at + len(word), self.rule.label, word, f"word {word}"))
                at = doc.text.find(word, at + 1)
        return out


def _words(value: Any, pattern: Mapping[str, Any]) -> None:
    if not isinstance(value, (list, tuple)) or not all(isinstance(w, str) and w for w in value):
        raise PatternError("words must be a list of non-empty strings")


TOY = RuleKind(
    name="words",
    matcher=WordsMatcher,
    fields={"words": Field(_words), "late": Field()},
    needs=(needs_one_of("words", message="a words pattern needs words"),),
    second_stage=lambda pattern: bool(pattern.get("late")),
)


@pytest.fixture
def toy_kind(monkeypatch: pytest.MonkeyPatch) -> RuleKind:
    monkeypatch.setitem(KINDS, "words", TOY)
    return TOY


def toy(pattern: dict, **extra: Any) -> dict:
    return {"name": "toy", "label": "LOC", "kind": "words", "pattern": pattern, **extra}


def reason(obj: dict) -> str:
    with pytest.raises(RuleError) as info:
        parse_rule(obj, source="pack.jsonl", line=3)
    return str(info.value)


def test_an_unregistered_kind_is_refused() -> None:
    assert "unknown kind 'words' (known: phrase, regex, token, context, tagger)" in reason(
        toy({"words": ["Aceh"]})
    )


def test_a_registered_kind_is_validated_by_its_entry(toy_kind: RuleKind) -> None:
    assert "(known: phrase, regex, token, context, tagger, words)" in reason(toy({}, kind="fuzzy"))
    assert reason(toy({"word": ["x"]})) == (
        "pack.jsonl:3: rule 'toy': unknown key 'word' in a words pattern (known: late, words)"
    )
    assert reason(toy({})).endswith("a words pattern needs words")
    assert reason(toy({"words": [""]})).endswith("words must be a list of non-empty strings")


def test_a_registered_kind_loads_saves_and_matches(toy_kind: RuleKind) -> None:
    rule = parse_rule(toy({"words": ["Aceh", "Bali"]}))
    assert parse_rule(json.loads(json.dumps(dump_rule(rule)))) == rule
    assert isinstance(compile_rule(rule), WordsMatcher)
    assert not is_second_stage(rule)
    found = Engine([rule]).run("Aceh dan Bali, lalu Aceh").matches
    assert [(m.start, m.end, m.text, m.rule) for m in found] == [
        (0, 4, "Aceh", "toy"),
        (9, 13, "Bali", "toy"),
        (20, 24, "Aceh", "toy"),
    ]
    late = parse_rule(toy({"words": ["Bali"], "late": True}, name="late"))
    assert is_second_stage(late)
    assert [m.text for m in Engine([late]).run("Bali").matches] == ["Bali"]


def test_the_built_in_kinds_keep_their_stored_names() -> None:
    assert [str(k) for k in Kind] == ["phrase", "regex", "token", "context", "tagger"]
    assert list(KINDS) == ["phrase", "regex", "token", "context", "tagger"]
    rule = parse_rule(
        {"name": "r", "label": "LOC", "kind": Kind.PHRASE, "pattern": {"terms": ["A"]}}
    )
    assert json.dumps(dump_rule(rule)["kind"]) == '"phrase"'
    assert [str(t) for t in ContextType] == ["after_trigger", "acronym", "quote"]


def test_every_context_type_has_parameters_and_a_run() -> None:
    assert set(PARAMS) == set(TYPES)
    for kind in ContextType:
        pattern = {"type": str(kind), "triggers": ["Presiden"]} if kind == "after_trigger" else {}
        rule = parse_rule(
            {
                "name": "c",
                "label": "PERSON",
                "kind": "context",
                "pattern": {"type": kind, **pattern},
            }
        )
        assert ContextMatcher(rule)(Doc("Presiden Joko"), Deadline(1.0)) is not None


def test_match_maker_builds_the_same_match_as_the_constructor() -> None:
    rule = parse_rule(
        {
            "name": "r",
            "label": "LOC",
            "kind": "phrase",
            "pattern": {"terms": ["A"]},
            "priority": 4,
            "version": 2,
            "allow_overlap": True,
        }
    )
    made = match_maker(rule)(3, 5, "ORG", "Ab", "why")
    assert made == Match(3, 5, "ORG", "Ab", "r", 2, "why", priority=4, allow_overlap=True)
    assert type(made) is Match and made._asdict()["allow_overlap"] is True


def test_a_field_added_to_match_without_updating_match_maker_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Extended(NamedTuple):
        start: int
        end: int
        label: str
        text: str
        rule: str
        rule_version: int
        explanation: str
        priority: int = 0
        allow_overlap: bool = False
        score: float = 1.0

    monkeypatch.setattr(model, "Match", Extended)
    with pytest.raises(TypeError, match="match_maker is out of date"):
        model._check_match_maker()


def test_no_method_is_chosen_by_building_its_name() -> None:
    import re
    from pathlib import Path

    import annotator.rules

    built = re.compile(r"getattr\(\s*self\s*,\s*(f[\"']|[\"'][^\"']*[\"']\s*\+)")
    root = Path(annotator.rules.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in sorted(root.rglob("*.py"))
        if built.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
