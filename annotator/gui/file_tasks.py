"""What the file dialogs share: a dialog that runs one background Task (gui/background.py), and
a path field with a Browse button.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
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

from annotator.gui.background import Task


class TaskDialog(QDialog):
    """A dialog that runs one Task: Esc or closing while it runs cancels it; leaving waits for the
    thread.

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
        self.row = QHBoxLayout(self)  # the field's row: a dialog may add a button of its own
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.addWidget(self.edit, 1)
        self.row.addWidget(self.browse_button)
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
