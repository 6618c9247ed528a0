"""the document list's title and date orders, read from indexes

Revision ID: 0008
Revises: 0007

The navigator filters and sorts 100,000 documents in SQL (store/document_pages.py). Without
these indexes each filter or sort by title or date reads every row of the documents table, whose
rows carry the texts (hundreds of MB): 200-500 ms. With them a title filter scans a few MB of
index (~10 ms), a title sort ~80 ms, and a date sort reads its first page straight from the
index (< 1 ms). The date expression must stay identical to document_pages._SORT_KEYS[DATE]
(with the table alias "d." dropped) or SQLite will not use the index.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

PUBLISHED = "json_extract(metadata, '$.published')"
DATE = (
    f"(CASE WHEN {PUBLISHED} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
    f"THEN replace({PUBLISHED}, 'T', ' ') ELSE imported_at END)"
)


# PostgreSQL: the same order from an immutable function (schema.PG_DOCUMENT_DATE_FUNCTION).
PG_DATE_FUNCTION = (
    "CREATE OR REPLACE FUNCTION annotator_document_date(meta json, imported timestamptz) "
    "RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE "
    "WHEN (meta->>'published') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' "
    "THEN replace(meta->>'published', 'T', ' ') "
    "ELSE to_char(imported AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') END $$"
)
PG_DATE = "annotator_document_date(metadata, imported_at)"


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    op.create_index("ix_documents_title", "documents", ["title"])
    if _postgresql():
        # Title filters and sorts compare lower(title); a plain index on title serves the rest.
        op.create_index("ix_documents_title_lower", "documents", [sa.text("lower(title)")])
        op.execute(PG_DATE_FUNCTION)
        op.create_index("ix_documents_date", "documents", [sa.text(PG_DATE)])
        return
    op.create_index("ix_documents_date", "documents", [sa.text(DATE)])


def downgrade() -> None:
    op.drop_index("ix_documents_date", table_name="documents")
    op.drop_index("ix_documents_title", table_name="documents")
    if _postgresql():
        op.drop_index("ix_documents_title_lower", table_name="documents")
        op.execute("DROP FUNCTION IF EXISTS annotator_document_date(json, timestamptz)")
