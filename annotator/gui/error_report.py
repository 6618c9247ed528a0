"""The window's last line of defence: an exception no action expected becomes one dialog (and one
line on stderr), its traceback goes to the log (crash_log), and the window stays usable."""

from __future__ import annotations

import sys
import threading
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from annotator import crash_log


class ErrorReport(QObject):
    """Installed as sys.excepthook (Qt's slots and events end there) and threading.excepthook;
    a worker thread's error is shown by the GUI thread."""

    reported = Signal(str)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.dialog: QMessageBox | None = None
        self.last_line = ""
        self.reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook

    def excepthook(
        self,
        kind: type[BaseException],
        exc: BaseException,
        _traceback: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        self.report(exc)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.report(args.exc_value)

    def report(self, exc: BaseException) -> None:
        line = crash_log.report(exc, context="the window")
        self.last_line = line
        print(f"annotator: error: {line}", file=sys.stderr)
        self.reported.emit(line)

    def _show(self, line: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            return  # one at a time: a repeated failure (a paint, a timer) is in the log
        active = QApplication.activeWindow()
        parent = active if isinstance(active, QWidget) else None
        dialog = QMessageBox(parent)
        dialog.setObjectName("errorReport")
        dialog.setIcon(QMessageBox.Icon.Warning)
        dialog.setWindowTitle("annotator: unexpected error")
        dialog.setText(
            "Something went wrong that annotator did not expect. What you did before is kept; "
            "you can go on working."
        )
        dialog.setInformativeText(line)
        dialog.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        self.dialog = dialog


def install_error_report(app: QApplication) -> ErrorReport:
    report = ErrorReport(app)
    report.install()
    return report
