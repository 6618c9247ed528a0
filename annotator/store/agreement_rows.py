"""What agreement reads: the annotators' own layers, a chunk of documents per two queries.

An annotator "has" a document when it is assigned to them or their own layer holds spans in it
(core.agreement counts a document for the annotators who have it, spans or not). The main
(curated) layer is never read here: it is not an annotator's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import select, union

from annotator.core.agreement import AgreementDocument, AnnotatedSpan
from annotator.core.model import MAIN_LAYER, AnnotatorRole
from annotator.store.database import Database
from annotator.store.schema import AnnotatorRow, AssignmentRow, DocumentRow, LabelRow, SpanRow

CHUNK = 500  # documents a chunk: their texts and every compared layer's spans


def layer_annotators(db: Database) -> list[str]:
    """Names of the annotators with an assignment or spans of their own, by name; not the
    curators (they work in the main layer: an assignment of theirs holds nothing to compare)."""
    with db.sessions() as session:
        connection = db.core(session)
        owners = union(
            select(AssignmentRow.annotator_id),
            select(SpanRow.layer).where(SpanRow.layer != MAIN_LAYER).distinct(),
        ).subquery()
        stmt = (
            select(AnnotatorRow.name)
            .where(
                AnnotatorRow.id.in_(select(owners.c[0])),
                AnnotatorRow.role != AnnotatorRole.CURATOR.value,
            )
            .order_by(AnnotatorRow.name)
        )
        return list(connection.execute(stmt).scalars())


def annotator_ids(db: Database, names: Sequence[str]) -> dict[str, int]:
    with db.sessions() as session:
        rows = db.core(session).execute(
            select(AnnotatorRow.name, AnnotatorRow.id).where(AnnotatorRow.name.in_(names))
        )
        return {name: id_ for name, id_ in rows}


def agreement_documents(
    db: Database, names: Sequence[str], chunk: int = CHUNK
) -> Iterator[AgreementDocument]:
    """Every document at least two of ``names`` have, with each of their layers, by id."""
    ids = annotator_ids(db, names)
    name_of = {id_: name for name, id_ in ids.items()}
    holders = _holders(db, list(name_of))
    shared = sorted(doc for doc, who in holders.items() if len(who) >= 2)
    for at in range(0, len(shared), chunk):
        part = shared[at : at + chunk]
        with db.sessions() as session:
            connection = db.core(session)
            texts = connection.execute(
                select(DocumentRow.id, DocumentRow.title, DocumentRow.text).where(
                    DocumentRow.id.in_(part)
                )
            ).all()
            spans: dict[int, dict[str, list[AnnotatedSpan]]] = {
                doc: {name_of[a]: [] for a in sorted(holders[doc])} for doc in part
            }
            columns = (SpanRow.document_id, SpanRow.layer, SpanRow.start, SpanRow.end)
            rows = connection.execute(
                select(*columns, LabelRow.name)
                .join(LabelRow, SpanRow.label_id == LabelRow.id)
                .where(SpanRow.document_id.in_(part), SpanRow.layer.in_(list(name_of)))
                .order_by(SpanRow.document_id, SpanRow.layer, SpanRow.start, SpanRow.end.desc())
            )
            for doc, layer, start, end, label in rows:
                spans[doc][name_of[layer]].append((start, end, label))
        for doc, title, text in sorted(texts):
            yield AgreementDocument(doc, title or "", text, spans[doc])


def _holders(db: Database, ids: list[int]) -> dict[int, set[int]]:
    """Document id -> the annotators (ids) who have it."""
    if not ids:
        return {}
    with db.sessions() as session:
        stmt = union(
            select(AssignmentRow.document_id, AssignmentRow.annotator_id).where(
                AssignmentRow.annotator_id.in_(ids)
            ),
            select(SpanRow.document_id, SpanRow.layer).where(SpanRow.layer.in_(ids)).distinct(),
        )
        found: dict[int, set[int]] = {}
        for doc, annotator in db.core(session).execute(stmt):
            found.setdefault(doc, set()).add(annotator)
        return found
