"""CoNLL-2003 / IOB1 / IOB2 / BIOES columns: text rebuilt from tokens, spans from tags."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from annotator.core.errors import Problem
from annotator.core.model import Document, Span
from annotator.io.base import DEFAULT_READ_OPTIONS, ReadItem, ReadOptions, SourceFile
from annotator.io.readers.records import dedupe
from annotator.io.readers.text import decode_source, title_from

DOCSTART = "-DOCSTART-"
TAG_RE = re.compile(r"^(?:O|[BIESLU]-\S+)$")
# How many lines to look at when guessing the column layout.
SNIFF_LINES = 5000


@dataclass(frozen=True)
class Layout:
    """How a file's columns are laid out."""

    tab: bool
    columns: int
    token: int
    tags: tuple[int, ...]

    def split(self, line: str) -> list[str]:
        """The columns of one line."""
        return [p.strip() for p in line.strip().split("\t")] if self.tab else line.split()


@dataclass(frozen=True)
class _Row:
    line: int
    parts: list[str]


def is_tag(value: str) -> bool:
    """True for ``O`` and prefixed tags like ``B-PER``, ``I-LOCpart``, ``S-ORG``."""
    return TAG_RE.match(value) is not None


def detect_layout(lines: list[str]) -> Layout | None:
    """Separator, column count, token column and tag columns, from the data lines."""
    data = [ln for ln in lines[:SNIFF_LINES] if ln.strip() and not ln.lstrip().startswith("#")]
    if not data:
        return None
    tab = sum("\t" in ln for ln in data) * 2 > len(data)
    rows = [Layout(tab, 0, 0, ()).split(ln) for ln in data]
    columns = Counter(len(r) for r in rows).most_common(1)[0][0]
    if columns < 2:
        return None
    good = [r for r in rows if len(r) == columns and r[0] != DOCSTART]
    indexed = columns >= 3 and bool(good) and all(r[0].isdigit() for r in good)
    tags: tuple[int, ...] = (columns - 1,)
    # GermEval: index, token, outer tags, nested tags.
    if indexed and columns >= 4 and all(is_tag(r[columns - 2]) for r in good):
        tags = (columns - 2, columns - 1)
    return Layout(tab, columns, 1 if indexed else 0, tags)


def looks_like_conll(text: str) -> bool:
    """True when the lines look like ``TOKEN ... TAG`` columns with O/B-/I- tags."""
    lines = [ln for ln in text.split("\n")[:200] if ln.strip()]
    layout = detect_layout(lines)
    if layout is None:
        return False
    rows = [layout.split(ln) for ln in lines if not ln.lstrip().startswith("#")]
    rows = [r for r in rows if r[0] != DOCSTART]
    fitting = [r for r in rows if len(r) == layout.columns and is_tag(r[-1])]
    return len(rows) >= 2 and len(fitting) * 10 >= len(rows) * 9


def read_conll(
    source: SourceFile, options: ReadOptions = DEFAULT_READ_OPTIONS
) -> Iterator[ReadItem]:
    """The documents of a column file; -DOCSTART- lines split documents."""
    decoded, reports = decode_source(source)
    yield from reports
    if decoded is None:
        return
    lines = [ln.rstrip("\r") for ln in decoded.text.split("\n")]
    layout = detect_layout(lines)
    if layout is None:
        yield Problem(source.name, "not CoNLL columns: need a token column and a tag column")
        return
    chunks = list(_documents(layout, lines))
    for index, rows in enumerate(chunks, start=1):
        yield _document(source, layout, rows, index if len(chunks) > 1 else None)


def _documents(layout: Layout, lines: list[str]) -> Iterator[list[_Row | None]]:
    """Rows of each document (None marks a sentence break), split at -DOCSTART-."""
    rows: list[_Row | None] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            rows.append(None)
            continue
        parts = layout.split(line)
        if parts and parts[0] == DOCSTART:
            if any(r is not None for r in rows):
                yield rows
            rows = []
            continue
        if line.lstrip().startswith("#") and (
            len(parts) != layout.columns or not is_tag(parts[-1])
        ):
            continue  # a comment, not a "#" token
        rows.append(_Row(number, parts))
    if any(r is not None for r in rows):
        yield rows


def _document(
    source: SourceFile, layout: Layout, rows: list[_Row | None], index: int | None
) -> Document | Problem:
    """One document from its rows, or a Problem naming the first bad line."""
    sentences: list[list[_Row]] = [[]]
    for row in rows:
        if row is None:
            if sentences[-1]:
                sentences.append([])
            continue
        if len(row.parts) != layout.columns:
            sep = "tab-separated" if layout.tab else "whitespace-separated"
            reason = f"expected {layout.columns} {sep} columns, found {len(row.parts)}"
            return Problem(source.name, reason, row.line)
        if not row.parts[layout.token]:
            return Problem(source.name, "empty token", row.line)
        sentences[-1].append(row)
    sentences = [s for s in sentences if s]
    pieces: list[str] = []
    spans: list[Span] = []
    offset = 0
    for sentence in sentences:
        tokens = [r.parts[layout.token] for r in sentence]
        starts, ends, position = [], [], offset
        for token in tokens:
            starts.append(position)
            ends.append(position + len(token))
            position += len(token) + 1
        line_text = " ".join(tokens)
        for column in layout.tags:
            for first, last, label in tag_spans([r.parts[column] for r in sentence]):
                start, end = starts[first], ends[last]
                spans.append(Span(start, end, label, line_text[start - offset : end - offset]))
        pieces.append(line_text)
        offset += len(line_text) + 1
    text = "\n".join(pieces)
    metadata: dict[str, object] = {"format": "conll"}
    if index is not None:
        metadata["document"] = index
    return Document(
        text=text,
        title=title_from(text, source.stem),
        source=source.name,
        metadata=metadata,
        spans=tuple(dedupe(spans, [])),
    )


def tag_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(first token, last token, label) for each entity; IOB1, IOB2, BIOES and BILOU."""
    found: list[tuple[int, int, str]] = []
    open_: tuple[int, str] | None = None  # first token and label of the entity being read
    for i, tag in enumerate(tags + ["O"]):
        prefix, label = (tag[0], tag[2:]) if is_tag(tag) and tag != "O" else ("I", tag)
        continues = open_ is not None and open_[1] == label and prefix in "IEL"
        if open_ is not None and not continues:
            found.append((open_[0], i - 1, open_[1]))
            open_ = None
        if tag == "O" or not tag:
            continue
        if open_ is None:
            open_ = (i, label)
        if prefix in "SUEL":  # the entity ends on this token
            found.append((open_[0], i, open_[1]))
            open_ = None
    return found
