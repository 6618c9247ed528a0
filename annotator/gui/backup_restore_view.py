"""The window's side of the automatic backups: a failed daily backup said in the status bar, and
File > Restore backup…, a list of the database's automatic backups, newest first; Enter (or
Restore) asks once, restores, and reopens the database in a new window in this one's place."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.workspace import BackupFile

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

FAILURE_SHOWN_MS = 30_000


class _BackupNotes(QObject):
    """Carries a failed daily backup's message to the GUI thread (any thread may write)."""

    said = Signal(str)


def install_backup_notes(window: MainWindow) -> QObject:
    """A failed daily backup is said in the status bar (the write it preceded went on)."""
    notes = _BackupNotes(window)
    notes.said.connect(lambda message: window.statusBar().showMessage(message, FAILURE_SHOWN_MS))
    window.workspace.on_backup_failure(notes.said.emit)
    return notes


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB" if count >= 1024 * 1024 else f"{count // 1024} KB"


class RestoreBackupDialog(QDialog):
    """The automatic backups of the window's database, newest first; Enter restores one."""

    restored = Signal(str)  # the one-line message of what was done

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore backup")
        self.setMinimumWidth(560)
        self._window = window
        self.confirm: QMessageBox | None = None
        self.list = QListWidget(self)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.restore_button = buttons.addButton("&Restore…", QDialogButtonBox.ButtonRole.AcceptRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.reject)
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self.ask)
        self.list.itemActivated.connect(lambda _item: self.ask())
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Automatic backups of {window.workspace.location}:", self))
        layout.addWidget(self.list)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._fill()

    def _fill(self) -> None:
        try:
            found = self._window.workspace.automatic_backups()
        except AnnotatorError as exc:
            found = []
            self.message.setText(str(exc))
        for backup in found:
            item = QListWidgetItem(
                f"{backup.taken:%Y-%m-%d %H:%M:%S}   {backup.kind}   {_size(backup.size)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, backup)
            item.setToolTip(str(backup.path))
            self.list.addItem(item)
        if found:
            self.list.setCurrentRow(0)
        elif not self.message.text():
            self.message.setText(
                "No automatic backup yet: one is made on the first change of each day."
            )
        self.restore_button.setEnabled(bool(found))
        self.list.setFocus()

    def chosen(self) -> BackupFile | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def ask(self) -> None:
        backup = self.chosen()
        # Enter in the list both activates the item and reaches the default button: ask once.
        if backup is None or (self.confirm is not None and self.confirm.isVisible()):
            return
        self.confirm = QMessageBox(
            QMessageBox.Icon.Question,
            "Restore backup",
            f"Replace the database with the {backup.kind} backup of "
            f"{backup.taken:%Y-%m-%d %H:%M:%S}?\n\nThe current state is backed up first, so "
            "this can be undone by restoring that copy.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        self.confirm.setDefaultButton(QMessageBox.StandardButton.Yes)
        self.confirm.setWindowModality(Qt.WindowModality.WindowModal)
        self.confirm.accepted.connect(lambda: self.restore(backup))
        self.confirm.open()

    def restore(self, backup: BackupFile) -> None:
        try:
            restored, saved = self._window.workspace.restore_backup(str(backup.path))
        except AnnotatorError as exc:
            self.message.setText(str(exc))
            return
        self.restored.emit(
            f"Restored the {restored.kind} backup of {restored.taken:%Y-%m-%d %H:%M:%S}; "
            f"the replaced state is in {saved}"
        )
        self.accept()


def open_restore_dialog(window: MainWindow) -> RestoreBackupDialog:
    """File > Restore backup…: window-modal, not blocking; the window reopens after a restore."""
    dialog = RestoreBackupDialog(window, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.restored.connect(lambda message: _reopen(window, message))
    window.restore_dialog = dialog
    dialog.open()
    return dialog


def _reopen(window: MainWindow, message: str) -> None:
    from annotator.gui.file_dialogs import switch_database

    new: QMainWindow | None = switch_database(window, Path(window.workspace.location), reopen=True)
    if new is not None and hasattr(new, "notify"):
        new.notify(message)
