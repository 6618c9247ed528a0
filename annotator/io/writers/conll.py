"""CoNLL export: ``TOKEN<TAB>TAG`` a line, a blank line after each sentence.

Each document starts with ``-DOCSTART-\\tO`` and a blank line. Tokens and sentences come
from ``annotator.core.tokenize``, with tokens cut where a span starts or ends inside one
(``Uber’s`` with a span ``Uber`` is written as ``Uber`` and ``’s``) and sentences joined
where a span crosses their break, so every tagged entity has exactly its span's characters.
Tags are IOB2 by default, or IOB1 or BIOES (``ExportOptions.scheme``). Tags cannot overlap:
the outermost span (longest, then earliest) is kept, and each span left out or changed
(one starting or ending in whitespace) gets a warning and counts in ``spans_changed``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from annotator.core.errors import UsageError
from annotator.core.export_record import DocumentRecord
from annotator.core.model import Label
from annotator.io.atomic import atomic_file
from annotator.io.base import ExportOptions, ExportResult
from annotator.io.writers._common import (
    suggestions_ignored,
    without_whitespace,
    writer_of_documents,
)
from annotator.io.writers._iob import SCHEMES, Tagged, label_warnings, tag_document

DOCSTART = "-DOCSTART-\tO"


def check_scheme(scheme: str) -> None:
    if scheme not in SCHEMES:
        raise UsageError(f"unknown tag scheme {scheme!r}; choose one of {', '.join(SCHEMES)}")


def conll_lines(tagged: Tagged) -> str:
    """The token lines of a tagged document, a blank line after each sentence.

    Built as [token, tab, tag, line end] * n with slice assignments: list joins in C
    instead of a formatted line a token (a bulk export writes millions)."""
    texts = tagged.layout.texts
    n = len(texts)
    if not n:
        return ""
    ends = ["\n"] * n
    for end in tagged.layout.sentence_ends:
        ends[end] = "\n\n"
    parts = [""] * (4 * n)
    parts[0::4] = texts
    parts[1::4] = ["\t"] * n
    parts[2::4] = tagged.tags
    parts[3::4] = ends
    return "".join(parts)


def document_conll(doc: DocumentRecord, scheme: str = "iob2") -> tuple[str, Tagged]:
    """One document's lines (each ending in a line end) and what tagging it gave."""
    tagged = tag_document(doc, scheme, "CoNLL")
    return DOCSTART + "\n\n" + conll_lines(tagged), tagged


def write_records(
    documents: Iterable[DocumentRecord],
    labels: Sequence[Label],
    out: Path,
    options: ExportOptions,
) -> ExportResult:
    """Write document records to the CoNLL file ``out``, atomically."""
    check_scheme(options.scheme)
    result = ExportResult(path=Path(out), warnings=suggestions_ignored("conll", options))
    span_warnings: list[str] = []
    used: set[str] = set()
    with atomic_file(Path(out), "w", newline="\n") as handle:
        for doc in documents:
            text, tagged = document_conll(doc, options.scheme)
            handle.write(text)
            result.documents += 1
            result.spans += tagged.written
            span_warnings += tagged.warnings
            used.update(span.label for span in doc.spans)
    result.warnings += label_warnings(used, "CoNLL", without_whitespace)
    result.warnings += span_warnings
    result.spans_changed += len(span_warnings)
    return result


write = writer_of_documents(write_records)
