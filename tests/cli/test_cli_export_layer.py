"""`annotator export --layer`: the curated (main) layer by default, or one annotator's own; the
output line says which layer it wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.model import Document
from annotator.workspace import Workspace
from tests.curation_data import LAYERS, team_document


@pytest.fixture
def team_db(isolated_env, db_path) -> str:
    with Workspace.open(db_path, annotator="cora") as ws:
        doc_id = team_document(ws)
        ws.premerge_agreements(doc_id)
    return str(db_path)


def export(capsys, db: str, out: Path, *options: str, fmt: str = "jsonl") -> tuple[int, str, str]:
    code = main(["--db", db, "export", "--format", fmt, "--out", str(out), *options])
    printed, err = capsys.readouterr()
    return code, printed, err


def span_keys(out: Path) -> set[tuple[int, int, str]]:
    keys = set()
    for line in out.read_text(encoding="utf-8").splitlines():
        for span in json.loads(line)["spans"]:
            keys.add((span["start"], span["end"], span["label"]))
    return keys


def test_the_default_export_writes_the_curated_layer_and_says_so(capsys, team_db, tmp_path):
    out = tmp_path / "curated.jsonl"
    code, printed, err = export(capsys, team_db, out)
    assert code == 0, err
    assert span_keys(out) == {(0, 11, "PERSON"), (34, 40, "LOC")}
    assert "with 2 spans of the curated layer to" in printed
    again = tmp_path / "again.jsonl"
    export(capsys, team_db, again, "--layer", "curated")
    assert span_keys(again) == span_keys(out)


@pytest.mark.parametrize("name", ["ana", "budi"])
def test_an_annotators_layer_holds_exactly_their_spans(capsys, team_db, tmp_path, name):
    out = tmp_path / f"{name}.jsonl"
    code, printed, err = export(capsys, team_db, out, "--layer", name)
    assert code == 0, err
    assert span_keys(out) == set(LAYERS[name])
    assert f"with 4 spans of {name}'s layer to" in printed


def test_a_token_format_writes_the_chosen_layer_too(capsys, team_db, tmp_path):
    out = tmp_path / "budi.conll"
    code, _, err = export(capsys, team_db, out, "--layer", "budi", fmt="conll")
    assert code == 0, err
    tags = [line.split()[-1] for line in out.read_text(encoding="utf-8").split("\n") if line]
    assert "B-DATE" in tags and "B-ORG" not in tags


def test_an_unknown_layer_is_refused_and_nothing_is_written(capsys, team_db, tmp_path):
    out = tmp_path / "x.jsonl"
    code, _, err = export(capsys, team_db, out, "--layer", "zed")
    assert code != 0 and not out.exists()
    assert "unknown layer 'zed'; the layers are curated, ana, budi" in err


def test_a_lone_analysts_export_does_not_talk_of_layers(capsys, isolated_env, db_path, tmp_path):
    with Workspace.open(db_path) as ws:
        (doc_id,) = ws.store.documents.insert([Document("Ab cd")], annotator="tester")
        ws.add_span(doc_id, 0, 2, "PERSON")
    out = tmp_path / "lone.jsonl"
    code, printed, err = export(capsys, str(db_path), out)
    assert code == 0, err
    assert "with 1 span to" in printed and "layer" not in printed
