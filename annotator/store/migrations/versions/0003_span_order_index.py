"""spans read in document order straight from an index

Revision ID: 0003
Revises: 0002

The unique constraint's index already starts with document_id, so the plain document_id
index is redundant; its replacement also holds the order spans are read in (start, longer
first), which spares SQLite a sort on every export chunk.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("spans", schema=None) as batch_op:
        batch_op.drop_index("ix_spans_document_id")
        batch_op.create_index(
            "ix_spans_document_order", ["document_id", "start", sa.text('"end" DESC'), "label_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("spans", schema=None) as batch_op:
        batch_op.drop_index("ix_spans_document_order")
        batch_op.create_index("ix_spans_document_id", ["document_id"], unique=False)
