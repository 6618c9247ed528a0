"""JSONL and JSON records: doccano, Prodigy, Label Studio samples, our own export, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core.errors import Problem
from annotator.core.model import Document, DocumentStatus, SpanOrigin, SuggestionState
from annotator.io.base import Notice, SourceFile
from annotator.io.readers import read_source

DATA = Path(__file__).resolve().parents[1] / "data"


def read_file(rel: str) -> list:
    path = DATA / rel
    return list(read_source(SourceFile(rel, path.read_bytes())))


def read_lines(*records: object, raw: str | None = None) -> list:
    text = raw if raw is not None else "\n".join(json.dumps(r) for r in records) + "\n"
    return list(read_source(SourceFile("in.jsonl", text.encode())))


def docs(items: list) -> list[Document]:
    found = [i for i in items if isinstance(i, Document)]
    for doc in found:
        for span in doc.spans:
            assert doc.text[span.start : span.end] == span.text
        for suggestion in doc.suggestions:
            assert doc.text[suggestion.start : suggestion.end] == suggestion.text
    return found


def problems(items: list) -> list[Problem]:
    return [i for i in items if isinstance(i, Problem)]


def notices(items: list) -> list[Notice]:
    return [i for i in items if isinstance(i, Notice)]


def triples(doc: Document) -> list[tuple[int, int, str, str]]:
    return [(s.start, s.end, s.label, s.text) for s in doc.spans]


def test_doccano_export_sequence_labeling() -> None:
    items = read_file("doccano-jsonl/export-sequence_labeling-example.jsonl")
    first, second, third = docs(items)
    assert not problems(items)
    assert first.text == "EU rejects German call to boycott British lamb."
    assert triples(first) == [(0, 2, "ORG", "EU"), (11, 17, "MISC", "German")]
    assert triples(second) == [(0, 15, "PERSON", "Peter Blackburn")]
    assert triples(third) == [(10, 15, "PERSON", "Obama")]
    assert first.source == "doccano-jsonl/export-sequence_labeling-example.jsonl"
    assert first.metadata == {"format": "jsonl"}
    assert first.title == first.text
    assert all(s.origin is SpanOrigin.MANUAL for s in first.spans)


@pytest.mark.parametrize(
    "rel",
    [
        "doccano-jsonl/import-relation_extraction-example.jsonl",
        "doccano-jsonl/tests-relation_extraction-example.jsonl",
        "doccano-jsonl/export-relation_extraction-example.jsonl",  # pretty-printed over many lines
    ],
)
def test_doccano_entities_shape(rel: str) -> None:
    items = read_file(rel)
    [doc] = docs(items)
    assert triples(doc) == [
        (0, 6, "ORG", "Google"),
        (22, 39, "DATE", "September 4, 1998"),
        (44, 54, "PERSON", "Larry Page"),
        (59, 70, "PERSON", "Sergey Brin"),
    ]
    assert [n.message for n in notices(items)] == [
        "line 1: skipped 3 relation(s) (only text spans are imported)"
    ]


def test_doccano_record_without_text_is_refused_and_the_rest_goes_on() -> None:
    items = read_file("doccano-jsonl/tests-sequence_labeling-example.jsonl")
    a, b = docs(items)
    assert triples(a) == [(0, 1, "LOC", "e")]
    assert a.metadata == {"wikiPageID": 1, "format": "jsonl"}
    assert b.spans == () and b.text == "exampleB"
    [problem] = problems(items)
    assert problem.line == 3
    assert problem.file == "doccano-jsonl/tests-sequence_labeling-example.jsonl"
    assert problem.reason == "no 'text' field in this record (it has 'label', 'meta')"


def test_doccano_duplicate_span_kept_once() -> None:
    items = read_file("doccano-jsonl/tests-sequence_labeling-example_overlapping.jsonl")
    [doc] = docs(items)
    assert triples(doc) == [(0, 1, "LOC", "e")]
    assert [n.message for n in notices(items)] == ["line 1: dropped 1 duplicate span(s)"]


def test_doccano_custom_column_names_are_refused_clearly() -> None:
    items = read_file("doccano-jsonl/import-sequence_labeling-example.jsonl")
    assert not docs(items)
    assert [p.line for p in problems(items)] == [1, 2, 3]
    assert "'column_data', 'column_label'" in problems(items)[0].reason


def test_prodigy_ner_manual() -> None:
    items = read_file("prodigy-jsonl/annotated_news_headlines-ner.lines1-60+337.jsonl")
    found = docs(items)
    assert len(found) == 60
    assert sum(len(d.spans) for d in found) == 54
    first = found[0]
    assert first.text == "Uber’s Lesson: Silicon Valley’s Start-Up Machine Needs Fixing"
    assert triples(first) == [(0, 4, "ORG", "Uber"), (15, 29, "LOCATION", "Silicon Valley")]
    assert first.metadata == {"source": "The New York Times", "format": "jsonl"}
    assert first.uid is None
    assert [n.message for n in notices(items)] == ["line 61: skipped a record answered 'ignore'"]
    assert not problems(items)


def test_prodigy_patterns_file_is_refused_once() -> None:
    items = read_file("prodigy-jsonl/patterns_countries-GPE.jsonl")
    assert items == [
        Problem(
            "prodigy-jsonl/patterns_countries-GPE.jsonl",
            "a file of match patterns (for rules), not documents",
            1,
        )
    ]


def test_prodigy_rejected_answers_are_skipped() -> None:
    items = read_lines(
        {"text": "Ya", "spans": [], "answer": "reject"},
        {"text": "Tidak", "answer": "accept"},
    )
    [doc] = docs(items)
    assert doc.text == "Tidak"
    assert [n.message for n in notices(items)] == ["line 1: skipped a record answered 'reject'"]


def test_label_studio_annotations() -> None:
    items = read_file("label-studio-json/named_entity-annotations-1.json")
    [doc] = docs(items)
    assert triples(doc) == [(343, 354, "Date", "February 22")]
    assert doc.uid == "1"
    assert doc.text.startswith("Showers continued throughout the week")
    assert doc.metadata["format"] == "label-studio"
    assert doc.metadata == {"format": "label-studio"}


def test_label_studio_predictions_become_pending_suggestions() -> None:
    items = read_file("label-studio-json/named_entity-tasks.json")
    [doc] = docs(items)
    assert doc.spans == ()
    [suggestion] = doc.suggestions
    assert (suggestion.start, suggestion.end, suggestion.label) == (343, 354, "Date")
    assert suggestion.text == "February 22"
    assert suggestion.rule == "label-studio:model 1"
    assert suggestion.state is SuggestionState.PENDING


def test_label_studio_utf16_offsets_are_converted() -> None:
    task = {
        "data": {"text": "😀 Jakarta hari ini"},
        "annotations": [
            {
                "result": [
                    {
                        "value": {"start": 3, "end": 10, "text": "Jakarta", "labels": ["LOC"]},
                        "type": "labels",
                    }
                ]
            }
        ],
    }
    [doc] = docs(list(read_source(SourceFile("ls.json", json.dumps([task]).encode()))))
    assert triples(doc) == [(2, 9, "LOC", "Jakarta")]


OURS = {
    "id": "doc-7",
    "title": "Rusia \r\n Suriah",
    "text": "Rusia 😀 tawarkan\r\nkerja sama é\u0301 dengan AS.",
    "meta": {"format": "news", "published": "2015-10-25T07:45:00+07:00", "tags": ["a"]},
    "status": "in progress",
    "language": "id",
    "spans": [
        {
            "start": 0,
            "end": 5,
            "label": "LOC",
            "text": "Rusia",
            "origin": "rule",
            "rule": "negara",
            "rule_version": 3,
            "annotator": "ana",
            "note": "cek",
            "attributes": {"conf": 0.9},
        },
        {
            "start": 8,
            "end": 24,
            "label": "QUOTE",
            "text": "tawarkan\r\nkerja ",
            "origin": "manual",
            "rule": None,
            "rule_version": None,
            "annotator": None,
            "note": None,
            "attributes": {},
        },
        {"start": 0, "end": 5, "label": "ORG", "text": "Rusia", "origin": "manual"},
    ],
    "suggestions": [
        {
            "start": 39,
            "end": 41,
            "label": "LOC",
            "text": "AS",
            "rule": "negara",
            "rule_version": 2,
            "explanation": "gazetteer",
            "status": "rejected",
        },
    ],
}


def test_our_export_shape_reads_back_everything() -> None:
    [doc] = docs(read_lines(OURS))
    assert doc.uid == "doc-7"
    assert doc.title == "Rusia \r\n Suriah"
    assert doc.text == OURS["text"]
    assert doc.status is DocumentStatus.IN_PROGRESS
    assert doc.language == "id"
    assert doc.metadata == OURS["meta"]
    rule_span, quote, org = doc.spans
    assert (rule_span.origin, rule_span.rule, rule_span.rule_version) == (
        SpanOrigin.RULE,
        "negara",
        3,
    )
    assert (rule_span.annotator, rule_span.note, rule_span.attributes) == (
        "ana",
        "cek",
        {"conf": 0.9},
    )
    assert quote.text == "tawarkan\r\nkerja " and quote.origin is SpanOrigin.MANUAL
    assert (org.label, org.rule, org.note) == ("ORG", None, None)
    [suggestion] = doc.suggestions
    assert (suggestion.start, suggestion.end, suggestion.text) == (39, 41, "AS")
    assert (suggestion.rule, suggestion.rule_version) == ("negara", 2)
    assert suggestion.state is SuggestionState.REJECTED
    assert suggestion.explanation == "gazetteer"


def test_integer_id_and_meta_title() -> None:
    [doc] = docs(read_lines({"id": 12, "text": "Isi", "meta": {"title": "Judul"}}))
    assert (doc.uid, doc.title) == ("12", "Judul")


def test_json_array_of_records() -> None:
    raw = '[\n  {"text": "Satu", "spans": []},\n  {"text": "Dua",\n   "label": [[0, 3, "X"]]}\n]\n'
    items = read_lines(raw=raw)
    one, two = docs(items)
    assert (one.text, two.text) == ("Satu", "Dua")
    assert triples(two) == [(0, 3, "X", "Dua")]


def test_malformed_line_is_reported_and_the_others_go_on() -> None:
    raw = '{"text": "Satu"}\n{"text": "Dua", \n\n{"text": "Tiga"}\n'
    items = read_lines(raw=raw)
    assert [d.text for d in docs(items)] == ["Satu", "Tiga"]
    [problem] = problems(items)
    assert (problem.file, problem.line) == ("in.jsonl", 2)
    assert problem.reason.startswith("malformed JSON")


def test_broken_pretty_printed_json_is_one_problem() -> None:
    items = read_lines(raw='{\n  "text": "Satu",\n  "spans": [\n}\n')
    [problem] = items
    assert isinstance(problem, Problem) and problem.line == 4
    assert problem.reason.startswith("malformed JSON")


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (
            {"text": "Jakarta", "spans": [{"start": 0, "end": 99, "label": "LOC"}]},
            "span 1 (0, 99, 'LOC'): span [0, 99) is out of range for a text of 7 characters",
        ),
        (
            {"text": "Jakarta", "spans": [{"start": 3, "end": 3, "label": "LOC"}]},
            "span 1 (3, 3, 'LOC'): span [3, 3) is out of range for a text of 7 characters",
        ),
        (
            {"text": "Jakarta", "spans": [{"start": "0", "end": 7, "label": "LOC"}]},
            "span 1 ('0', 7, 'LOC'): offsets must be integers, got '0', 7",
        ),
        (
            {"text": "Jakarta", "spans": [{"start": 0.0, "end": 7, "label": "LOC"}]},
            "span 1 (0.0, 7, 'LOC'): offsets must be integers, got 0.0, 7",
        ),
        (
            {"text": "Jakarta", "spans": [{"start": 0, "end": 4, "label": "LOC", "text": "Jaka "}]},
            "span 1 (0, 4, 'LOC'): span [0, 4) covers 'Jaka', not the text given for it 'Jaka '",
        ),
        (
            {"text": "Jakarta", "label": [[0, 7, "LOC"], [5, 2, "LOC"]]},
            "span 2 (5, 2, 'LOC'): span [5, 2) is out of range for a text of 7 characters",
        ),
        (
            {"text": "Jakarta", "label": [[0, 7]]},
            "'label' items must be [start, end, label], got [0, 7]",
        ),
        (
            {"text": "Jakarta", "spans": [{"start": 0, "end": 7}]},
            "span 1 (0, 7, None): the label must be a non-empty string",
        ),
        (
            {
                "text": "Jakarta",
                "spans": [{"start": 0, "end": 7, "label": "LOC", "origin": "model"}],
            },
            "span 1 (0, 7, 'LOC'): unknown origin 'model'",
        ),
        ({"text": "Jakarta", "status": "finished"}, "unknown document status 'finished'"),
        ({"text": "   "}, "'text' must be a non-empty string"),
        ({"text": 42}, "'text' must be a non-empty string"),
        ({"text": "Jakarta", "spans": {"start": 0}}, "'spans' must be a list, got dict"),
        (
            {"text": "Jakarta", "suggestions": [{"start": 0, "end": 7, "label": "LOC"}]},
            "suggestion 1 (0, 7, 'LOC'): the rule must be a non-empty string",
        ),
        (
            {
                "text": "Jakarta",
                "suggestions": [
                    {"start": 0, "end": 7, "label": "LOC", "rule": "r", "status": "maybe"}
                ],
            },
            "suggestion 1 (0, 7, 'LOC'): unknown status 'maybe'",
        ),
    ],
)
def test_bad_record_refuses_that_document_only(record: dict, reason: str) -> None:
    items = read_lines({"text": "Baik"}, record, {"text": "Juga baik"})
    assert [d.text for d in docs(items)] == ["Baik", "Juga baik"]
    assert problems(items) == [Problem("in.jsonl", reason, 2)]


def test_non_object_line() -> None:
    items = read_lines(raw='42\n{"text": "x"}\n')
    assert problems(items) == [Problem("in.jsonl", "expected a JSON object, got int", 1)]
    assert [d.text for d in docs(items)] == ["x"]


def test_crlf_text_is_kept_exactly() -> None:
    [doc] = docs(read_lines({"text": "a\r\nb", "spans": [{"start": 1, "end": 3, "label": "X"}]}))
    assert doc.text == "a\r\nb"
    assert doc.spans[0].text == "\r\n"


def test_binary_and_empty_files() -> None:
    assert problems(list(read_source(SourceFile("b.jsonl", b"\x00\x01{}")))) == [
        Problem("b.jsonl", "binary file (NUL bytes), not text")
    ]
    assert list(read_source(SourceFile("e.jsonl", b"\n\n"))) == [
        Problem("e.jsonl", "empty file (no text)")
    ]


def test_uima_cas_json_is_refused_clearly() -> None:
    items = read_lines({"%TYPES": {}, "%FEATURE_STRUCTURES": [], "%VIEWS": {}})
    assert items == [Problem("in.jsonl", "UIMA CAS JSON is not a format we can import", 1)]
