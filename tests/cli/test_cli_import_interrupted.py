"""`annotator import` killed or interrupted halfway leaves a consistent database: the chunks it
committed are whole, the rest is absent, the file is sound, and a search finds exactly the
stored documents."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.workspace import Workspace

DOCS = 20000  # more than one half-second chunk holds, even on a fast machine
SPANS = 3


def _articles(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for i in range(DOCS):
            head = f"Berita kata{i}: "
            text = head + "Vladimir Putin bertemu menteri di Moskow. " * 4
            spans = [
                {"start": len(head) + k * 42, "end": len(head) + k * 42 + 14, "label": "PERSON"}
                for k in range(SPANS)
            ]
            f.write(json.dumps({"text": text, "spans": spans}) + "\n")
    return path


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not made yet


def _import_until_some_are_stored(tmp_path: Path, db: Path, stop: signal.Signals):
    articles = _articles(tmp_path / "articles.jsonl")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    process = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--db", str(db), "import", str(articles)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    deadline = time.monotonic() + 120
    while _stored(db) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(stop)
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def _assert_consistent(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        ids = [row[0] for row in conn.execute("SELECT id FROM documents ORDER BY id")]
        per_doc = dict(conn.execute("SELECT document_id, count(*) FROM spans GROUP BY 1"))
        logged = [
            row[0]
            for row in conn.execute(
                "SELECT document_id FROM change_log WHERE action = 'import' ORDER BY 1"
            )
        ]
    assert 0 < len(ids) < DOCS, "the import was not stopped halfway"
    assert ids == list(range(1, len(ids) + 1))  # whole chunks, in order
    assert per_doc == dict.fromkeys(ids, SPANS)
    assert logged == ids
    with Workspace.open(db, annotator="tester") as ws:
        assert {h.document_id for h in ws.search("putin", limit=10**9)} == set(ids)
        last = len(ids) - 1
        assert [h.document_id for h in ws.search(f"kata{last}")] == [ids[-1]]
        assert ws.search(f"kata{last + 1}") == []
        with ws.store.engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)"
            )
    return len(ids)


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_an_import_stopped_halfway_keeps_whole_chunks_only(tmp_path, db_path, stop):
    code, _out, err = _import_until_some_are_stored(tmp_path, db_path, stop)
    if stop == signal.SIGINT:
        assert code == 130 and "annotator: interrupted" in err, err
        assert "Traceback" not in err
    else:
        assert code == -signal.SIGKILL
    _assert_consistent(db_path)
    # Importing the file again adds the rest: the stored ones are duplicates, skipped.
    with Workspace.open(db_path, annotator="tester") as ws:
        before = ws.store.counts()["documents"]
        report = ws.import_paths([tmp_path / "articles.jsonl"])
        assert (report.duplicates, report.imported) == (before, DOCS - before)
        assert len({h.document_id for h in ws.search("putin", limit=10**9)}) == DOCS
