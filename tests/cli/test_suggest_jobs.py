"""`annotator suggest --jobs N`: worker processes write exactly what one process writes, and
Ctrl+C leaves a consistent database (whole documents done, the rest untouched)."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store.engine import copy_sqlite

ROOT = Path(__file__).resolve().parent.parent.parent


def make_corpus(path: Path, seed_path: Path, documents: int) -> Path:
    """JSONL of ``documents`` articles, each a shuffle of the seed article's paragraphs."""
    paragraphs = [p for p in seed_path.read_text(encoding="utf-8").split("\n") if p.strip()]
    rng = random.Random(13)
    with path.open("w", encoding="utf-8") as out:
        for i in range(documents):
            picked = rng.sample(paragraphs, k=min(8, len(paragraphs)))
            out.write(json.dumps({"title": f"article {i}", "text": "\n".join(picked)}) + "\n")
    return path


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(sql).fetchall()


SUGGESTIONS = (
    'SELECT document_id, start, "end", label_id, text, rule, rule_version, explanation, state '
    'FROM suggestions ORDER BY document_id, start, "end", label_id, rule'
)
LOG = (
    "SELECT action, entity, entity_id, document_id, annotator_id, before, after, step_id "
    "FROM change_log ORDER BY id"
)
DOCUMENTS = "SELECT id, suggested_with FROM documents ORDER BY id"


def imported(tmp_path: Path, db_path: Path, seed_path: Path, documents: int, capsys) -> Path:
    corpus = make_corpus(tmp_path / "corpus.jsonl", seed_path, documents)
    assert main(["--db", str(db_path), "import", str(corpus)]) == 0
    capsys.readouterr()
    return db_path


def test_worker_processes_write_what_one_process_writes(
    isolated_env, tmp_path, db_path, seed_path, capsys
):
    one = imported(tmp_path, db_path, seed_path, 130, capsys)  # two chunks, one per worker
    two = tmp_path / "two.sqlite"
    copy_sqlite(one, two)
    assert main(["--db", str(one), "suggest", "--jobs", "1"]) == 0
    out_one = capsys.readouterr().out
    assert main(["--db", str(two), "suggest", "--jobs", "2"]) == 0
    out_two = capsys.readouterr().out
    assert "suggested over 130 documents" in out_one
    assert out_one.split("(")[0] == out_two.split("(")[0]  # the same counts
    for sql in (SUGGESTIONS, LOG, DOCUMENTS):
        assert rows(two, sql) == rows(one, sql)
    assert len(rows(one, SUGGESTIONS)) > 1000


def test_more_jobs_than_chunks_runs_in_this_process(
    isolated_env, tmp_path, db_path, seed_path, capsys
):
    db = imported(tmp_path, db_path, seed_path, 3, capsys)
    assert main(["--db", str(db), "suggest", "--jobs", "4"]) == 0
    assert "suggested over 3 documents" in capsys.readouterr().out
    assert len(rows(db, "SELECT DISTINCT document_id FROM suggestions")) == 3


def test_jobs_must_be_positive(isolated_env, tmp_path, db_path, seed_path, capsys):
    db = imported(tmp_path, db_path, seed_path, 3, capsys)
    assert main(["--db", str(db), "suggest", "--jobs", "0"]) != 0
    assert "--jobs must be 1 or more" in capsys.readouterr().err
    assert rows(db, "SELECT count(*) FROM suggestions") == [(0,)]


def _consistent(db: Path) -> int:
    """Every document is either done (fingerprint, suggestions, one log entry) or untouched;
    returns how many are done."""
    stamped = [doc for doc, fingerprint in rows(db, DOCUMENTS) if fingerprint]
    with_suggestions = [d for (d,) in rows(db, "SELECT DISTINCT document_id FROM suggestions")]
    logged = [d for (d,) in rows(db, "SELECT document_id FROM change_log WHERE action='suggest'")]
    assert stamped == sorted(with_suggestions) == logged
    # Done in order: a prefix of the documents.
    assert stamped == list(range(1, len(stamped) + 1))
    return len(stamped)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_keeps_the_chunks_written_and_leaves_the_rest_untouched(
    isolated_env, tmp_path, db_path, seed_path, capsys, jobs
):
    db = imported(tmp_path, db_path, seed_path, 2000, capsys)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ANNOTATOR_NAME": "tester"}
    run = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--db", str(db), "suggest", "--jobs", jobs],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    query = "SELECT count(*) FROM change_log WHERE action='suggest'"
    deadline = time.monotonic() + 60
    while rows(db, query) == [(0,)] and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=60)
    assert run.returncode == 130, (out, err)
    assert "Traceback" not in err
    message = (
        "annotator: interrupted: the documents above keep their new suggestions, "
        "the others are untouched"
    )
    assert err.strip().splitlines() == [message]
    done = _consistent(db)
    assert 0 < done < 2000
    assert f"suggested over {done} documents" in out
    # A second run finishes the job.
    assert main(["--db", str(db), "suggest", "--jobs", jobs]) == 0
    assert _consistent(db) == 2000


def test_a_worker_killed_stops_the_run_with_a_message_and_a_consistent_database(
    isolated_env, tmp_path, db_path, seed_path, capsys
):
    psutil = pytest.importorskip("psutil")
    db = imported(tmp_path, db_path, seed_path, 2000, capsys)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ANNOTATOR_NAME": "tester"}
    run = subprocess.Popen(
        [sys.executable, "-m", "annotator", "--db", str(db), "suggest", "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    query = "SELECT count(*) FROM change_log WHERE action='suggest'"
    deadline = time.monotonic() + 60
    while rows(db, query) == [(0,)] and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = [
        child
        for child in psutil.Process(run.pid).children()
        if "spawn_main" in " ".join(child.cmdline())
    ]
    assert workers
    workers[0].kill()
    out, err = run.communicate(timeout=60)
    assert run.returncode not in (0, 130), (out, err)
    assert "Traceback" not in err
    assert "a worker process stopped after" in err and "the others are untouched" in err
    assert 0 < _consistent(db) < 2000
