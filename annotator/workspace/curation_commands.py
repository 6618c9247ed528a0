"""Curating a team's document: its regions, and the curator's decisions on them.

Every decision writes the main (curated) layer and is one undo step: pre-merging the agreed
regions, taking one annotator's version of a region, or rejecting every version of it. The
regions are read again before each decision, so a stale view never writes what is not there.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.core.change import Change, Operation
from annotator.core.curation import Curation, Region, missing_spans, regions
from annotator.core.errors import UsageError
from annotator.core.model import Span
from annotator.core.text import one_line as short
from annotator.store.curation import CurationReads
from annotator.workspace.actor import Actor


class CurationCommands:
    """The curator's reads and decisions on one database."""

    def __init__(self, actor: Actor) -> None:
        self._actor = actor

    def curation(self, doc_id: int) -> Curation:
        """The document's annotators, regions (agreed or not, settled or not) and curated spans."""
        return self._read(doc_id, None)

    def region(self, doc_id: int, start: int, end: int) -> Region | None:
        """The region over exactly ``[start, end)`` as it is now, read alone (only the spans
        overlapping it: any that reached outside would make the region another one)."""
        return self._read(doc_id, (start, end)).region_at(start, end)

    def _read(self, doc_id: int, within: tuple[int, int] | None) -> Curation:
        found = CurationReads(self._actor.store.database).document_layers(doc_id, within)
        return Curation(
            doc_id,
            found.text,
            tuple(found.layers),
            {name: shown for name, shown in found.display_names.items() if shown},
            regions(found.layers, found.curated),
            tuple(found.curated),
        )

    def premerge_agreements(self, doc_id: int) -> Change:
        """Copy every agreed region's spans into the curated layer, where it has nothing yet (a
        region the curator already settled otherwise stays as they left it)."""
        curation = self.curation(doc_id)
        wanted = [
            span
            for region in curation.regions
            if not region.settled
            for span in region.agreed_spans
        ]
        if not wanted:
            return Change(Operation.PREMERGE_AGREEMENTS, "No agreed span to pre-merge", (doc_id,))
        noun = "span" if len(wanted) == 1 else "spans"
        description = f"Pre-merge {len(wanted)} agreed {noun}"
        return self._write(Operation.PREMERGE_AGREEMENTS, description, doc_id, wanted, ())

    def take_version(self, doc_id: int, region: Region, annotator: str) -> Change:
        """The curated layer's spans in the region become exactly this annotator's version."""
        now = self._current(doc_id, region)
        if annotator not in now.versions:
            raise UsageError(f"{annotator} is not an annotator of document {doc_id}")
        version = now.version(annotator)
        keep = {span.key for span in version}
        removed = [span for span in now.curated if span.key not in keep]
        added = missing_spans(version, now.curated)
        what = ", ".join(f"{span.label} ‘{short(span.text)}’" for span in version) or "nothing"
        description = f"Take {annotator}'s version: {what}"
        return self._write(Operation.TAKE_VERSION, description, doc_id, added, removed)

    def reject_region(self, doc_id: int, region: Region) -> Change:
        """No curated span in the region: every annotator's version is turned down."""
        now = self._current(doc_id, region)
        text = short(now.curated[0].text if now.curated else "")
        description = f"Reject every version at [{now.start}, {now.end})" + (
            f" ‘{text}’" if text else ""
        )
        return self._write(Operation.REJECT_VERSIONS, description, doc_id, (), now.curated)

    def _current(self, doc_id: int, region: Region) -> Region:
        found = self.region(doc_id, region.start, region.end)
        if found is None:
            raise UsageError(
                f"document {doc_id} has no region at [{region.start}, {region.end}) any more"
            )
        return found

    def _write(
        self,
        operation: Operation,
        description: str,
        doc_id: int,
        added: Iterable[Span],
        removed: Iterable[Span],
    ) -> Change:
        """One undo step: remove, then add, spans of the curated layer."""
        store, who = self._actor.store, self._actor.annotator
        made: list[Span] = []
        gone: list[Span] = []
        with store.step(description, annotator=who):
            for span in removed:
                assert span.id is not None  # read from the database
                gone.append(store.spans.delete(span.id, annotator=who)[0])
            for span in added:
                made.append(
                    store.spans.add(
                        doc_id,
                        span.start,
                        span.end,
                        span.label,
                        annotator=who,
                        note=span.note,
                        attributes=dict(span.attributes),
                    )
                )
        focus = made[0] if made else (gone[0] if gone else None)
        return Change(
            operation,
            description,
            (doc_id,),
            spans=tuple(made),
            removed_spans=tuple(gone),
            count=len(made),
            focus=focus,
        )
