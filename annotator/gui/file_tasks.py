"""What the file dialogs share: long work off the GUI thread, and a path field with a Browse button.

A task gets its own workspace on the same database, opened in the worker thread: an SQLite
connection belongs to the thread that made it. Errors a user can cause come back as a message;
anything else is printed to stderr and shown as one line, never as a traceback in the window.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from annotator.core.errors import AnnotatorError

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]
Work = Callable[[Progress, IsCancelled], object]
PROGRESS_INTERVAL_S = (
    0.05  # at most 20 progress signals a second: a 10,000-file import must not flood the loop
)


class TaskCancelled(Exception):
    """Raised from a progress callback to stop work that has no cancel hook of its own.

    Safe for exports: writers write to a temporary that is removed on any exception.
    """


class Task(QThread):
    """Runs ``work(progress, is_cancelled)`` in a thread and reports through signals."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    stopped = Signal()  # cancelled before a result

    def __init__(
        self, work: Work, parent: QWidget | None = None, *, raise_on_cancel: bool = False
    ) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._raise_on_cancel = raise_on_cancel
        self._last_emit = 0.0

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int) -> None:
        if self._raise_on_cancel and self._cancel.is_set():
            raise TaskCancelled
        now = time.monotonic()
        if done >= total or now - self._last_emit >= PROGRESS_INTERVAL_S:
            self._last_emit = now
            self.progressed.emit(done, total)

    def run(self) -> None:
        try:
            result = self._work(self._progress, self._cancel.is_set)
        except TaskCancelled:
            self.stopped.emit()
        except AnnotatorError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001  a bug, not the user's doing: keep the trace for a report
            traceback.print_exc(file=sys.stderr)
            self.failed.emit(f"Unexpected error ({type(exc).__name__}): {exc}")
        else:
            self.succeeded.emit(result)

    def stop_and_wait(self) -> None:
        """Cancel and wait for the thread to end (the dialog is going away)."""
        if self.isRunning():
            self.cancel()
            self.wait()


class TaskDialog(QDialog):
    """A dialog that runs one Task: Esc or closing while it runs cancels it; leaving waits for the thread.

    Subclasses set ``task`` when they start it, ``_settled`` when its result has arrived, and
    ``stop_button``: the button that reads "Cancelling…" while the task winds down.
    """

    task: Task | None = None
    _settled = False
    stop_button: QPushButton

    def running(self) -> bool:
        """Until the result arrives (the thread may still be winding down after that)."""
        return self.task is not None and not self._settled

    def reject(self) -> None:
        """Esc or Cancel: while the task runs, stop it; otherwise close."""
        if self.running():
            assert self.task is not None
            self.task.cancel()
            self.stop_button.setText("Cancelling…")
            self.stop_button.setEnabled(False)
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running():
            self.reject()
            event.ignore()
            return
        super().closeEvent(event)

    def done(self, result: int) -> None:
        if self.task is not None:
            self.task.stop_and_wait()
        super().done(result)


class PathField(QWidget):
    """A line edit for a path plus a Browse… button; typing a path works as well as browsing."""

    def __init__(
        self,
        browse: Callable[[str], str | None],
        placeholder: str = "",
        browse_text: str = "&Browse…",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setClearButtonEnabled(True)
        self.browse_button = QPushButton(browse_text)
        self.browse_button.setAutoDefault(False)  # Enter in the dialog runs its main button
        self._browse = browse
        self.browse_button.clicked.connect(self._on_browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.browse_button)
        self.setFocusProxy(self.edit)

    def _on_browse(self) -> None:
        chosen = self._browse(self.text())
        if chosen:
            self.edit.setText(chosen)
        self.edit.setFocus()

    def text(self) -> str:
        return self.edit.text().strip()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def path(self) -> Path | None:
        text = self.text()
        return Path(text).expanduser() if text else None


def message_label() -> QLabel:
    """A word-wrapped, selectable label for results and errors (paths can be copied)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_message(label: QLabel, text: str, *, error: bool = False) -> None:
    label.setStyleSheet("color: #b00020;" if error else "")
    label.setText(text)
    label.setVisible(bool(text))


def busy_bar() -> QProgressBar:
    bar = QProgressBar()
    bar.setTextVisible(True)
    bar.hide()
    return bar
