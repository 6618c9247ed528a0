"""The bulk import writes on a connection of its own with SQLite's per-row foreign-key checks off:
what it writes still satisfies every foreign key, and the checks are on again for everything
after it (an import inside an undo step keeps them on throughout)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from annotator.core.errors import UsageError
from annotator.workspace import Workspace


def _articles(path, count: int) -> None:
    lines = []
    for i in range(count):
        text = f"Berita {i}: Joko Widodo bertemu Putin di Jakarta."
        spans = [
            {"start": text.index("Joko"), "end": text.index("Joko") + 11, "label": "PERSON"},
            {"start": text.index("Jakarta"), "end": text.index("Jakarta") + 7, "label": "LOC"},
        ]
        lines.append(json.dumps({"text": text, "spans": spans, "meta": {"n": i}}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_bulk_import_satisfies_every_foreign_key_and_leaves_the_checks_on(tmp_path):
    articles = tmp_path / "a.jsonl"
    _articles(articles, 300)
    db = tmp_path / "db.sqlite"
    with Workspace.open(db, annotator="ana") as ws:
        report = ws.import_paths([articles])
        assert (report.imported, report.spans) == (300, 600)
        # Every pooled connection has its checks on again: a span pointing at no document is
        # refused on whichever connection the next session gets.
        for _ in range(3):
            with ws._actor.store.database.sessions() as session:
                assert session.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
                pragma = session.connection().exec_driver_sql
                assert pragma("PRAGMA wal_autocheckpoint").scalar() == 1000
                assert pragma("PRAGMA synchronous").scalar() == 2  # FULL
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT count(*) FROM spans").fetchone() == (600,)
        assert conn.execute(
            "SELECT count(*) FROM spans s JOIN labels l ON l.id = s.label_id "
            "JOIN annotators a ON a.id = s.annotator_id WHERE a.name = 'ana'"
        ).fetchone() == (600,)
    finally:
        conn.close()


def test_after_a_bulk_import_a_label_in_use_still_cannot_be_dropped_under_its_spans(tmp_path):
    articles = tmp_path / "a.jsonl"
    _articles(articles, 5)
    db = tmp_path / "db.sqlite"
    with Workspace.open(db, annotator="ana") as ws:
        ws.import_paths([articles])
        with (
            pytest.raises(Exception) as caught,  # the driver's IntegrityError, or ours
            ws._actor.store.database.transaction() as session,
        ):
            session.connection().exec_driver_sql("DELETE FROM labels WHERE name = 'LOC'")
        assert "FOREIGN KEY" in str(caught.value) or isinstance(caught.value, UsageError)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM labels WHERE name = 'LOC'").fetchone() == (1,)
    finally:
        conn.close()
