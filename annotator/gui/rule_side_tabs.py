"""The rule editor's side tabs: what the edited rule matches in the open document, the rule's
exceptions and its label's learned terms (Delete removes the selected exception or term)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
)

from annotator.core.text import one_line
from annotator.gui.widget_helpers import column, shortcut
from annotator.workspace import Match


class RuleSideTabs(QTabWidget):
    """Matches, Exceptions and Learned terms; the editor says what removing one does."""

    def __init__(
        self,
        show_match: Callable[[QListWidgetItem], None],
        remove_exception: Callable[[], None],
        remove_learned: Callable[[], None],
    ) -> None:
        super().__init__()
        self.matches = QListWidget()
        self.matches.itemActivated.connect(show_match)
        self.exceptions = QListWidget()
        self.remove_exception_button = QPushButton("Remove exception")
        self.remove_exception_button.clicked.connect(remove_exception)
        self.learned = QListWidget()
        self.remove_learned_button = QPushButton("Remove learned term")
        self.remove_learned_button.clicked.connect(remove_learned)
        for widget, remove in ((self.exceptions, remove_exception), (self.learned, remove_learned)):
            widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            shortcut(
                QKeySequence(QKeySequence.StandardKey.Delete),
                widget,
                remove,
                Qt.ShortcutContext.WidgetShortcut,
            )
        self.addTab(self.matches, "&Matches")
        self.addTab(column(self.exceptions, self.remove_exception_button), "E&xceptions")
        self.addTab(column(self.learned, self.remove_learned_button), "Lear&ned terms")
        self.setToolTip(
            "Alt+M matches, Alt+X exceptions, Alt+N learned terms; Delete removes the selected one"
        )

    def lists(self) -> tuple[QListWidget, QListWidget, QListWidget]:
        """The list of each tab, in tab order."""
        return self.matches, self.exceptions, self.learned

    def show_terms(self, exceptions: Sequence[str], learned: Sequence[str], label: str) -> None:
        """A rule's exceptions and its label's learned terms (none when no rule is shown)."""
        self.exceptions.clear()
        self.exceptions.addItems(list(exceptions))
        self.learned.clear()
        self.learned.addItems(list(learned))
        self.setTabText(1, f"E&xceptions ({self.exceptions.count()})")
        self.setTabText(2, f"Lear&ned {label} ({self.learned.count()})")

    def show_matches(self, matches: Sequence[Match]) -> None:
        """The preview's matches: activating one selects it in the article."""
        self.matches.clear()
        for m in matches:
            item = QListWidgetItem(f"{m.start}–{m.end}  {m.label}  ‘{one_line(m.text, 60)}’")
            item.setData(Qt.ItemDataRole.UserRole, (m.start, m.end))
            item.setToolTip(m.explanation)
            self.matches.addItem(item)
        self.setTabText(0, f"&Matches ({len(matches)})")

    def clear_matches(self) -> None:
        self.matches.clear()
        self.setTabText(0, "&Matches")
