"""What curating a document reads: its text, every layer's spans, and its annotators.

Curation writes nothing of its own: taking a version adds and removes spans of the main (curated)
layer through ``store.spans``, each logged in the workspace's undo step.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select

from annotator.core.model import MAIN_LAYER, Span
from annotator.store.database import Database
from annotator.store.schema import AnnotatorRow, AssignmentRow, SpanRow
from annotator.store.spans import LAYER_SPANS, span_of

_ASSIGNED = (
    select(AnnotatorRow.id, AnnotatorRow.name, AnnotatorRow.display_name)
    .join(AssignmentRow, AssignmentRow.annotator_id == AnnotatorRow.id)
    .where(AssignmentRow.document_id == bindparam("doc_id"))
)
# Annotators who have a layer of their own: an assignment, or spans in it.
_LAYER_OWNERS = (
    select(AnnotatorRow.name, AnnotatorRow.id)
    .where(
        AnnotatorRow.id.in_(select(AssignmentRow.annotator_id))
        | AnnotatorRow.id.in_(select(SpanRow.layer).where(SpanRow.layer != MAIN_LAYER))
    )
    .order_by(AnnotatorRow.name)
)
_ANNOTATORS = select(AnnotatorRow.id, AnnotatorRow.name, AnnotatorRow.display_name).where(
    AnnotatorRow.id.in_(bindparam("ids", expanding=True))
)


@dataclass(frozen=True)
class DocumentLayers:
    """One document as a curator sees it."""

    text: str
    layers: dict[str, list[Span]]  # each annotator of the document (assigned or with spans)
    display_names: dict[str, str]  # annotator name -> display name ("" = the name)
    curated: list[Span]  # the main layer


class CurationReads:
    """Reads for curation, on the shared database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def document_layers(self, doc_id: int, within: tuple[int, int] | None = None) -> DocumentLayers:
        """The document's text, its annotators' layers (by annotator id order) and the main one;
        ``within`` a range: only the spans overlapping it (one region read again)."""
        with self.db.sessions() as session:
            connection = self.db.core(session)
            text = self.db.text(connection, doc_id)
            by_layer: dict[int, list[Span]] = {}
            if within is None:
                rows = connection.execute(LAYER_SPANS, {"doc_id": doc_id})
            else:
                rows = connection.execute(
                    LAYER_SPANS.where(SpanRow.start < within[1], SpanRow.end > within[0]),
                    {"doc_id": doc_id},
                )
            for row in rows:
                by_layer.setdefault(row[13], []).append(span_of(row))
            people = {
                row[0]: (row[1], row[2])
                for row in connection.execute(_ASSIGNED, {"doc_id": doc_id})
            }
            unassigned = [
                layer for layer in by_layer if layer != MAIN_LAYER and layer not in people
            ]
            if unassigned:
                for row in connection.execute(_ANNOTATORS, {"ids": unassigned}):
                    people[row[0]] = (row[1], row[2])
        layers = {people[i][0]: by_layer.get(i, []) for i in sorted(people)}
        names = {people[i][0]: people[i][1] or "" for i in sorted(people)}
        return DocumentLayers(text, layers, names, by_layer.get(MAIN_LAYER, []))

    def layer_owners(self) -> dict[str, int]:
        """Every annotator with a layer of their own (assigned a document, or with spans there):
        name -> layer, by name."""
        with self.db.sessions() as session:
            return {row[0]: row[1] for row in session.execute(_LAYER_OWNERS)}
