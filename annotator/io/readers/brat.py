"""brat standoff: a ``.txt`` and its ``.ann``: T spans, A/M attributes, N normalisations and
``#`` notes."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from annotator.core.errors import Problem
from annotator.core.model import Document, Span
from annotator.core.spans import span_problem
from annotator.io.base import DEFAULT_READ_OPTIONS, Notice, ReadItem, ReadOptions, SourceFile
from annotator.io.newlines import NewlineMap
from annotator.io.readers.records import dedupe
from annotator.io.readers.text import decode, title_from

# Line breaks as str.splitlines() knows them; brat writers split spans at these.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_BREAKS_ONLY = re.compile(f"[{re.escape(_LINE_BREAKS)}]*")
_BREAK_RUN = re.compile(f"[{re.escape(_LINE_BREAKS)}]+")
_SKIPPED_KINDS = {"R": "relations", "E": "events", "*": "equivalences"}


class _AnnError(ValueError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line


@dataclass
class _Entity:
    start: int
    end: int
    label: str
    attributes: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def ann_name(txt_name: str) -> str:
    """The name of the .ann file that goes with a .txt name (zip members included)."""
    return re.sub(r"\.[^./\\!]*$", "", txt_name) + ".ann"


def read_brat(
    source: SourceFile, options: ReadOptions = DEFAULT_READ_OPTIONS
) -> Iterator[ReadItem]:
    """One document from a brat .txt and its .ann companion; text kept verbatim."""
    ann_file = ann_name(source.name)
    ann_bytes = source.companions.get(".ann")
    if ann_bytes is None:
        yield Problem(source.name, f"brat: no {ann_file} next to this .txt")
        return
    txt = decode(source.name, source.data)
    if isinstance(txt, Problem):
        yield txt
        return
    ann = decode(ann_file, ann_bytes, allow_empty=True)
    if isinstance(ann, Problem):
        yield ann
        return
    for decoded in (txt, ann):
        notice = decoded.notice(source.name)
        if notice:
            yield notice
    skipped: Counter[str] = Counter()
    try:
        entities = parse_ann(txt.text, ann.text, skipped)
    except _AnnError as exc:
        skipped.clear()
        universal = _universal_newline_entities(txt.text, ann.text, skipped)
        if universal is None:
            yield Problem(ann_file, str(exc), exc.line)
            return
        entities = universal
        yield Notice(
            source.name,
            "brat: the .ann offsets count each CRLF line break as one character (brat reads "
            "the .txt with universal newlines); read that way and kept on the original text",
        )
    if skipped:
        what = ", ".join(f"{kind}: {n}" for kind, n in skipped.items())
        yield Notice(
            source.name, f"brat: skipped {what} (only text spans and their attributes are imported)"
        )
    notes: list[str] = []
    spans = dedupe([_span(txt.text, e) for e in entities.values()], notes)
    for note in notes:
        yield Notice(source.name, f"brat: {note}")
    yield Document(
        text=txt.text,
        title=title_from(txt.text, source.stem),
        source=source.name,
        metadata={"format": "brat"},
        spans=tuple(spans),
    )


def _universal_newline_entities(
    text: str, ann: str, skipped: Counter[str]
) -> dict[str, _Entity] | None:
    """The entities read against ``text`` with universal newlines (as brat reads it), their
    offsets mapped back onto ``text``; None when the text has no CR or they do not fit there
    either (brat issue #853: a CRLF .txt whose offsets count each line break once)."""
    lines = NewlineMap(text)
    if not lines.changed:
        return None
    try:
        entities = parse_ann(lines.text, ann, skipped)
    except _AnnError:
        return None
    for entity in entities.values():
        entity.start = lines.to_original(entity.start)
        entity.end = lines.to_original(entity.end)
    return entities


def _span(text: str, e: _Entity) -> Span:
    """The span; its first AnnotatorNotes is the span's note, any more are kept with the other
    note types (attributes["notes"]) so an export writes every # line back."""
    for extra in e.notes[1:]:
        _add_note(e.attributes, "AnnotatorNotes", extra)
    return Span(
        start=e.start,
        end=e.end,
        label=e.label,
        text=text[e.start : e.end],
        note=e.notes[0] if e.notes else None,
        attributes=e.attributes,
    )


def _add_note(attributes: dict[str, Any], kind: str, text: str) -> None:
    """``attributes["notes"][kind]``: the note's text, a list of them when one span has more."""
    notes = attributes.setdefault("notes", {})
    if kind not in notes:
        notes[kind] = text
    elif isinstance(notes[kind], list):
        notes[kind].append(text)
    else:
        notes[kind] = [notes[kind], text]


def parse_ann(text: str, ann: str, skipped: Counter[str]) -> dict[str, _Entity]:
    """Text-bound annotations by id, with attributes and notes; raises _AnnError."""
    lines = [(n, ln.rstrip("\r")) for n, ln in enumerate(ann.split("\n"), start=1) if ln.strip()]
    entities: dict[str, _Entity] = {}
    for number, line in lines:
        if line[0] == "T":
            entities[line.split("\t", 1)[0]] = _text_bound(text, number, line)
        elif line[0] not in "EAMN#" and line[0] not in _SKIPPED_KINDS:
            raise _AnnError(number, f"not a brat annotation line: {line[:40]!r}")
    # An event's attributes and notes go to its trigger span, the part of it we keep.
    triggers: dict[str, str] = {}
    for number, line in lines:
        if line[0] == "E":
            event_id, _, rest = line.partition("\t")
            trigger = rest.split(" ", 1)[0].partition(":")[2]
            if trigger not in entities:
                raise _AnnError(number, f"event {event_id} has an unknown trigger {trigger!r}")
            triggers[event_id] = trigger
        if line[0] in _SKIPPED_KINDS:
            skipped[_SKIPPED_KINDS[line[0]]] += 1
    for number, line in lines:
        if line[0] in "AMN#":
            _attach(entities, triggers, number, line, skipped)
    return entities


def _text_bound(text: str, number: int, line: str) -> _Entity:
    parts = line.split("\t", 2)
    if len(parts) < 2 or " " not in parts[1]:
        raise _AnnError(number, f"malformed text-bound annotation: {line[:60]!r}")
    label, offsets = parts[1].split(" ", 1)
    try:
        pieces = [tuple(int(x) for x in piece.split()) for piece in offsets.split(";")]
    except ValueError:
        raise _AnnError(number, f"{parts[0]}: offsets must be integers, got {offsets!r}") from None
    if any(len(p) != 2 for p in pieces):
        raise _AnnError(number, f"{parts[0]}: offsets must be 'start end' pairs, got {offsets!r}")
    for (_, end), (start, _) in pairwise(pieces):
        # brat cannot show a span across a line break, so one span is written as fragments
        # split there; only a gap of line breaks is that, anything else is truly discontinuous.
        if not (0 <= end <= start <= len(text)) or not _BREAKS_ONLY.fullmatch(text[end:start]):
            raise _AnnError(
                number,
                f"{parts[0]} is a discontinuous span ({offsets}); "
                "split it into separate spans to import it",
            )
    start, end = pieces[0][0], pieces[-1][1]
    reason = span_problem(text, start, end)
    given = parts[2] if len(parts) > 2 else None
    if reason is None and given is not None:
        covered = text[start:end]
        joined = " ".join(text[a:b] for a, b in pieces)
        if given not in (covered, joined, _BREAK_RUN.sub(" ", covered)):
            reason = (
                f"span [{start}, {end}) covers {covered!r}, not the text given for it {given!r}"
            )
    if reason:
        raise _AnnError(number, f"{parts[0]}: {reason}")
    return _Entity(start, end, label)


def _attach(
    entities: dict[str, _Entity],
    triggers: dict[str, str],
    number: int,
    line: str,
    skipped: Counter[str],
) -> None:
    parts = line.split("\t", 2)
    fields = parts[1].split() if len(parts) > 1 else []
    if len(fields) < 2:
        raise _AnnError(number, f"malformed annotation line: {line[:60]!r}")
    name, target = fields[0], fields[1]
    target = triggers.get(target, target)
    entity = entities.get(target)
    if entity is None:
        if target[:1] in _SKIPPED_KINDS:
            skipped[f"attributes/notes on {_SKIPPED_KINDS[target[0]]}"] += 1
            return
        raise _AnnError(number, f"{parts[0]} refers to an unknown annotation {fields[1]!r}")
    kind = line[0]
    if kind in "AM":
        entity.attributes[name] = fields[2] if len(fields) > 2 else True
    elif kind == "N":
        resource, _, ident = (fields[2] if len(fields) > 2 else "").partition(":")
        entry = {
            "type": name,
            "resource": resource,
            "id": ident,
            "text": parts[2] if len(parts) > 2 else "",
        }
        entity.attributes.setdefault("normalizations", []).append(entry)
    elif name == "AnnotatorNotes":
        entity.notes.append(parts[2] if len(parts) > 2 else "")
    else:
        _add_note(entity.attributes, name, parts[2] if len(parts) > 2 else "")
