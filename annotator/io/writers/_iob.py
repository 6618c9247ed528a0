"""What the CoNLL and CoNLL-U writers share: a document's tokens cut at span boundaries,
sentences joined where a span crosses them, one IOB1 / IOB2 / BIOES tag a token, and a
warning for each span the tags cannot hold exactly."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import NamedTuple

from annotator.core.export_record import DocumentRecord, SpanRecord
from annotator.core.span_layout import Placed, join_sentences, place_spans
from annotator.core.tokenize import TokenLayout, token_layout
from annotator.io.writers._common import outermost, without_whitespace

SCHEMES = ("iob1", "iob2", "bioes")


class Tagged(NamedTuple):
    layout: TokenLayout  # cut at span boundaries, sentences joined across spans
    tags: list[str]  # "O" or e.g. "B-PER", one a token
    written: int  # spans written exactly
    warnings: list[str]  # one a span changed or left out


def span_warning(doc: DocumentRecord, span: SpanRecord, why: str) -> str:
    """A warning about one span, with what finds it again: document, label, offsets, text."""
    where = doc.uid or (str(doc.id) if doc.id is not None else "?")
    title = f" “{doc.title}”" if doc.title else ""
    text = doc.text[span.start : span.end]
    return f"document {where}{title}: {span.label} {span.start}-{span.end} {text!r}: {why}"


def _bounds(span: SpanRecord) -> tuple[int, int]:
    return (span.start, span.end)


def tag_document(
    doc: DocumentRecord, scheme: str, fmt: str, name: Callable[[str], str] = without_whitespace
) -> Tagged:
    """The tokens and tags of ``doc`` in ``scheme``; ``fmt`` names the format in warnings."""
    spans = doc.spans
    warnings: list[str] = []
    # Most documents have no overlapping spans (store order: by start, longer first).
    if all(a.end <= b.start for a, b in pairwise(spans)):
        kept = spans
    else:
        kept, _ = outermost(spans, _bounds)
        kept_ids = {id(span) for span in kept}
        for span in spans:
            if id(span) not in kept_ids:
                outer = next(k for k in kept if k.start < span.end and span.start < k.end)
                warnings.append(
                    span_warning(
                        doc,
                        span,
                        f"left out of {fmt}: it overlaps {outer.label} {outer.start}-{outer.end}"
                        " (tags cannot overlap; the outermost span is kept)",
                    )
                )
    layout, placed, problems = place_spans(token_layout(doc.text), [_bounds(s) for s in kept])
    lost = 0
    for index, why in problems:
        warnings.append(span_warning(doc, kept[index], f"{fmt}: {why}"))
        lost += placed[index].first >= placed[index].last
    tags = ["O"] * len(layout.texts)
    previous: tuple[Placed, str] | None = None
    for span, place in zip(kept, placed, strict=True):
        first, last = place
        if first >= last:
            continue
        label = name(span.label)
        if scheme == "iob1":
            # IOB1 marks B- only where an entity follows one of the same type directly.
            touching = previous is not None and previous[0].last == first and previous[1] == label
            tags[first] = f"{'B' if touching else 'I'}-{label}"
        elif scheme == "bioes" and last - first == 1:
            tags[first] = f"S-{label}"
        else:
            tags[first] = f"B-{label}"
        if last - first > 1:
            inside = "I-" + label
            tags[first + 1 : last] = [inside] * (last - first - 1)
            if scheme == "bioes":
                tags[last - 1] = "E-" + label
        previous = (place, label)
    ends = join_sentences(layout.sentence_ends, placed)
    layout = TokenLayout(layout.texts, layout.starts, ends)
    return Tagged(layout, tags, len(kept) - lost, warnings)


def label_warnings(
    labels: set[str], fmt: str, name: Callable[[str], str], cannot: str = "whitespace"
) -> list[str]:
    """One warning a label that ``fmt`` writes under another name (whitespace -> ``_``)."""
    return [
        f"label {label!r} is written as {name(label)!r}: {fmt} labels cannot hold {cannot}"
        for label in sorted(labels)
        if name(label) != label
    ]
