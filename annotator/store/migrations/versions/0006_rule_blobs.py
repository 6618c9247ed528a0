"""large rule patterns kept once in the change log

Revision ID: 0006
Revises: 0005

A tagger rule carries its model (hundreds of KB) in its pattern. The change log writes a rule's
definition before and after each save, so every exception added to the tagger wrote the model
twice more. ``rule_blobs`` keeps such a pattern once, by its SHA-256; the log refers to it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rule_blobs",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("pattern", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rule_blobs")
