"""A reader listed as checking its documents (reads_checked) yields only documents the import's own
check (ingest.document_problem, without_duplicate_spans) would let through unchanged: the import
skips that second check for them, and bad spans are still refused, once, by the reader."""

from __future__ import annotations

import json

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.ingest import document_problem, without_duplicate_spans
from annotator.io.base import SourceFile
from annotator.io.readers import read_source, reads_checked
from annotator.workspace import Workspace

TEXT = "Joko Widodo bertemu Putin di Jakarta."


def _line(spans: list, **extra) -> str:
    return json.dumps({"text": TEXT, "spans": spans, **extra})


def _jsonl() -> bytes:
    good = {"start": 0, "end": 11, "label": "PERSON"}
    lines = [
        _line([good, {"start": 29, "end": 36, "label": "LOC", "text": "Jakarta"}]),
        _line([good, dict(good), {"start": 20, "end": 25, "label": "PERSON"}]),  # a duplicate
        _line([{"start": 0, "end": 11, "label": "PERSON", "text": "Widodo"}]),  # wrong text
        _line([{"start": 30, "end": 99, "label": "LOC"}]),  # past the end
        _line([{"start": 3, "end": 3, "label": "LOC"}]),  # empty
        _line([{"start": 0, "end": 4, "label": "  "}]),  # no label
        _line(
            [{"start": 0, "end": 4, "label": "PERSON", "origin": "rule", "rule": "r"}],
            suggestions=[{"start": 0, "end": 4, "label": "PERSON", "rule": "r", "text": "Joko"}],
        ),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_only_the_jsonl_reader_is_listed_as_checking_its_documents():
    assert reads_checked(SourceFile("a.jsonl", b"{}\n"))
    assert reads_checked(SourceFile("a.txt", b"{}\n"), "jsonl")
    assert not reads_checked(SourceFile("a.txt", b"Joko Widodo\n"))
    assert not reads_checked(SourceFile("a.conll", b"Joko B-PER\n"))


def test_what_the_jsonl_reader_yields_passes_the_imports_check_unchanged():
    items = list(read_source(SourceFile("a.jsonl", _jsonl())))
    documents = [item for item in items if isinstance(item, Document)]
    problems = [item for item in items if isinstance(item, Problem)]
    assert len(documents) == 3
    assert sorted(p.line for p in problems) == [3, 4, 5, 6]
    for doc in documents:
        assert document_problem(doc) is None
        assert without_duplicate_spans(doc) == (doc, 0)


def test_a_jsonl_import_refuses_the_bad_records_once_and_stores_the_rest(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(_jsonl())
    with Workspace.open(tmp_path / "db.sqlite", annotator="ana") as ws:
        report = ws.import_paths([path])
    # The six records with the same text are one document: the rest are duplicates.
    assert report.imported == 1
    assert report.duplicates == 2
    assert len(report.refused) == 4
    assert all("a.jsonl" in str(problem) for problem in report.refused)
