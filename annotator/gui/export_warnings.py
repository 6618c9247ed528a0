"""The warnings of a finished export in a dialog of their own: one a line, selectable, so the
user sees which spans a format could not hold exactly (document, label, offsets, text, why)
and can copy the list."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.text import plural
from annotator.workspace import ExportResult


def warnings_summary(result: ExportResult, fmt: str) -> str:
    """One sentence: how many spans changed, or how many notes there are."""
    if result.spans_changed:
        return (
            f"{plural(result.spans_changed, 'span')} could not be written exactly in {fmt}: "
            "each is listed below with its document, label, offsets, text and the reason."
        )
    return f"The {fmt} export wrote everything, with {plural(len(result.warnings), 'note')}:"


class ExportWarningsDialog(QDialog):
    def __init__(self, result: ExportResult, fmt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export warnings")
        self.resize(760, 360)
        self.summary = QLabel(warnings_summary(result, fmt))
        self.summary.setWordWrap(True)
        # A plain text view, not a list of widgets: an export can warn about thousands of spans.
        self.listing = QPlainTextEdit()
        self.listing.setReadOnly(True)
        self.listing.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.listing.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.listing.setPlainText("\n".join(result.warnings))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.listing)
        layout.addWidget(buttons)
        self.close_button.setDefault(True)
        self.close_button.setFocus()
