"""The engine: stages, conflict policy, exceptions, disabled rules, preview."""

from __future__ import annotations

from annotator.rules import Engine, Match, parse_rule, preview, resolve


def phrase(name: str, terms: list[str], label: str, **extra) -> object:
    return parse_rule(
        {"name": name, "label": label, "kind": "phrase", "pattern": {"terms": terms}, **extra}
    )


def m(
    start: int,
    end: int,
    label: str,
    priority: int = 0,
    rule: str = "r",
    allow_overlap: bool = False,
) -> Match:
    return Match(start, end, label, "x" * (end - start), rule, 1, "", priority, allow_overlap)


def test_resolve_priority_then_longest_then_earliest():
    assert resolve([m(0, 10, "ORG"), m(5, 8, "LOC", priority=5)]) == [m(5, 8, "LOC", priority=5)]
    assert resolve([m(0, 4, "LOC"), m(0, 10, "ORG")]) == [m(0, 10, "ORG")]
    assert resolve([m(3, 7, "LOC"), m(0, 4, "ORG")]) == [m(0, 4, "ORG")]


def test_resolve_overlap_of_different_labels_allowed_when_a_rule_says_so():
    quote, loc = m(0, 30, "QUOTE", allow_overlap=True), m(5, 7, "LOC")
    assert resolve([loc, quote]) == [quote, loc]
    same_label = m(2, 9, "QUOTE")
    assert resolve([quote, same_label]) == [quote]


def test_resolve_identical_span_keeps_higher_priority_rule():
    low, high = m(0, 5, "LOC", 1, "low"), m(0, 5, "LOC", 9, "high")
    assert resolve([low, high]) == [high]


def test_resolver_is_swappable():
    keep_all = Engine(
        [phrase("a", ["Korea Selatan"], "LOC"), phrase("b", ["Korea"], "ORG")],
        resolver=lambda ms: sorted(ms, key=lambda x: x.start),
    )
    assert len(keep_all.run("Korea Selatan").matches) == 2


def test_nested_org_and_loc_with_allow_overlap():
    org = phrase("orgs", ["Universitas Indonesia"], "ORG", allow_overlap=True)
    loc = phrase("places", ["Indonesia"], "LOC")
    result = Engine([org, loc]).run("di Universitas Indonesia")
    assert [(x.text, x.label) for x in result.matches] == [
        ("Universitas Indonesia", "ORG"),
        ("Indonesia", "LOC"),
    ]


def test_exceptions_drop_the_rejected_text_only():
    r = phrase("places", ["Georgia", "Iran"], "LOC", exceptions=["Georgia"])
    result = Engine([r]).run("Georgia dan Iran; GEORGIA")
    assert [x.text for x in result.matches] == ["Iran"]
    r2 = r.without_exception("Georgia")
    assert r2.version == r.version + 1
    assert [x.text for x in Engine([r2]).run("Georgia").matches] == ["Georgia"]
    assert r2.with_exception("Georgia").exceptions == ("Georgia",)


def test_disabled_rules_are_skipped():
    r = phrase("places", ["Iran"], "LOC", enabled=False)
    assert Engine([r]).run("Iran").matches == []


def test_every_match_carries_rule_name_version_and_explanation():
    r = phrase("countries", ["Amerika Serikat"], "LOC", version=3)
    (match,) = Engine([r]).run("Amerika Serikat").matches
    assert (match.rule, match.rule_version) == ("countries", 3)
    assert match.explanation == 'phrase "Amerika Serikat" in gazetteer countries'
    s = match.to_suggestion()
    assert (s.start, s.end, s.label, s.text, s.rule, s.rule_version) == (
        0,
        15,
        "LOC",
        "Amerika Serikat",
        "countries",
        3,
    )


def test_preview_one_unsaved_rule_with_context():
    places = phrase("places", ["Bandung"], "LOC")
    edited = parse_rule(
        {
            "name": "from-place",
            "label": "ORIGIN",
            "kind": "token",
            "pattern": {"tokens": [{"LOWER": "dari"}, {"LABEL": "LOC"}]},
        }
    )
    result = preview(edited, "pulang dari Bandung", context=[places])
    assert [(x.text, x.label) for x in result.matches] == [("dari Bandung", "ORIGIN")]
    engine = Engine([places])
    assert [x.text for x in engine.preview(edited, "dari Bandung").matches] == ["dari Bandung"]


def test_engine_reuses_compiled_matchers():
    from annotator.rules.engine import compile_rule

    a = phrase("places", ["Iran"], "LOC")
    b = phrase("places", ["Iran"], "LOC")
    assert compile_rule(a) is compile_rule(b)


def test_compiled_gazetteers_are_dropped_oldest_first_past_the_term_budget(monkeypatch):
    from annotator.rules import engine

    monkeypatch.setattr(engine, "_CACHE_TERMS", 25)
    engine._CACHE.clear()
    rules = [phrase(f"big-{k}", [f"Term{k}x{i}" for i in range(10)], "LOC") for k in range(3)]
    first = engine.compile_rule(rules[0])
    engine.compile_rule(rules[1])
    assert engine.compile_rule(rules[0]) is first  # 20 terms cached: still within the budget
    engine.compile_rule(rules[2])  # 30 terms: the first compiled goes
    assert engine._cache_key(rules[0]) not in engine._CACHE
    assert engine._cache_key(rules[1]) in engine._CACHE
    assert sum(m.gazetteer.size for m in engine._CACHE.values()) <= 25
    assert engine.compile_rule(rules[2]) is engine.compile_rule(rules[2])
    lone = phrase("huge", [f"Huge{i}" for i in range(40)], "LOC")
    assert engine.compile_rule(lone) is engine.compile_rule(lone)  # over budget alone: kept


def test_an_exception_does_not_rebuild_the_compiled_rule_and_versions_stay_current():
    from annotator.rules.engine import _CACHE

    rule = phrase("cities", ["Jakarta", "Bandung"], "LOC")
    Engine([rule]).run("di Jakarta")
    size = len(_CACHE)
    edited = rule.with_exception("Jakarta")
    result = Engine([edited]).run("di Jakarta dan Bandung")
    assert len(_CACHE) == size
    assert [(m.text, m.rule_version) for m in result.matches] == [("Bandung", edited.version)]


def test_a_name_seen_after_a_title_is_not_repeated_inside_a_longer_name():
    from annotator.rules import parse_rule

    rule = parse_rule(
        {
            "name": "after-title",
            "label": "PERSON",
            "kind": "context",
            "pattern": {"type": "after_trigger", "triggers": ["Kapolri"], "repeat_names": True},
        }
    )
    text = "Kapolri Budi datang .\nIa ingin menemui Budi Gunawan . Lalu Budi pulang ."
    got = [(m.start, m.text) for m in Engine([rule]).run(text).matches]
    assert (8, "Budi") in got
    assert (text.index("Budi Gunawan"), "Budi") not in got
    assert (text.rindex("Budi"), "Budi") in got
