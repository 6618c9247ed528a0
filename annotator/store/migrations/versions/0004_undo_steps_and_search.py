"""undo steps on the change log, ids that are never reused, full-text search

Revision ID: 0004
Revises: 0003

- ``undo_steps``: one row per undoable action; ``change_log.step_id`` ties its changes to it.
- SQLite: spans and suggestions are rebuilt with AUTOINCREMENT, so an id is never handed out
  twice and undo/redo can re-create a row under the id older steps refer to (other databases
  take ids from sequences, which never reuse them anyway).
- SQLite with FTS5: ``documents_fts``, an external-content index of the document texts
  (unicode61 tokens, case and diacritics folded), filled here for the documents already in the
  database. New documents are indexed by the import's bulk insert (store.search), one statement
  a batch: an insert trigger cost twice as much and took import from ~2,800 to ~1,800 docs/s.
  Deletes and (never expected) text updates are followed by triggers.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SPAN_ORDER: list[str | sa.TextClause] = ["document_id", "start", sa.text('"end" DESC'), "label_id"]

FTS_TABLE = (
    "CREATE VIRTUAL TABLE documents_fts USING fts5("
    "text, content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
)
FTS_TRIGGERS = (
    (
        "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN "
        "INSERT INTO documents_fts(documents_fts, rowid, text) "
        "VALUES ('delete', old.id, old.text); END"
    ),
    # Texts never change after import; this keeps the index right if one ever does.
    (
        "CREATE TRIGGER documents_fts_update AFTER UPDATE OF text ON documents BEGIN "
        "INSERT INTO documents_fts(documents_fts, rowid, text) "
        "VALUES ('delete', old.id, old.text); "
        "INSERT INTO documents_fts(rowid, text) VALUES (new.id, new.text); END"
    ),
)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _has_fts5() -> bool:
    return bool(
        op.get_bind().exec_driver_sql("SELECT sqlite_compileoption_used('ENABLE_FTS5')").scalar()
    )


def _postgresql_search_index() -> None:
    """PostgreSQL: a trigram index of the lowered texts (pg_trgm), which the search's
    lower(text) LIKE '%word%' conditions use; kept up to date by PostgreSQL itself. Without the
    extension (not installed, or not allowed) the search still works, scanning the texts."""
    bind = op.get_bind()
    available = bind.exec_driver_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"
    ).first()
    if available is None:
        return
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError:
        return  # not allowed to create it: search without the index
    op.execute(
        "CREATE INDEX ix_documents_text_trgm ON documents USING gin (lower(text) gin_trgm_ops)"
    )


def upgrade() -> None:
    op.create_table(
        "undo_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("annotator_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["annotator_id"],
            ["annotators.id"],
            name=op.f("fk_undo_steps_annotator_id_annotators"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_undo_steps")),
    )
    op.create_index("ix_undo_steps_annotator_state", "undo_steps", ["annotator_id", "state", "id"])
    # A plain column (no foreign key): SQLite adds it in place, without copying the log.
    op.add_column("change_log", sa.Column("step_id", sa.Integer(), nullable=True))
    op.create_index("ix_change_log_step_id", "change_log", ["step_id"])
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_search_index()
    if not _sqlite():
        return
    # Reflection cannot carry the expression index across the copy: drop and re-make it.
    op.drop_index("ix_spans_document_order", table_name="spans")
    for table in ("spans", "suggestions"):
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass
    op.create_index("ix_spans_document_order", "spans", SPAN_ORDER)
    if _has_fts5():
        op.execute(FTS_TABLE)
        for trigger in FTS_TRIGGERS:
            op.execute(trigger)
        op.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_documents_text_trgm")
    if _sqlite():
        for name in ("documents_fts_delete", "documents_fts_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    op.drop_index("ix_change_log_step_id", table_name="change_log")
    with op.batch_alter_table("change_log") as batch_op:
        batch_op.drop_column("step_id")
    op.drop_index("ix_undo_steps_annotator_state", table_name="undo_steps")
    op.drop_table("undo_steps")
