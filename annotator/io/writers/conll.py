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
from pathlib import Path

from annotator.core.model import Document, Label, Span
from annotator.core.tokenize import Token, sentences, tokenize
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


def document_lines(doc: Document) -> tuple[list[str], int, int, int]:
    """The lines of one document (without line ends), spans written, overlapping and untagged."""
    tokens = tokenize(doc.text)
    tags, overlapping, untagged = iob2_tags(tokens, doc.spans)
    tag_of = {token.start: tag for token, tag in zip(tokens, tags, strict=True)}
    lines = [DOCSTART, ""]
    for sentence in sentences(doc.text, tokens):
        lines.extend(f"{token.text}\t{tag_of[token.start]}" for token in sentence)
        lines.append("")
    written = len(doc.spans) - overlapping - untagged
    return lines, written, overlapping, untagged


def write(
    documents: Iterable[Document],
    labels: Sequence[Label],
    out: Path,
    options: ExportOptions,
) -> ExportResult:
    """Write ``documents`` to the IOB2 file ``out``, atomically."""
    result = ExportResult(path=Path(out), warnings=suggestions_ignored("conll", options))
    overlapping = untagged = 0
    with atomic_file(Path(out), "w", newline="\n") as handle:
        for doc in documents:
            lines, written, lost, missed = document_lines(doc)
            handle.write("\n".join(lines) + "\n")
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
