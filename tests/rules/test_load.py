"""Rules as data: validation messages, packs, save/load round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.rules import RuleError, dump_rule, load_pack, parse_rule, save_pack
from annotator.rules.load import edit_rule

LABELS = {"PERSON", "ORG", "LOC", "DATE", "ROLE", "QUOTE"}


def error(obj: dict, **kw) -> RuleError:
    with pytest.raises(RuleError) as info:
        parse_rule(obj, source="pack.jsonl", line=7, **kw)
    assert info.value.exit_code == 1
    return info.value


def base(kind: str, pattern: dict, **extra) -> dict:
    return {"name": "r1", "label": "LOC", "kind": kind, "pattern": pattern, **extra}


def test_unknown_top_level_key():
    e = error(base("phrase", {"terms": ["Iran"]}, priorty=3))
    assert "unknown key 'priorty'" in e.reason
    assert str(e).startswith("pack.jsonl:7: rule 'r1': unknown key 'priorty'")


def test_unknown_pattern_key_and_unknown_kind():
    assert "unknown key 'term'" in error(base("phrase", {"term": ["Iran"]})).reason
    assert "unknown kind 'fuzzy'" in error(base("fuzzy", {})).reason
    assert "missing 'label'" in error({"name": "x", "kind": "phrase", "pattern": {}}).reason
    assert "priority must be int" in error(base("phrase", {"terms": ["A"]}, priority="high")).reason
    assert "enabled must be bool" in error(base("phrase", {"terms": ["A"]}, enabled=1)).reason


def test_invalid_regex_reports_position():
    e = error(base("regex", {"regex": r"\d{2}(/\d{2}"}))
    assert e.position == 12
    assert "invalid regex: missing ) at position 12" in e.reason
    assert "no group 2" in error(base("regex", {"regex": r"(a)", "group": 2})).reason
    assert "flags" in error(base("regex", {"regex": "a", "flags": ["IGNORE"]})).reason


def test_invalid_token_patterns_name_the_token_and_key():
    bad_key = error(base("token", {"tokens": [{"LOWER": "di"}, {"UPPER": "X"}]}))
    assert bad_key.reason.startswith("token 1: unknown key 'UPPER'")
    bad_op = error(base("token", {"tokens": [{"LOWER": "di", "OP": "{2}"}]}))
    assert "token 0: OP must be one of" in bad_op.reason
    bad_re = error(base("token", {"tokens": [{}, {"REGEX": "[a-"}]}))
    assert "token 1: invalid REGEX" in bad_re.reason and bad_re.position is not None
    assert "span" in error(base("token", {"tokens": [{}], "span": [0, 3]})).reason
    assert "zero tokens" in error(base("token", {"tokens": [{"OP": "*"}]})).reason
    assert (
        "IS_TITLE must be true or false"
        in error(base("token", {"tokens": [{"IS_TITLE": 1}]})).reason
    )


def test_context_parameters_are_checked():
    assert "context type must be one of" in error(base("context", {"type": "nearby"})).reason
    assert (
        "unknown parameter 'verb'"
        in error(base("context", {"type": "quote", "verb": ["x"]})).reason
    )
    assert "needs triggers" in error(base("context", {"type": "after_trigger"})).reason


def test_unknown_label_when_labels_are_known():
    e = error(base("phrase", {"terms": ["Iran"]}, label="GPE"), known_labels=LABELS)
    assert "unknown label GPE" in e.reason
    e2 = error(
        base(
            "context",
            {"type": "after_trigger", "triggers": ["Presiden"], "trigger_label": "TITLE"},
            label="PERSON",
        ),
        known_labels=LABELS,
    )
    assert "unknown label TITLE" in e2.reason


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_malformed_line_is_a_problem_and_the_others_load(tmp_path):
    good = json.dumps(base("phrase", {"terms": ["Iran"]}))
    other = json.dumps({**base("phrase", {"terms": ["Irak"]}), "name": "r2"})
    pack = write(
        tmp_path / "p.jsonl",
        [
            good,
            '{"name": "broken", ',
            "",
            other,
            json.dumps(base("regex", {"regex": "(a"}, name="r3")),
            good,
        ],
    )
    rules, problems = load_pack(pack, known_labels=LABELS)
    assert [r.name for r in rules] == ["r1", "r2"]
    assert [(p.line, p.file) for p in problems] == [(2, str(pack)), (5, str(pack)), (6, str(pack))]
    assert "not valid JSON" in problems[0].reason
    assert "invalid regex" in problems[1].reason
    assert "already defined" in problems[2].reason
    assert str(problems[0]).startswith(f"{pack}:2: not valid JSON")


def test_folder_pack_with_term_file_and_round_trip(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "countries.txt").write_text(
        "# comment\nRusia\tRussia\n\nAmerika Serikat\tUnited States\nAS\n", encoding="utf-8"
    )
    write(
        src / "a.jsonl",
        [
            json.dumps(
                base(
                    "phrase",
                    {"terms_file": "countries.txt", "terms": ["Suriah"]},
                    priority=10,
                    exceptions=["AS"],
                    description="countries",
                )
            ),
            json.dumps(
                {
                    "name": "dates",
                    "label": "DATE",
                    "kind": "regex",
                    "version": 4,
                    "pattern": {"regex": r"sejak (\d{4})", "group": 1, "flags": ["IGNORECASE"]},
                }
            ),
        ],
    )
    write(
        src / "b.jsonl",
        [
            json.dumps(
                {
                    "name": "titles",
                    "label": "PERSON",
                    "kind": "context",
                    "enabled": False,
                    "pattern": {
                        "type": "after_trigger",
                        "triggers": ["Presiden"],
                        "trigger_label": "ROLE",
                    },
                }
            ),
            json.dumps(
                {
                    "name": "tok",
                    "label": "DATE",
                    "kind": "token",
                    "allow_overlap": True,
                    "pattern": {"tokens": [{"LOWER": "pukul"}, {"SHAPE": "dd.dd"}], "span": [1, 2]},
                }
            ),
        ],
    )
    rules, problems = load_pack(src, known_labels=LABELS)
    assert problems == []
    assert rules[0].terms == (
        ("Suriah", None),
        ("Rusia", "Russia"),
        ("Amerika Serikat", "United States"),
        ("AS", None),
    )
    # dump is what was written: defaults left out, pattern unchanged
    assert dump_rule(rules[1]) == {
        "name": "dates",
        "label": "DATE",
        "kind": "regex",
        "version": 4,
        "pattern": {"regex": r"sejak (\d{4})", "group": 1, "flags": ["IGNORECASE"]},
    }
    out = tmp_path / "out"
    target = save_pack(rules, out)
    assert target == out / "rules.jsonl" and (out / "countries.txt").is_file()
    again, problems = load_pack(out)
    assert problems == [] and again == rules
    single = save_pack(rules, tmp_path / "single.jsonl", inline_terms=True)
    inline, problems = load_pack(single)
    assert problems == [] and [r.terms for r in inline] == [r.terms for r in rules]
    assert "terms_file" not in inline[0].pattern


def test_terms_file_without_pack_folder_or_missing_file(tmp_path):
    assert "needs the pack folder" in error(base("phrase", {"terms_file": "x.txt"})).reason
    e = error(base("phrase", {"terms_file": "missing.txt"}), base_dir=tmp_path)
    assert "cannot read term file" in e.reason


def test_rule_is_immutable_and_edits_bump_the_version():
    r = parse_rule(base("phrase", {"terms": ["Iran"]}))
    with pytest.raises(TypeError):
        r.pattern["terms"] = ()  # type: ignore[index]
    with pytest.raises(ValueError):
        r.edited(pattern={"terms": ["Iran", "Irak"]})
    r2 = edit_rule(r, {"pattern": {"terms": ["Iran", "Irak"]}, "priority": 4})
    assert (r2.version, r2.priority, r2.terms) == (2, 4, (("Iran", None), ("Irak", None)))
    assert parse_rule(dump_rule(r)) == r
    with pytest.raises(RuleError, match="invalid regex"):
        edit_rule(r, {"kind": "regex", "pattern": {"regex": "(("}})
