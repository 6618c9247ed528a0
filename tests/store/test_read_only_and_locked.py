"""A database this program may only read, and one another program holds locked: refused with the
reason, nothing changed, nothing lost (issue 16, points 1 and 2)."""

from __future__ import annotations

import shutil
import sqlite3
import time

import pytest

from annotator.core.errors import DatabaseError, DatabaseLockedError, ReadOnlyDatabaseError
from annotator.core.model import Document
from annotator.workspace import Workspace
from tests.sqlite_holders import lock_held, read_only_mount, read_only_url

pytestmark = pytest.mark.sqlite_only

TEXT = "Presiden Rusia Vladimir Putin tiba di Moskow."


def _with_a_span(db_path) -> int:
    with Workspace.open(db_path, annotator="tester") as ws:
        [doc_id] = ws.store.documents.insert(
            [Document(text=TEXT, title="t", source="t")], annotator="tester"
        )
        ws.add_span(doc_id, 0, 8, "ROLE")
    return doc_id


def _rows(path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {
            table: conn.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("labels", "spans", "change_log", "undo_steps", "suggestions")
        }
    finally:
        conn.close()


def test_a_read_only_database_is_known_on_open_and_every_change_is_refused(db_path):
    doc_id = _with_a_span(db_path)
    before = _rows(db_path)
    shutil.rmtree(db_path.parent / "backups", ignore_errors=True)  # today's, of the writes above
    with Workspace.open(read_only_url(db_path), annotator="tester") as ws:
        assert ws.read_only == "it was opened read-only"
        # Reading works: documents, spans, labels, search.
        assert [d.id for d in ws.documents()] == [doc_id]
        assert [s.label for s in ws.document(doc_id).spans] == ["ROLE"]
        assert "PERSON" in [label.name for label in ws.labels()]
        assert not ws.needs_suggest(doc_id)  # suggestions could not be stored
        span_id = ws.document(doc_id).spans[0].id
        for change in (
            lambda: ws.add_span(doc_id, 9, 14, "LOC"),
            lambda: ws.delete_span(span_id),
            lambda: ws.update_span(span_id, label="PERSON"),
            lambda: ws.set_status(doc_id, "done"),
            lambda: ws.add_label("FOO"),
            ws.undo,
            lambda: ws.suggest(doc_id),
        ):
            with pytest.raises(ReadOnlyDatabaseError, match=r"is read-only \(it was opened"):
                change()
    assert _rows(db_path) == before
    assert not (db_path.parent / "backups").exists()  # no daily backup of what cannot change


def test_a_database_on_a_read_only_mount_opens_for_reading(tmp_path, db_path):
    folder = tmp_path / "stick"
    folder.mkdir()
    shutil.copy(db_path, folder / "corpus.sqlite")
    doc_id = _with_a_span(folder / "corpus.sqlite")
    before = _rows(folder / "corpus.sqlite")
    with (
        read_only_mount(folder) as mounted,
        Workspace.open(mounted / "corpus.sqlite", annotator="tester") as ws,
    ):
        assert ws.read_only == "it is on a read-only file system"
        # No -shm file can be made beside it: read as a snapshot, and said so.
        assert any("not writable" in note for note in ws.notes)
        assert [s.text for s in ws.document(doc_id).spans] == ["Presiden"]
        with pytest.raises(ReadOnlyDatabaseError, match="read-only file system"):
            ws.add_span(doc_id, 9, 14, "LOC")
    assert _rows(folder / "corpus.sqlite") == before


def test_a_read_only_database_needing_an_upgrade_is_refused_with_the_reason(db_path):
    _with_a_span(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("update alembic_version set version_num = '0008'")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match=r"read-only .* needs an upgrade \(revision 0008"):
        Workspace.open(read_only_url(db_path))


def test_a_locked_database_names_the_holder_and_gives_up_changing_nothing(db_path):
    doc_id = _with_a_span(db_path)
    before = _rows(db_path)
    seen: list[tuple[str | None, float]] = []

    def wait(holder: str | None, waited: float) -> bool:
        seen.append((holder, waited))
        return waited < 0.6

    with Workspace.open(db_path, annotator="tester") as ws, lock_held(db_path) as holder:
        ws.wait_for_lock(wait)
        with pytest.raises(DatabaseLockedError, match=rf"locked by process {holder.pid} \("):
            ws.add_span(doc_id, 9, 14, "LOC")
        assert seen and all(who and f"process {holder.pid}" in who for who, _ in seen)
        assert seen[-1][1] >= 0.6
        # Reading goes on while another program writes.
        assert len(ws.document(doc_id).spans) == 1
    assert _rows(db_path) == before


def test_a_change_waiting_for_a_lock_is_made_once_it_is_free(db_path):
    doc_id = _with_a_span(db_path)
    with Workspace.open(db_path, annotator="tester") as ws, lock_held(db_path) as holder:
        waits: list[float] = []
        ended: list[bool] = []

        def wait(_holder: str | None, waited: float) -> bool:
            waits.append(waited)
            if waited > 0.3:
                holder.release()
            return True

        ws.wait_for_lock(wait, done=lambda: ended.append(True))
        change = ws.add_span(doc_id, 9, 14, "LOC")
        assert [s.label for s in change.spans] == ["LOC"]
        assert waits and ended == [True]
        assert sorted(s.label for s in ws.document(doc_id).spans) == ["LOC", "ROLE"]
        assert ws.undo() is not None  # the step was recorded whole


def test_a_command_waits_the_busy_timeout_telling_who_holds_the_lock(db_path):
    doc_id = _with_a_span(db_path)
    told: list[str] = []
    with Workspace.open(db_path, annotator="tester") as ws, lock_held(db_path) as holder:
        ws.wait_for_lock(on_wait=told.append)
        started = time.monotonic()
        with pytest.raises(DatabaseLockedError, match="this action changed nothing"):
            ws.add_span(doc_id, 9, 14, "LOC")
        assert time.monotonic() - started >= 9.5  # the busy timeout a command always had
        assert len(told) == 1 and f"process {holder.pid}" in told[0] and "waiting" in told[0]
