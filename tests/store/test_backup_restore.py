"""Listing and restoring the automatic backups (store/backup_restore.py, `backup --restore`)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.core.model import Document
from annotator.workspace import Workspace

# Restoring writes a SQLite file's pages; a PostgreSQL server is restored by its administrator.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def ws(db_path, clock):
    workspace = Workspace.open(db_path, annotator="tester")
    assert workspace.store.daily_backup is not None
    workspace.store.daily_backup.now = clock
    yield workspace
    workspace.close()


def _state(path: Path) -> tuple[list[str], int, int]:
    """Labels, spans and change-log entries of a database file."""
    with sqlite3.connect(path) as connection:
        labels = [row[0] for row in connection.execute("SELECT name FROM labels ORDER BY name")]
        spans = connection.execute("SELECT count(*) FROM spans").fetchone()[0]
        log = connection.execute("SELECT count(*) FROM change_log").fetchone()[0]
    return labels, spans, log


@pytest.fixture
def day_one(ws, db_path, clock):
    """A database with a document and a span, backed up on the first write of the next day,
    then changed: a new label and a second span."""
    (doc,) = ws.store.documents.insert(
        [Document(text="Joko Widodo bertemu Putin.", title="satu")], annotator="tester"
    )
    ws.add_span(doc, 0, 11, "PERSON")
    clock.moment += timedelta(days=1)
    state = _state(db_path)
    ws.add_label("LATER")
    ws.add_span(doc, 20, 25, "PERSON")
    assert _state(db_path) != state
    return state


def test_list_shows_each_kind_newest_first(ws, db_path, day_one):
    # a pre-migration backup, named as engine.prepare names it, beside the database
    migration = db_path.parent / "test.backup-20260101-120000-rev0007.sqlite"
    migration.write_bytes(db_path.read_bytes())
    found = ws.automatic_backups()
    assert [(b.kind, b.taken) for b in found] == [
        ("daily", datetime(2026, 3, 2, 9, 30)),
        ("daily", datetime(2026, 3, 1, 9, 30)),
        ("before migration", datetime(2026, 1, 1, 12, 0)),
    ]
    assert found[0].size == found[0].path.stat().st_size


def test_restore_brings_the_content_back_and_saves_the_replaced_state(ws, db_path, day_one):
    replaced = _state(db_path)
    restored, saved = ws.restore_backup("2026-03-02")
    assert restored.kind == "daily"
    assert _state(db_path) == day_one  # labels, spans and change log as they were
    assert _state(saved) == replaced  # the restore can itself be undone
    assert saved.name.startswith("test.before-restore-")
    assert "LATER" not in [label.name for label in ws.labels()]
    # and the restore is undone by restoring what it saved
    ws.restore_backup(str(saved))
    assert _state(db_path) == replaced


def test_restore_while_a_second_connection_is_open(ws, db_path, day_one):
    window = Workspace.open(db_path, annotator="window")
    try:
        assert "LATER" in [label.name for label in window.labels()]
        ws.restore_backup("2026-03-02")
        assert "LATER" not in [label.name for label in window.labels()]
        window.add_label("AFTER")  # the other connection goes on writing
    finally:
        window.close()
    assert "AFTER" in _state(db_path)[0]
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _refused(ws, db_path, wanted: str) -> str:
    before = (_state(db_path), sorted(p.name for p in (db_path.parent / "backups").iterdir()))
    with pytest.raises(AnnotatorError) as refused:
        ws.restore_backup(wanted)
    after = (_state(db_path), sorted(p.name for p in (db_path.parent / "backups").iterdir()))
    assert after == before  # nothing changed, no before-restore copy either
    return str(refused.value)


def test_bad_restore_arguments_are_refused_with_the_reason(ws, db_path, day_one, tmp_path):
    folder = db_path.parent / "backups"
    assert "no such file" in _refused(ws, db_path, str(tmp_path / "missing.sqlite"))
    assert "no backup of" in _refused(ws, db_path, "1999-01-01")
    elsewhere = tmp_path / "elsewhere.sqlite"
    elsewhere.write_bytes(db_path.read_bytes())
    assert "not one of the backups of" in _refused(ws, db_path, str(elsewhere))
    garbage = folder / "test.daily-2026-02-01-000000.sqlite"
    garbage.write_bytes(b"this is not SQLite at all" * 100)
    assert "not an annotator database" in _refused(ws, db_path, str(garbage))
    foreign = folder / "test.daily-2026-02-02-000000.sqlite"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE notes (x)")
    assert "not an annotator database" in _refused(ws, db_path, "2026-02-02")
    future = folder / "test.daily-2026-02-03-000000.sqlite"
    future.write_bytes(next(p for p in folder.glob("test.daily-2026-03-01*")).read_bytes())
    with sqlite3.connect(future) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    assert "newer version of annotator" in _refused(ws, db_path, "2026-02-03")


# alembic's downgrade reflects the documents table, whose date index is an expression
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
def test_a_backup_of_an_older_schema_is_restored_and_migrated_on_the_next_open(
    ws, db_path, day_one
):
    from alembic import command
    from sqlalchemy import create_engine

    from annotator.store import engine as engine_setup

    older = next((db_path.parent / "backups").glob("test.daily-2026-03-02*"))
    url = engine_setup.to_url(older)
    config = engine_setup._alembic_config(url)
    engine = create_engine(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
    engine.dispose()
    ws.restore_backup(str(older))
    with sqlite3.connect(db_path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0008",)
    ws.close()
    with Workspace.open(db_path, annotator="tester") as reopened:
        assert any("upgraded the schema from revision 0008" in n for n in reopened.notes)
        assert "LATER" not in [label.name for label in reopened.labels()]
        assert "PERSON" in [label.name for label in reopened.labels()]
