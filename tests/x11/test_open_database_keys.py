"""Under a real X server: File > Open database… by keys. Ctrl+O opens it, Alt+S reaches the
server form, Tab walks host, port, database, user, password and Test connection; Space on Test
connection says why it cannot connect; Esc cancels; Enter is the Open button."""

from __future__ import annotations

import socket

from PySide6.QtWidgets import QApplication

from annotator.gui import file_dialogs
from annotator.gui.database_dialog import DatabaseDialog


def _dialog() -> DatabaseDialog | None:
    modal = QApplication.activeModalWidget()
    return modal if isinstance(modal, DatabaseDialog) and modal.isVisible() else None


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_server_form_by_keys_then_esc(window, keys, qtbot):
    keys.press("ctrl+o", until=_dialog)
    dialog = _dialog()
    assert dialog is not None
    keys.focus(dialog, focus_widget=dialog.file.edit)
    keys.press("alt+s", until=lambda: QApplication.focusWidget() is dialog.host)
    keys.press("ctrl+a")
    keys.type("127.0.0.1", until=lambda: dialog.host.text() == "127.0.0.1")
    keys.press("Tab", until=lambda: dialog.port.hasFocus())
    keys.press("ctrl+a")
    port = _closed_port()
    keys.type(str(port), until=lambda: dialog.port.value() == port)
    keys.press("Tab", until=lambda: QApplication.focusWidget() is dialog.database)
    keys.press("ctrl+a")
    keys.type("corpus")
    keys.press("Tab", until=lambda: QApplication.focusWidget() is dialog.user)
    keys.type("ani")
    keys.press("Tab", until=lambda: QApplication.focusWidget() is dialog.password)
    keys.type("pw")
    assert dialog.url_label.text() == f"postgresql+psycopg://ani@127.0.0.1:{port}/corpus"
    keys.press("Tab", until=lambda: QApplication.focusWidget() is dialog.test_button)
    keys.press(
        "space", until=lambda: dialog.message.text().startswith("cannot connect"), timeout=10000
    )
    assert "pw" not in dialog.message.text().replace("postgresql", "")
    keys.press("Escape", until=lambda: _dialog() is None)  # closed (and deleted)
    assert file_dialogs._windows == []


def test_enter_is_the_open_button(window, keys, qtbot):
    """Enter from the file field presses Open (an empty field is refused in the dialog; opening a
    typed file is tests/gui/test_database_dialog.py's: it replaces this window)."""
    keys.press("ctrl+o", until=_dialog)
    dialog = _dialog()
    keys.focus(dialog, focus_widget=dialog.file.edit)
    keys.press(
        "Return", until=lambda: dialog.message.text() == "Choose a database file, or a server"
    )
    keys.press("Escape", until=lambda: _dialog() is None)
