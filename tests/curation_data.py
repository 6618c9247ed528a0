"""A document a team annotated, for curation tests: annotators, their assignments and layers.

Each annotator's spans are added through the workspace (so they are logged like any span) and
then moved into that annotator's own layer, as migration 0009 keeps them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select, update

from annotator.core.model import Document
from annotator.store.schema import AnnotatorRow, AssignmentRow, SpanRow
from annotator.workspace import Workspace

TEXT = "Joko Widodo met Vladimir Putin in Moscow on Saturday with the FSA."
# ana and budi agree on Joko Widodo and Moscow; on Putin ana says PERSON over the first name only,
# budi the whole name; only ana has FSA; only budi has Saturday.
LAYERS: dict[str, list[tuple[int, int, str]]] = {
    "ana": [(0, 11, "PERSON"), (16, 24, "PERSON"), (34, 40, "LOC"), (62, 65, "ORG")],
    "budi": [(0, 11, "PERSON"), (16, 30, "PERSON"), (34, 40, "LOC"), (44, 52, "DATE")],
}
DISPLAY = {"ana": "Ana Suryani", "budi": ""}


def team_document(
    ws: Workspace,
    layers: Mapping[str, Sequence[tuple[int, int, str]]] = LAYERS,
    text: str = TEXT,
    display: Mapping[str, str] = DISPLAY,
) -> int:
    """A new document assigned to each annotator of ``layers``, with their spans in their layers."""
    (doc_id,) = ws.store.documents.insert([Document(text=text, title="tim")], annotator="lead")
    db = ws.store.database
    for name, spans in layers.items():
        with db.transaction() as session:
            annotator_id = db.annotator_id(session, name)
            session.execute(
                update(AnnotatorRow)
                .where(AnnotatorRow.id == annotator_id)
                .values(display_name=display.get(name, ""))
            )
            session.add(AssignmentRow(document_id=doc_id, annotator_id=annotator_id))
        ids = [ws.store.spans.add(doc_id, s, e, label, annotator=name).id for s, e, label in spans]
        with db.transaction() as session:
            session.execute(update(SpanRow).where(SpanRow.id.in_(ids)).values(layer=annotator_id))
    return doc_id


def layer_keys(ws: Workspace, doc_id: int, layer: int = 0) -> set[tuple[int, int, str]]:
    """The (start, end, label) of a layer's spans, read straight from the table."""
    from annotator.store.schema import LabelRow

    with ws.store.database.sessions() as session:
        rows = session.execute(
            select(SpanRow.start, SpanRow.end, LabelRow.name)
            .join(LabelRow, SpanRow.label_id == LabelRow.id)
            .where(SpanRow.document_id == doc_id, SpanRow.layer == layer)
        )
        return {(row[0], row[1], row[2]) for row in rows}
