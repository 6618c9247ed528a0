"""a team on one corpus: annotators' display names and roles, assignments, span layers

Revision ID: 0009
Revises: 0008

- ``annotators``: ``display_name`` (empty: the name) and ``role`` (annotator or curator).
- ``assignments``: a document given to an annotator, with the annotator's own status of it.
- ``spans.layer``: 0 is the main layer (a lone analyst's, the curated one in a team); any other
  value is the id of the annotator whose own layer holds the span. Every span so far is in the
  main layer. The order index (unique) gains the layer after the document, so one document's
  layer is still read in order without a sort, and two annotators may mark the same range.
  Adding columns with a default is an ALTER TABLE on SQLite: no copy of the spans table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

OLD_ORDER: list[str | sa.TextClause] = ["document_id", "start", sa.text('"end" DESC'), "label_id"]
SPAN_LENGTH: list[str | sa.TextClause] = ["document_id", "label_id", sa.text('("end" - start)')]
NEW_ORDER: list[str | sa.TextClause] = ["document_id", "layer", *OLD_ORDER[1:]]


def upgrade() -> None:
    op.add_column(
        "annotators", sa.Column("display_name", sa.Text(), nullable=False, server_default="")
    )
    op.add_column(
        "annotators",
        sa.Column("role", sa.String(length=16), nullable=False, server_default="annotator"),
    )
    op.create_table(
        "assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["annotator_id"],
            ["annotators.id"],
            name=op.f("fk_assignments_annotator_id_annotators"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_assignments_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
        sa.UniqueConstraint(
            "document_id", "annotator_id", name="uq_assignments_document_annotator"
        ),
    )
    op.create_index(
        "ix_assignments_annotator_document", "assignments", ["annotator_id", "document_id"]
    )
    op.add_column("spans", sa.Column("layer", sa.Integer(), nullable=False, server_default="0"))
    op.drop_index("ix_spans_document_order", table_name="spans")
    op.create_index("ix_spans_document_order", "spans", NEW_ORDER, unique=True)


def downgrade() -> None:
    # Spans of annotators' own layers have no place in a schema without layers.
    op.execute("DELETE FROM spans WHERE layer <> 0")
    # Reflection cannot carry the expression indexes across SQLite's copy: drop and re-make them.
    op.drop_index("ix_spans_document_order", table_name="spans")
    op.drop_index("ix_spans_document_label_length", table_name="spans")
    with op.batch_alter_table("spans", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("layer")
    op.create_index("ix_spans_document_order", "spans", OLD_ORDER, unique=True)
    op.create_index("ix_spans_document_label_length", "spans", SPAN_LENGTH)
    op.drop_index("ix_assignments_annotator_document", table_name="assignments")
    op.drop_table("assignments")
    with op.batch_alter_table("annotators") as batch_op:
        batch_op.drop_column("role")
        batch_op.drop_column("display_name")
