"""`annotator agreement` as a user runs it: the table, the pair matrix, KWIC lines, the CSV."""

from __future__ import annotations

import csv

from annotator.workspace import Workspace
from tests.cli.conftest import annotator
from tests.workspace.agreement_corpus import team_corpus


def _team_db(db_path):
    with Workspace.open(db_path, annotator="tester") as ws:
        return team_corpus(ws)


def test_agreement_prints_table_matrix_and_disagreements_and_writes_csv(db_path, tmp_path):
    ids = _team_db(db_path)
    out_csv = tmp_path / "agreement.csv"
    done = annotator(db_path, "agreement", "--csv", str(out_csv), "--disagreements", "2")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0] == "3 annotators (ana, budi, citra), 3 documents shared by at least two"
    header = lines[2].split()
    assert header[:2] == ["label", "pair"] and "alpha" in header
    overall = next(line for line in lines if line.startswith("overall") and "ana / budi" in line)
    # ana / budi: 4 exact matches of 6 and 5 spans -> F1 8/11
    assert "0.727" in overall and "ana=6 budi=5" in overall
    assert "pair matrix (overall exact F1 / Cohen kappa)" in lines
    assert "disagreements (2 of 6)" in lines
    assert f"#{ids[0]} Berita 1 [0:4] ana=- budi=- citra=PERSON" in lines
    assert "    [Joko] Widodo bertemu Prabowo di Jakarta pada " in lines  # 40 characters
    with out_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_key = {(row["label"], row["pair"]): row for row in rows}
    assert by_key[("overall", "ana / budi")]["exact F1"] == "0.727"
    assert by_key[("overall", "all")]["documents"] == "2"
    assert by_key[("overall", "ana / budi")]["Fleiss kappa"] == "n/a"  # only for all three
    labels = {row["label"] for row in rows}
    assert labels == {"PERSON", "LOC", "ORG", "overall"}
    assert all(cell not in ("nan", "") for row in rows for cell in row.values())


def test_agreement_label_filter_and_undefined_figures_say_na(db_path, tmp_path):
    _team_db(db_path)
    out_csv = tmp_path / "date.csv"
    done = annotator(
        db_path, "agreement", "--label", "DATE", "--annotators", "ana,budi", "--csv", str(out_csv)
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    assert [(row["label"], row["pair"]) for row in rows] == [
        ("DATE", "ana / budi"),
        ("overall", "ana / budi"),
    ]
    assert rows[0]["exact F1"] == rows[0]["Cohen kappa"] == rows[0]["alpha"] == "n/a"


def test_fewer_than_two_annotators_exit_2_with_a_reason(db_path, tmp_path):
    done = annotator(db_path, "agreement")
    assert done.returncode == 2
    assert "agreement needs two annotators" in done.stderr and "have: nobody" in done.stderr
    assert done.stdout == ""
    _team_db(db_path)
    done = annotator(db_path, "agreement", "--annotators", "ana")
    assert done.returncode == 2 and "at least two annotators" in done.stderr
    done = annotator(db_path, "agreement", "--annotators", "ana,zed")
    assert done.returncode == 2 and "no annotator zed" in done.stderr
    done = annotator(db_path, "agreement", "--csv", str(tmp_path / "missing" / "x.csv"))
    assert done.returncode == 2 and "cannot write" in done.stderr
