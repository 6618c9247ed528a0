"""brat standoff export: a folder of ``<name>.txt`` + ``<name>.ann``, annotation.conf, visual.conf.

Offsets are code points, as brat counts them (it is written in Python).
A span that crosses a line break is written as brat writes it itself: a discontinuous
fragment list split at the line breaks (``T1\\tLOC 10 15;16 20\\tpiece one piece two``),
since a brat fragment may not hold a line break. Line breaks are everything
``str.splitlines`` splits at, because brat reads .ann files line by line that way.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from annotator.core.model import Document, Label
from annotator.core.spans import sort_spans
from annotator.io.atomic import atomic_dir, only_files_with_suffixes
from annotator.io.base import ExportOptions, ExportResult
from annotator.io.newlines import NewlineMap
from annotator.io.writers._common import DocumentNames, suggestions_ignored, without_whitespace

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_BREAK_RUN = re.compile(f"[{re.escape(LINE_BREAKS)}]+")
_COLOUR = re.compile(r"^#?[0-9A-Za-z]{1,20}$")


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` split at line breaks, the breaks left out: brat's fragments for the span."""
    pieces: list[tuple[int, int]] = []
    pos = start
    for match in _BREAK_RUN.finditer(text, start, end):
        if match.start() > pos:
            pieces.append((pos, match.start()))
        pos = match.end()
    if pos < end:
        pieces.append((pos, end))
    return pieces


@lru_cache(maxsize=4096)  # labels and attribute names repeat on every span
def brat_name(name: str) -> str:
    """A label or attribute name brat can parse: no whitespace (it separates fields)."""
    return without_whitespace(name)


def _one_line(value: str) -> str:
    return _BREAK_RUN.sub(" ", value)


def _written(seen: _Collector, what: str, value: str, written: str) -> str:
    """``written``, counted under ``what`` when it differs from ``value`` (for the warnings)."""
    if written != value:
        seen.counts[what] += 1
    return written


class _Collector:
    """What the .conf files need, gathered while the documents stream past."""

    def __init__(self, labels: Sequence[Label]) -> None:
        self.labels = sorted(labels, key=lambda lab: lab.order)
        self.entities: dict[str, None] = {brat_name(lab.name): None for lab in self.labels}
        self.attributes: dict[str, set[str]] = {}
        self.counts: Counter[str] = Counter()


def _ann_lines(doc: Document, seen: _Collector, newlines: NewlineMap) -> list[str]:
    """The .ann lines of one document, offsets into ``newlines.text`` (what brat reads)."""
    lines: list[str] = []
    n_attr = n_note = n_norm = 0
    text = newlines.text
    for n, span in enumerate(sort_spans(doc.spans), start=1):
        start, end = newlines.to_normalised(span.start), newlines.to_normalised(span.end)
        pieces = fragments(text, start, end)
        if not pieces:
            seen.counts["only line breaks"] += 1
            continue
        if pieces[0][0] != start or pieces[-1][1] != end:
            seen.counts["trimmed"] += 1
        kind = brat_name(span.label)
        if kind != span.label:
            seen.counts["renamed label"] += 1
        seen.entities.setdefault(kind, None)
        offsets = ";".join(f"{s} {e}" for s, e in pieces)
        covered = " ".join(text[s:e] for s, e in pieces)
        lines.append(f"T{n}\t{kind} {offsets}\t{covered}")
        normalizations: list[str] = []
        notes: list[tuple[str, str]] = []
        for name, value in span.attributes.items():
            # What the brat reader keeps of N and non-AnnotatorNotes # lines goes back as such.
            found = _normalization_lines(value, f"T{n}", seen) if name == "normalizations" else None
            if found is not None:
                normalizations += found
                continue
            found_notes = _note_items(value, seen) if name == "notes" else None
            if found_notes is not None:
                notes += found_notes
                continue
            line = _attribute_line(name, value, f"T{n}", seen)
            if line:
                n_attr += 1
                lines.append(f"A{n_attr}\t{line}")
        if span.note:
            notes.insert(0, ("AnnotatorNotes", span.note))
        for line in normalizations:
            n_norm += 1
            lines.append(f"N{n_norm}\t{line}")
        for kind, note in notes:
            n_note += 1
            one_line = _written(seen, "note text", note, _one_line(note))
            lines.append(f"#{n_note}\t{kind} T{n}\t{one_line}")
    return lines


def _note_items(value: Any, seen: _Collector) -> list[tuple[str, str]] | None:
    """(type, text) of each note the brat reader kept (``{type: text or [texts]}``); None when
    ``value`` is not that shape."""
    if not isinstance(value, dict) or not value:
        return None
    items = []
    for kind, texts in value.items():
        texts = [texts] if isinstance(texts, str) else texts
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            return None
        name = _written(seen, "name", str(kind), brat_name(str(kind)))
        items += [(name, text) for text in texts]
    return items


def _normalization_lines(value: Any, target: str, seen: _Collector) -> list[str] | None:
    """``Reference Tk Wikipedia:534366\tBarack Obama`` for each normalisation the brat reader
    kept (``{"type", "resource", "id", "text"}``); None when ``value`` is not that shape."""
    if not isinstance(value, list) or not value:
        return None
    lines = []
    for entry in value:
        if not isinstance(entry, dict):
            return None
        kind, resource, ident = entry.get("type"), entry.get("resource"), entry.get("id")
        text = entry.get("text", "")
        if not all(isinstance(v, str) and v.strip() for v in (kind, resource, ident)):
            return None
        if not isinstance(text, str):
            return None
        assert isinstance(kind, str) and isinstance(resource, str) and isinstance(ident, str)
        reference = f"{brat_name(resource)}:{brat_name(ident)}"
        _written(seen, "name", f"{resource}:{ident}", reference)
        kind = _written(seen, "name", kind, brat_name(kind))
        lines.append(
            f"{kind} {target} {reference}\t{_written(seen, 'note text', text, _one_line(text))}"
        )
    return lines


def _attribute_line(name: str, value: Any, target: str, seen: _Collector) -> str | None:
    """``Name Tk`` (binary) or ``Name Tk Value``; None for what brat has no attribute for."""
    key = _written(seen, "name", name, brat_name(name))
    if value is True:
        seen.attributes.setdefault(key, set())
        return f"{key} {target}"
    if value is None or value is False:
        return None  # a binary attribute that is off is simply absent in brat
    if not isinstance(value, (str, int, float)) or not str(value).strip():
        seen.counts["attribute"] += 1
        return None
    text = _written(seen, "attribute value", str(value), brat_name(str(value)))
    seen.attributes.setdefault(key, set()).add(text)
    return f"{key} {target} {text}"


def _annotation_conf(seen: _Collector) -> str:
    lines = [
        "# Written by annotator.",
        "[entities]",
        *seen.entities,
        "",
        "[relations]",
        "# Entities may nest and overlap.",
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
        "",
        "[events]",
        "",
        "[attributes]",
    ]
    for name, values in seen.attributes.items():
        choice = f", Value:{'|'.join(sorted(values))}" if values else ""
        lines.append(f"{name}\tArg:<ENTITY>{choice}")
    return "\n".join(lines) + "\n"


def _visual_conf(seen: _Collector) -> str:
    lines = ["[labels]"]
    lines += [f"{brat_name(lab.name)} | {_one_line(lab.name)}" for lab in seen.labels]
    lines += ["", "[drawing]"]
    lines += [
        f"{brat_name(lab.name)}\tbgColor:{lab.colour}"
        for lab in seen.labels
        if _COLOUR.match(lab.colour)
    ]
    return "\n".join(lines) + "\n"


def _warnings(seen: _Collector) -> list[str]:
    messages = {
        "trimmed": "spans started or ended with a line break, which brat fragments leave out",
        "only line breaks": "spans held nothing but line breaks and were left out of brat",
        "renamed label": "spans have a label with whitespace, written with '_' for brat",
        "attribute": "span attributes are lists, objects or empty and were left out of brat",
        "name": "attribute, note or normalisation names had whitespace, written with '_' for brat",
        "attribute value": "attribute values had whitespace, written with '_' for brat",
        "note text": "notes or normalisation texts had line breaks, written as spaces for brat",
        "newlines": "document(s) have CRLF or CR line breaks: written as LF in the .txt, as brat "
        "reads it (offsets count them so; the jsonl export keeps the original text)",
    }
    return [f"{seen.counts[key]} {text}" for key, text in messages.items() if seen.counts[key]]


def write(
    documents: Iterable[Document],
    labels: Sequence[Label],
    out: Path,
    options: ExportOptions,
) -> ExportResult:
    """Write ``documents`` to the brat folder ``out``, atomically (the whole folder at once)."""
    result = ExportResult(path=Path(out), warnings=suggestions_ignored("brat", options))
    seen = _Collector(labels)
    names = DocumentNames()
    with atomic_dir(Path(out), only_files_with_suffixes(".txt", ".ann", ".conf")) as folder:
        for index, doc in enumerate(documents, start=1):
            stem = names.stem(doc, index)
            # brat reads the .txt with universal newlines and counts offsets in what it read:
            # write that text (CRLF and CR as LF) and offsets into it; our JSONL keeps the
            # original. newline="": written exactly as given.
            newlines = NewlineMap(doc.text)
            if newlines.changed:
                seen.counts["newlines"] += 1
            with open(folder / f"{stem}.txt", "w", encoding="utf-8", newline="") as handle:
                handle.write(newlines.text)
            lines = _ann_lines(doc, seen, newlines)
            with open(folder / f"{stem}.ann", "w", encoding="utf-8", newline="") as handle:
                handle.write("".join(line + "\n" for line in lines))
            result.documents += 1
            result.spans += sum(1 for line in lines if line.startswith("T"))
        (folder / "annotation.conf").write_text(_annotation_conf(seen), "utf-8", newline="")
        (folder / "visual.conf").write_text(_visual_conf(seen), "utf-8", newline="")
    result.warnings += _warnings(seen)
    return result
