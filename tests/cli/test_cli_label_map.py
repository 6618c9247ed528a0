"""Labels with spaces and `annotator import --map`, on real processes: output, files, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import annotator

TEXT = "Budi bekerja di Acme Widget Pro di Jakarta."
SPANS = [
    {"start": 0, "end": 4, "label": "Person"},
    {"start": 16, "end": 31, "label": "Product Name"},
    {"start": 35, "end": 42, "label": "PLC"},
]


@pytest.fixture
def jsonl(tmp_path) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": TEXT, "spans": SPANS}) + "\n", encoding="utf-8")
    return path


def test_map_and_case_variants_relabel_before_storing(db_path, jsonl, isolated_env):
    done = annotator(db_path, "import", str(jsonl), "--map", "PLC=LOC")
    assert done.returncode == 0, done.stderr
    assert "mapped Person -> PERSON (case)" in done.stdout
    assert "mapped PLC -> LOC (--map)" in done.stdout
    assert "new labels: Product Name" in done.stdout
    spans = annotator(db_path, "spans", "1", "--json")
    found = {(s["text"], s["label"]) for s in json.loads(spans.stdout)}
    assert found == {("Budi", "PERSON"), ("Acme Widget Pro", "Product Name"), ("Jakarta", "LOC")}
    names = annotator(db_path, "labels").stdout
    assert "Person" not in names.split() and "PLC" not in names


def test_keep_labels_turns_the_case_mapping_off(db_path, jsonl, isolated_env):
    done = annotator(db_path, "import", str(jsonl), "--keep-labels", "--map", "PLC=Place Name")
    assert done.returncode == 0, done.stderr
    assert "(case)" not in done.stdout
    spans = json.loads(annotator(db_path, "spans", "1", "--json").stdout)
    assert {s["label"] for s in spans} == {"Person", "Product Name", "Place Name"}


def test_map_onto_a_label_that_would_duplicate_a_span_drops_the_duplicate(
    db_path, tmp_path, isolated_env
):
    path = tmp_path / "dup.jsonl"
    spans = [{"start": 35, "end": 42, "label": "PLC"}, {"start": 35, "end": 42, "label": "LOC"}]
    path.write_text(json.dumps({"text": TEXT, "spans": spans}) + "\n", encoding="utf-8")
    done = annotator(db_path, "import", str(path), "--map", "PLC=LOC")
    assert done.returncode == 0, done.stderr
    assert "1 duplicate span(s) dropped" in done.stderr
    assert [s["label"] for s in json.loads(annotator(db_path, "spans", "1", "--json").stdout)] == [
        "LOC"
    ]


@pytest.mark.parametrize("bad", ["PLC", "=LOC", "PLC=", " = "])
def test_bad_map_syntax_is_a_usage_error_and_nothing_is_imported(db_path, jsonl, isolated_env, bad):
    done = annotator(db_path, "import", str(jsonl), "--map", bad)
    assert done.returncode == 2
    assert "--map: write FROM=TO" in done.stderr
    assert "imported" not in done.stdout
    assert annotator(db_path, "docs").stdout.count("\n") == 1  # the header only


def test_a_map_to_a_bad_label_name_is_refused_before_anything_is_read(db_path, jsonl, isolated_env):
    done = annotator(db_path, "import", str(jsonl), "--map", "PLC=" + "X" * 101)
    assert done.returncode == 2
    assert "at most 100 characters" in done.stderr
    assert annotator(db_path, "docs").stdout.count("\n") == 1


def test_a_label_with_spaces_goes_through_labels_export_and_rules(
    db_path, jsonl, tmp_path, isolated_env
):
    assert annotator(db_path, "import", str(jsonl)).returncode == 0
    listed = annotator(db_path, "labels").stdout
    assert "\tProduct Name\t" in listed
    out = tmp_path / "out.jsonl"
    done = annotator(
        db_path, "export", "--format", "jsonl", "--label", "Product Name", "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    record = json.loads(out.read_text(encoding="utf-8"))
    assert [(s["label"], s["text"]) for s in record["spans"]] == [
        ("Product Name", "Acme Widget Pro")
    ]
    xmi = tmp_path / "xmi"
    assert annotator(db_path, "export", "--format", "xmi", "--out", str(xmi)).returncode == 0
    written = next(xmi.glob("*.xmi")).read_text(encoding="utf-8")
    assert 'value="Product Name"' in written
    pack = tmp_path / "pack.jsonl"
    rule = {
        "name": "widgets",
        "label": "Product Name",
        "kind": "phrase",
        "pattern": {"terms": ["Acme Widget Pro"]},
    }
    pack.write_text(json.dumps(rule) + "\n", encoding="utf-8")
    done = annotator(db_path, "rules", "import", str(pack))
    assert done.returncode == 0, done.stderr
    assert "widgets\tProduct Name\t" in annotator(db_path, "rules", "list").stdout


@pytest.mark.parametrize(
    ("name", "reason"),
    [("two\nlines", "no line breaks"), ("tab\there", "no line breaks"), ("X" * 101, "at most 100")],
)
def test_a_bad_label_name_is_refused_with_the_reason(db_path, isolated_env, name, reason):
    done = annotator(db_path, "labels", "add", name)
    assert done.returncode == 2
    assert reason in done.stderr
    assert name not in annotator(db_path, "labels").stdout


def test_renaming_onto_an_existing_label_points_at_merge(db_path, isolated_env):
    done = annotator(db_path, "labels", "edit", "PERSON", "--name", "LOC")
    assert done.returncode == 2
    assert "exists already; merge with `annotator labels merge PERSON LOC`" in done.stderr


def test_labels_merge_on_the_command_line_and_its_undo(db_path, tmp_path, isolated_env):
    path = tmp_path / "m.jsonl"
    spans = [
        {"start": 0, "end": 4, "label": "Orang"},
        {"start": 35, "end": 42, "label": "PLC"},
        {"start": 35, "end": 42, "label": "LOC"},
    ]
    path.write_text(json.dumps({"text": TEXT, "spans": spans}) + "\n", encoding="utf-8")
    assert annotator(db_path, "import", str(path)).returncode == 0
    done = annotator(db_path, "labels", "merge", "PLC", "LOC")
    assert done.returncode == 0, done.stderr
    assert "moved 0 spans" in done.stdout and "removed 1 duplicate" in done.stdout
    done = annotator(db_path, "labels", "merge", "Orang", "PERSON")
    assert done.returncode == 0 and "moved 1 span " in done.stdout
    listed = annotator(db_path, "labels").stdout
    assert "PLC" not in listed and "Orang" not in listed
    found = json.loads(annotator(db_path, "spans", "1", "--json").stdout)
    assert sorted((s["start"], s["label"]) for s in found) == [(0, "PERSON"), (35, "LOC")]
    refused = annotator(db_path, "labels", "merge", "LOC", "LOC")
    assert refused.returncode == 2 and "cannot merge label LOC into itself" in refused.stderr
    refused = annotator(db_path, "labels", "merge", "LOC", "Nowhere")
    assert refused.returncode == 2 and "no label named 'Nowhere'" in refused.stderr
    # The merges are the user's undo steps: the window's (or any workspace's) undo takes them back.
    from annotator.workspace import Workspace

    with Workspace.open(db_path) as ws:
        ws.annotator = "tester"
        assert ws.undo_description() == "Merge label Orang into PERSON"
        ws.undo()
        ws.undo()
        labels = {label.name for label in ws.labels()}
        spans_now = sorted((s.start, s.label) for s in ws.document(1).spans)
    assert {"PLC", "Orang"} <= labels
    assert spans_now == [(0, "Orang"), (35, "LOC"), (35, "PLC")]
