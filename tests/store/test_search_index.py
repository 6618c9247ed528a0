"""Migration 0004: an 0003 database is backed up, upgraded, and its old documents are searchable;
spans and suggestions keep their rows and ids, and ids are never handed out twice after."""

from __future__ import annotations

import sqlite3

import pytest
from alembic import command
from sqlalchemy import create_engine

from annotator.store import engine as engine_setup
from annotator.workspace import Workspace, schema_revision

OLD_TEXT = "Teks lama: Menteri Luar Negeri Sergey Lavrov tiba di Moskow."


def _make_0003(path):
    config = engine_setup._alembic_config(engine_setup.to_url(path))
    engine = create_engine(engine_setup.to_url(path))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "insert into documents "
            "(uid, title, text, sha256, source, metadata, status, imported_at) "
            "values ('u1', 'Lama', ?, 'h1', 's', '{}', 'new', '2020-01-01 00:00:00')",
            (OLD_TEXT,),
        )
        conn.execute(
            'insert into labels (name, colour, description, "order") '
            "values ('PERSON', '#f00', '', 0)"
        )
        for span_id, (start, end) in ((5, (31, 44)), (9, (0, 4))):
            conn.execute(
                'insert into spans (id, document_id, start, "end", label_id, text, origin, '
                "attributes, created_at, updated_at) values (?, 1, ?, ?, 1, ?, 'manual', '{}', "
                "'2020-01-01 00:00:00', '2020-01-01 00:00:00')",
                (span_id, start, end, OLD_TEXT[start:end]),
            )
        conn.execute(
            'insert into suggestions (id, document_id, start, "end", label_id, text, rule, '
            "rule_version, explanation, state, created_at) "
            "values (7, 1, 31, 44, 1, 'Sergey Lavrov', 'r', 1, '', 'pending', "
            "'2020-01-01 00:00:00')"
        )


def test_a_0003_database_upgrades_and_its_old_documents_are_found(tmp_path):
    path = tmp_path / "v3.sqlite"
    _make_0003(path)
    with Workspace.open(path) as ws:
        assert any("backed up" in note for note in ws.notes)
        [hit] = ws.search("sergey lav")
        assert (hit.document_id, hit.title, hit.match) == (1, "Lama", "Sergey Lavrov")
        assert OLD_TEXT[hit.start : hit.end] == "Sergey Lavrov"
        assert [(s.id, s.text) for s in ws.document(1).spans] == [(9, "Teks"), (5, "Sergey Lavrov")]
        assert [s.id for _, s in ws.suggestions(1)] == [7]
        # Nothing from before the upgrade is an undo step.
        assert ws.undo_description() is None and ws.undo() is None
        added = ws.add_span(1, 11, 18, "PERSON").spans[0]
        assert added.id == 10
        assert ws.undo().removed_spans[0].id == added.id
        assert (
            ws.add_span(1, 11, 18, "PERSON").spans[0].id == 11
        )  # the undone 10 is not handed out again
    assert [
        engine_setup.current_revision(create_engine(engine_setup.to_url(b)))
        for b in tmp_path.glob("v3.backup-*.sqlite")
    ] == ["0003"]
    with sqlite3.connect(path) as conn:
        assert (
            conn.execute("select version_num from alembic_version").fetchone()[0]
            == schema_revision()
        )
        tables = {
            row[0]: row[1]
            for row in conn.execute("select name, sql from sqlite_master where type='table'")
        }
        indexes = {
            row[0] for row in conn.execute("select name from sqlite_master where type='index'")
        }
    assert "AUTOINCREMENT" in tables["spans"] and "AUTOINCREMENT" in tables["suggestions"]
    # 0007 folded the unique constraint into the (unique) order index.
    assert "uq_spans_document_range_label" not in tables["spans"]
    assert {
        "ix_spans_document_order",
        "ix_spans_label_id",
        "ix_suggestions_state",
        "ix_change_log_step_id",
    } <= indexes
    assert "documents_fts" in tables and "undo_steps" in tables


def test_the_index_follows_inserts_and_deletes(workspace, tmp_path):
    (tmp_path / "a.txt").write_text("Juru bicara Kremlin menolak berkomentar.", encoding="utf-8")
    [doc_id] = workspace.import_paths([tmp_path]).document_ids
    assert workspace.store.search.index.catch_up() == 1  # an import leaves the index behind
    with workspace.store.engine.begin() as conn:
        found = conn.exec_driver_sql(
            "select rowid from documents_fts where documents_fts match 'kremlin'"
        ).all()
        assert found == [(doc_id,)]
        conn.exec_driver_sql("delete from documents where id = ?", (doc_id,))
        assert (
            conn.exec_driver_sql(
                "select rowid from documents_fts where documents_fts match 'kremlin'"
            ).all()
            == []
        )
    assert workspace.search("kremlin") == []


def _fts_sound(ws) -> None:
    with ws.store.engine.begin() as conn:  # raises "database disk image is malformed" when not
        conn.exec_driver_sql(
            "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)"
        )


def test_imports_index_each_document_once(workspace, tmp_path, seed_path):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(
            f"Berita {i} dari Jakarta, kata Joko Widodo.", encoding="utf-8"
        )
    workspace.import_paths([tmp_path, seed_path])
    assert len({h.document_id for h in workspace.search("jakarta")}) == 3
    assert {h.match for h in workspace.search("lavrov")} == {"Lavrov"}
    _fts_sound(workspace)  # the search caught the index up, each document once


def test_a_database_indexing_by_insert_trigger_is_not_indexed_twice(db_path, tmp_path):
    # What an early build of revision 0004 made: inserts indexed by a trigger.
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN "
            "INSERT INTO documents_fts(rowid, text) VALUES (new.id, new.text); END"
        )
    (tmp_path / "a.txt").write_text("Juru bicara Kremlin menolak berkomentar.", encoding="utf-8")
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([tmp_path])
        _fts_sound(ws)
        assert [h.match for h in ws.search("kremlin")] == ["Kremlin"]


# About SQLite itself (its file, its FTS5 index and catch-up, query plans, file migrations).
pytestmark = pytest.mark.sqlite_only
