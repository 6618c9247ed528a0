"""JSONL (one record a line) and JSON arrays of records: ours, Prodigy, doccano, Label Studio."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from annotator.core.errors import Problem
from annotator.io.base import DEFAULT_READ_OPTIONS, Notice, ReadItem, ReadOptions, SourceFile
from annotator.io.readers.labelstudio import is_label_studio, task_to_record
from annotator.io.readers.records import RecordError, record_items
from annotator.io.readers.text import decode_source

_DECODER = json.JSONDecoder()


def read_jsonl(
    source: SourceFile, options: ReadOptions = DEFAULT_READ_OPTIONS
) -> Iterator[ReadItem]:
    """Every record of a JSONL file (or a JSON array / single pretty-printed object)."""
    decoded, reports = decode_source(source)
    yield from reports
    if decoded is None:
        return
    for entry in _records(source.name, decoded.text):
        if isinstance(entry, Problem):
            yield entry
            continue
        line, record = entry
        refusal = _not_documents(record)
        if refusal:
            yield Problem(source.name, refusal, line)
            return
        if is_label_studio(record):
            yield from _label_studio_items(source, line, record)
        else:
            yield from record_items(source.name, source.stem, line, record)


def _not_documents(record: Any) -> str | None:
    """Why a whole file is something other than documents, judged by one record."""
    if not isinstance(record, dict) or "text" in record:
        return None
    if "pattern" in record:
        return "a file of match patterns (for rules), not documents"
    if "%FEATURE_STRUCTURES" in record or "%TYPES" in record:
        return "UIMA CAS JSON is not a format we can import"
    return None


def _label_studio_items(source: SourceFile, line: int, task: dict[str, Any]) -> Iterator[ReadItem]:
    notes: list[str] = []
    try:
        record = task_to_record(task, notes)
    except RecordError as exc:
        yield Problem(source.name, str(exc), line)
        return
    for note in notes:
        yield Notice(source.name, f"line {line}: {note}")
    yield from record_items(source.name, source.stem, line, record)


def _records(file: str, text: str) -> Iterator[tuple[int, Any] | Problem]:
    """(line number, parsed value) for each record; a Problem for each malformed line."""
    if text.startswith("[", _skip_space(text, 0)):  # (lstrip would copy a 500 MB text)
        yield from _array(file, text)
        return
    first = next(((n, ln) for n, ln in _lines(text) if ln.strip()), None)
    if first is not None and _parses(first[1]) is None:
        # Not one object a line: maybe one JSON value pretty-printed over many lines.
        try:
            whole = json.loads(text)
        except json.JSONDecodeError as exc:
            if first[1].strip() == "{":
                yield Problem(file, f"malformed JSON: {exc.msg} (column {exc.colno})", exc.lineno)
                return
            whole = None
        if isinstance(whole, dict):
            yield first[0], whole
            return
    for number, line in _lines(text):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(file, f"malformed JSON: {exc.msg} (column {exc.colno})", number)


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of each line, one at a time: a list of every line of a 500 MB
    file would hold its text a second time."""
    start, number = 0, 1
    while True:
        end = text.find("\n", start)
        if end < 0:
            yield number, text[start:]
            return
        yield number, text[start:end]
        start, number = end + 1, number + 1


def _array(file: str, text: str) -> Iterator[tuple[int, Any] | Problem]:
    """The elements of a top-level JSON array, each with the line it starts on."""
    pos = text.index("[") + 1
    line, counted = 1, 0
    while True:
        pos = _skip_space(text, pos)
        if pos < len(text) and text[pos] == "]":
            return
        try:
            value, end = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield Problem(file, f"malformed JSON: {exc.msg} (column {exc.colno})", exc.lineno)
            return
        line += text.count("\n", counted, pos)
        counted = pos
        yield line, value
        pos = _skip_space(text, end)
        if pos < len(text) and text[pos] == ",":
            pos += 1
        elif pos >= len(text) or text[pos] != "]":
            at = text.count("\n", 0, pos) + 1
            yield Problem(file, "malformed JSON: expected ',' or ']' after a record", at)
            return


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _parses(line: str) -> Any | None:
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return None
