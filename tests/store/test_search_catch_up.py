"""The full-text index an import leaves behind: caught up by a search from the high-water mark,
a search correct before that, deletes that keep the index sound, and migration 0007 on a 0006
database with data."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, event

from annotator.core.errors import DatabaseError
from annotator.store import engine as engine_setup
from annotator.store import search_index
from annotator.store.schema import Base
from annotator.workspace import Workspace, schema_revision


def _write(tmp_path, count: int, start: int = 0):
    folder = tmp_path / f"in{start}"
    folder.mkdir()
    for i in range(start, start + count):
        (folder / f"{i:03}.txt").write_text(
            f"Berita kata{i}: Vladimir Putin bertemu menteri di Moskow.", encoding="utf-8"
        )
    return folder


def _fts_sound(ws) -> None:
    with ws.store.engine.begin() as conn:  # "database disk image is malformed" when not
        conn.exec_driver_sql(
            "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)"
        )


def _fts_rows(ws) -> int:
    with ws.store.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM documents_fts_docsize").scalar()


def _mark(ws) -> int:
    with ws.store.engine.connect() as conn:
        return search_index.indexed_to(conn)


def test_an_import_leaves_the_index_behind_and_the_first_search_catches_it_up(
    workspace, tmp_path, monkeypatch
):
    monkeypatch.setattr(search_index, "CATCH_UP_CHUNK", 4)  # several catch-up transactions
    ids = workspace.import_paths([_write(tmp_path, 10)]).document_ids
    assert workspace.store.search.index.behind() == 10 and _fts_rows(workspace) == 0
    assert {h.document_id for h in workspace.search("putin")} == set(ids)
    assert workspace.store.search.index.behind() == 0 and _mark(workspace) == max(ids)
    assert _fts_rows(workspace) == 10
    _fts_sound(workspace)
    [hit] = workspace.search("kata7")
    assert (hit.document_id, hit.match) == (ids[7], "kata7")


def test_a_search_that_cannot_index_still_finds_every_stored_document(
    workspace, tmp_path, monkeypatch
):
    first = workspace.import_paths([_write(tmp_path, 3)]).document_ids
    workspace.search("putin")  # indexed up to here
    later = workspace.import_paths([_write(tmp_path, 3, start=3)]).document_ids

    def cannot_write(self, *_args):
        raise DatabaseError("the search index cannot be written: attempt to write a readonly")

    monkeypatch.setattr(search_index.SearchIndex, "catch_up", cannot_write)
    assert [h.document_id for h in workspace.search("putin")] == first + later
    assert [h.document_id for h in workspace.search("kata4")] == [later[1]]
    assert workspace.store.search.index.behind() == 3


def test_deleting_documents_before_and_after_the_catch_up_keeps_the_index_sound(
    workspace, tmp_path
):
    ids = workspace.import_paths([_write(tmp_path, 4)]).document_ids
    with workspace.store.engine.begin() as conn:
        # Not indexed yet: the trigger must not tell FTS5 to remove what it never had.
        conn.exec_driver_sql("DELETE FROM documents WHERE id = ?", (ids[1],))
    assert {h.document_id for h in workspace.search("putin")} == {ids[0], ids[2], ids[3]}
    _fts_sound(workspace)
    with workspace.store.engine.begin() as conn:
        # Indexed, and the last one: its id must not come back below the mark unindexed.
        conn.exec_driver_sql("DELETE FROM documents WHERE id = ?", (ids[3],))
    _fts_sound(workspace)
    assert {h.document_id for h in workspace.search("putin")} == {ids[0], ids[2]}
    [new] = workspace.import_paths([_write(tmp_path, 1, start=50)]).document_ids
    assert new > ids[3]
    assert {h.document_id for h in workspace.search("putin")} == {ids[0], ids[2], new}
    _fts_sound(workspace)


def _make_0006_with_data(path) -> None:
    config = engine_setup._alembic_config(engine_setup.to_url(path))
    engine = create_engine(engine_setup.to_url(path))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0006")
    engine.dispose()
    text = "Juru bicara Kremlin Dmitry Peskov menolak berkomentar."
    with sqlite3.connect(path) as conn:
        conn.execute(
            'INSERT INTO labels (id, name, colour, description, "order") '
            "VALUES (1, 'PERSON', '#ff0000', '', 0)"
        )
        for doc_id in (1, 2):
            conn.execute(
                "INSERT INTO documents (id, uid, title, text, sha256, source, metadata, status, "
                "imported_at) VALUES (?, ?, 'Lama', ?, ?, 'old', '{}', 'new', "
                "'2025-01-01 00:00:00.000000')",
                (doc_id, f"u{doc_id}", f"{text} ({doc_id})", f"h{doc_id}"),
            )
            # What an 0006 import did: the index filled in the import.
            conn.execute(
                "INSERT INTO documents_fts(rowid, text) VALUES (?, ?)",
                (doc_id, f"{text} ({doc_id})"),
            )
            conn.execute(
                'INSERT INTO spans (id, document_id, start, "end", label_id, text, origin, '
                "attributes, created_at, updated_at) VALUES (?, ?, 20, 33, 1, 'Dmitry Peskov', "
                "'manual', '{}', '2025-01-01 00:00:00', '2025-01-01 00:00:00')",
                (doc_id * 10, doc_id),
            )


def test_a_0006_database_with_data_upgrades_to_0007(tmp_path):
    path = tmp_path / "v6.sqlite"
    _make_0006_with_data(path)
    with Workspace.open(path, annotator="tester") as ws:
        assert any("upgraded the schema from revision 0006" in note for note in ws.notes)
        assert [(s.id, s.text) for s in ws.document(2).spans] == [(20, "Dmitry Peskov")]
        assert _mark(ws) == 2 and ws.store.search.index.behind() == 0
        assert {h.document_id for h in ws.search("peskov")} == {1, 2}
        new = ws.import_paths([_write(tmp_path, 2)]).document_ids
        assert new == [3, 4]
        assert {h.document_id for h in ws.search("putin")} == {3, 4}
        _fts_sound(ws)
    with sqlite3.connect(path) as conn:
        assert conn.execute("select version_num from alembic_version").fetchone()[0] >= "0007"
        spans_sql = conn.execute("select sql from sqlite_master where name = 'spans'").fetchone()[0]
        assert "uq_spans_document_range_label" not in spans_sql
        # The unique order index still refuses a second span of a label over the same range.
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            conn.execute(
                'INSERT INTO spans (document_id, start, "end", label_id, text, origin, '
                "attributes, created_at, updated_at) VALUES (2, 20, 33, 1, 'Dmitry Peskov', "
                "'manual', '{}', '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
            )


EXPRESSION_INDEXES = {
    "ix_spans_document_order",
    "ix_spans_document_label_length",
    "ix_documents_date",
}


def _index_sql(path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "select name, sql from sqlite_master where type = 'index' and sql is not null"
        ).fetchall()
    return {
        name: " ".join(sql.replace('"', "").replace("IF NOT EXISTS ", "").split())
        for name, sql in rows
    }


@pytest.mark.filterwarnings("ignore:.*expression-based index")
def test_the_migrated_schema_is_the_metadata(db_path, tmp_path):
    assert schema_revision() == "0009"
    engine = create_engine(engine_setup.to_url(db_path))
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                # The FTS5 tables are SQLite's, not the metadata's; alembic cannot compare
                # expression indexes on SQLite (compared below by their SQL instead).
                "include_name": lambda name, kind, _parent: (
                    not (
                        (kind == "table" and str(name).startswith("documents_fts"))
                        or (kind == "index" and name in EXPRESSION_INDEXES)
                    )
                ),
                "include_object": lambda obj, name, kind, *_: (
                    not (kind == "index" and name in EXPRESSION_INDEXES)
                ),
            },
        )
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []
    fresh = tmp_path / "fresh.sqlite"
    fresh_engine = create_engine(engine_setup.to_url(fresh))
    Base.metadata.create_all(fresh_engine)
    fresh_engine.dispose()
    assert _index_sql(db_path) == _index_sql(fresh)


def test_a_search_with_nothing_to_index_writes_nothing(workspace, tmp_path):
    workspace.import_paths([_write(tmp_path, 2)])
    workspace.search("putin")  # indexes the two
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement.split()[0].upper())

    engine = workspace.store.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert len(workspace.search("putin")) == 2
        # No write lock taken to learn that nothing is behind: a search never waits for an
        # import's chunk to commit.
        assert statements and set(statements) <= {"SELECT", "WITH"}, statements
        statements.clear()
        workspace.import_paths([_write(tmp_path, 1, start=9)])
        assert len(workspace.search("putin")) == 3
        assert "INSERT" in statements and "UPDATE" in statements  # the new one indexed
    finally:
        event.remove(engine, "before_cursor_execute", seen)


# About SQLite itself (its file, its FTS5 index and catch-up, query plans, file migrations).
pytestmark = pytest.mark.sqlite_only
