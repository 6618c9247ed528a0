"""The window and the automatic backups: Preferences sets how many are kept, a failed daily
backup is said in the status bar, File > Restore backup… restores one and reopens the database."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.gui import create_main_window, file_dialogs
from annotator.gui.backup_restore_view import RestoreBackupDialog
from annotator.gui.preferences import PreferencesDialog
from annotator.workspace import Workspace, backups_kept

from .conftest import opened

# Automatic backups are of SQLite files.
pytestmark = pytest.mark.sqlite_only


def _labels(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT name FROM labels ORDER BY name")]


def test_preferences_set_the_daily_backups_kept(qtbot, workspace, settings, tmp_path):
    dialog = PreferencesDialog(workspace, settings)
    qtbot.addWidget(dialog)
    assert dialog.backups_kept.value() == 10
    dialog.backups_kept.setValue(0)
    assert dialog.backups_kept.text() == "none (off)"
    dialog.accept()
    assert backups_kept() == 0
    assert (tmp_path / "config" / "preferences.json").is_file()


def test_a_failed_daily_backup_is_said_in_the_status_bar(qtbot, db_path):
    (db_path.parent / "backups").write_text("in the way")
    window = opened(qtbot, db_path)
    window.workspace.add_label("LATER")
    qtbot.waitUntil(lambda: "daily backup" in window.statusBar().currentMessage())
    assert "work goes on" in window.statusBar().currentMessage()
    assert "LATER" in _labels(db_path)


@pytest.fixture
def two_days(db_path):
    """Two days of work, each day's first change backed up."""
    with Workspace.open(db_path, annotator="tester") as ws:
        assert ws.store.daily_backup is not None
        moment = datetime(2026, 3, 1, 9, 0)
        ws.store.daily_backup.now = lambda: moment
        ws.add_label("DAYONE")
        moment += timedelta(days=1)
        ws.add_label("DAYTWO")
    return db_path


@pytest.fixture
def loose_window(qtbot, two_days):
    """A window not registered with qtbot: the restore reopens the database in a new window and
    deletes this one; the new one is closed here."""
    window = create_main_window(str(two_days))
    window.show()
    qtbot.waitExposed(window)
    yield window
    for new in list(file_dialogs._windows):
        new.close()
    QApplication.processEvents()


def test_restore_backup_lists_newest_first_and_enter_restores_and_reopens(
    qtbot, loose_window, two_days
):
    db_path = two_days
    loose_window.file_actions["restore_backup"].trigger()
    dialog = loose_window.restore_dialog
    assert isinstance(dialog, RestoreBackupDialog)
    qtbot.waitExposed(dialog)
    assert dialog.windowModality() == Qt.WindowModality.WindowModal  # open(), not exec()
    texts = [dialog.list.item(row).text() for row in range(dialog.list.count())]
    assert [text.split()[0] for text in texts] == ["2026-03-02", "2026-03-01"]
    assert dialog.list.currentRow() == 0  # the newest: the state before DAYTWO
    # as on a desktop, the dialog opened is the active window (offscreen does not do it alone)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    assert isinstance(dialog.confirm, QMessageBox) and dialog.confirm.isVisible()
    asked = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    assert [w for w in asked if w.isVisible()] == [dialog.confirm]  # asked once
    assert "DAYTWO" in _labels(db_path)  # nothing before the confirm
    dialog.confirm.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: len(file_dialogs._windows) == 1)
    new = file_dialogs._windows[0]
    assert _labels(db_path).count("DAYONE") == 1 and "DAYTWO" not in _labels(db_path)
    assert "DAYTWO" not in [label.name for label in new.workspace.labels()]
    assert new.statusBar().currentMessage().startswith("Restored the daily backup of 2026-03-02")
    assert not loose_window.isVisible()
