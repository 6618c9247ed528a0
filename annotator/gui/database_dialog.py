"""File > Open database…: a database file, or a PostgreSQL server (host, port, database, user,
password).

The password is never stored: the settings keep the server, database and user; the URL shown
leaves the password out. Test connection asks the server for its version and says why not when it
cannot. Keys: Tab walks the fields in reading order, Enter opens, Esc cancels.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.workspace import probe_server, server_url, shown_url

from .file_tasks import PathField, message_label, show_message

FILE_TAB, SERVER_TAB = 0, 1
DATABASE_FILTER = "annotator databases (*.sqlite *.db);;All files (*)"
SERVER_KEYS = ("host", "port", "database", "user")  # under "server/": never the password


class DatabaseDialog(QDialog):
    """Choose what to open; ``target()`` is the path or URL once accepted."""

    def __init__(self, folder: str, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open database")
        self.setMinimumWidth(560)
        self._folder, self._settings = folder, settings
        self.tabs = QTabWidget()

        self.file = PathField(self._browse, "a database file (.sqlite)")
        file_page = QWidget()
        file_form = QFormLayout(file_page)
        file_form.addRow("&File:", self.file)
        self.tabs.addTab(file_page, "&File")

        self.host = QLineEdit(str(settings.value("server/host", "localhost")))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(int(settings.value("server/port", 5432)))  # type: ignore[call-overload]
        self.database = QLineEdit(str(settings.value("server/database", "annotator")))
        self.user = QLineEdit(str(settings.value("server/user", "")))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.url_label = QLabel()
        self.url_label.setWordWrap(True)
        self.test_button = QPushButton("&Test connection")
        self.test_button.setAutoDefault(False)  # Enter opens, whatever has the focus
        self.test_button.clicked.connect(self.test)
        server_page = QWidget()
        form = QFormLayout(server_page)
        form.addRow("&Host:", self.host)
        form.addRow("&Port:", self.port)
        form.addRow("&Database:", self.database)
        form.addRow("&User:", self.user)
        form.addRow("Pass&word:", self.password)
        form.addRow("URL:", self.url_label)
        form.addRow("", self.test_button)
        self.tabs.addTab(server_page, "&Server (PostgreSQL)")
        for field in (self.host, self.database, self.user):
            field.textChanged.connect(self._show_url)
        self.port.valueChanged.connect(self._show_url)

        self.message = message_label()
        buttons = QDialogButtonBox()
        self.open_button = buttons.addButton("&Open", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.open_button.clicked.connect(self._open)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        # Default once inside the dialog (before, the dialog does not know it): Enter opens.
        self.cancel_button.setAutoDefault(False)
        self.open_button.setDefault(True)

        order = [
            self.tabs.tabBar(),
            self.file.edit,
            self.file.browse_button,
            self.host,
            self.port,
            self.database,
            self.user,
            self.password,
            self.test_button,
            self.open_button,
            self.cancel_button,
        ]
        for before, after in itertools.pairwise(order):
            self.setTabOrder(before, after)
        self.tabs.currentChanged.connect(self._focus_first)
        self._show_url()
        self.file.setFocus()

    # -- what was chosen ---------------------------------------------------------------------

    def on_server(self) -> bool:
        return self.tabs.currentIndex() == SERVER_TAB

    def url(self) -> str:
        """The server's URL (with the password: for opening only); DatabaseError when incomplete."""
        return server_url(
            self.host.text(),
            self.port.value(),
            self.database.text(),
            self.user.text(),
            self.password.text(),
        )

    def target(self) -> str:
        """The file path or the server URL to open."""
        if self.on_server():
            return self.url()
        path = self.file.path()
        return str(path) if path is not None else ""

    # -- actions -------------------------------------------------------------------------------

    def test(self) -> bool:
        try:
            version = probe_server(self.url())
        except AnnotatorError as exc:
            show_message(self.message, str(exc), error=True)
            return False
        show_message(self.message, f"Connected: PostgreSQL {version}")
        return True

    def _open(self) -> None:
        try:
            target = self.target()
        except AnnotatorError as exc:
            show_message(self.message, str(exc), error=True)
            return
        if not target:
            show_message(self.message, "Choose a database file, or a server", error=True)
            self.file.setFocus()
            return
        if self.on_server():
            self._remember_server()
        self.accept()

    def _remember_server(self) -> None:
        values = (self.host.text(), self.port.value(), self.database.text(), self.user.text())
        for key, value in zip(SERVER_KEYS, values, strict=True):
            self._settings.setValue(f"server/{key}", value)
        self._settings.sync()

    def _show_url(self, *_args: object) -> None:
        try:
            self.url_label.setText(
                shown_url(
                    server_url(
                        self.host.text(), self.port.value(), self.database.text(), self.user.text()
                    )
                )
            )
        except AnnotatorError as exc:
            self.url_label.setText(str(exc))

    def _focus_first(self, index: int) -> None:
        (self.host if index == SERVER_TAB else self.file).setFocus()

    def _browse(self, current: str) -> str | None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open database", current or self._folder, DATABASE_FILTER
        )
        return path or None
