"""A large rule pattern (a tagger's model, a big term list) is logged once, by reference.

Every save of a rule logs its definition before and after it; without this, each exception
added to a tagger wrote its model (hundreds of KB) twice more into the change log.
"""

from __future__ import annotations

import json

from annotator.store.rules import BLOB_KEY, BLOB_MIN_CHARS
from annotator.workspace import Workspace, parse_rule
from tests.pg_cluster import peek

TERMS = [f"Nama{i:05d} Panjang" for i in range(3000)]  # ~60 KB of pattern


def _big_rule():
    return parse_rule(
        {"name": "big-list", "label": "PERSON", "kind": "phrase", "pattern": {"terms": TERMS}}
    )


OF_RULE = "entity = 'rule' AND entity_id = (SELECT id FROM rules WHERE name = ?)"


def _log_sizes(db_path, name: str) -> tuple[int, int]:
    with peek(db_path) as con:
        log = con.execute(
            "SELECT COALESCE(SUM(LENGTH(CAST(before AS TEXT))), 0) "
            "+ COALESCE(SUM(LENGTH(CAST(after AS TEXT))), 0) "
            f"FROM change_log WHERE {OF_RULE}",
            (name,),
        ).fetchone()[0]
        blobs = con.execute("SELECT COUNT(*) FROM rule_blobs").fetchone()[0]
    return log, blobs


def test_exceptions_on_a_big_rule_log_its_pattern_once(db_path):
    pattern_chars = len(json.dumps({"terms": TERMS}))
    assert pattern_chars > BLOB_MIN_CHARS
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.save_rule(_big_rule())
        for i in range(20):
            ws.save_rule(ws.rule("big-list").with_exception(f"Nama{i:05d} Panjang"))
    log_chars, blobs = _log_sizes(db_path, "big-list")
    assert blobs == 1  # the same pattern, kept once
    # 21 saves, 41 logged definitions: without references that is 41 copies of the pattern.
    assert log_chars < pattern_chars / 2
    with peek(db_path) as con:
        after = json.loads(
            con.execute(
                f"SELECT after FROM change_log WHERE {OF_RULE} ORDER BY id DESC LIMIT 1",
                ("big-list",),
            ).fetchone()[0]
        )
    assert set(after["definition"]["pattern"]) == {BLOB_KEY}


def test_undo_and_redo_put_the_whole_pattern_back(db_path):
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.save_rule(_big_rule())
        ws.save_rule(ws.rule("big-list").with_exception("Nama00001 Panjang"))
        ws.undo()
        rule = ws.rule("big-list")
        assert rule.exceptions == () and len(rule.pattern["terms"]) == len(TERMS)
        ws.redo()
        rule = ws.rule("big-list")
        assert rule.exceptions == ("Nama00001 Panjang",)
        assert list(rule.pattern["terms"]) == TERMS
        ws.undo()
        ws.undo()  # the first save: the rule goes
        assert "big-list" not in {r.name for r in ws.rules()}
        ws.redo()
        assert list(ws.rule("big-list").pattern["terms"]) == TERMS


def test_a_small_rule_is_logged_whole(db_path):
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.save_rule(
            parse_rule(
                {"name": "few", "label": "LOC", "kind": "phrase", "pattern": {"terms": ["A"]}}
            )
        )
    with peek(db_path) as con:
        after = json.loads(
            con.execute(f"SELECT after FROM change_log WHERE {OF_RULE}", ("few",)).fetchone()[0]
        )
    assert after["definition"]["pattern"] == {"terms": ["A"]}
    assert _log_sizes(db_path, "few")[0] < 1000
