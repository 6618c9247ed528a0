"""doccano export: its sequence-labeling JSONL and its relation-extraction JSONL.

doccano's importer (``backend/data_import``) reads one JSON object a line; the text column
(``text``) becomes the example, the label column becomes its spans, and every other key is
kept as the example's ``meta``, which doccano's own export spreads back into the record.
So our id, title, status, language and metadata (under ``meta``) travel through doccano
and come back on re-import.

- ``doccano``: ``{"text", "label": [[start, end, "LABEL"], ...]}`` (sequence labeling)
- ``doccano-relations``: ``{"text", "entities": [{"id", "label", "start_offset",
  "end_offset"}], "relations": []}`` (relation extraction; we have no relations to give)

Offsets are Python string offsets (code points), end-exclusive, as doccano's backend keeps
them. Suggestions are left out: doccano has no place for a span that is not yet decided,
and writing pending suggestions as spans would make them look accepted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

from annotator.core.export_record import DocumentRecord, SpanRecord
from annotator.core.model import Label
from annotator.core.text import plural
from annotator.io.atomic import atomic_file
from annotator.io.base import ExportOptions, ExportResult
from annotator.io.writers._common import writer_of_documents
from annotator.io.writers.jsonl import _encode

# doccano keeps a label's name in a 100-character column (label_types.models.LabelType.text).
DOCCANO_LABEL_LENGTH = 100
_BUFFER_LINES = 256


def sequence_record(doc: DocumentRecord) -> dict[str, Any]:
    """One line of the sequence-labeling file."""
    record = _document_keys(doc)
    record["label"] = [[s.start, s.end, s.label] for s in _ordered(doc.spans)]
    return record


def relation_record(doc: DocumentRecord) -> dict[str, Any]:
    """One line of the relation-extraction file (entities numbered from 0 in each document)."""
    record = _document_keys(doc)
    record["entities"] = [
        {"id": n, "label": s.label, "start_offset": s.start, "end_offset": s.end}
        for n, s in enumerate(_ordered(doc.spans))
    ]
    record["relations"] = []
    return record


def _document_keys(doc: DocumentRecord) -> dict[str, Any]:
    # doccano keeps every key but the text and label columns as the example's meta. Every
    # record has the same keys (null where unset): doccano reads the lines into one pandas
    # frame, where a key missing from some lines would become NaN in their meta.
    return {
        "id": doc.uid,
        "text": doc.text,
        "title": doc.title,
        "status": doc.status,
        "language": doc.language,
        "meta": doc.metadata,
    }


def _ordered(spans: Sequence[SpanRecord]) -> list[SpanRecord]:
    # doccano's exporter sorts spans by (start, end, label); the same order here.
    return sorted(spans, key=lambda s: (s.start, s.end, s.label))


def _overlaps(spans: Sequence[SpanRecord]) -> bool:
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    return any(b.start < a.end for a, b in pairwise(ordered))


class _Notes:
    """What the export could not carry, counted over all documents, said once each."""

    def __init__(self, fmt: str, options: ExportOptions) -> None:
        self.fmt = fmt
        self.options = options
        self.suggestions = 0
        self.extras = 0
        self.overlapping_documents = 0
        self.long_labels: set[str] = set()

    def add(self, doc: DocumentRecord) -> None:
        self.suggestions += len(doc.suggestions)
        self.extras += sum(1 for s in doc.spans if s.note or s.attributes)
        if _overlaps(doc.spans):
            self.overlapping_documents += 1
        self.long_labels.update(s.label for s in doc.spans if len(s.label) > DOCCANO_LABEL_LENGTH)

    def warnings(self) -> list[str]:
        found = []
        if self.options.include_suggestions and self.suggestions:
            found.append(
                f"{plural(self.suggestions, 'suggestion')} left out: doccano has no place for "
                "a span not yet decided (use jsonl or labelstudio to keep them)"
            )
        if self.extras:
            found.append(
                f"{plural(self.extras, 'span')} with a note or attributes, which {self.fmt} "
                "cannot hold: those left out (the spans themselves are exported)"
            )
        if self.overlapping_documents:
            found.append(
                f"{plural(self.overlapping_documents, 'document')} with overlapping spans: "
                "doccano keeps them only in a project with 'Allow overlapping spans' on; "
                "otherwise it keeps the first of each overlap"
            )
        for label in sorted(self.long_labels):
            found.append(
                f"label {label[:40]!r}... is longer than doccano's {DOCCANO_LABEL_LENGTH} "
                "characters: doccano refuses it"
            )
        return found


def _write(
    documents: Iterable[DocumentRecord], out: Path, options: ExportOptions, relations: bool
) -> ExportResult:
    fmt = "doccano-relations" if relations else "doccano"
    to_record = relation_record if relations else sequence_record
    result = ExportResult(path=Path(out))
    notes = _Notes(fmt, options)
    lines: list[bytes] = []
    with atomic_file(Path(out), "wb") as handle:
        for doc in documents:
            # JSON escapes \r and \n in strings: doccano's line reader sees one record a line.
            lines.append(_encode(to_record(doc)))
            notes.add(doc)
            result.documents += 1
            result.spans += len(doc.spans)
            if len(lines) >= _BUFFER_LINES:
                handle.write(b"\n".join(lines) + b"\n")
                lines.clear()
        if lines:
            handle.write(b"\n".join(lines) + b"\n")
    result.warnings.extend(notes.warnings())
    return result


def write_records(
    documents: Iterable[DocumentRecord],
    labels: Sequence[Label],
    out: Path,
    options: ExportOptions,
) -> ExportResult:
    """Write document records as doccano sequence-labeling JSONL to ``out``, atomically."""
    return _write(documents, out, options, relations=False)


def write_relation_records(
    documents: Iterable[DocumentRecord],
    labels: Sequence[Label],
    out: Path,
    options: ExportOptions,
) -> ExportResult:
    """Write document records as doccano relation-extraction JSONL to ``out``, atomically."""
    return _write(documents, out, options, relations=True)


write = writer_of_documents(write_records)
write_relations = writer_of_documents(write_relation_records)
