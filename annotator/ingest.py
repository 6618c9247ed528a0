"""The import pipeline's checks: from reader output to documents the store can take whole.

Pure: no database. The workspace feeds it what the store already knows.
"""

from __future__ import annotations

import colorsys
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from annotator.core.change import Change, Operation
from annotator.core.errors import Problem
from annotator.core.model import Document, frozen_mapping
from annotator.core.spans import span_problem
from annotator.core.text import plural
from annotator.core.unicode_check import document_encoding_problem


@dataclass
class ImportReport:
    """What an import did, for the CLI summary and the GUI's report."""

    files: int = 0  # files and zip entries read
    # Every file and zip entry named or found (directories aside): read (``files``), refused
    # (``entries_refused``) or passed over with a notice (``entries_passed_over``).
    entries: int = 0
    entries_refused: int = 0
    entries_passed_over: int = 0
    imported: int = 0
    spans: int = 0
    duplicates: int = 0
    refused: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    new_labels: list[str] = field(default_factory=list)
    document_ids: list[int] = field(default_factory=list)
    cancelled: bool = False
    label_mappings: list[str] = field(default_factory=list)  # "mapped Person -> PERSON (case)"

    @property
    def change(self) -> Change:
        """What the import changed, for the window: new documents, and labels it added."""
        return Change(
            Operation.IMPORT_DOCUMENTS,
            f"Import {self.imported} document(s)",
            added_documents=tuple(self.document_ids),
            labels=tuple(self.new_labels),
        )

    @property
    def exit_code(self) -> int:
        return 1 if self.refused else 0

    def entries_line(self) -> str:
        """The files and zip entries accounted for: read + refused + passed over = all."""
        return (
            f"{plural(self.entries, 'file or zip entry', 'files and zip entries')}: "
            f"{self.files} read, {self.entries_refused} refused, "
            f"{self.entries_passed_over} passed over"
        )


def document_problem(doc: Document) -> str | None:
    """Why a document cannot be stored as it is, or None."""
    if not doc.text.strip():
        return "the document has no text"
    unencodable = document_encoding_problem(doc)
    if unencodable:
        return unencodable
    text, length = doc.text, len(doc.text)
    for span in doc.spans:
        # The cheap check first; span_problem words the message when it fails.
        if not (0 <= span.start < span.end <= length and text[span.start : span.end] == span.text):
            return span_problem(text, span.start, span.end, span.text) or "span text does not match"
    for sug in doc.suggestions:
        problem = span_problem(doc.text, sug.start, sug.end, sug.text)
        if problem:
            return f"suggestion: {problem}"
    return None


def without_duplicate_spans(doc: Document) -> tuple[Document, int]:
    """The document with exact duplicate spans (same start, end, label) dropped, and how many."""
    if (
        len({(s.start, s.end, s.label) for s in doc.spans}) == len(doc.spans)
        and not doc.suggestions
    ):
        return doc, 0
    seen: set[tuple[int, int, str]] = set()
    kept = []
    for span in doc.spans:
        if span.key not in seen:
            seen.add(span.key)
            kept.append(span)
    dropped = len(doc.spans) - len(kept)
    seen_suggestions: set[tuple[int, int, str, str]] = set()
    suggestions = []
    for sug in doc.suggestions:
        key = (sug.start, sug.end, sug.label, sug.rule)
        if key not in seen_suggestions:
            seen_suggestions.add(key)
            suggestions.append(sug)
    if dropped or len(suggestions) != len(doc.suggestions):
        doc = replace(doc, spans=tuple(kept), suggestions=tuple(suggestions))
    return doc, dropped


def labels_used(doc: Document) -> set[str]:
    return {span.label for span in doc.spans} | {sug.label for sug in doc.suggestions}


def with_fresh_uid(doc: Document) -> Document:
    """Keep a clashing id in the metadata and let the store make a new one."""
    metadata = dict(doc.metadata)
    metadata.setdefault("original_id", doc.uid)
    return replace(doc, uid=None, metadata=frozen_mapping(metadata))


def pick_colour(palette: Iterable[str], taken: Iterable[str], index: int = 0) -> str:
    """The first palette colour no label uses yet; past the palette, a generated colour as far as
    can be found from every colour in use (labels must never share a colour: it is how the
    analyst tells them apart). ``index`` is kept for callers; the choice does not depend on it."""
    used = [colour.lower() for colour in taken]
    for colour in palette:
        if colour.lower() not in used:
            return colour
    used_rgb = [rgb for rgb in map(_rgb, used) if rgb is not None]
    best, best_distance = "#777777", -1.0
    for step in range(360):
        # Golden-angle hues at two lightnesses: well spread, and the first ones far apart.
        hue = (step * 137.508) % 360 / 360
        lightness = 0.42 if step % 2 == 0 else 0.58
        red, green, blue = colorsys.hls_to_rgb(hue, lightness, 0.62)
        candidate = (round(red * 255), round(green * 255), round(blue * 255))
        distance = min((_distance(candidate, other) for other in used_rgb), default=1000.0)
        if distance > best_distance:
            best, best_distance = "#{:02X}{:02X}{:02X}".format(*candidate), distance
        if distance >= 60:
            break
    return best


def _rgb(colour: str) -> tuple[int, int, int] | None:
    text = colour.lstrip("#")
    if len(text) != 6:
        return None
    try:
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    except ValueError:
        return None


def _distance(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """A perceptual-ish distance between two colours (the "redmean" weighting of RGB)."""
    mean_red = (a[0] + b[0]) / 2
    dr, dg, db = a[0] - b[0], a[1] - b[1], a[2] - b[2]
    weighted = (2 + mean_red / 256) * dr * dr + 4 * dg * dg + (2 + (255 - mean_red) / 256) * db * db
    return math.sqrt(weighted)
