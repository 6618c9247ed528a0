"""doccano export, loaded back by doccano's own import rules, and round trips.

``doccano_import`` follows doccano's backend/data_import (commit ab6b765):
- parsers.JSONLParser: the file read in text mode (universal newlines), one ``json.loads``
  per line after ``rstrip()``, a bad line an error for that line only;
- data.TextData: ``text`` a non-empty string; every other column but the label column(s)
  becomes the example's ``meta``;
- label.SpanLabel: ``[start, end, label]`` (or ``{"start_offset", "end_offset", "label"}``
  for relation ``entities``), offsets non-negative ints, ``start < end``, the label at least
  one character (and at most 100: label_types.models.LabelType.text); a bad label dropped;
- labels.Spans.clean: without "Allow overlapping spans", the spans sorted by start and each
  kept only if it starts at or after the end of the last one kept.
``doccano_export`` is its data_export: ``{"id", "text", **meta, "label": sorted tuples}``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotator.core.model import Document, Span
from annotator.io.base import ExportOptions
from annotator.io.writers import doccano
from annotator.workspace import Workspace
from tests.io.interop_fixture import TEXT, build, records, spans_by_uid

DATA = Path(__file__).parent.parent / "data" / "doccano-jsonl"


class DoccanoError(ValueError):
    pass


def _span_label(obj: Any) -> dict[str, Any]:
    if isinstance(obj, (list, tuple)):
        obj = dict(zip(["start_offset", "end_offset", "label"], obj, strict=False))
    if not isinstance(obj, dict):
        raise DoccanoError(f"SpanLabel.parse(): {obj!r}")
    start, end, label = obj.get("start_offset"), obj.get("end_offset"), obj.get("label")
    for offset in (start, end):
        if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
            raise DoccanoError(f"not a NonNegativeInt: {offset!r}")
    if start >= end:
        raise DoccanoError("start_offset must be less than end_offset.")
    if not isinstance(label, str) or not 1 <= len(label) <= doccano.DOCCANO_LABEL_LENGTH:
        raise DoccanoError(f"bad label {label!r}")
    return {"start_offset": start, "end_offset": end, "label": label, "id": obj.get("id")}


def _clean(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    kept, last = [], -1
    for span in sorted(spans, key=lambda s: s["start_offset"]):
        if span["start_offset"] >= last:
            last = span["end_offset"]
            kept.append(span)
    return kept


def doccano_import(
    path: Path, label_columns: tuple[str, ...] = ("label",), allow_overlapping: bool = True
) -> tuple[list[dict[str, Any]], list[str]]:
    """The examples doccano makes of a JSONL file, each with its meta and spans; the errors."""
    examples, errors = [], []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip()
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"{number}: {exc}")
                continue
            text = row.get("text")
            if not isinstance(text, str) or not text:
                errors.append(f"{number}: The empty text is not allowed.")
                continue
            meta = {k: v for k, v in row.items() if k != "text" and k not in label_columns}
            spans = []
            for column in label_columns:
                for obj in row.get(column) or []:
                    try:
                        spans.append(_span_label(obj))
                    except DoccanoError:
                        pass  # LabelMaker.make drops a label it cannot parse
            examples.append(
                {"text": text, "meta": meta, "spans": spans if allow_overlapping else _clean(spans)}
            )
    return examples, errors


def doccano_export(examples: list[dict[str, Any]], path: Path) -> None:
    """What doccano's sequence-labeling export writes for these examples."""
    lines = []
    for number, example in enumerate(examples, start=1):
        labels = sorted((s["start_offset"], s["end_offset"], s["label"]) for s in example["spans"])
        record = {"id": number, "text": example["text"], **example["meta"], "label": labels}
        lines.append(json.dumps(record, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", "utf-8")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "interop.sqlite"
    build(path, tmp_path)
    return path


def test_doccano_reads_every_span_at_its_characters(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with Workspace.open(db, annotator="tester") as ws:
        result = ws.export("doccano", out)
    assert (result.documents, result.spans) == (4, 6)
    examples, errors = doccano_import(out)
    assert errors == []
    by_id = {e["meta"]["id"]: e for e in examples}
    assert set(by_id) == {r["id"] for r in records()}
    for record in records():
        example = by_id[record["id"]]
        assert example["text"] == record["text"]
        got = {(s["start_offset"], s["end_offset"], s["label"]) for s in example["spans"]}
        assert got == {(s["start"], s["end"], s["label"]) for s in record.get("spans", [])}
        for s in example["spans"]:  # the offset-vs-text check: code points, end-exclusive
            assert example["text"][s["start_offset"] : s["end_offset"]] in record["text"]
    tricky = by_id["tricky/1"]
    joko = TEXT.index("Joko")
    assert TEXT[joko : joko + 11] == "Joko Widodo"
    assert (joko, joko + 11, "PERSON") in {
        (s["start_offset"], s["end_offset"], s["label"]) for s in tricky["spans"]
    }
    assert tricky["meta"]["title"] == "Judul 😀" and tricky["meta"]["meta"]["url"] == "http://x/é"


def test_the_relation_format_gives_entities_with_ids(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "rel.jsonl"
    with Workspace.open(db, annotator="tester") as ws:
        ws.export("doccano-relations", out)
    examples, errors = doccano_import(out, label_columns=("entities", "relations"))
    assert errors == []
    tricky = next(e for e in examples if e["meta"]["id"] == "tricky/1")
    assert [s["id"] for s in tricky["spans"]] == [0, 1, 2, 3, 4]
    assert {(s["start_offset"], s["end_offset"], s["label"]) for s in tricky["spans"]} == {
        (s["start"], s["end"], s["label"]) for s in records()[0]["spans"]
    }
    record = json.loads(out.read_text("utf-8").splitlines()[0])
    assert record["relations"] == []


def test_the_shape_matches_doccanos_own_examples(db: Path, tmp_path: Path) -> None:
    with Workspace.open(db, annotator="tester") as ws:
        ws.export("doccano", tmp_path / "seq.jsonl")
        ws.export("doccano-relations", tmp_path / "rel.jsonl")
    sample = json.loads(
        (DATA / "export-sequence_labeling-example.jsonl").read_text().split("\n")[0]
    )
    ours = [json.loads(line) for line in (tmp_path / "seq.jsonl").read_text("utf-8").splitlines()]
    # doccano reads all lines into one pandas frame: a key missing from a line would be NaN
    assert len({tuple(record) for record in ours}) == 1
    for record in ours:
        assert set(sample) <= set(record)
        assert all(
            [type(v) for v in item] == [type(v) for v in sample["label"][0]]
            for item in record["label"]
        )
    relations = json.loads((DATA / "import-relation_extraction-example.jsonl").read_text())
    rel = json.loads((tmp_path / "rel.jsonl").read_text("utf-8").splitlines()[0])
    assert {"text", "entities", "relations"} <= set(rel)
    assert all(set(e) == set(relations["entities"][0]) for e in rel["entities"])


def test_round_trip_through_our_import_keeps_every_span(db: Path, tmp_path: Path) -> None:
    for fmt in ("doccano", "doccano-relations"):
        out = tmp_path / f"{fmt}.jsonl"
        other = tmp_path / f"{fmt}.sqlite"
        with Workspace.open(db, annotator="tester") as ws:
            ws.export(fmt, out)
            ws.export("jsonl", tmp_path / "before.jsonl")
        with Workspace.open(other, annotator="tester") as ws:
            report = ws.import_paths([out])
            assert not report.refused, report.refused
            ws.export("jsonl", tmp_path / "after.jsonl")
        before, after = (
            spans_by_uid(tmp_path / "before.jsonl"),
            spans_by_uid(tmp_path / "after.jsonl"),
        )
        assert after == before
        docs = {
            json.loads(line)["id"]: json.loads(line)
            for line in (tmp_path / "after.jsonl").read_text("utf-8").splitlines()
        }
        assert docs["tricky/1"]["title"] == "Judul 😀"
        assert docs["tricky/1"]["status"] == "in progress"
        assert docs["tricky/1"]["meta"]["nested"] == {"n": 1.5}


def test_round_trip_through_doccano_and_back(db: Path, tmp_path: Path) -> None:
    """Our export -> doccano import -> doccano export -> our import: ids, titles, spans kept."""
    out = tmp_path / "out.jsonl"
    with Workspace.open(db, annotator="tester") as ws:
        ws.export("doccano", out)
        ws.export("jsonl", tmp_path / "before.jsonl")
    examples, _ = doccano_import(out)
    doccano_export(examples, tmp_path / "from-doccano.jsonl")
    with Workspace.open(tmp_path / "back.sqlite", annotator="tester") as ws:
        report = ws.import_paths([tmp_path / "from-doccano.jsonl"])
        assert not report.refused, report.refused
        ws.export("jsonl", tmp_path / "after.jsonl")
    assert spans_by_uid(tmp_path / "after.jsonl") == spans_by_uid(tmp_path / "before.jsonl")


def test_warnings_say_what_doccano_cannot_hold(db: Path, tmp_path: Path) -> None:
    with Workspace.open(db, annotator="tester") as ws:
        plain = ws.export("doccano", tmp_path / "a.jsonl")
        asked = ws.export("doccano", tmp_path / "b.jsonl", include_suggestions=True)
    assert not any("suggestion" in w for w in plain.warnings)
    assert any(w.startswith("3 suggestions left out") for w in asked.warnings)
    assert any(w.startswith("2 spans with a note or attributes") for w in plain.warnings)
    assert any(w.startswith("1 document with overlapping spans") for w in plain.warnings)
    # What the warning says: without "Allow overlapping spans" doccano keeps the first of each.
    examples, _ = doccano_import(tmp_path / "a.jsonl", allow_overlapping=False)
    tricky = next(e for e in examples if e["meta"]["id"] == "tricky/1")
    assert len(tricky["spans"]) < len(records()[0]["spans"])


def test_a_label_doccano_refuses_is_named(tmp_path: Path) -> None:
    label = "X" * 101
    doc = Document(text="Satu dua.", uid="d", spans=(Span(0, 4, label, "Satu"),))
    result = doccano.write([doc], [], tmp_path / "o.jsonl", ExportOptions())
    assert any("longer than doccano's 100 characters" in w for w in result.warnings)
    examples, _ = doccano_import(tmp_path / "o.jsonl")
    assert examples[0]["spans"] == []  # what the warning warns of


def test_no_documents_gives_an_empty_file(tmp_path: Path) -> None:
    result = doccano.write([], [], tmp_path / "o.jsonl", ExportOptions())
    assert (tmp_path / "o.jsonl").read_bytes() == b""
    assert (result.documents, result.warnings) == (0, [])


def test_a_label_with_spaces_is_kept_as_it_is(tmp_path: Path) -> None:
    doc = Document(
        text="Kopi Kapal Api enak.", uid="d", spans=(Span(5, 14, "Product Name", "Kapal Api"),)
    )
    result = doccano.write([doc], [], tmp_path / "o.jsonl", ExportOptions())
    assert result.warnings == []
    examples, _ = doccano_import(tmp_path / "o.jsonl")
    assert [s["label"] for s in examples[0]["spans"]] == ["Product Name"]
