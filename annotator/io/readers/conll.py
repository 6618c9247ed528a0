"""CoNLL-2003 / IOB1 / IOB2 / BIOES columns: text rebuilt from tokens, spans from tags."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from annotator.core.errors import Problem
from annotator.core.model import Document, Span
from annotator.io.base import DEFAULT_READ_OPTIONS, Notice, ReadItem, ReadOptions, SourceFile
from annotator.io.readers.conllu import conllu_documents, looks_like_conllu
from annotator.io.readers.doc_groups import group_sentences, grouping_note
from annotator.io.readers.iob import TAG_RE, is_tag, tag_spans
from annotator.io.readers.records import dedupe
from annotator.io.readers.text import decode_source, title_from

__all__ = ["TAG_RE", "detect_layout", "is_tag", "looks_like_conll", "read_conll", "tag_spans"]

DOCSTART = "-DOCSTART-"
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
    """The documents of a column file; -DOCSTART- lines split documents, else sentence groups
    (doc_groups). CoNLL-U / CoNLL-X content goes to the CoNLL-U reader."""
    decoded, reports = decode_source(source)
    yield from reports
    if decoded is None:
        return
    lines = [ln.rstrip("\r") for ln in decoded.text.split("\n")]
    if looks_like_conllu(lines):
        yield Notice(source.name, "CoNLL-U / CoNLL-X columns: read as CoNLL-U")
        yield from conllu_documents(source, lines, options)
        return
    layout = detect_layout(lines)
    if layout is None:
        yield Problem(source.name, "not CoNLL columns: need a token column and a tag column")
        return
    untagged = _untagged_column(layout, lines)
    if untagged is not None:
        yield untagged.problem(source.name)
        return
    chunks = list(_documents(layout, lines))
    if len(chunks) == 1 and not any(_is_docstart(layout, ln) for ln in lines):
        chunks = _grouped(chunks[0], options.doc_sentences)
        note = grouping_note(DOCSTART, len(chunks), options.doc_sentences)
        if note:
            yield Notice(source.name, note)
    for index, rows in enumerate(chunks, start=1):
        yield _document(source, layout, rows, index if len(chunks) > 1 else None)


@dataclass(frozen=True)
class _Untagged:
    column: int
    line: int
    value: str

    def problem(self, file: str) -> Problem:
        return Problem(
            file,
            f"not CoNLL NER columns: column {self.column + 1} holds no O/B-/I- tags"
            f" (e.g. {self.value!r})",
            self.line,
        )


def _untagged_column(layout: Layout, lines: list[str]) -> _Untagged | None:
    """A tag column without a single tag (``_``, ``SpaceAfter=No``...): the file is some other
    column format, and reading it would make garbage spans."""
    for column in layout.tags:
        first: _Untagged | None = None
        for number, line in enumerate(lines[:SNIFF_LINES], start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = layout.split(line)
            if len(parts) != layout.columns or parts[0] == DOCSTART:
                continue
            if is_tag(parts[column]):
                first = None
                break
            first = first or _Untagged(column, number, parts[column])
        if first is not None:
            return first
    return None


def _is_docstart(layout: Layout, line: str) -> bool:
    return line.startswith(DOCSTART) and layout.split(line)[:1] == [DOCSTART]


def _grouped(rows: list[_Row | None], per_doc: int | None) -> list[list[_Row | None]]:
    """The rows of a file without -DOCSTART- cut into documents of sentences (doc_groups)."""
    sentences: list[list[_Row | None]] = []
    breaks: list[bool] = []
    blanks = 0
    for row in rows:
        if row is None:
            blanks += 1
            continue
        if blanks or not sentences:
            sentences.append([])
            breaks.append(blanks >= 2)
            blanks = 0
        sentences[-1].append(row)
    groups = group_sentences(sentences, breaks, per_doc)
    return [[row for sentence in group for row in [*sentence, None]] for group in groups]


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
