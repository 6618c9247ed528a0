"""Reading the whole corpus without holding it: texts in chunks, and the places the analyst has
already decided (for the corpus diff of a rule edit). Read only."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import func, select

from annotator.core.model import MAIN_LAYER, SuggestionState
from annotator.store.database import Database
from annotator.store.schema import DocumentRow, LabelRow, SpanRow, SuggestionRow

# (start, end, label): a place and the label given to it.
Place = tuple[int, int, str]
# Rows per read: big enough that the query cost vanishes, small enough that 10,000 articles
# (~40 MB) are never in memory at once.
CHUNK = 250
_DECIDED = (SuggestionState.ACCEPTED, SuggestionState.CORRECTED)


def document_count(db: Database) -> int:
    with db.sessions() as session:
        return session.scalar(select(func.count(DocumentRow.id))) or 0


def texts_in_chunks(db: Database, chunk: int = CHUNK) -> Iterator[list[tuple[int, str, str]]]:
    """Every document as (id, title, text), in id order, ``chunk`` at a time; each chunk is read
    in its own short session (keyset paging), so a long diff never holds the database open."""
    last = 0
    while True:
        with db.sessions() as session:
            rows = session.execute(
                select(DocumentRow.id, DocumentRow.title, DocumentRow.text)
                .where(DocumentRow.id > last)
                .order_by(DocumentRow.id)
                .limit(chunk)
            ).all()
        if not rows:
            return
        yield [(row[0], row[1] or f"document {row[0]}", row[2]) for row in rows]
        last = rows[-1][0]


def decided_places(db: Database, doc_ids: Iterable[int]) -> dict[int, set[Place]]:
    """Per document, the places the analyst has made theirs: every span, and every suggestion
    accepted or corrected (the span made from it may have been moved since)."""
    ids = sorted(set(doc_ids))
    found: dict[int, set[Place]] = {i: set() for i in ids}
    with db.sessions() as session:
        for at in range(0, len(ids), 500):
            part = ids[at : at + 500]
            spans = session.execute(
                select(SpanRow.document_id, SpanRow.start, SpanRow.end, LabelRow.name)
                .join(LabelRow, SpanRow.label_id == LabelRow.id)
                .where(SpanRow.document_id.in_(part), SpanRow.layer == MAIN_LAYER)
            )
            suggestions = session.execute(
                select(
                    SuggestionRow.document_id,
                    SuggestionRow.start,
                    SuggestionRow.end,
                    LabelRow.name,
                )
                .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
                .where(SuggestionRow.document_id.in_(part), SuggestionRow.state.in_(_DECIDED))
            )
            for doc_id, start, end, label in [*spans, *suggestions]:
                found[doc_id].add((start, end, label))
    return found
