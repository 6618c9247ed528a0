"""PostgreSQL itself: URLs, clear refusals, ids never handed out twice, `db upgrade` on an empty
database, backup (pg_dump or JSONL) and `export sqlite`. The server tests need
ANNOTATOR_TEST_ENGINE=postgresql (the cluster of tests/pg_cluster.py); the rest run always."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys

import pytest

from annotator.core.errors import DatabaseError
from annotator.core.model import Document
from annotator.store.engine import prepare, to_url
from annotator.workspace import Workspace
from tests.pg_cluster import ON_POSTGRESQL, peek

on_pg = pytest.mark.skipif(not ON_POSTGRESQL, reason="needs ANNOTATOR_TEST_ENGINE=postgresql")
TEXT = "Presiden Rusia Vladimir Putin bertemu John Kerry di Moskow."


def _cli(db: str, *argv: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ANNOTATOR_NAME": "tester", "QT_QPA_PLATFORM": "offscreen"}
    env.pop("ANNOTATOR_DB", None)
    if path is not None:
        env["PATH"] = path
    return subprocess.run(
        [sys.executable, "-m", "annotator", "--db", db, *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_postgres_urls_use_psycopg_3():
    assert to_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert to_url("postgres://u:pw@h:5433/db") == "postgresql+psycopg://u:pw@h:5433/db"
    assert to_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_an_unreachable_server_is_one_clear_line_without_the_password():
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(DatabaseError) as refused:
        prepare(to_url(f"postgresql://someone:secret@127.0.0.1:{port}/nothing"))
    message = str(refused.value)
    assert "cannot open the database" in message and "\n" not in message
    assert "secret" not in message and str(port) in message
    done = _cli(f"postgresql://someone:secret@127.0.0.1:{port}/nothing", "stats")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "cannot open the database" in done.stderr


@on_pg
def test_a_database_that_does_not_exist_is_named(pg_cluster):
    with pytest.raises(DatabaseError, match='database "no_such_db" does not exist'):
        prepare(to_url(pg_cluster.url("no_such_db")))


@on_pg
def test_db_upgrade_makes_the_schema_on_an_empty_database(pg_cluster):
    name = pg_cluster.new_database()
    try:
        done = _cli(pg_cluster.url(name), "db", "upgrade")
        assert done.returncode == 0, done.stderr
        assert "schema at revision 0009" in done.stdout
        with peek(pg_cluster.url(name)) as conn:
            tables = {
                row[0]
                for row in conn.execute(
                    "select table_name from information_schema.tables where table_schema = 'public'"
                ).fetchall()
            }
        assert {"documents", "spans", "suggestions", "change_log", "assignments"} <= tables
    finally:
        pg_cluster.drop(name)


@on_pg
def test_ids_are_never_handed_out_twice(workspace, db_path):
    # The import numbers documents itself: the next one made otherwise must not collide.
    first, *_, last = workspace.store.documents.insert(
        [Document(text=f"{TEXT} {i}", title=str(i)) for i in range(3)], annotator="t"
    )
    with peek(db_path) as conn:
        assert conn.execute("select last_value from documents_id_seq").fetchone()[0] >= last
    span = workspace.add_span(first, 15, 29, "PERSON").spans[0]
    workspace.undo()  # the span is gone; redo puts it back under its id
    workspace.redo()
    assert [s.id for s in workspace.document(first).spans] == [span.id]
    newer = workspace.add_span(first, 38, 48, "PERSON").spans[0]
    assert newer.id > span.id
    workspace.undo()
    workspace.undo()
    again = workspace.add_span(first, 15, 29, "PERSON").spans[0]
    assert again.id not in (span.id, newer.id)


@on_pg
def test_backup_is_a_pg_dump_and_without_pg_dump_a_jsonl_export(workspace, db_path, tmp_path):
    workspace.store.documents.insert([Document(text=TEXT, title="a")], annotator="t")
    dump = tmp_path / "team.dump"
    done = _cli(db_path, "backup", str(dump))
    assert done.returncode == 0, done.stderr
    assert "pg_dump" in done.stdout and dump.read_bytes().startswith(b"PGDMP")
    # PATH without pg_dump: python is called by its full path, annotator finds no pg_dump.
    jsonl = tmp_path / "team.jsonl"
    done = _cli(db_path, "backup", str(jsonl), path=str(tmp_path / "empty-bin"))
    assert done.returncode == 0, done.stderr
    assert "JSONL" in done.stdout
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    tables = {record["table"] for record in records}
    assert {"labels", "documents", "annotators"} <= tables
    [document] = [r["row"] for r in records if r["table"] == "documents"]
    assert document["text"] == TEXT
    assert not list(tmp_path.glob(".*.partial"))


@on_pg
def test_export_sqlite_from_postgresql_is_a_working_sqlite_database(workspace, tmp_path):
    [doc_id] = workspace.store.documents.insert(
        [Document(text=TEXT, title="a", uid="a")], annotator="t"
    )
    workspace.add_span(doc_id, 15, 29, "PERSON")
    result = workspace.export("sqlite", tmp_path / "copy.sqlite")
    assert result.documents == 1
    with sqlite3.connect(tmp_path / "copy.sqlite") as conn:
        assert conn.execute("select text from spans").fetchall() == [("Vladimir Putin",)]
    with Workspace.open(tmp_path / "copy.sqlite") as copy:
        assert [d.uid for d in copy.documents()] == ["a"]
        assert [hit.document_id for hit in copy.search("putin")] == [doc_id]
