"""A small team corpus for the agreement tests: three annotators' own layers on shared documents.

Written as rows (assignments, spans in each annotator's layer), the way migration 0009 lays them
out, so the agreement tests do not depend on how the team commands write them.
"""

from __future__ import annotations

from annotator.core.model import Document
from annotator.store.schema import AssignmentRow, LabelRow, SpanRow

TEXTS = [
    "Joko Widodo bertemu Prabowo di Jakarta pada Senin.",
    "Presiden Rusia Vladimir Putin menawarkan kerja sama kepada Indonesia.",
    "Gubernur Anies Baswedan meresmikan MRT Jakarta di Bundaran HI.",
]
# document index -> annotator -> spans (start, end, label); an empty list: assigned, no span
LAYERS: dict[int, dict[str, list[tuple[int, int, str]]]] = {
    0: {
        "ana": [(0, 11, "PERSON"), (20, 27, "PERSON"), (31, 38, "LOC")],
        "budi": [(0, 11, "PERSON"), (20, 27, "PERSON"), (31, 38, "ORG")],
        "citra": [(0, 4, "PERSON"), (20, 27, "PERSON")],
    },
    1: {
        "ana": [(15, 29, "PERSON"), (59, 68, "LOC")],
        "budi": [(15, 29, "PERSON"), (59, 68, "LOC")],
        "citra": [],
    },
    2: {"ana": [(9, 23, "PERSON")], "budi": []},  # citra does not have it
}


def team_corpus(ws) -> list[int]:
    """Import the texts and write the layers; returns the documents' ids."""
    ids = ws.store.documents.insert(
        [Document(text=text, title=f"Berita {i + 1}") for i, text in enumerate(TEXTS)],
        annotator="tester",
    )
    db = ws.store.database
    with db.transaction() as session:
        label_ids = dict(session.query(LabelRow.name, LabelRow.id).all())
        for index, layers in LAYERS.items():
            doc_id = ids[index]
            for name, spans in layers.items():
                annotator_id = db.annotator_id(session, name)
                session.add(AssignmentRow(document_id=doc_id, annotator_id=annotator_id))
                for start, end, label in spans:
                    session.add(
                        SpanRow(
                            document_id=doc_id,
                            layer=annotator_id,
                            start=start,
                            end=end,
                            label_id=label_ids[label],
                            text=TEXTS[index][start:end],
                            annotator_id=annotator_id,
                        )
                    )
    return ids
