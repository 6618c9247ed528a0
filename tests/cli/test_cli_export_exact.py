"""``annotator export`` says which spans a format could not hold exactly and exits 3
(EXIT_CHANGED), as a real process; a clean export exits 0; --scheme and --conllu-key reach
the writers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli_transfer import EXIT_CHANGED
from tests.cli.conftest import annotator

TEXT = "Presiden Joko Widodo bertemu Uber’s CEO di AS-Rusia."
SPANS = [  # ROLE contains PERSON: one of them cannot be a CoNLL tag
    {"start": 0, "end": 20, "label": "ROLE"},
    {"start": 9, "end": 20, "label": "PERSON"},
    {"start": 29, "end": 33, "label": "ORG"},
    {"start": 43, "end": 45, "label": "LOC"},
    {"start": 46, "end": 51, "label": "LOC"},
]


@pytest.fixture
def db(isolated_env: object, db_path: Path, tmp_path: Path) -> Path:
    source = tmp_path / "in.jsonl"
    records = [
        {"id": "a-1", "title": "Satu", "text": TEXT, "spans": SPANS},
        {"id": "a-2", "title": "Dua", "text": "Kata Joko. Widodo pergi.", "spans": [
            {"start": 5, "end": 17, "label": "PERSON"}]},
    ]  # fmt: skip
    source.write_text("".join(json.dumps(r) + "\n" for r in records), "utf-8")
    result = annotator(db_path, "import", str(source))
    assert result.returncode == 0, result.stderr
    return db_path


def test_conll_export_with_an_overlap_warns_per_span_and_exits_3(db: Path, tmp_path: Path):
    out = tmp_path / "o.conll"
    result = annotator(db, "export", "--format", "conll", "--out", str(out), "--scheme", "bioes")
    assert result.returncode == EXIT_CHANGED == 3, result.stderr
    assert (
        "warning: document a-1 “Satu”: PERSON 9-20 'Joko Widodo': left out of CoNLL: "
        "it overlaps ROLE 0-20" in result.stderr
    )
    assert "1 span could not be written exactly in conll" in result.stderr
    assert "Traceback" not in result.stderr
    lines = out.read_text("utf-8").splitlines()
    # Exact spans in BIOES: "Uber" split off "’s", "AS" and "Rusia" apart; a span across
    # a sentence stop keeps its sentence whole.
    for row in ("Uber\tS-ORG", "’s\tO", "AS\tS-LOC", "-\tO", "Rusia\tS-LOC", "Widodo\tE-ROLE"):
        assert row in lines
    assert lines[-6:] == [
        "Joko\tB-PERSON",
        ".\tI-PERSON",
        "Widodo\tE-PERSON",
        "pergi\tO",
        ".\tO",
        "",
    ]


def test_export_without_changes_exits_0(db: Path, tmp_path: Path):
    out = tmp_path / "o.conllu"
    result = annotator(
        db, "export", "--format", "conllu", "--out", str(out), "--conllu-key", "NER",
        "--label", "LOC", "--label", "ORG",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    text = out.read_text("utf-8")
    assert "# newdoc id = a-1" in text
    assert "\tNER=B-LOC|SpaceAfter=No\n" in text and "\tRusia\t" in text


def test_help_documents_exit_status_3_and_the_options():
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "export", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Exit status 3" in " ".join(result.stdout.split())
    assert "--scheme {iob1,iob2,bioes}" in result.stdout and "--conllu-key KEY" in result.stdout
