"""Opening databases: migrations on open, default labels, refusing what we cannot open."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from annotator.core.errors import DatabaseError
from annotator.store import engine as engine_setup
from annotator.workspace import Workspace, schema_revision


def _revision_of(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("select version_num from alembic_version").fetchone()[0]


def test_new_database_is_migrated_and_gets_default_labels_in_order(tmp_path):
    path = tmp_path / "new.sqlite"
    with Workspace.open(path) as ws:
        labels = ws.labels()
        assert [label.name for label in labels] == ["PERSON", "ORG", "LOC", "DATE", "ROLE", "QUOTE"]
        assert all(label.colour.startswith("#") and label.hotkey for label in labels)
        assert len({label.hotkey for label in labels}) == 6
        assert ws.documents() == []  # a database named explicitly starts with no documents
    assert _revision_of(path) == schema_revision()
    with sqlite3.connect(path) as conn:
        tables = {
            row[0] for row in conn.execute("select name from sqlite_master where type='table'")
        }
    assert {"documents", "labels", "annotators", "spans", "suggestions", "change_log"} <= tables


def test_sqlite_runs_in_wal_with_foreign_keys(workspace):
    with workspace.store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_seeded_default_database_shows_the_seed_article(tmp_path):
    with Workspace.open(tmp_path / "default.sqlite", seed=True) as ws:
        docs = ws.documents()
        assert [d.title for d in docs] == ["Rusia Tawarkan Kerja Sama dengan AS di Suriah"]
    # Opening again does not import it twice.
    with Workspace.open(tmp_path / "default.sqlite", seed=True) as ws:
        assert len(ws.documents()) == 1


def test_revision_chain_is_linear():
    config = Config()
    config.set_main_option("script_location", str(engine_setup.MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    assert len(script.get_heads()) == 1
    revisions = list(script.walk_revisions())
    bases = [r for r in revisions if r.down_revision is None]
    assert len(bases) == 1
    for rev in revisions:
        assert not isinstance(rev.down_revision, (tuple, list)), f"{rev.revision} is a merge"
        assert len(rev.nextrev) <= 1, f"{rev.revision} branches"


def test_database_newer_than_program_is_refused(db_path):
    with sqlite3.connect(db_path) as conn:
        conn.execute("update alembic_version set version_num = '9999_from_the_future'")
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="newer version of annotator"):
        Workspace.open(db_path)
    assert _revision_of(db_path) == "9999_from_the_future"
    assert db_path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("this is not a database\n" * 100)
    with pytest.raises(DatabaseError, match="cannot open"):
        Workspace.open(path)
    assert path.read_text().startswith("this is not a database")


def test_a_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("create table customers (id integer primary key)")
    with pytest.raises(DatabaseError, match="not an annotator database"):
        Workspace.open(path)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(DatabaseError, match="does not exist"):
        Workspace.open(tmp_path / "no" / "such" / "dir" / "x.sqlite")


def test_an_old_database_is_backed_up_then_upgraded(tmp_path, monkeypatch):
    """Simulate a newer program: our migrations plus one more revision."""
    path = tmp_path / "old.sqlite"
    with Workspace.open(path) as ws:
        ws.add_label("EVENT")
    newer = tmp_path / "migrations"
    shutil.copytree(engine_setup.MIGRATIONS, newer, ignore=shutil.ignore_patterns("__pycache__"))
    head = schema_revision()
    (newer / "versions" / "9000_add_colour_note.py").write_text(
        f'''
from alembic import op
import sqlalchemy as sa

revision = "9000"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("labels") as batch:
        batch.add_column(sa.Column("colour_note", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("labels") as batch:
        batch.drop_column("colour_note")
'''
    )
    monkeypatch.setattr(engine_setup, "MIGRATIONS", newer)
    with Workspace.open(path) as ws:
        assert any("backed up" in note for note in ws.notes)
        assert "EVENT" in [label.name for label in ws.labels()]
    assert _revision_of(path) == "9000"
    backups = list(tmp_path.glob("old.backup-*.sqlite"))
    assert len(backups) == 1
    assert _revision_of(backups[0]) == head
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("select count(*) from labels where name='EVENT'").fetchone()[0] == 1


def test_a_revision_0001_database_upgrades_keeping_its_data(tmp_path):
    from alembic import command
    from sqlalchemy import create_engine

    path = tmp_path / "v1.sqlite"
    config = engine_setup._alembic_config(engine_setup.to_url(path))
    engine = create_engine(engine_setup.to_url(path))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "insert into documents "
            "(uid, title, text, sha256, source, metadata, status, imported_at) values "
            "('u1', 'Lama', 'Teks lama di Jakarta.', 'h1', 's', '{}', 'done', "
            "'2020-01-01 00:00:00')"
        )
    with Workspace.open(path) as ws:
        assert [(d.uid, d.title, str(d.status)) for d in ws.documents()] == [("u1", "Lama", "done")]
        assert ws.rules()  # the default pack arrives with the upgrade
        assert any("backed up" in note for note in ws.notes)
    assert _revision_of(path) == schema_revision()
    assert [_revision_of(b) for b in tmp_path.glob("v1.backup-*.sqlite")] == ["0001"]


# Downgrading copies the spans table, whose foreign key reflects documents' expression index.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
def test_revision_0009_puts_every_span_in_the_main_layer_and_downgrades(tmp_path, seed_path):
    from alembic import command
    from sqlalchemy import create_engine

    path = tmp_path / "team.sqlite"
    with Workspace.open(path, annotator="ana") as ws:
        ws.import_paths([seed_path])
        doc = ws.documents()[0].id
        ws.add_span(doc, 0, 5, "PERSON")
    url = engine_setup.to_url(path)
    config = engine_setup._alembic_config(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0008")
    with sqlite3.connect(path) as conn:
        assert "layer" not in [row[1] for row in conn.execute("pragma table_info(spans)")]
        assert conn.execute("select count(*) from spans").fetchone()[0] == 1
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0009")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("select layer from spans").fetchall() == [(0,)]
        assert conn.execute(
            "select display_name, role from annotators where name='ana'"
        ).fetchone() == (
            "",
            "annotator",
        )
        # Two annotators may mark the same range in their own layers; one layer holds it once.
        conn.execute(
            'insert into spans (document_id, layer, start, "end", label_id, text, origin, '
            'attributes, created_at, updated_at) select document_id, 7, start, "end", label_id, '
            "text, origin, attributes, created_at, updated_at from spans"
        )
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                'insert into spans (document_id, layer, start, "end", label_id, text, origin, '
                'attributes, created_at, updated_at) select document_id, 7, start, "end", '
                "label_id, text, origin, attributes, created_at, updated_at "
                "from spans where layer = 0"
            )


# About SQLite itself (its file, its FTS5 index and catch-up, query plans, file migrations).
pytestmark = pytest.mark.sqlite_only
