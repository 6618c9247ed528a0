"""CSV export: one span a row, UTF-8 without BOM, RFC 4180 quoting (texts may hold line breaks)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from annotator.core.model import Document, Label, Span
from annotator.core.spans import sort_spans
from annotator.io.atomic import atomic_file
from annotator.io.base import ExportOptions, ExportResult
from annotator.io.writers._common import suggestions_ignored

HEADER = (
    "document_id",
    "document_title",
    "start",
    "end",
    "label",
    "text",
    "origin",
    "rule",
    "annotator",
    "note",
)


def span_row(doc: Document, span: Span) -> tuple[object, ...]:
    """The row of one span; ``document_id`` is the document's uid (its id when it has none)."""
    doc_id = doc.uid if doc.uid is not None else (doc.id if doc.id is not None else "")
    return (
        doc_id,
        doc.title,
        span.start,
        span.end,
        span.label,
        span.text,
        span.origin.value,
        span.rule or "",
        span.annotator or "",
        span.note or "",
    )


def write(
    documents: Iterable[Document],
    labels: Sequence[Label],
    out: Path,
    options: ExportOptions,
) -> ExportResult:
    """Write the spans of ``documents`` to the CSV file ``out``, atomically."""
    result = ExportResult(path=Path(out), warnings=suggestions_ignored("csv", options))
    # newline="" is what the csv module needs: it quotes fields with \r or \n and
    # ends rows with \r\n itself, so texts come back exactly from csv.reader.
    with atomic_file(Path(out), "w", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(HEADER)
        for doc in documents:
            writer.writerows(span_row(doc, span) for span in sort_spans(doc.spans))
            result.documents += 1
            result.spans += len(doc.spans)
    return result
