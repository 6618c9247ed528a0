"""Label Studio export: one JSON array of tasks, as Label Studio's task import reads it.

Each document is a task ``{"data": {"text", "id", "title", "status", "language"},
"meta": <metadata>, "annotations": [{"result": [...]}], "predictions": [...]}``:

- spans are the results of one annotation (a task with no span and not ``done`` gets no
  annotation, so Label Studio counts it as not labelled yet);
- with ``--include-suggestions``, pending suggestions are predictions, one a rule, its
  ``model_version`` the rule's name (Label Studio shows them as pre-annotations to accept);
  decided suggestions are left out (accepted ones are spans already);
- each result is ``{"id", "from_name": "label", "to_name": "text", "type": "labels",
  "value": {"start", "end", "text", "labels": [LABEL]}}``, for the labeling config
  ``<Labels name="label" toName="text">`` over ``<Text name="text" value="$text"/>``. A
  span's note is the region's ``meta.text``, where Label Studio keeps region notes.

Offsets are code points, end-exclusive: what Label Studio's Text tag stores since its
emoji fix (label-studio PR #1559 / label-studio-frontend #308), and what ``text[start:end]``
in Python gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from annotator.core.export_record import DocumentRecord, SpanRecord
from annotator.core.model import Label, Suggestion, SuggestionState
from annotator.core.text import plural
from annotator.io.atomic import atomic_file
from annotator.io.base import ExportOptions, ExportResult
from annotator.io.writers._common import writer_of_documents
from annotator.io.writers.jsonl import _encode

FROM_NAME = "label"
TO_NAME = "text"
_BUFFER_TASKS = 256


def result_item(
    region: str, start: int, end: int, text: str, label: str, note: str | None = None
) -> dict[str, Any]:
    """One labelled text region of an annotation or a prediction."""
    item: dict[str, Any] = {
        "id": region,
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": "labels",
        "value": {"start": start, "end": end, "text": text, "labels": [label]},
    }
    if note:
        item["meta"] = {"text": [note]}
    return item


def task(doc: DocumentRecord, include_suggestions: bool) -> dict[str, Any]:
    """The Label Studio task of one document."""
    data = {
        "text": doc.text,
        "id": doc.uid,
        "title": doc.title,
        "status": doc.status,
        "language": doc.language,
    }
    record: dict[str, Any] = {
        "data": {key: value for key, value in data.items() if value is not None},
        "meta": doc.metadata,
    }
    if doc.spans or doc.status == "done":
        record["annotations"] = [{"result": _span_results(doc.spans)}]
    else:
        record["annotations"] = []
    if include_suggestions:
        record["predictions"] = _predictions(doc.suggestions)
    return record


def _span_results(spans: Sequence[SpanRecord]) -> list[dict[str, Any]]:
    ordered = sorted(spans, key=lambda s: (s.start, -s.end, s.label))
    return [
        result_item(f"s{n}", s.start, s.end, s.text, s.label, s.note)
        for n, s in enumerate(ordered, start=1)
    ]


def _predictions(suggestions: Sequence[Suggestion]) -> list[dict[str, Any]]:
    by_rule: dict[str, list[Suggestion]] = {}
    for suggestion in suggestions:
        if suggestion.state is SuggestionState.PENDING:
            by_rule.setdefault(suggestion.rule, []).append(suggestion)
    predictions = []
    count = 0
    for rule in sorted(by_rule):
        results = []
        for s in sorted(by_rule[rule], key=lambda s: (s.start, -s.end, s.label)):
            count += 1  # region ids unique in the task, across predictions
            results.append(result_item(f"p{count}", s.start, s.end, s.text, s.label))
        predictions.append({"model_version": rule, "result": results})
    return predictions


def write_records(
    documents: Iterable[DocumentRecord],
    labels: Sequence[Label],
    out: Path,
    options: ExportOptions,
) -> ExportResult:
    """Write document records as a Label Studio JSON task list to ``out``, atomically."""
    result = ExportResult(path=Path(out))
    attributes = decided = 0
    chunk: list[bytes] = []
    with atomic_file(Path(out), "wb") as handle:
        handle.write(b"[")
        for doc in documents:
            chunk.append(_encode(task(doc, options.include_suggestions)))
            result.documents += 1
            result.spans += len(doc.spans)
            attributes += sum(1 for s in doc.spans if s.attributes)
            decided += sum(1 for s in doc.suggestions if s.state is not SuggestionState.PENDING)
            if len(chunk) >= _BUFFER_TASKS:
                _write_tasks(handle, chunk, first=result.documents == len(chunk))
                chunk.clear()
        if chunk:
            _write_tasks(handle, chunk, first=result.documents == len(chunk))
        handle.write(b"\n]\n")
    if attributes:
        result.warnings.append(
            f"{plural(attributes, 'span')} with attributes, which Label Studio results "
            "cannot hold: those left out (the spans themselves are exported)"
        )
    if options.include_suggestions and decided:
        result.warnings.append(
            f"{plural(decided, 'decided suggestion')} left out: predictions are only the "
            "pending ones (accepted suggestions are spans already)"
        )
    return result


def _write_tasks(handle: Any, chunk: list[bytes], first: bool) -> None:
    """Tasks into the open array: one a line, comma-separated across chunks too."""
    handle.write((b"\n" if first else b",\n") + b",\n".join(chunk))


write = writer_of_documents(write_records)
