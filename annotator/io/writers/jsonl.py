"""JSONL export: one document a line, with its spans (and, on request, its suggestions)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson

from annotator.core.model import Document, Label, Span, Suggestion
from annotator.core.spans import sort_spans
from annotator.io.atomic import atomic_file
from annotator.io.base import ExportOptions, ExportResult

# Write in chunks: one write() call a line costs more than the encoding itself.
_BUFFER_LINES = 256


def _default(value: Any) -> Any:
    """JSON for what metadata may hold beyond plain JSON (read-only mappings, dates, sets)."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


# Line breaks JSON leaves raw; escaped so that readers splitting with str.splitlines() see one
# record a line. They can only occur inside JSON strings, where the escape means the same.
_RAW_BREAKS = ("\x85", "\u2028", "\u2029")
_RAW_BREAK_BYTES = re.compile("|".join(ch for ch in _RAW_BREAKS).encode("utf-8"))


def _encode(record: dict[str, Any]) -> bytes:
    """One line of UTF-8 JSON: orjson (several times faster), else the standard library."""
    try:
        line = orjson.dumps(record, default=_default)
    except (orjson.JSONEncodeError, TypeError):
        # orjson refuses lone surrogates (possible after a JSON import of "\ud800");
        # the standard encoder escapes them as JSON allows.
        line = json.dumps(record, ensure_ascii=True, default=_default).encode("ascii")
    if _RAW_BREAK_BYTES.search(line):
        line = _RAW_BREAK_BYTES.sub(
            lambda m: f"\\u{ord(m.group().decode('utf-8')):04x}".encode("ascii"), line
        )
    return line


def span_record(span: Span) -> dict[str, Any]:
    """The JSON object of one span."""
    return {
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "text": span.text,
        "origin": span.origin.value,
        "rule": span.rule,
        "rule_version": span.rule_version,
        "annotator": span.annotator,
        "note": span.note,
        "attributes": dict(span.attributes),
    }


def suggestion_record(suggestion: Suggestion) -> dict[str, Any]:
    """The JSON object of one suggestion; ``status`` is its state."""
    return {
        "start": suggestion.start,
        "end": suggestion.end,
        "label": suggestion.label,
        "text": suggestion.text,
        "rule": suggestion.rule,
        "rule_version": suggestion.rule_version,
        "explanation": suggestion.explanation,
        "status": suggestion.state.value,
    }


def document_record(doc: Document, include_suggestions: bool) -> dict[str, Any]:
    """The JSON object of one document (one line of the file)."""
    record: dict[str, Any] = {
        "id": doc.uid,
        "title": doc.title,
        "text": doc.text,
        "meta": dict(doc.metadata),
        "status": doc.status.value,
        "language": doc.language,
        "spans": [span_record(s) for s in sort_spans(doc.spans)],
    }
    if include_suggestions:
        ordered = sorted(doc.suggestions, key=lambda s: (s.start, -s.end, s.label, s.rule))
        record["suggestions"] = [suggestion_record(s) for s in ordered]
    return record


def write(
    documents: Iterable[Document],
    labels: Sequence[Label],
    out: Path,
    options: ExportOptions,
) -> ExportResult:
    """Write ``documents`` to the JSONL file ``out``, atomically."""
    result = ExportResult(path=Path(out))
    lines: list[bytes] = []
    with atomic_file(Path(out), "wb") as handle:
        for doc in documents:
            # JSON escapes \r and \n inside strings, so each record stays on one line.
            lines.append(_encode(document_record(doc, options.include_suggestions)))
            result.documents += 1
            result.spans += len(doc.spans)
            if len(lines) >= _BUFFER_LINES:
                handle.write(b"\n".join(lines) + b"\n")
                lines.clear()
        if lines:
            handle.write(b"\n".join(lines) + b"\n")
    return result
