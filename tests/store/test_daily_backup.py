"""Automatic daily backups: the first write of a day copies the database as it was before it,
the last N are kept, a failing backup never blocks the write (store/daily_backup.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from annotator.core.model import Document
from annotator.workspace import Workspace, set_backups_kept

# Daily backups are made of SQLite files; a PostgreSQL server is backed up by its administrator.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def ws(db_path, clock):
    workspace = Workspace.open(db_path, annotator="tester")
    assert workspace.store.daily_backup is not None
    workspace.store.daily_backup.now = clock
    said: list[str] = []
    workspace.on_backup_failure(said.append)
    workspace.said = said  # type: ignore[attr-defined]
    yield workspace
    workspace.close()


def _labels_in(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT name FROM labels ORDER BY name")]


def _dailies(db: Path) -> list[Path]:
    return sorted((db.parent / "backups").glob(f"{db.stem}.daily-2*.sqlite"))


def test_the_first_write_of_a_day_backs_up_the_state_before_it(ws, db_path):
    before = _labels_in(db_path)
    ws.add_label("FIRST")
    made = _dailies(db_path)
    assert [path.name for path in made] == ["test.daily-2026-03-01-093000.sqlite"]
    assert _labels_in(made[0]) == before  # the state before the write, not after
    assert "FIRST" in _labels_in(db_path)


def test_a_second_write_the_same_day_makes_none_and_a_new_day_makes_another(ws, db_path, clock):
    ws.add_label("FIRST")
    ws.add_label("SECOND")
    assert len(_dailies(db_path)) == 1
    clock.next_day()
    ws.add_label("THIRD")
    made = _dailies(db_path)
    assert [path.name for path in made] == [
        "test.daily-2026-03-01-093000.sqlite",
        "test.daily-2026-03-02-093000.sqlite",
    ]
    assert {"FIRST", "SECOND"} <= set(_labels_in(made[1]))
    assert "THIRD" not in _labels_in(made[1])


def test_a_second_process_does_not_back_up_a_day_already_backed_up(ws, db_path, clock):
    ws.add_label("FIRST")
    other = Workspace.open(db_path, annotator="tester")
    try:
        assert other.store.daily_backup is not None
        other.store.daily_backup.now = clock
        other.add_label("OTHER")
    finally:
        other.close()
    assert len(_dailies(db_path)) == 1


def test_rotation_keeps_n_and_deletes_only_our_own(ws, db_path, clock):
    set_backups_kept(3)
    folder = db_path.parent / "backups"
    folder.mkdir()
    foreign = [
        folder / "notes.txt",
        folder / "other.daily-2020-01-01-000000.sqlite",  # another database's
        folder / "test.daily-someday.sqlite",  # not our stamp
        folder / "test.daily-2020-01-01-000000.sqlite.old",
        db_path.parent / "test.daily-2020-01-01-000000.sqlite",  # not in the backups folder
    ]
    for path in foreign:
        path.write_text("not ours")
    for day in range(5):
        ws.add_label(f"DAY{day}")
        clock.next_day()
    kept = [path.name for path in _dailies(db_path)]
    assert kept == [
        "test.daily-2026-03-03-093000.sqlite",
        "test.daily-2026-03-04-093000.sqlite",
        "test.daily-2026-03-05-093000.sqlite",
    ]
    assert all(path.read_text() == "not ours" for path in foreign)


def test_keeping_zero_turns_daily_backups_off(ws, db_path):
    set_backups_kept(0)
    ws.add_label("FIRST")
    assert not (db_path.parent / "backups").exists()


def test_a_new_database_is_not_backed_up_on_its_first_day(tmp_path):
    path = tmp_path / "new.sqlite"
    with Workspace.open(path, annotator="tester") as workspace:
        workspace.add_label("FIRST")
    assert not (tmp_path / "backups").exists()


def test_a_failing_backup_does_not_block_the_write_and_is_said_once(ws, db_path, clock):
    # A file where the folder should be: fails even for root (chmod does not stop root).
    (db_path.parent / "backups").write_text("in the way")
    ws.add_label("FIRST")
    clock.next_day()
    ws.add_label("SECOND")
    assert {"FIRST", "SECOND"} <= set(_labels_in(db_path))
    assert len(ws.said) == 1
    assert "daily backup" in ws.said[0] and "work goes on" in ws.said[0]


def test_a_read_only_backups_folder_does_not_block_the_write(ws, db_path):
    folder = db_path.parent / "backups"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        ws.add_label("FIRST")
    finally:
        folder.chmod(0o755)
    assert "FIRST" in _labels_in(db_path)
    # root writes into a 555 folder anyway; anyone else hears why there is no backup
    assert len(ws.said) == (0 if _dailies(db_path) else 1)


def test_a_bulk_import_is_a_write_too(ws, db_path):
    ws.store.documents.insert([Document(text="Satu dua.", title="satu")], annotator="tester")
    assert len(_dailies(db_path)) == 1


def test_keeping_fewer_removes_the_older_daily_backups_at_once(ws, db_path, clock):
    for day in range(4):
        ws.add_label(f"DAY{day}")
        clock.next_day()
    before_restore = db_path.parent / "backups" / "test.before-restore-2026-01-01-000000.sqlite"
    before_restore.write_bytes(b"kept")  # not a daily one: never rotated
    removed = ws.rotate_backups(2)
    assert [path.name for path in removed] == [
        "test.daily-2026-03-02-093000.sqlite",
        "test.daily-2026-03-01-093000.sqlite",
    ]
    assert [path.name[11:21] for path in _dailies(db_path)] == ["2026-03-03", "2026-03-04"]
    assert before_restore.read_bytes() == b"kept"
    assert ws.rotate_backups(0) == []  # 0 stops new backups; it deletes none
