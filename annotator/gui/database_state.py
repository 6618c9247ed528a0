"""What the window shows of its database's own state: read-only (title, status bar, and every
change refused with the reason), and a visible wait while another program holds the lock."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QProgressDialog

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

SHOW_AFTER_S = 0.4  # a lock released sooner is not worth a dialog
WORKER_WAIT_S = 10.0  # a background thread's write waits as a command's does


def read_only_mark(window: MainWindow) -> str:
    """What the title adds on a read-only database."""
    return " [read-only]" if window.workspace.read_only is not None else ""


class DatabaseState:
    """The window's read-only badge and lock wait, installed once per window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.badge = QLabel()
        self.badge.setObjectName("readOnlyBadge")
        self.dialog: QProgressDialog | None = None
        self._waiting = False
        self._gui_thread = threading.current_thread()
        reason = window.workspace.read_only
        if reason is not None:
            self.badge.setText("Read-only")
            self.badge.setToolTip(
                f"{window.workspace.location} is read-only ({reason}): you can read, search and "
                "export; every change is refused with this reason"
            )
            self.badge.setStyleSheet(
                "QLabel { color: #a0522d; font-weight: bold; padding: 0 6px; }"
            )
            window.statusBar().addPermanentWidget(self.badge)
            window.setWindowTitle(f"annotator{read_only_mark(window)}")
            window.notify(
                f"{window.workspace.location} is read-only ({reason}): changes are refused"
            )
        window.workspace.wait_for_lock(self.wait, done=self.done)

    # -- the lock wait: called by the store between tries -------------------------------

    def wait(self, holder: str | None, waited_s: float) -> bool:
        """Whether to try again: a worker thread waits as a command does; the GUI thread shows
        a dialog (Cancel gives up; the action then changes nothing) and keeps painting."""
        if threading.current_thread() is not self._gui_thread:
            return waited_s < WORKER_WAIT_S
        if not self._waiting:
            self._waiting = True
            if self.dialog is not None:
                self.dialog.reset()  # a new wait: not cancelled
        if self._cancelled():
            return False
        if waited_s >= SHOW_AFTER_S:
            dialog = self._dialog()
            dialog.setLabelText(
                f"The database is locked by {holder or 'another program'}.\n"
                f"Waited {waited_s:.1f} s; your change is made as soon as it is free.\n"
                "Cancel gives up this change (nothing of it is made)."
            )
            if not dialog.isVisible():
                dialog.show()
            self.window.statusBar().showMessage(
                f"Waiting for the database: locked by {holder or 'another program'}"
            )
        QApplication.processEvents()
        return not self._cancelled()

    def done(self) -> None:
        if threading.current_thread() is not self._gui_thread:
            return
        self._waiting = False
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.hide()
            self.window.statusBar().clearMessage()

    def _dialog(self) -> QProgressDialog:
        if self.dialog is None:
            dialog = QProgressDialog(self.window)
            dialog.setObjectName("lockWait")
            dialog.setWindowTitle("Waiting for the database")
            dialog.setRange(0, 0)  # busy: no end is known
            dialog.setCancelButtonText("Cancel")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.setMinimumDuration(0)
            dialog.reset()  # stops the timer that would show it by itself after 4 s
            # Escape rejects a dialog without cancelling a progress dialog: make it cancel.
            dialog.rejected.connect(dialog.cancel)
            self.dialog = dialog
        return self.dialog

    def _cancelled(self) -> bool:
        """Cancel pressed (the button, Escape, or closing the dialog)."""
        return self.dialog is not None and self.dialog.wasCanceled()
