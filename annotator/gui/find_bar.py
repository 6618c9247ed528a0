"""Ctrl+F: find in the open document as you type; Enter goes to the next match, Esc returns to the
text."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from annotator.gui.article_view import ArticleView


class FindBar(QWidget):
    def __init__(self, view: ArticleView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(
            "Find in this document (Enter: next, Shift+Enter: previous, Esc: back)"
        )
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel()
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Close (Esc)")
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(QLabel("Find:"))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        layout.addWidget(close)
        self.edit.textEdited.connect(self._search_from_origin)
        self.edit.installEventFilter(self)
        self._origin = 0
        self.hide()

    def open(self) -> None:
        """Show the bar with the selected text (if short) as the query, its matches counted."""
        self._origin = self.view.selection_offsets()[0]
        start, end = self.view.selection_offsets()
        if 0 < end - start <= 80 and "\n" not in self.view.text[start:end]:
            self.edit.setText(self.view.text[start:end])
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()
        self._update_count()

    def close_bar(self) -> None:
        """Hide, keep the match selected, give the keys back to the article."""
        self.hide()
        self.view.setFocus()

    def matches(self) -> list[tuple[int, int]]:
        query = self.edit.text()
        if not query:
            return []
        return [
            (m.start(), m.end())
            for m in re.finditer(re.escape(query), self.view.text, re.IGNORECASE)
        ]

    def find_next(self, *, backwards: bool = False) -> bool:
        found = self.matches()
        if not found:
            self._update_count(found)
            return False
        start, end = self.view.selection_offsets()
        if backwards:
            earlier = [m for m in found if m[0] < start]
            target = earlier[-1] if earlier else found[-1]
        else:
            later = [m for m in found if m[0] > start or (m[0] == start and start == end)]
            target = later[0] if later else found[0]  # wraps to the top
        self._select(target)
        self._update_count(found, target)
        return True

    def _select(self, match: tuple[int, int]) -> None:
        """Select a match; when it is exactly a span (or a suggestion), that item, so Delete, a
        label key, the boundary keys and R act on it."""
        self.view.select_item(None)
        self.view.select_offsets(*match)
        item = self.view.overlay.exactly(*match)
        if item is not None:
            self.view.select_item(item)

    def _search_from_origin(self, _text: str) -> None:
        found = self.matches()
        later = [m for m in found if m[0] >= self._origin]
        target = later[0] if later else (found[0] if found else None)
        if target is not None:
            self._select(target)
        self._update_count(found, target)

    def _update_count(
        self, found: list[tuple[int, int]] | None = None, current: tuple[int, int] | None = None
    ) -> None:
        found = self.matches() if found is None else found
        if not self.edit.text():
            self.count.setText("")
        elif not found:
            self.count.setText("no match")
        elif current in found:
            self.count.setText(f"{found.index(current) + 1} of {len(found)}")
        else:
            self.count.setText(f"{len(found)} matches")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.find_next(
                    backwards=bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                )
                return True
            if key == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)
