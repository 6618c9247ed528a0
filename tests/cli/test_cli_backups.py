"""`annotator backup --list / --restore / --keep` in a process of its own, as a user runs it."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import annotator

# Daily backups are of SQLite files (a PostgreSQL server is backed up by its administrator).
pytestmark = pytest.mark.sqlite_only


def _run(db: Path, config: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return annotator(db, *argv, env={"ANNOTATOR_CONFIG_DIR": str(config)})


def _labels(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("SELECT name FROM labels ORDER BY name")]


def test_keep_list_and_restore_from_the_command_line(db_path, tmp_path):
    config = tmp_path / "config"
    done = _run(db_path, config, "backup", "--keep", "4")
    assert done.returncode == 0, done.stderr
    assert "keeping the last 4 daily backups" in done.stdout
    assert (config / "preferences.json").is_file()
    before = _labels(db_path)
    assert _run(db_path, config, "labels", "add", "LATER").returncode == 0
    listed = _run(db_path, config, "backup", "--list")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert "1 automatic backups" in lines[0] and "daily ones kept: 4" in lines[0]
    assert lines[1].split("\t") == ["taken", "size", "kind", "file"]
    assert lines[2].split("\t")[2] == "daily"
    backup = Path(lines[2].split("\t")[3])
    assert _labels(backup) == before

    restored = _run(db_path, config, "backup", "--restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith(f"restored {db_path} from the daily backup of ")
    assert len(restored.stdout.splitlines()) == 1
    assert _labels(db_path) == before
    assert restored.stderr == ""

    kept = _run(db_path, config, "backup", "--keep", "0")
    assert kept.returncode == 0 and "no daily backups (turned off)" in kept.stdout
    assert backup.is_file()  # 0 stops new ones, deletes none

    refused = _run(db_path, config, "backup", "--restore", "1999-01-01")
    assert refused.returncode != 0
    assert refused.stderr.startswith("annotator: error: 1999-01-01: no such file")
    assert "Traceback" not in refused.stderr


def test_a_failing_daily_backup_is_a_note_on_stderr_and_the_write_is_done(db_path, tmp_path):
    (db_path.parent / "backups").write_text("in the way")
    done = _run(db_path, tmp_path / "config", "labels", "add", "LATER")
    assert done.returncode == 0
    assert "LATER" in _labels(db_path)
    assert done.stderr.count("daily backup") == 1
    assert done.stderr.startswith("annotator: note: the daily backup of")
