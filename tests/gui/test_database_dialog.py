"""File > Open database…: a file, or a PostgreSQL server's form (host, port, database, user,
password). The password is never stored nor shown; Test connection says why it cannot connect;
Enter opens, Esc cancels."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from annotator.gui import create_main_window, file_dialogs
from annotator.gui.database_dialog import SERVER_TAB, DatabaseDialog
from annotator.workspace import Workspace


@pytest.fixture
def dialog(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = DatabaseDialog(str(tmp_path), settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _server_form(qtbot, dialog, *, port: int, password: str = "s3cret") -> None:
    dialog.tabs.setCurrentIndex(SERVER_TAB)
    for field, text in (
        (dialog.host, "127.0.0.1"),
        (dialog.database, "corpus"),
        (dialog.user, "ani"),
        (dialog.password, password),
    ):
        field.clear()
        qtbot.keyClicks(field, text)
    dialog.port.setValue(port)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the socket is closed


def test_the_url_is_shown_without_the_password_and_the_password_is_not_stored(
    qtbot, dialog, tmp_path
):
    _server_form(qtbot, dialog, port=5433)
    assert dialog.url_label.text() == "postgresql+psycopg://ani@127.0.0.1:5433/corpus"
    assert "s3cret" in dialog.target()  # opening needs it
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # Enter opens
    assert dialog.result() == dialog.DialogCode.Accepted
    stored = (tmp_path / "settings.ini").read_text()
    assert "corpus" in stored and "5433" in stored and "ani" in stored
    assert "s3cret" not in stored
    again = DatabaseDialog(
        str(tmp_path), QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(again)
    assert (again.host.text(), again.port.value(), again.user.text()) == ("127.0.0.1", 5433, "ani")
    assert again.password.text() == ""


def test_test_connection_says_why_it_cannot_connect(qtbot, dialog):
    port = _closed_port()
    _server_form(qtbot, dialog, port=port)
    assert dialog.test() is False
    text = dialog.message.text()
    assert text.startswith(f"cannot connect to postgresql+psycopg://ani@127.0.0.1:{port}/corpus")
    assert "s3cret" not in text
    assert dialog.isVisible()  # the form stays for a correction


def test_an_incomplete_server_form_is_refused_with_what_is_missing(qtbot, dialog):
    _server_form(qtbot, dialog, port=5432)
    dialog.user.clear()
    dialog.open_button.click()
    assert dialog.isVisible()
    assert dialog.message.text() == "the server form needs: user"
    assert "needs: user" in dialog.url_label.text()


def test_an_empty_file_field_is_refused(qtbot, dialog):
    qtbot.keyClick(dialog.file.edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.message.text() == "Choose a database file, or a server"


def test_esc_cancels(qtbot, dialog):
    qtbot.keyClick(dialog.file.edit, Qt.Key.Key_Escape)
    assert dialog.result() == dialog.DialogCode.Rejected
    assert not dialog.isVisible()


def test_tab_walks_the_server_form_in_reading_order(qtbot, dialog):
    dialog.tabs.setCurrentIndex(SERVER_TAB)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.host)
    for widget in (dialog.port, dialog.database, dialog.user, dialog.password):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() in (widget, getattr(widget, "lineEdit", lambda: None)())


def test_a_file_typed_and_enter_opens_it_in_a_new_window(qtbot, db_path, tmp_path):
    other = tmp_path / "other.sqlite"
    Workspace.open(other, annotator="tester").close()
    window = create_main_window(str(db_path))
    window.show()
    qtbot.waitExposed(window)
    try:
        dialog = file_dialogs.open_database(window)  # what File > Open database… (Ctrl+O) runs
        qtbot.waitUntil(dialog.isVisible)
        qtbot.keyClicks(dialog.file.edit, str(other))
        qtbot.keyClick(dialog.file.edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: len(file_dialogs._windows) == 1)
        assert file_dialogs._windows[0].workspace.location == str(other)
    finally:
        for opened in list(file_dialogs._windows):
            opened.close()
        QApplication.processEvents()


def test_shown_url_leaves_out_the_password_and_keeps_a_path():
    from annotator.workspace import shown_url

    assert shown_url("postgresql+psycopg://ani:pw@db.lan:5433/corpus") == (
        "postgresql+psycopg://ani@db.lan:5433/corpus"
    )
    assert shown_url("/home/ani/corpus.sqlite") == "/home/ani/corpus.sqlite"
