"""Label Studio tasks (``{"data": {"text"}, "annotations", "predictions"}``) as plain records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from annotator.core.model import DocumentStatus
from annotator.core.utf16 import code_point_table
from annotator.io.readers.records import RecordError


def is_label_studio(record: Any) -> bool:
    """True for a Label Studio task: a ``data`` object and no top-level ``text``."""
    return (
        isinstance(record, dict) and isinstance(record.get("data"), dict) and "text" not in record
    )


def task_to_record(task: Mapping[str, Any], notes: list[str]) -> dict[str, Any]:
    """Our record shape: annotations become spans, predictions become pending suggestions."""
    data = task["data"]
    text_key = (
        "text"
        if "text" in data
        else next(
            (k for k, v in data.items() if isinstance(v, str) and not k.startswith("$")), None
        )
    )
    if text_key is None:
        raise RecordError("a Label Studio task without a text field in 'data'")
    text = data[text_key]
    meta = dict(task["meta"]) if isinstance(task.get("meta"), dict) else {}
    ours = _document_fields(data)  # what our own Label Studio export put in "data"
    for key, value in data.items():
        if key != text_key and key not in ours and isinstance(value, (str, int, float, bool)):
            meta.setdefault(key, value)
    meta.setdefault("format", "label-studio")
    spans: list[dict[str, Any]] = []
    suggestions: list[dict[str, Any]] = []
    skipped = 0
    for annotation in _objects(task, "annotations"):
        if annotation.get("was_cancelled"):
            continue
        who = annotation.get("completed_by")
        for value in _results(annotation):
            if value is None:
                skipped += 1
                continue
            for item in _labelled(text, value):
                spans.append({**item, "annotator": who if isinstance(who, str) else None})
    for prediction in _objects(task, "predictions"):
        version = prediction.get("model_version")
        rule = f"label-studio:{version}" if version else "label-studio"
        for value in _results(prediction):
            if value is None:
                skipped += 1
                continue
            suggestions.extend({**item, "rule": rule} for item in _labelled(text, value))
    if skipped:
        notes.append(
            f"skipped {skipped} Label Studio result(s) that are not text spans "
            "(relations, choices, ...)"
        )
    return {
        "id": task.get("id"),
        **ours,
        "text": text,
        "meta": meta,
        "spans": spans,
        "suggestions": suggestions,
    }


def _document_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The id, title, status and language in a task's data, where usable as such (the task's
    own "id" is Label Studio's number; the data's "id" is the document's)."""
    fields: dict[str, Any] = {}
    if isinstance(data.get("id"), str) and data["id"]:
        fields["id"] = data["id"]
    if isinstance(data.get("title"), str):
        fields["title"] = data["title"]
    if data.get("status") in _STATUSES:
        fields["status"] = data["status"]
    if isinstance(data.get("language"), str) and data["language"]:
        fields["language"] = data["language"]
    return fields


_STATUSES = frozenset(status.value for status in DocumentStatus)


def _objects(task: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value = task.get(key) or []
    if not isinstance(value, list):
        raise RecordError(f"'{key}' must be a list")
    return [v for v in value if isinstance(v, dict)]


def _results(container: Mapping[str, Any]) -> list[dict[str, Any] | None]:
    """Each result's ``value`` when it is a labelled text span, else None (to count it)."""
    found: list[dict[str, Any] | None] = []
    results = container.get("result") or []
    if not isinstance(results, list):
        raise RecordError("Label Studio 'result' must be a list")
    for result in results:
        value = result.get("value") if isinstance(result, dict) else None
        if isinstance(value, dict) and "start" in value and "end" in value and value.get("labels"):
            note = _region_note(result)
            found.append({**value, "note": note} if note else value)
        else:
            found.append(None)
    return found


def _region_note(result: Mapping[str, Any]) -> str | None:
    """A region's notes (Label Studio keeps them as ``meta.text``, a list of lines)."""
    meta = result.get("meta")
    lines = meta.get("text") if isinstance(meta, dict) else None
    if isinstance(lines, list) and lines and all(isinstance(line, str) for line in lines):
        return "\n".join(lines)
    return None


def _labelled(text: str, value: Mapping[str, Any]) -> list[dict[str, Any]]:
    start, end, given = value.get("start"), value.get("end"), value.get("text")
    labels = value.get("labels")
    if not isinstance(labels, list):
        raise RecordError(f"Label Studio 'labels' must be a list, got {labels!r}")
    if isinstance(start, int) and isinstance(end, int) and isinstance(given, str):
        start, end = _code_points(text, start, end, given)
    note = value.get("note")
    extra = {"note": note} if isinstance(note, str) else {}
    return [
        {"start": start, "end": end, "label": label, "text": given, **extra} for label in labels
    ]


def _code_points(text: str, start: int, end: int, given: str) -> tuple[int, int]:
    # Label Studio counts in JavaScript string indices (UTF-16 code units); ours are code points.
    if text[start:end] == given:
        return start, end
    table = code_point_table(text)
    inside = 0 <= start < len(table) and 0 <= end < len(table)
    if inside and min(table[start], table[end]) >= 0 and text[table[start] : table[end]] == given:
        return table[start], table[end]
    return start, end
