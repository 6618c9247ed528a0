"""spaCy DocBin (.spacy) import: DocBins built by spaCy itself, bad files, the round trip."""

from __future__ import annotations

import builtins
import json
from pathlib import Path
from typing import Any

import pytest

from annotator.core.errors import Problem
from annotator.core.model import Document, DocumentStatus
from annotator.io.base import Notice, SourceFile
from annotator.io.readers import detect_format, read_source
from annotator.io.readers.docbin import GROUPS_ATTRIBUTE, MISSING_SPACY
from annotator.workspace import Workspace

spacy = pytest.importorskip("spacy")  # an optional extra: the imports below come after
from spacy.tokens import Doc, DocBin
from spacy.tokens import Span as SpacySpan

TEXT = "Presiden Joko Widodo bertemu Putin di Moskow 😀 kemarin."


def sample_doc(nlp: Any) -> Doc:
    doc = nlp(TEXT)  # tokens: Presiden Joko Widodo bertemu Putin di Moskow 😀 kemarin .
    doc.ents = [SpacySpan(doc, 1, 3, "PER"), SpacySpan(doc, 6, 7, "LOC")]
    doc.spans["sc"] = [
        SpacySpan(doc, 1, 3, "PER"),  # also an entity: kept once
        SpacySpan(doc, 0, 3, "ROLE"),  # overlaps the entity
        SpacySpan(doc, 4, 5, "PER"),
    ]
    doc.spans["extra"] = [SpacySpan(doc, 4, 5, "PER"), SpacySpan(doc, 2, 3, "")]
    doc.user_data["title"] = "Kunjungan"
    doc.user_data["id"] = "doc-7"
    doc.user_data["outlet"] = "Republika"
    return doc


def docbin_bytes(*docs: Doc) -> bytes:
    doc_bin = DocBin(store_user_data=True)
    for doc in docs:
        doc_bin.add(doc)
    return bytes(doc_bin.to_bytes())


def read(data: bytes, name: str = "train.spacy") -> list[Any]:
    source = SourceFile(name, data)
    return list(read_source(source, detect_format(source)))


def test_ents_and_span_groups_become_spans_each_once() -> None:
    nlp = spacy.blank("id")
    items = read(docbin_bytes(sample_doc(nlp), nlp("Kedua saja.")))
    docs = [i for i in items if isinstance(i, Document)]
    notices = [i for i in items if isinstance(i, Notice)]
    assert not [i for i in items if isinstance(i, Problem)]
    first, second = docs
    assert first.text == TEXT and second.text == "Kedua saja."
    got = {(s.text, s.label): dict(s.attributes) for s in first.spans}
    assert got == {
        ("Presiden Joko Widodo", "ROLE"): {GROUPS_ATTRIBUTE: ["sc"]},
        ("Joko Widodo", "PER"): {GROUPS_ATTRIBUTE: ["sc"]},
        ("Putin", "PER"): {GROUPS_ATTRIBUTE: ["sc", "extra"]},
        ("Moskow", "LOC"): {},  # an entity in no group
    }
    for span in first.spans:
        assert TEXT[span.start : span.end] == span.text
    assert (first.title, first.uid, first.metadata["outlet"]) == ("Kunjungan", "doc-7", "Republika")
    assert first.metadata["format"] == "spacy"
    assert second.title == "Kedua saja." and second.spans == ()
    assert [str(n) for n in notices] == [
        "train.spacy: doc 1: left out 1 span-group span(s) without a label or characters"
    ]


def test_the_suffix_picks_the_reader() -> None:
    assert detect_format(SourceFile("x/train.spacy", b"")) == "spacy"


def test_a_corrupt_file_is_refused_with_the_reason() -> None:
    [problem] = read(b"not a docbin at all")
    assert isinstance(problem, Problem)
    assert problem.file == "train.spacy"
    assert problem.reason.startswith("not a spaCy DocBin file: ValueError: [E1014]")


def test_a_truncated_file_is_refused() -> None:
    nlp = spacy.blank("id")
    data = docbin_bytes(sample_doc(nlp))
    [problem] = read(data[: len(data) // 2])
    assert isinstance(problem, Problem) and "not a spaCy DocBin file" in problem.reason


def test_an_empty_doc_is_refused_and_the_others_kept() -> None:
    nlp = spacy.blank("id")
    items = read(docbin_bytes(nlp("Satu."), nlp("   "), nlp("Tiga.")))
    assert [i.text for i in items if isinstance(i, Document)] == ["Satu.", "Tiga."]
    [problem] = [i for i in items if isinstance(i, Problem)]
    assert str(problem) == "train.spacy: doc 2: the text is empty"


def test_without_spacy_the_file_is_refused_with_that_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = docbin_bytes(spacy.blank("id")("Satu."))
    real_import = builtins.__import__

    def no_spacy(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "spacy" or name.startswith("spacy."):
            raise ImportError("No module named 'spacy'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_spacy)
    assert read(data) == [Problem("train.spacy", MISSING_SPACY)]


def test_import_into_a_database(tmp_path: Path) -> None:
    nlp = spacy.blank("id")
    path = tmp_path / "train.spacy"
    path.write_bytes(docbin_bytes(sample_doc(nlp), nlp("   "), nlp("Kedua saja.")))
    with Workspace.open(tmp_path / "db.sqlite", annotator="tester") as ws:
        report = ws.import_paths([path])
        ws.export("jsonl", tmp_path / "out.jsonl")
    assert [str(p) for p in report.refused] == [f"{path}: doc 2: the text is empty"]
    lines = (tmp_path / "out.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["text"] for line in lines] == [TEXT, "Kedua saja."]
    assert len(json.loads(lines[0])["spans"]) == 4


def test_round_trip_with_our_spacy_export(tmp_path: Path) -> None:
    """db -> spaCy export -> .spacy import: text, spans, id, title, status and metadata kept."""
    text = "Presiden Joko Widodo bertemu\r\nPutin di Moskow 😀.\n\nParagraf kedua."
    spans = [
        {"start": 0, "end": 20, "label": "ROLE"},
        {"start": 9, "end": 20, "label": "PERSON"},
        {"start": 30, "end": 35, "label": "PERSON"},
        {"start": 39, "end": 45, "label": "LOC"},
    ]
    assert [text[s["start"] : s["end"]] for s in spans] == [
        "Presiden Joko Widodo",
        "Joko Widodo",
        "Putin",
        "Moskow",
    ]
    source = tmp_path / "in.jsonl"
    record = {
        "id": "u-1",
        "title": "Judul",
        "text": text,
        "status": "done",
        "language": "id",
        "meta": {"outlet": "Republika", "n": 2},
        "spans": spans,
    }
    source.write_text(json.dumps(record) + "\n", "utf-8")
    with Workspace.open(tmp_path / "a.sqlite", annotator="tester") as ws:
        assert not ws.import_paths([source]).refused
        ws.export("spacy", tmp_path / "out.spacy")
    with Workspace.open(tmp_path / "b.sqlite", annotator="tester") as ws:
        report = ws.import_paths([tmp_path / "out.spacy"])
        assert not report.refused, report.refused
        ws.export("jsonl", tmp_path / "back.jsonl")
    back = json.loads((tmp_path / "back.jsonl").read_text("utf-8"))
    assert back["text"] == text
    assert (back["id"], back["title"], back["status"], back["language"]) == (
        "u-1",
        "Judul",
        "done",
        "id",
    )
    assert back["meta"]["outlet"] == "Republika" and back["meta"]["n"] == 2
    assert {(s["start"], s["end"], s["label"]) for s in back["spans"]} == {
        (s["start"], s["end"], s["label"]) for s in spans
    }
    assert all(s["attributes"] == {GROUPS_ATTRIBUTE: ["sc"]} for s in back["spans"])
    assert DocumentStatus(back["status"]) is DocumentStatus.DONE
