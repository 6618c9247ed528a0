"""Under a real X server: File > Restore backup… by keys. Alt+F, Down to it, Enter opens the list
(the newest backup current); Down picks an older one; Enter asks; Esc keeps everything; Enter, Enter
restores it and the database reopens in a new window."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.gui import file_dialogs
from annotator.gui.backup_restore_view import RestoreBackupDialog


def _two_days(ws) -> None:
    daily = ws.store.daily_backup
    moment = datetime(2026, 3, 1, 9, 0)
    daily.now = lambda: moment
    ws.add_label("DAYONE")
    moment += timedelta(days=1)
    ws.add_label("DAYTWO")


def _modal(kind):
    modal = QApplication.activeModalWidget()
    return modal if isinstance(modal, kind) and modal.isVisible() else None


@pytest.fixture(autouse=True)
def preferences(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path / "config"))


@pytest.mark.action("restore_backup")  # no default key: reached through the File menu
def test_restore_a_backup_by_keys(open_window, seed_template, keys, qtbot, request):
    window = open_window(seed_template, _two_days)
    keys.menu_walk(window.menus["File"], window.file_actions["restore_backup"])
    keys.press("Return", until=lambda: _modal(RestoreBackupDialog))
    dialog = _modal(RestoreBackupDialog)
    # today's (the window's first write: its warm-up on opening), then the two days'
    days = [dialog.list.item(row).text().split()[0] for row in range(dialog.list.count())]
    assert days[1:] == ["2026-03-02", "2026-03-01"] and dialog.list.currentRow() == 0
    keys.focus(dialog, focus_widget=dialog.list)
    keys.press("Down", until=lambda: dialog.list.currentRow() == 1)
    keys.press("Down", until=lambda: dialog.list.currentRow() == 2)  # 2026-03-01: before DAYONE
    keys.press("Return", until=lambda: _modal(QMessageBox))
    keys.focus(_modal(QMessageBox))  # what a window manager does for a new window
    keys.press("Escape", until=lambda: _modal(QMessageBox) is None)  # one question, answered
    assert "DAYONE" in [label.name for label in window.workspace.labels()]  # nothing changed
    keys.focus(dialog, focus_widget=dialog.list)
    keys.press("Return", until=lambda: _modal(QMessageBox))
    keys.focus(_modal(QMessageBox))
    keys.press("Return", until=lambda: len(file_dialogs._windows) == 1)
    new = file_dialogs._windows[0]
    names = [label.name for label in new.workspace.labels()]
    assert "DAYONE" not in names and "DAYTWO" not in names
    assert new.statusBar().currentMessage().startswith("Restored the daily backup of 2026-03-01")
    new.close()
    QApplication.processEvents()
    # The restore deleted the old window (a new one took its place): pytest-qt must not close it.
    request.node.qt_widgets = [
        (ref, close) for ref, close in request.node.qt_widgets if shiboken6.isValid(ref())
    ]
