"""CSV (and TSV with a header row): one document a row, the text from a column chosen by name,
the title and id from others, every other column into the document's metadata."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.core.text import plural
from annotator.io.base import DEFAULT_READ_OPTIONS, ReadItem, ReadOptions, SourceFile
from annotator.io.readers.text import cap_title, decode_source, normalise_newlines, title_from

# Column names tried in this order when the user names none (case-insensitive); Indonesian
# news exports use isi / teks / berita / judul.
TEXT_COLUMNS = ("text", "body", "content", "article", "isi", "teks", "berita")
TITLE_COLUMNS = ("title", "headline", "judul")
ID_COLUMNS = ("id", "doc_id", "document_id", "uid")
_DELIMITERS = ",;\t|"
_SNIFF_CHARS = 65536
# The header of our own CSV export (annotator/io/writers/csv.py): one row a span.
_SPAN_EXPORT = ("document_id", "document_title", "start", "end", "label", "text")

# A news article in one field easily passes the csv module's default limit of 131,072 chars.
csv.field_size_limit(2**31 - 1)


def read_csv(source: SourceFile, options: ReadOptions = DEFAULT_READ_OPTIONS) -> Iterator[ReadItem]:
    """One document a row; a Problem with the line for each bad row, the others still read."""
    decoded, reports = decode_source(source)
    yield from reports
    if decoded is None:
        return
    text = decoded.text
    delimiter = _delimiter(text, source.suffix)
    rows = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    try:
        header = next(rows, None)
    except csv.Error as exc:
        yield Problem(source.name, f"not readable as CSV: {exc}", rows.line_num)
        return
    if not header or not any(name.strip() for name in header):
        yield Problem(source.name, "no header row (the first row must name the columns)", 1)
        return
    columns = _Columns.choose(header, options)
    if isinstance(columns, str):
        yield Problem(source.name, columns, 1)
        return
    while True:
        line = rows.line_num + 1
        try:
            row = next(rows, None)
        except csv.Error as exc:
            yield Problem(source.name, f"not readable as CSV: {exc}", line)
            return
        if row is None:
            return
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # a blank line between rows
        yield _document(source, header, columns, row, line)


class _Columns:
    """Which header positions hold the text, the title and the id."""

    def __init__(self, text: int, title: int | None, ident: int | None) -> None:
        self.text, self.title, self.ident = text, title, ident

    @classmethod
    def choose(cls, header: Sequence[str], options: ReadOptions) -> _Columns | str:
        """The columns, or why the file cannot be read as documents."""
        names = [name.strip() for name in header]
        have = ", ".join(repr(n) for n in names)
        if tuple(n.casefold() for n in names[: len(_SPAN_EXPORT)]) == _SPAN_EXPORT:
            return (
                "this is annotator's CSV export (one row a span, not documents) and cannot be "
                "imported: import the jsonl export of the same database instead"
            )
        text = _find(names, options.text_column, TEXT_COLUMNS)
        if text is None:
            if options.text_column:
                return f"no column named {options.text_column!r} for the text (columns: {have})"
            wanted = "/".join(TEXT_COLUMNS)
            return (
                f"no text column: none of the columns is named {wanted} (columns: {have}); "
                "name the text column with --text-column"
            )
        title = _find(names, options.title_column, TITLE_COLUMNS)
        if title is None and options.title_column:
            return f"no column named {options.title_column!r} for the title (columns: {have})"
        ident = _find(names, options.id_column, ID_COLUMNS)
        if ident is None and options.id_column:
            return f"no column named {options.id_column!r} for the id (columns: {have})"
        return cls(text, title, ident)


def _find(names: Sequence[str], chosen: str | None, defaults: Sequence[str]) -> int | None:
    folded = [n.casefold() for n in names]
    for wanted in (chosen,) if chosen else defaults:
        if wanted.strip().casefold() in folded:
            return folded.index(wanted.strip().casefold())
    return None


def _document(
    source: SourceFile, header: Sequence[str], columns: _Columns, row: list[str], line: int
) -> ReadItem:
    if len(row) != len(header):
        return Problem(
            source.name,
            f"the row has {plural(len(row), 'field')}, the header has {len(header)}",
            line,
        )
    text = normalise_newlines(row[columns.text])
    if not text.strip():
        return Problem(source.name, f"empty text in column {header[columns.text].strip()!r}", line)
    title = row[columns.title].strip() if columns.title is not None else ""
    ident = row[columns.ident].strip() if columns.ident is not None else ""
    used = {columns.text, columns.title, columns.ident}
    metadata: dict[str, object] = {"format": "csv"}
    for index, (name, value) in enumerate(zip(header, row, strict=True)):
        if index not in used and name.strip() and value != "":
            metadata[name.strip()] = value
    return Document(
        text=text,
        title=cap_title(title) if title else title_from(text, source.stem),
        source=source.name,
        metadata=metadata,
        uid=ident or None,
    )


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, one at a time (a StringIO would hold a second
    copy of a 50 MB file); the csv module keeps a quoted field's line breaks as they are."""
    if "\r" in text and "\n" not in text:  # old Mac line ends: let StringIO split at "\r"
        yield from io.StringIO(text, newline="")
        return
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def _delimiter(text: str, suffix: str) -> str:
    """The field separator: csv.Sniffer on the start of the file, checked against the header
    line (the sniffer can pick a character that only occurs inside the texts)."""
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # whole lines only
    first_line = sample.split("\n", 1)[0]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed and sniffed in first_line:
        return sniffed
    counts = {d: first_line.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    if counts[best]:
        return best
    return "\t" if suffix == ".tsv" else ","
