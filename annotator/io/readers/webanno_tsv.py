"""WebAnno TSV 3.x (INCEpTION's exchange format): span layers as spans, one document a file.

The format (INCEpTION user guide, "WebAnno TSV3"): a ``#FORMAT=WebAnno TSV 3.x`` line, one
``#T_SP=type|feature|...`` line per span layer (``#T_RL`` relation and ``#T_CH`` chain layers
too), then sentences: ``#Text=`` lines, and a line per token ``sent-tok<TAB>begin-end<TAB>form``
followed by one column per feature. Offsets count UTF-16 code units, as Java does. A sub-token
(``1-2.1``) carries annotations that start or end inside a token. A cell holds ``_`` (nothing),
``*`` (an annotation without a value) or values, stacked with ``|``; ``VALUE[3]`` ties the
tokens of one multi-token annotation together. ``\\`` escapes the reserved characters.

What we keep:
- every annotation of a span layer becomes a span: its label is its ``value`` feature, else its
  first feature with a value, else the layer's short name (``Span``); its other feature values
  and its layer go into the span's attributes;
- token attribute layers (POS, lemma, stem, morphology), relation and chain layers, and slot
  (link) features are not spans here: left out, with a Notice saying so;
- a zero-width annotation (``1-1.1  0-0``) cannot be a span: left out and counted in a Notice.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from annotator.core.errors import Problem
from annotator.core.model import Document, Span
from annotator.core.utf16 import code_point_table, utf16_len
from annotator.io.base import DEFAULT_READ_OPTIONS, Notice, ReadItem, ReadOptions, SourceFile
from annotator.io.readers.records import dedupe
from annotator.io.readers.text import decode_source, title_from

FORMAT_PREFIX = "#FORMAT=WebAnno TSV 3"
# Token attribute layers of DKPro Core: one value per token, not spans an analyst marks.
TOKEN_ATTRIBUTE_LAYERS = frozenset({"POS", "Lemma", "Stem", "MorphologicalFeatures"})
_UNESCAPE = {
    "\\\\": "\\",
    "\\[": "[",
    "\\]": "]",
    "\\|": "|",
    "\\_": "_",
    "\\->": "->",
    "\\;": ";",
    "\\t": "\t",
    "\\n": "\n",
    "\\*": "*",
}
_ESCAPE_RE = re.compile(r"\\(?:->|[\\\[\]|_;tn*])")
_TEXT_UNESCAPE = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}
_TEXT_ESCAPE_RE = re.compile(r"\\[\\tnr]")
_ID_RE = re.compile(r"^(.*?)(?<!\\)\[(\d+)\]$")
_TOKEN_ID_RE = re.compile(r"^(\d+)-(\d+)(?:\.(\d+))?$")
_OFFSETS_RE = re.compile(r"^(\d+)-(\d+)$")
SLOT = "\0slot"  # the two columns of a slot (link) feature: roles and targets


class TsvError(ValueError):
    """A line the format does not allow; ``line`` is its number in the file."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


@dataclass
class Layer:
    """One ``#T_SP``/``#T_RL``/``#T_CH`` layer and where its columns are."""

    kind: str  # "SP", "RL" or "CH"
    type_name: str
    features: list[str]  # one a column: a feature name, "" (no feature) or SLOT
    first_column: int = 0

    @property
    def short_name(self) -> str:
        return self.type_name.rsplit(".", 1)[-1]

    @property
    def is_span_layer(self) -> bool:
        return self.kind == "SP" and self.short_name not in TOKEN_ATTRIBUTE_LAYERS


@dataclass
class _Annotation:
    layer: Layer
    begin: int  # UTF-16 units
    end: int
    values: dict[str, str] = field(default_factory=dict)


def unescape_value(value: str) -> str:
    return _ESCAPE_RE.sub(lambda m: _UNESCAPE[m.group()], value)


def unescape_text(text: str) -> str:
    return _TEXT_ESCAPE_RE.sub(lambda m: _TEXT_UNESCAPE[m.group()], text)


def looks_like_webanno_tsv(head: str) -> bool:
    return head.lstrip("\ufeff").startswith(FORMAT_PREFIX)


def read_webanno_tsv(
    source: SourceFile, options: ReadOptions = DEFAULT_READ_OPTIONS
) -> Iterator[ReadItem]:
    decoded, notes = decode_source(source)
    yield from notes
    if decoded is None:
        return
    try:
        doc, notices = parse_tsv(decoded.text, source)
    except TsvError as e:
        yield Problem(source.name, e.reason, e.line)
        return
    yield from (Notice(source.name, note) for note in notices)
    yield doc


def parse_tsv(text: str, source: SourceFile) -> tuple[Document, list[str]]:
    """The document of one TSV file and notes on what was left out; TsvError when malformed."""
    lines = text.split("\n")
    if not lines or not lines[0].rstrip("\r").startswith(FORMAT_PREFIX):
        raise TsvError(1, "not WebAnno TSV 3: the first line must be #FORMAT=WebAnno TSV 3.x")
    layers, body_start = _read_header(lines)
    sentences = _read_sentences(lines, body_start, layers)
    doc_text, position = _assemble_text(sentences)
    annotations, zero_width = _collect_annotations(sentences, layers)
    spans = [_span(a, doc_text, position) for a in annotations]
    notes = _left_out(layers, zero_width)
    return (
        Document(
            text=doc_text,
            title=title_from(doc_text, source.stem),
            source=source.name,
            metadata={"format": "webanno-tsv3"},
            spans=tuple(dedupe(spans, notes)),
        ),
        notes,
    )


def _read_header(lines: list[str]) -> tuple[list[Layer], int]:
    layers: list[Layer] = []
    column = 0
    number = 1
    for number, raw in enumerate(lines[1:], start=2):
        line = raw.rstrip("\r")
        if not line.startswith("#T_"):
            if line.startswith("#Text=") or _TOKEN_ID_RE.match(line.split("\t", 1)[0]):
                return layers, number - 1
            continue
        kind, _, spec = line[3:].partition("=")
        if kind not in ("SP", "RL", "CH"):
            raise TsvError(number, f"unknown layer kind #T_{kind}")
        type_name, *names = spec.split("|")
        layer = Layer(kind, type_name, _columns(kind, names), column)
        column += len(layer.features)
        layers.append(layer)
    return layers, number


def _columns(kind: str, names: list[str]) -> list[str]:
    """The feature name of each column a layer takes (a slot feature takes two)."""
    if kind == "CH":
        return ["referenceType", "referenceRelation"]
    columns: list[str] = []
    skip = False
    for name in names or [""]:
        if skip:  # the slot's target type: its column holds the slot targets
            columns.append(SLOT)
            skip = False
        elif name.startswith("ROLE_"):
            columns.append(SLOT)
            skip = True
        else:
            columns.append(name)
    return columns


@dataclass
class _Sentence:
    text: str
    tokens: list[tuple[int, int, int, str, list[str]]]  # line, begin, end, form, cells


def _read_sentences(lines: list[str], start: int, layers: list[Layer]) -> list[_Sentence]:
    width = sum(len(layer.features) for layer in layers)
    sentences: list[_Sentence] = []
    text_lines: list[str] = []
    current: _Sentence | None = None
    for number, raw in enumerate(lines[start:], start=start + 1):
        line = raw.rstrip("\r")
        if not line.strip():
            current = None
            continue
        if line.startswith("#Text="):
            if current is not None and current.tokens:
                raise TsvError(number, "#Text= after the sentence's tokens (a blank line missing?)")
            text_lines.append(unescape_text(line[len("#Text=") :]))
            continue
        if line.startswith("#"):
            continue  # #Sentence.id= and other comments
        if current is None:
            if not text_lines:
                raise TsvError(number, "a token line before any #Text= line")
            current = _Sentence("\n".join(text_lines), [])
            text_lines = []
            sentences.append(current)
        current.tokens.append(_token(line, number, width))
    return sentences


def _token(line: str, number: int, width: int) -> tuple[int, int, int, str, list[str]]:
    parts = line.split("\t")
    if parts and parts[-1] == "":
        parts.pop()  # every token line ends with a tab
    if len(parts) != 3 + width:
        raise TsvError(number, f"{len(parts)} columns where the header's layers need {3 + width}")
    if not _TOKEN_ID_RE.match(parts[0]):
        raise TsvError(number, f"bad token id {parts[0]!r} (expected sentence-token, e.g. 1-3)")
    offsets = _OFFSETS_RE.match(parts[1])
    if not offsets:
        raise TsvError(number, f"bad offsets {parts[1]!r} (expected begin-end, e.g. 0-4)")
    begin, end = int(offsets.group(1)), int(offsets.group(2))
    if end < begin:
        raise TsvError(number, f"offsets {parts[1]} end before they begin")
    return number, begin, end, unescape_value(parts[2]), parts[3:]


def _assemble_text(sentences: list[_Sentence]) -> tuple[str, list[int]]:
    """The document text, and for each UTF-16 offset the Python index (-1 inside a pair)."""
    pieces: list[str] = []
    length16 = 0
    for sentence in sentences:
        first = next((t for t in sentence.tokens if t[3]), sentence.tokens[0])
        lead = sentence.text.find(first[3]) if first[3] else 0
        begin16 = first[1] - utf16_len(sentence.text[: max(lead, 0)])
        gap = begin16 - length16
        if gap < 0:
            raise TsvError(first[0], "this sentence starts before the previous one ends")
        if gap:
            pieces.append(("\n" + " " * (gap - 1)) if pieces else " " * gap)
        pieces.append(sentence.text)
        length16 = begin16 + utf16_len(sentence.text)
    text = "".join(pieces)
    position = code_point_table(text)
    for sentence in sentences:
        for number, begin, end, form, _cells in sentence.tokens:
            start, stop = _at(position, begin, number), _at(position, end, number)
            if text[start:stop] != form:
                raise TsvError(
                    number, f"token {form!r} is not the text at {begin}-{end} (#Text= disagrees)"
                )
    return text, position


def _at(position: list[int], unit: int, line: int) -> int:
    if unit >= len(position) or position[unit] < 0:
        raise TsvError(line, f"offset {unit} is outside the text or inside a character")
    return position[unit]


def _collect_annotations(
    sentences: list[_Sentence], layers: list[Layer]
) -> tuple[list[_Annotation], int]:
    """Every span-layer annotation (multi-token ones joined by their id), and how many had zero
    width."""
    by_id: dict[tuple[int, str], _Annotation] = {}
    found: list[_Annotation] = []
    for sentence in sentences:
        for number, begin, end, _form, cells in sentence.tokens:
            for index, layer in enumerate(layers):
                if not layer.is_span_layer:
                    continue
                columns = cells[layer.first_column : layer.first_column + len(layer.features)]
                for key, values in _stacked(columns, layer, number):
                    if key is not None and (index, key) in by_id:
                        known = by_id[(index, key)]
                        known.begin, known.end = min(known.begin, begin), max(known.end, end)
                        continue
                    annotation = _Annotation(layer, begin, end, values)
                    found.append(annotation)
                    if key is not None:
                        by_id[(index, key)] = annotation
    kept = [a for a in found if a.end > a.begin]
    return kept, len(found) - len(kept)


def _stacked(
    columns: list[str], layer: Layer, line: int
) -> Iterator[tuple[str | None, dict[str, str]]]:
    """The annotations one layer's cells hold on one token: (multi-token id, feature values)."""
    split = [_split_unescaped(cell, "|") for cell in columns]
    depth = max(len(entries) for entries in split)
    for level in range(depth):
        key: str | None = None
        values: dict[str, str] = {}
        present = False
        for name, entries in zip(layer.features, split, strict=True):
            if name == SLOT or level >= len(entries):
                present = present or (level < len(entries) and entries[level] != "_")
                continue
            entry = entries[level]
            if entry == "_":
                continue
            present = True
            match = _ID_RE.match(entry)
            if match:
                entry, key = match.group(1), match.group(2)
            if entry != "*" and name:
                values[name] = unescape_value(entry)
        if present:
            yield key, values
    if depth == 0:
        raise TsvError(line, f"an empty cell in layer {layer.short_name}")


def _split_unescaped(cell: str, separator: str) -> list[str]:
    parts, current, escaped = [], [], False
    for char in cell:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            current.append(char)
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _span(annotation: _Annotation, text: str, position: list[int]) -> Span:
    start, end = position[annotation.begin], position[annotation.end]
    values = dict(annotation.values)
    label = values.pop("value", None)
    if label is None and values:
        label = values.pop(next(iter(values)))
    attributes: dict[str, Any] = {"webanno_layer": annotation.layer.type_name, **values}
    return Span(
        start, end, label or annotation.layer.short_name, text[start:end], attributes=attributes
    )


def _left_out(layers: list[Layer], zero_width: int) -> list[str]:
    notes = []
    for layer in layers:
        if layer.kind == "RL":
            notes.append(f"relation layer {layer.short_name} is not imported (spans only)")
        elif layer.kind == "CH":
            notes.append(f"chain layer {layer.short_name} is not imported (spans only)")
        elif not layer.is_span_layer:
            notes.append(f"token attribute layer {layer.short_name} is not imported")
        elif SLOT in layer.features:
            notes.append(f"the slot (link) features of layer {layer.short_name} are not imported")
    if zero_width:
        notes.append(f"{zero_width} zero-width annotation(s) left out (a span needs a character)")
    return notes
