"""CoNLL / IOB2 export: ``TOKEN<TAB>TAG`` a line, a blank line after each sentence.

Each document starts with ``-DOCSTART-\\tO`` and a blank line. Tokens and sentences come
from ``annotator.core.tokenize``. IOB2 cannot hold overlapping spans: the outermost span
(longest, then earliest) is kept and the others are counted in a warning. A token is
tagged by a span when the span covers the token's first character, so a span ending
inside a token still tags that whole token, and a span that starts inside a token
only tags the tokens that start after it (one covering no token start is left out).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from annotator.core.export_record import DocumentRecord, SpanRecord, record_of
from annotator.core.model import Document, Label, Span
from annotator.core.tokenize import Token, token_layout
from annotator.io.atomic import atomic_file
from annotator.io.base import ExportOptions, ExportResult
from annotator.io.writers._common import outermost, suggestions_ignored, without_whitespace

DOCSTART = "-DOCSTART-\tO"


def iob2_tags(tokens: Sequence[Token], spans: Sequence[Span]) -> tuple[list[str], int, int]:
    """IOB2 tags for ``tokens``, and how many spans were left out: overlapping, no token start."""
    kept, overlapping = outermost(spans, lambda s: (s.start, s.end))
    tags = ["O"] * len(tokens)
    starts = [t.start for t in tokens]
    untagged = 0
    for span in kept:
        first = bisect_left(starts, span.start)
        last = bisect_left(starts, span.end)  # tokens starting before span.end
        if first >= last:
            untagged += 1
            continue
        name = without_whitespace(span.label)
        tags[first] = f"B-{name}"
        for i in range(first + 1, last):
            tags[i] = f"I-{name}"
    return tags, overlapping, untagged


@lru_cache(maxsize=4096)  # a label's tags, on every span
def _tags(label: str) -> tuple[str, str]:
    name = without_whitespace(label)
    return f"\tB-{name}\n", f"\tI-{name}\n"


def _bounds(span: SpanRecord) -> tuple[int, int]:
    return (span.start, span.end)


def document_conll(doc: DocumentRecord) -> tuple[str, int, int, int]:
    """One document's lines (each ending in a line end), spans written, overlapping, untagged.

    Every token line is ``token + suffix``: the suffixes start as ``\\tO\\n``, spans put their
    tags in, and a sentence's last token gets a second line end: two list joins in C instead of
    a formatted line a token."""
    layout = token_layout(doc.text)
    spans = doc.spans
    # Most documents have no overlapping spans (store order: by start, longer first).
    if all(a.end <= b.start for a, b in pairwise(spans)):
        kept, overlapping = spans, 0
    else:
        kept, overlapping = outermost(spans, _bounds)
    suffixes = ["\tO\n"] * len(layout.texts)
    starts = layout.starts
    untagged = 0
    for span in kept:
        first = bisect_left(starts, span.start)
        last = bisect_left(starts, span.end)  # tokens starting before span.end
        if first >= last:
            untagged += 1
            continue
        begin, inside = _tags(span.label)
        suffixes[first] = begin
        if last > first + 1:
            suffixes[first + 1 : last] = [inside] * (last - first - 1)
    for end in layout.sentence_ends:
        suffixes[end] += "\n"
    lines = [""] * (2 * len(suffixes))
    lines[0::2] = layout.texts
    lines[1::2] = suffixes
    written = len(spans) - overlapping - untagged
    return DOCSTART + "\n\n" + "".join(lines), written, overlapping, untagged


def write(
    documents: Iterable[Document],
    labels: Sequence[Label],
    out: Path,
    options: ExportOptions,
) -> ExportResult:
    """Write ``documents`` to the IOB2 file ``out``, atomically."""
    return write_records(map(record_of, documents), labels, out, options)


def write_records(
    documents: Iterable[DocumentRecord],
    labels: Sequence[Label],
    out: Path,
    options: ExportOptions,
) -> ExportResult:
    """Write document records to the IOB2 file ``out``, atomically."""
    result = ExportResult(path=Path(out), warnings=suggestions_ignored("conll", options))
    overlapping = untagged = 0
    with atomic_file(Path(out), "w", newline="\n") as handle:
        for doc in documents:
            text, written, lost, missed = document_conll(doc)
            handle.write(text)
            result.documents += 1
            result.spans += written
            overlapping += lost
            untagged += missed
    if overlapping:
        result.warnings.append(
            f"{overlapping} overlapping spans left out of CoNLL (outermost kept)"
        )
    if untagged:
        result.warnings.append(
            f"{untagged} spans left out of CoNLL: they cover no token start "
            "(they start inside a token)"
        )
    return result
