"""The File menu's database actions: import, export, new, open, recent, back up.

``install_file_actions(window)`` adds them to a main window. Switching databases opens a new
window on the other database (widgets hold the workspace) and closes the old one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QMainWindow,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.workspace import ImportReport, Workspace, shown_url

from .background import Task
from .backup_restore_view import open_restore_dialog
from .database_dialog import DatabaseDialog
from .file_export import ExportDialog
from .file_import import ImportDialog, ImportReportDialog, summary_text
from .file_tasks import PathField, busy_bar, message_label, show_message

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

RECENT_KEY = "files/recent"
RECENT_MAX = 8
DATABASE_FILTER = "annotator databases (*.sqlite *.db);;All files (*)"
# Windows opened by switch_database: Python must hold them or they are collected at once.
_windows: list[QMainWindow] = []


# -- menu ---------------------------------------------------------------------------------


def install_file_actions(window: MainWindow) -> dict[str, QAction]:
    """Add Import, Export, New/Open/Recent database and Back up to the File menu, before Quit."""
    menu: QMenu = window.menus["File"]
    quit_action = next((a for a in menu.actions() if a.objectName() == "action-quit"), None)
    specs: list[tuple[str, str, str, Callable[[], object]]] = [
        ("import", "&Import…", "Ctrl+I", lambda: open_import_dialog(window)),
        ("export", "&Export…", "Ctrl+E", lambda: open_export_dialog(window)),
        ("new_database", "&New database…", "Ctrl+Alt+N", lambda: new_database(window)),
        ("open_database", "&Open database…", "Ctrl+O", lambda: open_database(window)),
        ("backup", "&Back up database…", "", lambda: open_backup_dialog(window)),
        ("restore_backup", "Res&tore backup…", "", lambda: open_restore_dialog(window)),
    ]
    actions: dict[str, QAction] = {}
    for action_id, title, key, run in specs:
        action = QAction(title, window)
        action.setObjectName(f"action-{action_id}")
        if key:
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False, run=run: run())
        window.addAction(action)
        actions[action_id] = action
    recent = QMenu("Open &recent", window)
    recent.setObjectName("menu-recent")
    recent.aboutToShow.connect(lambda: fill_recent_menu(window, recent))
    actions["recent"] = recent.menuAction()

    entries: list[QAction | None] = [
        actions["import"],
        actions["export"],
        None,
        actions["new_database"],
        actions["open_database"],
        actions["recent"],
        actions["backup"],
        actions["restore_backup"],
    ]
    if quit_action is not None:
        entries.append(None)
    for entry in entries:
        if entry is None:
            separator = QAction(window)
            separator.setSeparator(True)
            entry = separator
        if quit_action is not None:
            menu.insertAction(quit_action, entry)
        else:
            menu.addAction(entry)
    window.file_actions = actions
    window.recent_menu = recent
    fill_recent_menu(window, recent)
    remember_database(window.settings, window.workspace.location)
    return actions


# -- recent databases -------------------------------------------------------------------------


def recent_databases(settings: QSettings) -> list[str]:
    value = settings.value(RECENT_KEY)
    if value is None:
        return []
    if isinstance(value, str):  # INI files give back a one-item list as a string
        return [value] if value else []
    return [str(v) for v in value if v]


def remember_database(settings: QSettings, location: str) -> None:
    """Put a database file first in the recent list (URLs and missing files are not remembered)."""
    path = Path(location)
    if not path.is_file():
        return
    key = str(path.resolve())
    paths = [key] + [p for p in recent_databases(settings) if p != key]
    settings.setValue(RECENT_KEY, paths[:RECENT_MAX])
    settings.sync()


def forget_databases(settings: QSettings) -> None:
    """Empty the recent list."""
    settings.remove(RECENT_KEY)
    settings.sync()


def fill_recent_menu(window: MainWindow, menu: QMenu) -> None:
    menu.clear()
    current = str(Path(window.workspace.location).resolve())
    paths = recent_databases(window.settings)
    for number, path in enumerate(paths, 1):
        exists = Path(path).is_file()
        text = f"&{number} {path.replace('&', '&&')}" + ("" if exists else " (missing)")
        action = menu.addAction(text)
        action.setData(path)
        action.setEnabled(exists and path != current)
        if path == current:
            action.setToolTip("The database open in this window")
        action.triggered.connect(lambda _checked=False, path=path: switch_database(window, path))
    if not paths:
        menu.addAction("No recent databases").setEnabled(False)
    menu.addSeparator()
    clear = menu.addAction("&Clear the list")
    clear.setEnabled(bool(paths))
    clear.triggered.connect(lambda: forget_databases(window.settings))


# -- switching databases ------------------------------------------------------------------------


def switch_database(
    window: MainWindow, path: str | Path, *, reopen: bool = False
) -> QMainWindow | None:
    """Open ``path`` (creating and migrating it if needed) in a new window in the old one's place;
    with ``reopen``, the window's own database again (after a restore).

    Returns the new window, or None (with the reason shown) when the database cannot be opened.
    """
    from annotator.gui import create_main_window

    server = "://" in str(path)  # a server's URL (Open database…'s server form)
    path = path if server else Path(path).expanduser()
    shown = shown_url(str(path)) if server else str(path)
    if server and shown == shown_url(window.workspace.location):
        window.notify(f"{shown} is already open")
        return window
    if (
        not reopen
        and not server
        and Path(path).resolve() == Path(window.workspace.location).resolve()
    ):
        window.notify(f"{path} is already open")
        return window
    try:
        new = create_main_window(str(path))
    except AnnotatorError as exc:
        _warn(window, "Open database", f"Cannot open {shown}: {exc}")
        return None
    new.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    new.restoreGeometry(window.saveGeometry())
    _windows.append(new)
    ident = id(new)
    new.destroyed.connect(lambda _obj=None: _forget(ident))
    new.show()
    remember_database(new.settings, new.workspace.location)
    for note in new.workspace.notes:
        new.notify(note)
    # Closing frees the old window's workspace (create_main_window closes it on destroyed).
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.close()
    return new


def _forget(ident: int) -> None:
    _windows[:] = [w for w in _windows if id(w) != ident]


def new_database(window: MainWindow) -> QMainWindow | None:
    folder = str(Path(window.workspace.location).parent)
    path, _ = QFileDialog.getSaveFileName(
        window, "New database", str(Path(folder) / "annotations.sqlite"), DATABASE_FILTER
    )
    if not path:
        return None
    if Path(path).exists():
        # The save dialog asked before replacing; we never empty a database, we open it.
        window.notify(f"{path} exists: opening it")
    return switch_database(window, path)


def open_database(window: MainWindow) -> DatabaseDialog:
    """The Open database dialog (a file, or a PostgreSQL server); Open switches to it."""
    folder = str(Path(window.workspace.location).parent)
    dialog = DatabaseDialog(folder, window.settings, window)
    dialog.accepted.connect(lambda: switch_database(window, dialog.target()))
    return _open(window, dialog, refocus=False)


def _warn(parent: QWidget, title: str, message: str) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


# -- import and export -------------------------------------------------------------------------


def open_import_dialog(window: MainWindow) -> ImportDialog:
    dialog = ImportDialog(window.workspace.location, window.workspace.annotator, window)
    dialog.imported.connect(lambda report: after_import(window, report))
    window.import_dialog = _open(window, dialog, refocus=False)
    return dialog


def after_import(window: MainWindow, report: ImportReport) -> ImportReportDialog:
    """Bring the window up to date with what was imported, and show the report."""
    window.apply_change(report.change)  # the list, the labels' keys, the first document
    window.notify(summary_text(report).replace("\n", " "))
    window.import_report = _open(window, ImportReportDialog(report, window))
    return window.import_report


def open_export_dialog(window: MainWindow) -> ExportDialog:
    window.export_dialog = _open(window, ExportDialog(window.workspace, window))
    return window.export_dialog


DialogType = TypeVar("DialogType", bound=QDialog)


def _open(window: MainWindow, dialog: DialogType, *, refocus: bool = True) -> DialogType:
    """Show ``dialog`` without blocking (window-modal, deleted when closed); the window keeps it.
    With ``refocus``, the keyboard goes back to the article when it closes."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if refocus:
        dialog.finished.connect(lambda _result: window.dialogs.focus_view())
    dialog.open()
    return dialog


# -- back up ---------------------------------------------------------------------------------


class BackupDialog(QDialog):
    """A consistent copy of the database file, made in a thread (safe while the window writes)."""

    def __init__(self, location: str, annotator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Back up database")
        self.setMinimumWidth(560)
        self._location, self._annotator = location, annotator
        self.task: Task | None = None
        self.result_path: Path | None = None
        self.destination = PathField(self._browse, "the backup file")
        db = Path(location)
        self.destination.setText(
            str(db.with_name(f"{db.stem}-backup-{time.strftime('%Y%m%d-%H%M')}.sqlite"))
        )
        self.progress = busy_bar()
        self.message = message_label()
        form = QFormLayout()
        form.addRow("&Back up to:", self.destination)
        buttons = QDialogButtonBox()
        self.backup_button = buttons.addButton("Back &up", QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.backup_button.setDefault(True)
        self.backup_button.clicked.connect(self.start)
        self.destination.edit.textEdited.connect(lambda _text: self.backup_button.setDefault(True))
        self.close_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setTabOrder(self.destination.edit, self.destination.browse_button)
        self.setTabOrder(self.destination.browse_button, self.backup_button)
        self.setTabOrder(self.backup_button, self.close_button)
        self.destination.edit.setFocus()

    def _browse(self, current: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, "Back up database", current, DATABASE_FILTER)
        return path or None

    def start(self) -> None:
        if self.task is not None and self.task.isRunning():
            return
        dest = self.destination.path()
        if dest is None:
            show_message(self.message, "Choose where to write the backup.", error=True)
            return
        location, annotator = self._location, self._annotator

        def work(_progress: object, _cancelled: object) -> Path:
            with Workspace.open(location, annotator=annotator) as workspace:
                return workspace.backup(dest)

        self.task = Task(work, self)
        self.task.succeeded.connect(self._finished)
        self.task.failed.connect(self._failed)
        self.backup_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Copying…")
        self.progress.show()
        show_message(self.message, "")
        self.task.start()

    def _finished(self, path: Path) -> None:
        self.result_path = Path(path)
        self.progress.hide()
        self.backup_button.setEnabled(True)
        show_message(self.message, f"Backed up to {path}")
        self.close_button.setDefault(True)
        self.close_button.setFocus()

    def _failed(self, message: str) -> None:
        self.progress.hide()
        self.backup_button.setEnabled(True)
        show_message(self.message, message, error=True)
        self.destination.edit.setFocus()

    def done(self, result: int) -> None:
        if self.task is not None:
            self.task.stop_and_wait()  # a copy cannot be cut short; it is quick
        super().done(result)


def open_backup_dialog(window: MainWindow) -> BackupDialog:
    dialog = BackupDialog(window.workspace.location, window.workspace.annotator, window)
    window.backup_dialog = _open(window, dialog)
    return dialog
