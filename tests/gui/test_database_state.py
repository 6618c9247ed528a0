"""The window on a read-only database, on one another program holds locked, and after an error no
one expected (issue 16, points 1, 2 and 5)."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.gui.error_report import ErrorReport
from annotator.workspace import Workspace
from tests.gui.conftest import opened
from tests.gui.test_keyboard_loop import label_text
from tests.sqlite_holders import lock_held, read_only_url

pytestmark = pytest.mark.sqlite_only
TEXT = "Presiden Rusia Vladimir Putin bertemu John Kerry di Moskow pada Sabtu (24/10).\n"


@pytest.fixture
def db(tmp_path, db_path):
    path = tmp_path / "doc.txt"
    path.write_text(TEXT, encoding="utf-8")
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([path])
        doc_id = ws.documents()[0].id
        ws.add_span(doc_id, 0, 8, "ROLE")
    return db_path


def _spans(db) -> list[tuple[int, int, str]]:
    with Workspace.open(db, annotator="tester") as ws:
        doc_id = ws.documents()[0].id
        return sorted((s.start, s.end, s.label) for s in ws.document(doc_id).spans)


@pytest.mark.parametrize("how", ["mode=ro", "chmod 444"])
def test_a_read_only_database_shows_as_such_and_each_editing_key_says_why(qtbot, db, how):
    before = _spans(db)
    if how == "chmod 444":
        db.chmod(0o444)
        window = opened(qtbot, db)
        reason = "the file is not writable (-r--r--r--)"
    else:
        window = opened(qtbot, read_only_url(db))
        reason = "it was opened read-only"
    assert window.windowTitle().endswith("annotator [read-only]")
    badge = window.database_state.badge
    assert badge.isVisible() and badge.text() == "Read-only"
    assert reason in badge.toolTip()
    assert window.doc is not None  # the document opens: no suggestions are made to be stored
    label_text(qtbot, window, "Moskow", Qt.Key.Key_3)
    assert f"is read-only ({reason}): nothing was changed" in window.statusBar().currentMessage()
    window.statusBar().clearMessage()
    window.view.select_offsets(0, 0)
    qtbot.keyClick(window.view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.view.selected is not None and window.view.selected.kind == "span"
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert "read-only" in window.statusBar().currentMessage()
    window.statusBar().clearMessage()
    window.actions_by_id["mark_done_next"].trigger()
    assert "read-only" in window.statusBar().currentMessage()
    window.close()
    db.chmod(0o644)
    assert _spans(db) == before


def _after(ms: int, check) -> None:
    QTimer.singleShot(ms, check)


def test_a_change_waits_visibly_for_a_lock_and_cancel_gives_it_up(qtbot, db):
    window = opened(qtbot, db)
    before = _spans(db)
    shown: list[str] = []

    def cancel_when_shown() -> None:
        dialog = window.database_state.dialog
        if dialog is None or not dialog.isVisible():
            _after(50, cancel_when_shown)
            return
        shown.append(dialog.labelText())
        dialog.cancel()

    with lock_held(db) as holder:
        _after(50, cancel_when_shown)
        label_text(qtbot, window, "Moskow", Qt.Key.Key_3)
        assert shown and f"locked by process {holder.pid}" in shown[0]
        assert "your change is made as soon as it is free" in shown[0]
        message = window.statusBar().currentMessage()
        assert f"locked by process {holder.pid}" in message
        assert "this action changed nothing" in message
    assert not window.database_state.dialog.isVisible()
    assert _spans(db) == before


def test_a_change_waiting_for_a_lock_is_made_when_it_is_released(qtbot, db):
    window = opened(qtbot, db)

    with lock_held(db) as holder:

        def release_when_shown() -> None:
            dialog = window.database_state.dialog
            if dialog is None or not dialog.isVisible():
                _after(50, release_when_shown)
                return
            holder.release()

        _after(50, release_when_shown)
        label_text(qtbot, window, "Moskow", Qt.Key.Key_3)
    assert (52, 58, "LOC") in _spans(db)
    assert not window.database_state.dialog.isVisible()
    assert window.view.overlay.span_count() == 2


@pytest.mark.qt_no_exception_capture
def test_an_unexpected_error_in_the_window_is_a_dialog_a_log_and_one_line(
    qtbot, db, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    window = opened(qtbot, db)
    report = ErrorReport(QApplication.instance())
    report.install()

    def broken() -> None:
        raise RuntimeError("a bug of ours")

    QTimer.singleShot(0, broken)  # a slot Qt calls, as a key or a timer would
    qtbot.waitUntil(lambda: report.dialog is not None and report.dialog.isVisible())
    log = tmp_path / "state" / "annotator" / "log" / "annotator.log"
    line = "unexpected error (RuntimeError: a bug of ours); nothing more was done; details in "
    assert report.dialog.informativeText() == line + str(log)
    assert isinstance(report.dialog, QMessageBox)
    assert "in broken" in log.read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert err.strip() == f"annotator: error: {line}{log}"
    # The window goes on: close the dialog and label a word.
    report.dialog.done(0)
    window.activateWindow()
    window.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)
    label_text(qtbot, window, "Moskow", Qt.Key.Key_3)
    assert (52, 58, "LOC") in _spans(db)
