"""Curation of a document a team annotated: where the annotators' layers agree and where not.

The annotators' spans are cut into regions: clusters of spans that overlap across annotators (a
chain of overlaps is one region; spans that only touch, ``[0, 5)`` and ``[5, 9)``, do not
overlap). In each region every annotator of the document has a version (their spans there, maybe
none). A region is agreed when every annotator's version is the same (same starts, ends and
labels), else it is a disagreement for the curator to settle. The curated (main) layer has
settled a region when it holds spans there.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from annotator.core.model import MAIN_LAYER_NAME, Span

SpanKey = tuple[int, int, str]
# What the main layer is called where layers are chosen by name (an export's --layer): in a team
# it holds what the curator settled.
CURATED = MAIN_LAYER_NAME


def layer_phrase(layer: str) -> str:
    """How an export names the layer it wrote: "the curated layer", "ana's layer"."""
    return f"the {CURATED} layer" if layer == CURATED else f"{layer}'s layer"


def _keys(spans: Sequence[Span]) -> frozenset[SpanKey]:
    return frozenset(span.key for span in spans)


@dataclass(frozen=True)
class Region:
    """A stretch ``[start, end)`` of the text and what each annotator and the curator have there."""

    start: int
    end: int
    # Every annotator of the document by name, to their spans in the region (in text order).
    versions: Mapping[str, tuple[Span, ...]]
    curated: tuple[Span, ...] = ()  # the curated layer's spans overlapping the region

    @property
    def agreed(self) -> bool:
        """Every annotator has exactly the same spans here."""
        keys = [_keys(spans) for spans in self.versions.values()]
        return bool(keys) and all(k == keys[0] for k in keys)

    @property
    def settled(self) -> bool:
        """The curated layer has spans here."""
        return bool(self.curated)

    def version(self, annotator: str) -> tuple[Span, ...]:
        """An annotator's spans in the region (none when they marked nothing here)."""
        return self.versions.get(annotator, ())

    def holds(self, annotator: str) -> bool:
        """The curated layer is exactly this annotator's version (and not empty)."""
        return self.settled and _keys(self.curated) == _keys(self.version(annotator))

    @property
    def agreed_spans(self) -> tuple[Span, ...]:
        """The spans every annotator has here (one annotator's copy), for an agreed region."""
        first = next(iter(self.versions.values()), ())
        return first if self.agreed else ()


@dataclass(frozen=True)
class Curation:
    """One document's curation: its annotators, regions, and the curated layer."""

    doc_id: int
    text: str
    annotators: tuple[str, ...]  # names, in lane order
    display_names: Mapping[str, str] = field(default_factory=dict)  # name -> shown name
    regions: tuple[Region, ...] = ()
    curated: tuple[Span, ...] = ()

    @property
    def disagreements(self) -> tuple[Region, ...]:
        return tuple(region for region in self.regions if not region.agreed)

    @property
    def unsettled(self) -> tuple[Region, ...]:
        """Disagreements the curated layer has no spans in yet."""
        return tuple(region for region in self.disagreements if not region.settled)

    def shown_name(self, annotator: str) -> str:
        return self.display_names.get(annotator) or annotator

    def with_region(self, region: Region) -> Curation:
        """This curation with one region as read again (after a decision on it): its curated
        spans replace the old region's in ``curated`` too."""
        old = self.region_at(region.start, region.end)
        if old is None:
            raise ValueError(f"no region at [{region.start}, {region.end}) to replace")
        gone = {span.id for span in old.curated}
        kept = [span for span in self.curated if span.id not in gone]
        new = [span for span in region.curated if span.id not in {s.id for s in kept}]
        return replace(
            self,
            regions=tuple(region if r is old else r for r in self.regions),
            curated=tuple(sorted([*kept, *new], key=lambda span: (span.start, -span.end))),
        )

    def region_at(self, start: int, end: int) -> Region | None:
        """The region over exactly ``[start, end)``, if there still is one."""
        for region in self.regions:
            if (region.start, region.end) == (start, end):
                return region
        return None


def regions(
    layers: Mapping[str, Sequence[Span]], curated: Sequence[Span] = ()
) -> tuple[Region, ...]:
    """The regions of one document, in text order.

    ``layers`` maps every annotator of the document (also those with no span at all) to their
    spans; ``curated`` is the curated layer's spans, attached to every region they overlap.
    """
    tagged = sorted(
        ((span, name) for name, spans in layers.items() for span in spans),
        key=lambda pair: (pair[0].start, -pair[0].end),
    )
    clusters: list[tuple[int, int, list[tuple[Span, str]]]] = []
    for span, name in tagged:
        if clusters and span.start < clusters[-1][1]:
            start, end, members = clusters[-1]
            members.append((span, name))
            clusters[-1] = (start, max(end, span.end), members)
        else:
            clusters.append((span.start, span.end, [(span, name)]))
    ordered_curated = sorted(curated, key=lambda span: (span.start, -span.end))
    curated_starts = [span.start for span in ordered_curated]
    longest = max((span.end - span.start for span in ordered_curated), default=0)
    found = []
    for start, end, members in clusters:
        versions: dict[str, list[Span]] = {name: [] for name in layers}
        for span, name in members:
            versions[name].append(span)
        # Only curated spans starting within the longest one's length before the region can
        # reach into it: a bisected window, not every curated span for every region.
        low = bisect_left(curated_starts, start - longest)
        high = bisect_left(curated_starts, end)
        there = tuple(span for span in ordered_curated[low:high] if start < span.end)
        found.append(
            Region(
                start,
                end,
                MappingProxyType({name: tuple(spans) for name, spans in versions.items()}),
                there,
            )
        )
    return tuple(found)


def missing_spans(wanted: Sequence[Span], present: Sequence[Span]) -> tuple[Span, ...]:
    """The spans of ``wanted`` whose (start, end, label) ``present`` lacks."""
    have = _keys(present)
    return tuple(span for span in wanted if span.key not in have)
