"""Small widget helpers: a shortcut with a context that holds, an error shown in and under a
text editor, a column."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget

from annotator.gui.offsets import OffsetMap
from annotator.gui.rule_text import line_and_column

ERROR_LINE = QColor(255, 0, 0, 28)
ERROR_COLOUR = QColor("#B00020")


def shortcut(
    keys: QKeySequence, parent: QWidget, slot: Callable[[], object], context: Qt.ShortcutContext
) -> QShortcut:
    # PySide6 ignores a context= keyword next to a callable: set it after, or Esc and Ctrl+S
    # become window-wide and swallow the keys of the find bar and the article.
    shortcut = QShortcut(keys, parent)
    shortcut.setContext(context)
    shortcut.activated.connect(slot)
    return shortcut


def show_error(editor: QPlainTextEdit, label: QLabel, offset: int | None, reason: str) -> None:
    """The reason in ``label`` with its line and column; in the editor, the line tinted and the
    character underlined. An empty reason clears both."""
    selections: list[QTextEdit.ExtraSelection] = []
    if reason:
        where = ""
        if offset is not None:
            line, col = line_and_column(editor.toPlainText(), offset)
            where = f"line {line}, column {col}: "
            selections = error_marks(editor, offset)
        label.setText(
            f"<span style='color:{ERROR_COLOUR.name()}'>⚠ {escape(where + reason)}</span>"
        )
    else:
        label.setText("")
    editor.setExtraSelections(selections)


def error_marks(editor: QPlainTextEdit, offset: int) -> list[QTextEdit.ExtraSelection]:
    text = editor.toPlainText()
    cursor = QTextCursor(editor.document())
    cursor.setPosition(OffsetMap(text).to_qt(min(offset, len(text))))
    line = QTextEdit.ExtraSelection()
    line.format.setBackground(ERROR_LINE)
    line.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
    line.cursor = QTextCursor(cursor)
    line.cursor.clearSelection()
    mark = QTextEdit.ExtraSelection()
    mark.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    mark.format.setUnderlineColor(ERROR_COLOUR)
    mark.format.setBackground(QColor(255, 0, 0, 60))
    mark.cursor = QTextCursor(cursor)
    if not mark.cursor.atBlockEnd():
        mark.cursor.movePosition(
            QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor
        )
    else:
        mark.cursor.movePosition(
            QTextCursor.MoveOperation.PreviousCharacter, QTextCursor.MoveMode.KeepAnchor
        )
    return [line, mark]


def column(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return holder
