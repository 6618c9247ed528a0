"""Reading one document for its view (itself, its spans and suggestions, its text, title and
status), finding one by reference, and marking its status."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select, update

from annotator.core.errors import UsageError
from annotator.core.model import (
    MAIN_LAYER,
    Document,
    DocumentStatus,
    SpanBrief,
    SuggestionBrief,
    SuggestionState,
)
from annotator.store.annotation_rows import spans_by_document, suggestions_by_document
from annotator.store.convert import document_from_row
from annotator.store.database import Database
from annotator.store.schema import DocumentRow, LabelRow, SpanRow, SuggestionRow
from annotator.store.states import Action, Entity

# Built once: building these statements costs more than running them for one document.
_STATUS = select(DocumentRow.status).where(DocumentRow.id == bindparam("doc_id"))
_SET_STATUS = (
    update(DocumentRow)
    .where(DocumentRow.id == bindparam("doc_id"))
    .values(status=bindparam("new_status"))
)


class DocumentReading:
    """The reading half of ``store.documents``: one document, found and read, and its status."""

    db: Database

    def resolve(self, ref: str | int) -> int:
        """A document id from an id, a uid, or a unique title prefix."""
        with self.db.sessions() as session:
            text = str(ref).strip()
            if text.isdigit():
                found = session.scalar(select(DocumentRow.id).where(DocumentRow.id == int(text)))
                if found is not None:
                    return found
            found = session.scalar(select(DocumentRow.id).where(DocumentRow.uid == text))
            if found is not None:
                return found
            matches = list(
                session.scalars(
                    select(DocumentRow.id)
                    .where(DocumentRow.title.startswith(text, autoescape=True))
                    .limit(2)
                )
            )
            if len(matches) == 1:
                return matches[0]
            if matches:
                raise UsageError(
                    f"document {ref!r}: more than one title starts with it; give the id"
                )
        raise UsageError(
            f"no document {ref!r} (give an id from `annotator docs`, a uid or a title)"
        )

    def get(self, doc_id: int, *, suggestions: bool = True, layer: int = MAIN_LAYER) -> Document:
        """A document with the spans of one layer (and, with ``suggestions``, its suggestions)."""
        with self.db.sessions() as session:
            row = session.get(DocumentRow, doc_id)
            if row is None:
                raise UsageError(f"no document with id {doc_id}")
            spans = spans_by_document(session, [doc_id], layer=layer).get(doc_id, ())
            sugs = suggestions_by_document(session, [doc_id]).get(doc_id, ()) if suggestions else ()
            return document_from_row(row, tuple(spans), tuple(sugs))

    def alone(self, doc_id: int) -> Document:
        """A document's text and metadata, without its spans and suggestions."""
        with self.db.sessions() as session:
            row = session.get(DocumentRow, doc_id)
            if row is None:
                raise UsageError(f"no document with id {doc_id}")
            return document_from_row(row, (), ())

    def annotations_brief(
        self, doc_id: int, layer: int = MAIN_LAYER
    ) -> tuple[list[SpanBrief], list[SuggestionBrief]]:
        """A document's spans of one layer and pending suggestions as plain tuples, in reading
        order (for the window). Suggestions are the main layer's: none in another layer."""
        with self.db.sessions() as session:
            connection = session.connection()
            spans = connection.execute(
                select(
                    SpanRow.id,
                    SpanRow.start,
                    SpanRow.end,
                    LabelRow.name,
                    SpanRow.text,
                    SpanRow.origin,
                    SpanRow.rule,
                )
                .join(LabelRow, SpanRow.label_id == LabelRow.id)
                .where(SpanRow.document_id == doc_id, SpanRow.layer == layer)
                .order_by(SpanRow.start, SpanRow.end.desc(), SpanRow.label_id)
            ).all()
            if layer != MAIN_LAYER:
                return list(map(SpanBrief._make, spans)), []
            pending = connection.execute(
                select(
                    SuggestionRow.id,
                    SuggestionRow.start,
                    SuggestionRow.end,
                    LabelRow.name,
                    SuggestionRow.text,
                    SuggestionRow.rule,
                    func.coalesce(SuggestionRow.explanation, ""),
                )
                .join(LabelRow, SuggestionRow.label_id == LabelRow.id)
                .where(
                    SuggestionRow.document_id == doc_id,
                    SuggestionRow.state == SuggestionState.PENDING,
                )
                .order_by(SuggestionRow.start, SuggestionRow.end.desc())
            ).all()
            return list(map(SpanBrief._make, spans)), list(map(SuggestionBrief._make, pending))

    def text(self, doc_id: int) -> str:
        with self.db.sessions() as session:
            return self.db.text(self.db.core(session), doc_id)

    def title(self, doc_id: int) -> str:
        with self.db.sessions() as session:
            title = session.scalar(select(DocumentRow.title).where(DocumentRow.id == doc_id))
            if title is None:
                raise UsageError(f"no document with id {doc_id}")
            return title or f"document {doc_id}"

    def status(self, doc_id: int) -> DocumentStatus:
        with self.db.sessions() as session:
            status = self.db.core(session).scalar(_STATUS, {"doc_id": doc_id})
            if status is None:
                raise UsageError(f"no document with id {doc_id}")
            return DocumentStatus(status)

    def set_status(
        self, doc_id: int, status: DocumentStatus, *, annotator: str | None
    ) -> DocumentStatus:
        with self.db.transaction() as session:
            connection = self.db.core(session)
            # Not the ORM row: that would read the whole text too.
            before = connection.scalar(_STATUS, {"doc_id": doc_id})
            if before is None:
                raise UsageError(f"no document with id {doc_id}")
            connection.execute(_SET_STATUS, {"doc_id": doc_id, "new_status": str(status)})
            self.db.log(
                session,
                Action.STATUS,
                Entity.DOCUMENT,
                entity_id=doc_id,
                document_id=doc_id,
                annotator=annotator,
                before={"status": before},
                after={"status": str(status)},
            )
            return DocumentStatus(before)

    def ids(self) -> list[int]:
        """Every document's id, in import order."""
        with self.db.sessions() as session:
            return list(session.scalars(select(DocumentRow.id).order_by(DocumentRow.id)))

    def suggested_with(self, doc_id: int) -> str | None:
        """The fingerprint of the rules the document's suggestions were last made with."""
        with self.db.sessions() as session:
            return session.scalar(
                select(DocumentRow.suggested_with).where(DocumentRow.id == doc_id)
            )
