"""Under a real X server: on a read-only database a label key says why it does nothing; while
another program holds the lock, a label key waits in a dialog and Escape gives the change up."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from annotator.store.engine import copy_sqlite
from tests.sqlite_holders import lock_held, read_only_url


def _spans(window) -> int:
    return window.view.overlay.span_count()


def test_a_label_key_on_a_read_only_database_says_why(qtbot, keys, seed_template, tmp_path):
    from annotator.gui import create_main_window

    path = tmp_path / "read-only.sqlite"
    copy_sqlite(seed_template, path)
    window = create_main_window(read_only_url(path))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    keys.focus(window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)
    assert window.windowTitle().endswith("[read-only]")
    before = _spans(window)
    start = window.view.text.index("Kerja Sama")
    window.view.select_offsets(start, start + len("Kerja Sama"))
    keys.press("1", until=lambda: "read-only" in window.statusBar().currentMessage())
    assert "nothing was changed" in window.statusBar().currentMessage()
    assert _spans(window) == before
    window.close()


def test_escape_gives_up_a_change_waiting_for_a_lock(open_window, seed_template, keys, x_server):
    window = open_window(seed_template)
    before = _spans(window)
    start = window.view.text.index("Kerja Sama")
    seen: list[str] = []

    def escape_when_shown() -> None:
        dialog = window.database_state.dialog
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(50, escape_when_shown)
            return
        seen.append(dialog.labelText())
        x_server.focus(int(dialog.winId()))  # as a window manager gives a new dialog the focus
        x_server.key("Escape")  # read by the window while it waits

    with lock_held(window.db_path) as holder:
        window.view.select_offsets(start, start + len("Kerja Sama"))
        QTimer.singleShot(50, escape_when_shown)
        keys.press("1", until=lambda: "changed nothing" in window.statusBar().currentMessage())
        assert seen and f"locked by process {holder.pid}" in seen[0]
    assert not window.database_state.dialog.isVisible()
    assert _spans(window) == before
