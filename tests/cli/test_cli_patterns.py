"""Match-pattern files through `annotator rules import/export`, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import annotator

DATA = Path(__file__).parent.parent / "data" / "prodigy-jsonl"


def test_a_prodigy_pattern_file_imports_as_rules_that_suggest(isolated_env, tmp_path):
    db = tmp_path / "p.sqlite"
    article = tmp_path / "a.txt"
    article.write_text("Menlu bertemu delegasi Afghanistan dan Republic of Estonia.\n", "utf-8")
    done = annotator(db, "rules", "import", str(DATA / "patterns_countries-GPE.jsonl"))
    assert done.returncode == 0, done.stderr
    assert "rules: 3 added, 0 replaced from 1010 patterns, 0 refused" in done.stdout
    assert "new labels: GPE" in done.stdout
    assert annotator(db, "import", str(article)).returncode == 0
    # Only the pattern pack's rules (the default pack knows the countries too, as LOC).
    pack = str(DATA / "patterns_countries-GPE.jsonl")
    assert annotator(db, "suggest", "--pack", pack).returncode == 0
    listed = annotator(db, "suggestions", "--json")
    found = {(s["text"], s["label"]) for s in json.loads(listed.stdout)}
    assert {("Afghanistan", "GPE"), ("Republic of Estonia", "GPE")} <= found

    again = annotator(db, "rules", "import", str(DATA / "patterns_countries-GPE.jsonl"))
    assert "rules: 0 added, 0 replaced" in again.stdout  # same names, same rules: not doubled
    listed_rules = annotator(db, "rules").stdout.splitlines()
    assert sum("patterns_countries-GPE-GPE" in line for line in listed_rules) == 3


def test_rules_export_as_patterns_warns_and_exits_3_for_what_it_leaves_out(isolated_env, tmp_path):
    spacy = pytest.importorskip("spacy")
    db = tmp_path / "p.sqlite"
    out = tmp_path / "patterns.jsonl"
    assert annotator(db, "labels").returncode == 0  # a new database with the default pack
    done = annotator(db, "rules", "export", str(out), "--format", "patterns")
    assert done.returncode == 3, done.stderr
    assert "warning: rule " in done.stderr and "has no pattern form, left out" in done.stderr
    assert "Traceback" not in done.stderr
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert done.stdout.strip() == f"exported {len(lines)} patterns to {out}"
    nlp = spacy.blank("id")
    nlp.add_pipe("entity_ruler").add_patterns(lines)
    doc = nlp("Presiden Joko Widodo tiba di Jakarta pada hari Senin.")
    assert ("Senin", "DATE") in {(e.text, e.label_) for e in doc.ents}


def test_a_bad_pattern_line_is_refused_with_its_line_and_the_rest_load(isolated_env, tmp_path):
    db = tmp_path / "p.sqlite"
    patterns = tmp_path / "p.jsonl"
    patterns.write_text(
        '{"label": "LOC", "pattern": "Bogor"}\n{"label": "LOC", "pattern": [{"LEMMA": "kota"}]}\n',
        "utf-8",
    )
    done = annotator(db, "rules", "import", str(patterns))
    assert done.returncode == 1
    assert f"refused: {patterns}:2: token 0: LEMMA is not something our token rules test" in (
        done.stderr
    )
    assert "rules: 1 added, 0 replaced from 2 patterns, 1 refused" in done.stdout
