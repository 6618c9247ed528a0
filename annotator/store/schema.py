"""The tables, as SQLAlchemy 2.x declarative models.

Changes here need an Alembic revision in ``migrations/versions``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from annotator.core.model import (
    MAIN_LAYER,
    AnnotatorRole,
    DocumentStatus,
    SpanOrigin,
    SuggestionState,
)
from annotator.store.states import StepState

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# The navigator's date order (store/document_pages.py, without its "d." alias; migration 0008):
# an ISO publication date when the article has one, else the import time.
_PUBLISHED = "json_extract(metadata, '$.published')"
DOCUMENT_DATE_SQL = (
    f"(CASE WHEN {_PUBLISHED} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
    f"THEN replace({_PUBLISHED}, 'T', ' ') ELSE imported_at END)"
)
# PostgreSQL: the same text from a function migration 0008 makes (an index expression must be
# immutable, and a timestamptz turned into text is not, by itself: the function fixes UTC).
PG_DOCUMENT_DATE_FUNCTION = (
    "CREATE OR REPLACE FUNCTION annotator_document_date(meta json, imported timestamptz) "
    "RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE "
    "WHEN (meta->>'published') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' "
    "THEN replace(meta->>'published', 'T', ' ') "
    "ELSE to_char(imported AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') END $$"
)
PG_DOCUMENT_DATE_SQL = "annotator_document_date(metadata, imported_at)"


class DocumentRow(Base):
    __tablename__ = "documents"
    __table_args__ = (
        # The navigator filters and sorts by title and date in SQL: read from these, not from
        # the rows that carry the texts.
        Index("ix_documents_title", "title"),
        Index("ix_documents_date", text(DOCUMENT_DATE_SQL)).ddl_if(dialect="sqlite"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text, default="")
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    language: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=DocumentStatus.NEW, index=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Fingerprint of the rule set the document's suggestions were last made with.
    suggested_with: Mapped[str | None] = mapped_column(String(64))


class LabelRow(Base):
    __tablename__ = "labels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    colour: Mapped[str] = mapped_column(String(16))
    hotkey: Mapped[str | None] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column("order", Integer, default=0)


class AnnotatorRow(Base):
    __tablename__ = "annotators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Shown in the window and reports; empty means the name (migration 0009).
    # Server defaults only: the bulk inserts name their columns and must not gain these.
    display_name: Mapped[str] = mapped_column(Text, server_default="")
    role: Mapped[str] = mapped_column(String(16), server_default=AnnotatorRole.ANNOTATOR.value)


class AssignmentRow(Base):
    """A document given to an annotator, who annotates it in their own layer (migration 0009)."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("document_id", "annotator_id", name="uq_assignments_document_annotator"),
        Index("ix_assignments_annotator_document", "annotator_id", "document_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id", ondelete="CASCADE"))
    # The annotator's own progress on the document (the document's status is the main layer's).
    status: Mapped[str] = mapped_column(String(16), default=DocumentStatus.NEW)
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SpanRow(Base):
    __tablename__ = "spans"
    __table_args__ = (
        # The order spans are read in (start, longer first): no sort when a document is read.
        # Unique: a document has a span of a label over a range once (migration 0007 folded the
        # unique constraint over the same columns into it, one index less to write per span).
        # The layer comes second: a document's spans are read one layer at a time (migration 0009).
        Index(
            "ix_spans_document_order",
            "document_id",
            "layer",
            "start",
            text('"end" DESC'),
            "label_id",
            unique=True,
        ),
        # The longest span of a label in a document, one seek (how far back a span overlapping
        # a suggestion can start: store.documents counts covered suggestions with it).
        Index("ix_spans_document_label_length", "document_id", "label_id", text('("end" - start)')),
        # Ids are never reused: undo and redo re-create rows under the ids older steps refer to.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    # MAIN_LAYER (0), or the id of the annotator whose own layer holds the span (core.model).
    # A server default only: the bulk inserts name their columns and must not gain this one.
    layer: Mapped[int] = mapped_column(Integer, server_default=str(MAIN_LAYER))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id", ondelete="RESTRICT"), index=True)
    text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16), default=SpanOrigin.MANUAL)
    rule: Mapped[str | None] = mapped_column(String(200))
    rule_version: Mapped[int | None] = mapped_column(Integer)
    annotator_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotators.id", ondelete="SET NULL")
    )
    note: Mapped[str | None] = mapped_column(Text)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SuggestionRow(Base):
    """A span a rule proposed, and what the analyst decided (the rule engine fills this)."""

    __tablename__ = "suggestions"
    __table_args__ = (
        UniqueConstraint(
            "document_id", "start", "end", "label_id", "rule", name="uq_suggestions_span_rule"
        ),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id", ondelete="RESTRICT"))
    text: Mapped[str] = mapped_column(Text)
    rule: Mapped[str] = mapped_column(String(200))
    rule_version: Mapped[int] = mapped_column(Integer, default=1)
    explanation: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default=SuggestionState.PENDING, index=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("annotators.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ChangeRow(Base):
    """The append-only change log: who did what, when, with the state before and after."""

    __tablename__ = "change_log"
    __table_args__ = (
        Index("ix_change_log_document_id", "document_id"),
        Index("ix_change_log_step_id", "step_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    annotator_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotators.id", ondelete="SET NULL")
    )
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    document_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    # The undo step this change belongs to (None for changes that cannot be undone, like imports).
    step_id: Mapped[int | None] = mapped_column(Integer)


class UndoStepRow(Base):
    """One undoable user action: the change-log rows with its id, undone and redone as one."""

    __tablename__ = "undo_steps"
    __table_args__ = (Index("ix_undo_steps_annotator_state", "annotator_id", "state", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    annotator_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotators.id", ondelete="SET NULL")
    )
    description: Mapped[str] = mapped_column(Text, default="")
    # done -> undone -> done ...; a new action discards what its annotator had undone.
    state: Mapped[str] = mapped_column(String(16), default=StepState.DONE)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RuleRow(Base):
    """A rule as its pack line (``definition``: name, label, kind, pattern, exceptions...).

    The other columns repeat what queries need; ``definition`` is the truth.
    """

    __tablename__ = "rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    priority: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    pack: Mapped[str | None] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RuleBlobRow(Base):
    """A large rule pattern (a tagger's model) kept once by its digest, for the change log.

    Every save of a rule logs its definition before and after; a 500 KB model would otherwise
    be written twice more for each exception added to it.
    """

    __tablename__ = "rule_blobs"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    pattern: Mapped[dict[str, Any]] = mapped_column(JSON)


class SearchIndexRow(Base):
    """How far the full-text index has got: every document with ``id <= indexed_to`` is in it,
    none after. One row; imports leave the index behind, a search catches it up (store.search).
    """

    __tablename__ = "search_index"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indexed_to: Mapped[int] = mapped_column(Integer, default=0)


def table_of(model: type[Base]) -> Table:
    """A model's Table (SQLAlchemy types ``__table__`` as any FromClause)."""
    return cast(Table, model.__table__)
