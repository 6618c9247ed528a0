"""JSONL export: one document a line, with its spans (and, on request, its suggestions)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson

from annotator.core.export_record import DocumentRecord, SpanRecord, record_of
from annotator.core.model import Document, Label, Suggestion
from annotator.io.atomic import atomic_file
from annotator.io.base import ExportOptions, ExportResult
from annotator.io.writers._common import writer_of_documents

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
# Their UTF-8 lead bytes: a memchr for these is ~100x faster than the regex over every line,
# and most lines (plain ASCII, or no character in U+0080-00BF / U+2000-2FFF) have neither.
_LEAD_BYTES = (b"\xc2", b"\xe2")
_SPAN_KEYS = SpanRecord._fields


def _encode(record: dict[str, Any]) -> bytes:
    """One line of UTF-8 JSON: orjson (several times faster), else the standard library."""
    try:
        line = orjson.dumps(record, default=_default)
    except (orjson.JSONEncodeError, TypeError):
        # orjson refuses lone surrogates (possible after a JSON import of "\ud800");
        # the standard encoder escapes them as JSON allows.
        line = json.dumps(record, ensure_ascii=True, default=_default).encode("ascii")
    if (_LEAD_BYTES[0] in line or _LEAD_BYTES[1] in line) and _RAW_BREAK_BYTES.search(line):
        line = _RAW_BREAK_BYTES.sub(
            lambda m: f"\\u{ord(m.group().decode('utf-8')):04x}".encode("ascii"), line
        )
    return line


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


def _by_label_too(span: SpanRecord) -> tuple[int, int, str]:
    return (span.start, -span.end, span.label)


def document_json(doc: DocumentRecord, include_suggestions: bool) -> dict[str, Any]:
    """The JSON object of one document (one line of the file)."""
    spans = doc.spans
    # Store order is by start, longer first; the file orders spans over the same range by
    # label too. Such ranges are rare, so the (stable) sort runs only when there is one.
    if len({(s.start, s.end) for s in spans}) < len(spans):
        spans = sorted(spans, key=_by_label_too)
    record: dict[str, Any] = {
        "id": doc.uid,
        "title": doc.title,
        "text": doc.text,
        "meta": doc.metadata,
        "status": doc.status,
        "language": doc.language,
        "spans": [dict(zip(_SPAN_KEYS, s)) for s in spans],
    }
    if include_suggestions:
        ordered = sorted(doc.suggestions, key=lambda s: (s.start, -s.end, s.label, s.rule))
        record["suggestions"] = [suggestion_record(s) for s in ordered]
    return record


def document_record(doc: Document, include_suggestions: bool) -> dict[str, Any]:
    """The JSON object of one ``Document``."""
    return document_json(record_of(doc), include_suggestions)


def write_records(
    documents: Iterable[DocumentRecord],
    labels: Sequence[Label],
    out: Path,
    options: ExportOptions,
) -> ExportResult:
    """Write document records to the JSONL file ``out``, atomically."""
    result = ExportResult(path=Path(out))
    lines: list[bytes] = []
    with atomic_file(Path(out), "wb") as handle:
        for doc in documents:
            # JSON escapes \r and \n inside strings, so each record stays on one line.
            lines.append(_encode(document_json(doc, options.include_suggestions)))
            result.documents += 1
            result.spans += len(doc.spans)
            if len(lines) >= _BUFFER_LINES:
                handle.write(b"\n".join(lines) + b"\n")
                lines.clear()
        if lines:
            handle.write(b"\n".join(lines) + b"\n")
    return result


write = writer_of_documents(write_records)
