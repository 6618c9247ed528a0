"""The rule and suggestion commands, as a user runs them."""

from __future__ import annotations

import json

import pytest

from annotator.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(isolated_env, db_path, seed_path, capsys) -> str:
    run(capsys, "--db", str(db_path), "import", str(seed_path))
    return str(db_path)


def _suggestions(capsys, db, *extra):
    code, out, _ = run(capsys, "--db", db, "suggestions", *extra, "--json")
    assert code == 0
    return json.loads(out)


def test_suggest_then_list_pending_suggestions_as_json(capsys, db):
    code, out, _ = run(capsys, "--db", db, "suggest")
    assert code == 0 and "suggested over 1 document" in out
    items = _suggestions(capsys, db)
    assert {"id", "doc", "start", "end", "label", "text", "rule"} <= set(items[0])
    assert {(i["text"], i["label"]) for i in items} >= {
        ("Sergey Lavrov", "PERSON"),
        ("MOSKOW", "LOC"),
    }
    code, out, _ = run(capsys, "--db", db, "suggestions", "1")
    assert out.splitlines()[0].split("\t") == ["id", "doc", "start", "end", "label", "text", "rule"]


def test_accept_reject_and_reject_everywhere(capsys, db):
    run(capsys, "--db", db, "suggest")
    items = _suggestions(capsys, db)
    lavrov = next(i for i in items if i["text"] == "Sergey Lavrov")
    mesir = next(i for i in items if i["text"] == "Mesir")
    code, out, _ = run(capsys, "--db", db, "accept", str(lavrov["id"]))
    assert code == 0 and "1 new span" in out
    code, out, _ = run(capsys, "--db", db, "reject", str(mesir["id"]), "--everywhere")
    assert code == 0 and "everywhere" in out
    code, out, _ = run(capsys, "--db", db, "rules", "show", mesir["rule"])
    assert "Mesir" in json.loads(out)["exceptions"]
    run(capsys, "--db", db, "suggest")
    assert "Mesir" not in {i["text"] for i in _suggestions(capsys, db)}
    code, out, _ = run(capsys, "--db", db, "spans", "1")
    assert "Sergey Lavrov\trule\t" in out
    code, _, err = run(capsys, "--db", db, "accept", "99999")
    assert code == 2 and "no suggestion with id 99999" in err


def test_accept_by_rule(capsys, db):
    run(capsys, "--db", db, "suggest")
    dates = [i for i in _suggestions(capsys, db) if i["rule"] == "date-day-ddmm"]
    code, out, _ = run(capsys, "--db", db, "accept", "--rule", "date-day-ddmm")
    assert code == 0 and f"{len(dates)} new spans" in out
    assert not [i for i in _suggestions(capsys, db) if i["rule"] == "date-day-ddmm"]


def test_rules_list_stats_export_import_test(capsys, db, tmp_path):
    code, out, _ = run(capsys, "--db", db, "rules", "list")
    assert "quote-attributed\tQUOTE\tcontext" in out
    run(capsys, "--db", db, "suggest")
    code, out, _ = run(capsys, "--db", db, "rules", "stats", "--json")
    stats = {s["rule"]: s for s in json.loads(out)}
    assert stats["quote-attributed"]["suggested"] == 2
    pack = tmp_path / "mine.jsonl"
    pack.write_text(
        json.dumps(
            {
                "name": "kremlin",
                "label": "ORG",
                "kind": "phrase",
                "pattern": {"terms": ["Kremlin", "Al Jazeera"]},
            }
        )
        + "\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--db", db, "rules", "test", str(pack), "1")
    assert code == 0 and "\tORG\tAl Jazeera\tkremlin\t" in out
    code, out, _ = run(capsys, "--db", db, "rules", "list")
    assert "kremlin" not in out  # testing stores nothing
    code, out, _ = run(capsys, "--db", db, "rules", "import", str(pack))
    assert code == 0 and "1 added" in out
    exported = tmp_path / "back.jsonl"
    run(capsys, "--db", db, "rules", "export", str(exported), "--rule", "kremlin")
    assert json.loads(exported.read_text())["pattern"]["terms"] == ["Kremlin", "Al Jazeera"]


def test_a_bad_rule_file_is_reported_with_file_line_and_position(capsys, db, tmp_path):
    pack = tmp_path / "bad.jsonl"
    pack.write_text(
        json.dumps({"name": "ok", "label": "LOC", "kind": "phrase", "pattern": {"terms": ["X"]}})
        + "\n"
        + json.dumps({"name": "r", "label": "DATE", "kind": "regex", "pattern": {"regex": "a(b"}})
        + "\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--db", db, "rules", "import", str(pack))
    assert code == 1
    assert f"{pack}:2:" in err and "position" in err and "Traceback" not in err
    assert "1 added" in out


def test_remember_and_forget(capsys, db):
    run(capsys, "--db", db, "suggest")
    items = _suggestions(capsys, db)
    jazeera = next(i for i in items if i["text"] == "Al Jazeera")
    run(capsys, "--db", db, "accept", str(jazeera["id"]))
    code, out, _ = run(capsys, "--db", db, "spans", "1", "--json")
    span = next(s for s in json.loads(out) if s["text"] == "Al Jazeera")
    code, out, _ = run(capsys, "--db", db, "remember", str(span["id"]))
    assert code == 0
    code, out, _ = run(capsys, "--db", db, "rules", "show", "learned-ORG")
    assert json.loads(out)["pattern"]["terms"] == ["Al Jazeera"]
    code, out, _ = run(capsys, "--db", db, "rules", "forget", "ORG", "Al Jazeera")
    assert code == 0
    code, out, _ = run(capsys, "--db", db, "rules", "show", "learned-ORG")
    assert json.loads(out)["pattern"]["terms"] == []


def test_suggest_with_another_pack_runs_only_that_pack(capsys, db, tmp_path):
    english = tmp_path / "en.txt"
    english.write_text(
        "Secretary of State John Kerry met Sergey Lavrov in Moscow on Monday. "
        '"We are ready," Lavrov said.',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--db", db, "import", str(english))
    code, out, err = run(capsys, "--db", db, "suggest", "2", "--pack", "en-news")
    assert code == 0, err
    assert "loaded rule pack en-news" in out
    items = _suggestions(capsys, db, "2")
    code, out, _ = run(capsys, "--db", db, "rules", "list")
    en_rules = {line.split("\t")[0] for line in out.splitlines() if line.endswith("\ten-news")}
    assert items and {i["rule"] for i in items} <= en_rules
    assert ("Moscow", "LOC") in {(i["text"], i["label"]) for i in items}
    code, out, _ = run(capsys, "--db", db, "suggest", "2", "--pack", "en-news")
    assert "loaded rule pack" not in out
