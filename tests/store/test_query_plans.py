"""The reads every action or list refresh makes go through indexes (checked on SQLite's query
plans, not on timings), and migration 0005 adds the one the covered counts need."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from sqlalchemy import create_engine

from annotator.core.model import Document, Suggestion
from annotator.store import engine as engine_setup
from annotator.store.document_list import _FRESH_PENDING, _SUMMARY_ALL, _SUMMARY_ONE
from annotator.store.document_pages import DocumentOrder, DocumentQuery, fold, ids_sql
from annotator.store.suggestion_decisions import _IDENTICAL_PENDING
from annotator.workspace import Workspace, schema_revision

TEXT = "Presiden Rusia Vladimir Putin bertemu John Kerry di Moskow."


def _plan(workspace, statement, params) -> str:
    with workspace.store.engine.connect() as connection:
        compiled = statement.compile(connection)
        sql = str(compiled)
        values = compiled.construct_params(params)
        ordered = tuple(values[name] for name in compiled.positiontup)
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", ordered).all()
    return "\n".join(row[-1] for row in rows)


def test_covered_counts_read_a_bounded_range_of_the_spans_index(workspace):
    """The probe seeks the longest span of the label in the new index, then reads only the spans
    starting in [start - longest, end): if SQLAlchemy's expression stopped matching the index's,
    SQLite would scan every span of the document before each suggestion again."""
    for statement, params in (
        (_SUMMARY_ONE.pending, {"doc_id": 1}),
        (_SUMMARY_ALL.pending, {}),
        (_FRESH_PENDING, {"doc_id": 1}),
    ):
        plan = _plan(workspace, statement, params)
        assert (
            "USING INDEX ix_spans_document_label_length (document_id=? AND label_id=?)" in plan
        ), plan
        order_range = "ix_spans_document_order (document_id=? AND layer=? AND start>? AND start<?)"
        assert order_range in plan, plan


def test_a_span_finds_the_pending_suggestions_identical_to_it_with_one_index_search(workspace):
    plan = _plan(workspace, _IDENTICAL_PENDING, {"doc_id": 1, "start": 0, "end": 5, "label": "LOC"})
    assert plan.splitlines() == [
        "SEARCH labels USING COVERING INDEX sqlite_autoindex_labels_1 (name=?)",
        (
            "SEARCH suggestions USING INDEX sqlite_autoindex_suggestions_1 "
            "(document_id=? AND start=? AND end=? AND label_id=?)"
        ),
    ]


def test_a_0004_database_gets_the_index_and_counts_covered_suggestions(tmp_path):
    path = tmp_path / "v4.sqlite"
    config = engine_setup._alembic_config(engine_setup.to_url(path))
    engine = create_engine(engine_setup.to_url(path))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
    engine.dispose()
    with Workspace.open(path, annotator="tester") as ws:
        start = TEXT.index("Vladimir")
        [doc_id] = ws.store.documents.insert(
            [
                Document(
                    text=TEXT,
                    title="t",
                    source="test",
                    suggestions=(
                        Suggestion(
                            start, start + len("Vladimir Putin"), "PERSON", "Vladimir Putin", "r"
                        ),
                    ),
                )
            ],
            annotator="tester",
        )
        ws.add_span(doc_id, start, start + len("Vladimir"), "PERSON")
        summary = ws.document_summary(doc_id)
        assert (summary.pending_suggestions, summary.covered_suggestions) == (0, 1)
    with sqlite3.connect(path) as conn:
        assert (
            conn.execute("select version_num from alembic_version").fetchone()[0]
            == schema_revision()
        )
        sql = conn.execute(
            "select sql from sqlite_master where name = 'ix_spans_document_label_length'"
        ).fetchone()
    assert sql is not None and '"end" - start' in sql[0]


def test_the_navigator_filters_by_title_and_sorts_by_date_on_the_0008_indexes(workspace):
    """A title filter scans the titles' index, a date sort reads the date index in order: if the
    date expression stopped matching the index's, every sort would read the whole table again."""
    for query, expected in (
        (DocumentQuery(order=DocumentOrder.DATE), "SCAN d USING INDEX ix_documents_date"),
        (DocumentQuery(title="banjir"), "SCAN d USING COVERING INDEX ix_documents_title"),
        (
            DocumentQuery(order=DocumentOrder.TITLE),
            "SCAN d USING COVERING INDEX ix_documents_title",
        ),
    ):
        params: dict = {}
        sql = ids_sql(query, params) + " LIMIT 200"
        with workspace.store.engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            raw.create_function("nav_fold", 1, fold, deterministic=True)
            plan = "\n".join(row[-1] for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}", params))
        assert expected in plan, plan


# About SQLite itself (its file, its FTS5 index and catch-up, query plans, file migrations).
pytestmark = pytest.mark.sqlite_only
