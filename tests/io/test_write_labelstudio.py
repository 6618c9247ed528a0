"""Label Studio JSON export, loaded back by Label Studio's own rules, and round trips.

``label_studio_import`` applies what Label Studio's task import and its converter
(label-studio-converter, converter.py ``iter_from_json_file`` / ``annotation_result_from_task``
and utils.parse_config) do with a task list:
- the file is one JSON value (``json.load``): a list of tasks (or one task);
- a task's ``data`` holds the key the labeling config's object tag reads (``$text``);
- ``annotations`` / ``predictions`` are lists of ``{"result": [...]}``; cancelled or skipped
  annotations are ignored; a result counts only if its ``from_name`` is a control tag of the
  config, and it must point (``to_name``) at that tag's object, with the control's type;
- ``value.start`` / ``value.end`` are offsets into the text with ``value.text`` the characters
  between them (code points: Label Studio's Text tag since label-studio-frontend #308), and
  ``value.labels`` are labels of the config;
- region ids are unique within a task.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from annotator.core.model import Document, Span
from annotator.io.base import ExportOptions
from annotator.io.writers import labelstudio
from annotator.workspace import Workspace
from tests.io.interop_fixture import TEXT, build, records, spans_by_uid

DATA = Path(__file__).parent.parent / "data" / "label-studio-json"
LABELS = ("ROLE", "PERSON", "ALIAS", "LOC", "MISC")
CONFIG = (
    '<View><Labels name="label" toName="text">'
    + "".join(f'<Label value="{label}"/>' for label in LABELS)
    + '</Labels><Text name="text" value="$text"/></View>'
)


class LabelStudioError(ValueError):
    pass


def parse_config(config: str) -> dict[str, dict[str, Any]]:
    """Control tags by name: type, the object tag they label, its data key, their labels."""
    root = ET.fromstring(config)
    objects = {t.get("name"): t.get("value", "").lstrip("$") for t in root.iter() if t.get("value")}
    controls = {}
    for tag in root.iter():
        if tag.get("toName"):
            controls[tag.get("name")] = {
                "type": tag.tag.lower(),
                "to_name": tag.get("toName"),
                "data_key": objects[tag.get("toName")],
                "labels": {label.get("value") for label in tag.iter("Label")},
            }
    return controls


def _regions(task: dict[str, Any], key: str, schema: dict[str, Any]) -> list[dict[str, Any]]:
    regions = []
    for container in task.get(key) or []:
        if container.get("was_cancelled") or container.get("skipped"):
            continue
        if not isinstance(container.get("result"), list):
            raise LabelStudioError(f"{key}: 'result' must be a list")
        for item in container["result"]:
            control = schema.get(item.get("from_name"))
            if control is None:
                continue  # not an output tag of this config
            if item.get("to_name") != control["to_name"] or item.get("type") != control["type"]:
                raise LabelStudioError(f"result {item.get('id')} does not fit the config")
            text = task["data"][control["data_key"]]
            value = item["value"]
            start, end = value["start"], value["end"]
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
                raise LabelStudioError(f"bad offsets {start!r}, {end!r}")
            if text[start:end] != value["text"]:
                raise LabelStudioError(f"{value['text']!r} is not at {start}-{end}")
            if not value["labels"] or not set(value["labels"]) <= control["labels"]:
                raise LabelStudioError(f"labels {value['labels']!r} not in the config")
            regions.append({**item, "container": container})
    return regions


def label_studio_import(path: Path, config: str = CONFIG) -> list[dict[str, Any]]:
    """Each task with its annotation regions and prediction regions, checked as above."""
    schema = parse_config(config)
    with open(path, encoding="utf8") as handle:
        loaded = json.load(handle)
    tasks = [loaded] if isinstance(loaded, dict) else loaded
    found = []
    for task in tasks:
        if "data" not in task:
            task = {"data": task}
        data_keys = {c["data_key"] for c in schema.values()}
        if not data_keys <= set(task["data"]):
            raise LabelStudioError(f"task data lacks {data_keys - set(task['data'])}")
        annotations = _regions(task, "annotations", schema)
        predictions = _regions(task, "predictions", schema)
        ids = [r["id"] for r in annotations + predictions]
        if len(ids) != len(set(ids)):
            raise LabelStudioError("region ids repeat within a task")
        found.append({"task": task, "annotations": annotations, "predictions": predictions})
    return found


def keys(regions: list[dict[str, Any]]) -> set[tuple[int, int, str]]:
    return {(r["value"]["start"], r["value"]["end"], r["value"]["labels"][0]) for r in regions}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "interop.sqlite"
    build(path, tmp_path)
    return path


def test_label_studio_reads_spans_and_pending_suggestions(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "tasks.json"
    with Workspace.open(db, annotator="tester") as ws:
        result = ws.export("labelstudio", out, include_suggestions=True)
    assert (result.documents, result.spans) == (4, 6)
    tasks = {t["task"]["data"]["id"]: t for t in label_studio_import(out)}
    assert set(tasks) == {r["id"] for r in records()}
    for record in records():
        got = tasks[record["id"]]
        assert got["task"]["data"]["text"] == record["text"]
        assert keys(got["annotations"]) == {
            (s["start"], s["end"], s["label"]) for s in record.get("spans", [])
        }
        pending = [s for s in record.get("suggestions", []) if s["status"] == "pending"]
        assert keys(got["predictions"]) == {(s["start"], s["end"], s["label"]) for s in pending}
    tricky = tasks["tricky/1"]
    # offsets in code points: after the emoji, as Python counts them
    joko = TEXT.index("Joko")
    assert (joko, joko + 11, "PERSON") in keys(tricky["annotations"])
    versions = sorted(p["container"]["model_version"] for p in tricky["predictions"])
    assert versions == ["names", "places"]
    role = next(r for r in tricky["annotations"] if r["value"]["labels"] == ["ROLE"])
    assert role["meta"] == {"text": ["panjang\nsekali"]}
    assert tricky["task"]["meta"]["url"] == "http://x/é"


def test_no_annotation_for_an_unlabelled_task_and_an_empty_one_when_done(
    db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "tasks.json"
    with Workspace.open(db, annotator="tester") as ws:
        ws.export("labelstudio", out)
    tasks = {t["data"]["id"]: t for t in json.loads(out.read_text("utf-8"))}
    assert tasks["plain"]["annotations"] == []
    assert tasks["done-empty"]["annotations"] == [{"result": []}]
    assert all("predictions" not in t for t in tasks.values())  # not asked for


def test_the_shape_matches_label_studios_own_examples(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "tasks.json"
    with Workspace.open(db, annotator="tester") as ws:
        ws.export("labelstudio", out, include_suggestions=True)
    ours = json.loads(out.read_text("utf-8"))
    sample_task = json.loads((DATA / "named_entity-tasks.json").read_text())[0]
    sample = json.loads((DATA / "named_entity-annotations-1.json").read_text())
    sample_item = sample["annotations"][0]["result"][0]
    tricky = next(t for t in ours if t["data"]["id"] == "tricky/1")
    for item in tricky["annotations"][0]["result"] + tricky["predictions"][0]["result"]:
        assert set(sample_item) - {"source"} <= set(item)  # "source" is the pre-1.0 field
        assert set(item["value"]) == set(sample_item["value"])
    assert set(sample_task["predictions"][0]) - {"created_ago"} <= set(tricky["predictions"][0])
    # Label Studio's own example imports by the same rules, with its config
    config = '<View><Labels name="ner" toName="text"><Label value="Date"/></Labels>'
    config += '<Text name="text" value="$text"/></View>'
    [loaded] = label_studio_import(DATA / "named_entity-tasks.json", config)
    assert keys(loaded["predictions"]) == {(343, 354, "Date")}


def test_round_trip_through_our_import_keeps_spans_suggestions_and_the_document(
    db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "tasks.json"
    with Workspace.open(db, annotator="tester") as ws:
        ws.export("labelstudio", out, include_suggestions=True)
        ws.export("jsonl", tmp_path / "before.jsonl", include_suggestions=True)
    with Workspace.open(tmp_path / "back.sqlite", annotator="tester") as ws:
        report = ws.import_paths([out])
        assert not report.refused, report.refused
        ws.export("jsonl", tmp_path / "after.jsonl", include_suggestions=True)
    assert spans_by_uid(tmp_path / "after.jsonl") == spans_by_uid(tmp_path / "before.jsonl")
    lines = (tmp_path / "after.jsonl").read_text("utf-8").splitlines()
    docs = {json.loads(line)["id"]: json.loads(line) for line in lines}
    tricky = docs["tricky/1"]
    assert (tricky["title"], tricky["status"], tricky["language"]) == (
        "Judul 😀",
        "in progress",
        "id",
    )
    assert tricky["meta"]["tags"] == ["a", "b"] and "id" not in tricky["meta"]
    role = next(s for s in tricky["spans"] if s["label"] == "ROLE")
    assert role["note"] == "panjang\nsekali"
    suggestions = {(s["text"], s["label"], s["rule"], s["status"]) for s in tricky["suggestions"]}
    assert suggestions == {
        ("Putin", "PERSON", "label-studio:names", "pending"),
        ("Moskow", "LOC", "label-studio:places", "pending"),
    }


def test_warnings_say_what_label_studio_cannot_hold(db: Path, tmp_path: Path) -> None:
    with Workspace.open(db, annotator="tester") as ws:
        plain = ws.export("labelstudio", tmp_path / "a.json")
        asked = ws.export("labelstudio", tmp_path / "b.json", include_suggestions=True)
    expected = (
        "1 span with attributes, which Label Studio results cannot hold: those left out "
        "(the spans themselves are exported)"
    )
    assert plain.warnings == [expected]
    assert "1 decided suggestion left out" in asked.warnings[-1]


def test_many_tasks_make_one_valid_array(tmp_path: Path) -> None:
    docs = [
        Document(text=f"Kota {n} di Jawa.", uid=f"d{n}", spans=(Span(0, 4, "LOC", "Kota"),))
        for n in range(600)  # more than one write chunk
    ]
    out = tmp_path / "many.json"
    result = labelstudio.write(docs, [], out, ExportOptions())
    tasks = label_studio_import(out)
    assert result.documents == len(tasks) == 600
    assert [t["task"]["data"]["id"] for t in tasks] == [f"d{n}" for n in range(600)]


def test_no_documents_gives_an_empty_array(tmp_path: Path) -> None:
    labelstudio.write([], [], tmp_path / "o.json", ExportOptions())
    assert json.loads((tmp_path / "o.json").read_text()) == []


def test_a_label_with_spaces_is_kept_as_it_is(tmp_path: Path) -> None:
    doc = Document(
        text="Kopi Kapal Api enak.", uid="d", spans=(Span(5, 14, "Product Name", "Kapal Api"),)
    )
    result = labelstudio.write([doc], [], tmp_path / "o.json", ExportOptions())
    assert result.warnings == []
    config = CONFIG.replace('<Label value="ROLE"/>', '<Label value="Product Name"/>')
    [task] = label_studio_import(tmp_path / "o.json", config)
    assert keys(task["annotations"]) == {(5, 14, "Product Name")}
