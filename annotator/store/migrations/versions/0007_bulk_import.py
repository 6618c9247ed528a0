"""bulk import: one span index less, the full-text index caught up after an import

Revision ID: 0007
Revises: 0006

- ``spans``: the unique constraint (document, start, end, label) and ``ix_spans_document_order``
  (document, start, end DESC, label) held the same keys twice; the order index is made unique and
  the constraint dropped (SQLite: the table is copied). Every span inserted writes one B-tree
  less. ``ix_spans_document_label_length`` (covered suggestions) and ``ix_spans_label_id``
  (counts per label: plots, stats, label deletion) stay.
- ``search_index``: one row, ``indexed_to``: the documents up to that id are in ``documents_fts``,
  none after. An import no longer fills the index (it was a fifth of its time); a search catches
  it up first (store.search). The delete and update triggers touch the index only for indexed
  documents: an FTS5 'delete' of a row it never had corrupts it. The insert trigger an early
  0004 made is dropped: documents are indexed by the catch-up alone.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SPAN_ORDER: list[str | sa.TextClause] = ["document_id", "start", sa.text('"end" DESC'), "label_id"]
SPAN_LENGTH: list[str | sa.TextClause] = ["document_id", "label_id", sa.text('("end" - start)')]
UNIQUE_SPAN = ["document_id", "start", "end", "label_id"]

INDEXED = "old.id <= (SELECT indexed_to FROM search_index WHERE id = 1)"
GUARDED_TRIGGERS = (
    (
        f"CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents WHEN {INDEXED} BEGIN "
        "INSERT INTO documents_fts(documents_fts, rowid, text) "
        "VALUES ('delete', old.id, old.text); END"
    ),
    (
        f"CREATE TRIGGER documents_fts_update AFTER UPDATE OF text ON documents WHEN {INDEXED} "
        "BEGIN INSERT INTO documents_fts(documents_fts, rowid, text) "
        "VALUES ('delete', old.id, old.text); "
        "INSERT INTO documents_fts(rowid, text) VALUES (new.id, new.text); END"
    ),
)
PLAIN_TRIGGERS = tuple(t.replace(f" WHEN {INDEXED}", "") for t in GUARDED_TRIGGERS)
TRIGGER_NAMES = ("documents_fts_insert", "documents_fts_delete", "documents_fts_update")


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _has_fts() -> bool:
    return _sqlite() and sa.inspect(op.get_bind()).has_table("documents_fts")


def _rebuild_spans(drop: bool) -> None:
    if not _sqlite():
        # Other databases alter the constraint in place.
        op.drop_index("ix_spans_document_order", table_name="spans")
        if drop:
            op.drop_constraint("uq_spans_document_range_label", "spans", type_="unique")
        else:
            op.create_unique_constraint("uq_spans_document_range_label", "spans", UNIQUE_SPAN)
        op.create_index("ix_spans_document_order", "spans", SPAN_ORDER, unique=drop)
        return
    # Reflection cannot carry the expression indexes across SQLite's copy: drop and re-make them.
    op.drop_index("ix_spans_document_order", table_name="spans")
    op.drop_index("ix_spans_document_label_length", table_name="spans")
    with op.batch_alter_table(
        "spans", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        if drop:
            batch_op.drop_constraint("uq_spans_document_range_label", type_="unique")
        else:
            batch_op.create_unique_constraint("uq_spans_document_range_label", UNIQUE_SPAN)
    op.create_index("ix_spans_document_order", "spans", SPAN_ORDER, unique=drop)
    op.create_index("ix_spans_document_label_length", "spans", SPAN_LENGTH)


def upgrade() -> None:
    _rebuild_spans(drop=True)
    op.create_table(
        "search_index",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indexed_to", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_index")),
    )
    # Every document so far was indexed by its import (or by 0004's rebuild).
    op.execute(
        "INSERT INTO search_index (id, indexed_to) SELECT 1, COALESCE(MAX(id), 0) FROM documents"
    )
    if _has_fts():
        for name in TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for trigger in GUARDED_TRIGGERS:
            op.execute(trigger)


def downgrade() -> None:
    if _has_fts():
        # 0006 expects every document indexed: index the ones an import left behind.
        op.execute(
            "INSERT INTO documents_fts(rowid, text) SELECT id, text FROM documents "
            "WHERE id > (SELECT indexed_to FROM search_index WHERE id = 1)"
        )
        for name in TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for trigger in PLAIN_TRIGGERS:
            op.execute(trigger)
    op.drop_table("search_index")
    _rebuild_spans(drop=False)
