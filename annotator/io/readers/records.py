"""One JSON record (our export, Prodigy, doccano) to a Document; shape detection included."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from annotator.core.errors import Problem
from annotator.core.model import (
    Document,
    DocumentStatus,
    Span,
    SpanOrigin,
    Suggestion,
    SuggestionState,
)
from annotator.core.spans import new_span, span_problem
from annotator.core.unicode_check import document_encoding_problem
from annotator.io.base import Notice, ReadItem
from annotator.io.readers.text import title_from

SKIPPED_ANSWERS = ("reject", "ignore")


class RecordError(ValueError):
    """Why one record is refused; becomes a Problem with the record's line."""


def record_items(file: str, stem: str, line: int, record: Any) -> Iterator[ReadItem]:
    """The Document (or Problem, Notices) for one JSON record."""
    if not isinstance(record, dict):
        yield Problem(file, f"expected a JSON object, got {type(record).__name__}", line)
        return
    answer = record.get("answer")
    if answer in SKIPPED_ANSWERS:
        yield Notice(file, f"line {line}: skipped a record answered {answer!r}")
        return
    notes: list[str] = []
    try:
        document = build_document(file, stem, record, notes)
    except RecordError as exc:
        yield Problem(file, str(exc), line)
        return
    for note in notes:
        yield Notice(file, f"line {line}: {note}")
    yield document


def build_document(file: str, stem: str, record: Mapping[str, Any], notes: list[str]) -> Document:
    """A Document from a record in our export, Prodigy or doccano shape; raises RecordError."""
    text = record.get("text")
    if text is None:
        keys = ", ".join(repr(k) for k in list(record)[:8])
        raise RecordError(f"no 'text' field in this record (it has {keys})")
    if not isinstance(text, str) or not text.strip():
        raise RecordError("'text' must be a non-empty string")
    meta = record.get("meta")
    metadata: dict[str, Any] = dict(meta) if isinstance(meta, dict) else {}
    metadata.setdefault("format", "jsonl")
    categories = _categories(record)
    if categories:
        metadata.setdefault("categories", categories)
    spans = dedupe(make_spans(text, raw_spans(record)), notes)
    relations = record.get("relations")
    if isinstance(relations, list) and relations:
        notes.append(f"skipped {len(relations)} relation(s) (only text spans are imported)")
    suggestions = [make_suggestion(text, i, s) for i, s in enumerate(_list(record, "suggestions"))]
    document = Document(
        text=text,
        title=_title(record, metadata, text, stem),
        source=file,
        metadata=metadata,
        language=_str(record.get("language")) or _str(metadata.get("language")),
        spans=tuple(spans),
        suggestions=tuple(suggestions),
        uid=_uid(record.get("id")),
        status=_status(record.get("status")),
    )
    # The reader's documents skip document_problem (CHECKED_FORMATS): check the encoding here.
    unencodable = document_encoding_problem(document)
    if unencodable:
        raise RecordError(unencodable)
    return document


def raw_spans(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Span dicts from any of the known shapes, as ``{"start", "end", "label", ...}``."""
    # The record's own dicts (only read from here on): 200,000 copies cost a tenth of a second.
    spans = [s if isinstance(s, dict) else {"bad": s} for s in _list(record, "spans")]
    for key in ("label", "labels"):
        value = record.get(key)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    continue  # a document category, not a span
                if not isinstance(item, (list, tuple)) or len(item) != 3:
                    raise RecordError(f"'{key}' items must be [start, end, label], got {item!r}")
                spans.append({"start": item[0], "end": item[1], "label": item[2]})
    for item in _list(record, "entities"):
        if not isinstance(item, dict):
            raise RecordError(f"'entities' items must be objects, got {item!r}")
        spans.append(
            {
                "start": item.get("start_offset"),
                "end": item.get("end_offset"),
                "label": item.get("label"),
            }
        )
    return spans


_PLAIN_SPAN_KEYS = frozenset({"start", "end", "label", "text"})
_MANUAL = SpanOrigin.MANUAL


def make_spans(text: str, raw: list[dict[str, Any]]) -> list[Span]:
    """Validated spans; the first bad one raises RecordError naming it."""
    # Hot path (200,000 spans in the import benchmark): the common span (offsets, a label, maybe
    # its text) is checked inline here; any other goes through _make_span, which words errors.
    spans = []
    length = len(text)
    for i, d in enumerate(raw):
        get = d.get
        start, end, label = get("start"), get("end"), get("label")
        if (
            type(start) is int
            and type(end) is int
            and type(label) is str
            and 0 <= start < end <= length
            and d.keys() <= _PLAIN_SPAN_KEYS
            and label.strip()
        ):
            covered = text[start:end]
            given = get("text")
            if not isinstance(given, str) or given == covered:
                spans.append(
                    new_span(start, end, label, covered, _MANUAL, None, None, None, None, {})
                )
                continue
        spans.append(_make_span(text, i, d))
    return spans


_ORIGINS = {origin.value: origin for origin in SpanOrigin}


def _make_span(text: str, index: int, d: dict[str, Any]) -> Span:
    if "bad" in d and len(d) == 1:
        raise RecordError(f"span {index + 1} must be an object, got {d['bad']!r}")
    get = d.get
    start, end, label = get("start"), get("end"), get("label")

    def where() -> str:
        return f"span {index + 1} ({start!r}, {end!r}, {label!r})"

    if not isinstance(label, str) or not label.strip():
        raise RecordError(f"{where()}: the label must be a non-empty string")
    given = get("text")
    reason = span_problem(text, start, end, given if isinstance(given, str) else None)
    if reason:
        raise RecordError(f"{where()}: {reason}")
    assert isinstance(start, int) and isinstance(end, int)
    origin_name = get("origin") or "manual"
    origin = _ORIGINS.get(origin_name)
    if origin is None:
        raise RecordError(f"{where()}: unknown origin {origin_name!r}")
    attributes = get("attributes")
    rule_version = get("rule_version")
    return new_span(
        start,
        end,
        label,
        text[start:end],
        origin,
        _str(get("rule")),
        rule_version
        if isinstance(rule_version, int) and not isinstance(rule_version, bool)
        else None,
        _str(get("annotator")),
        _str(get("note")),
        dict(attributes) if attributes and isinstance(attributes, dict) else {},
    )


def make_suggestion(text: str, index: int, d: Any) -> Suggestion:
    """A validated suggestion from our export shape; raises RecordError."""
    if not isinstance(d, dict):
        raise RecordError(f"suggestion {index + 1} must be an object, got {d!r}")
    start, end, label, rule = d.get("start"), d.get("end"), d.get("label"), d.get("rule")
    where = f"suggestion {index + 1} ({start!r}, {end!r}, {label!r})"
    if not isinstance(label, str) or not label.strip():
        raise RecordError(f"{where}: the label must be a non-empty string")
    if not isinstance(rule, str) or not rule:
        raise RecordError(f"{where}: the rule must be a non-empty string")
    given = d.get("text")
    reason = span_problem(text, start, end, given if isinstance(given, str) else None)
    if reason:
        raise RecordError(f"{where}: {reason}")
    assert isinstance(start, int) and isinstance(end, int)
    state_name = d.get("status", d.get("state")) or SuggestionState.PENDING.value
    try:
        state = SuggestionState(state_name)
    except ValueError:
        raise RecordError(f"{where}: unknown status {state_name!r}") from None
    return Suggestion(
        start=start,
        end=end,
        label=label,
        text=text[start:end],
        rule=rule,
        rule_version=_int(d.get("rule_version")) or 1,
        explanation=_str(d.get("explanation")) or "",
        state=state,
        decided_by=_str(d.get("decided_by")),
    )


def dedupe(spans: list[Span], notes: list[str]) -> list[Span]:
    """Spans with exact duplicates (same start, end, label) dropped, with a note."""
    if len({(s.start, s.end, s.label) for s in spans}) == len(spans):
        return spans
    seen: set[tuple[int, int, str]] = set()
    kept = []
    for span in spans:
        if span.key not in seen:
            seen.add(span.key)
            kept.append(span)
    if len(kept) < len(spans):
        notes.append(f"dropped {len(spans) - len(kept)} duplicate span(s)")
    return kept


def _categories(record: Mapping[str, Any]) -> list[str]:
    value = record.get("label")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _title(record: Mapping[str, Any], metadata: Mapping[str, Any], text: str, stem: str) -> str:
    for value in (record.get("title"), metadata.get("title")):
        if isinstance(value, str) and value.strip():
            return value  # verbatim, so import(export(db)) keeps it
    return title_from(text, stem)


def _status(value: Any) -> DocumentStatus:
    if value is None:
        return DocumentStatus.NEW
    try:
        return DocumentStatus(value)
    except ValueError:
        raise RecordError(f"unknown document status {value!r}") from None


def _list(record: Mapping[str, Any], key: str) -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(f"'{key}' must be a list, got {type(value).__name__}")
    return value


def _uid(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    return str(value) if isinstance(value, (str, int)) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
