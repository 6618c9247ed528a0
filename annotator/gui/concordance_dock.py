"""The concordance in the window: a dock at the bottom, the key that opens it (from whatever has
the focus: the rule editor's rule, the label palette's label, the article's selected span or
text), and "Show in concordance" on the rule table and the label palette."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QTableView, QWidget

from annotator.gui.concordance_view import ConcordanceView, open_line_in_window
from annotator.gui.keymap import BY_ID
from annotator.workspace import Change, ConcordanceFilter

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

ACTION_ID = "show_concordance"


class ConcordanceDock(QObject):
    """Owns the dock, its view and the action that shows it."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.view = ConcordanceView(window.workspace, window.apply_change, window.notify)
        self.view.open_line = lambda key: open_line_in_window(window, key)
        self.dock = QDockWidget("Concordance", window)
        self.dock.setObjectName("dock-concordance")
        self.dock.setWidget(self.view)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        # Shown again (the View menu, or a restored layout): what changed while hidden shows.
        self.dock.visibilityChanged.connect(self._visibility_changed)
        entry = BY_ID[ACTION_ID]
        self.action = QAction(entry.title, window)
        self.action.setObjectName(f"action-{ACTION_ID}")
        self.action.setShortcuts([QKeySequence(key) for key in entry.keys])
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.action.triggered.connect(lambda _checked=False: self.open_from_focus())
        window.addAction(self.action)
        self._shown_once = False
        self._showing = False  # inside show(): it reads the lines itself
        self._requery = False  # lines may have come or gone while the dock was hidden

    def install_menus(self) -> None:
        """The View menu's entry, and "Show in concordance" on the rule table and the palette."""
        self.window.menus["View"].addAction(self.action)
        editor = self.window.rule_actions.editor
        self._context_action(
            editor.table, lambda: self.show_rule(editor.stored.name if editor.stored else None)
        )
        palette = self.window.label_palette
        self._context_action(palette.table, lambda: self.show_label(_current_label(palette.table)))

    def _context_action(self, table: QTableView, run: object) -> None:
        action = QAction("Show in concordance", table)
        action.triggered.connect(lambda _checked=False: run())  # type: ignore[operator]
        table.addAction(action)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    # -- opening ---------------------------------------------------------------------------

    def open_from_focus(self) -> None:
        """The window's key: the rule, label or text where the keyboard is; else as it was."""
        focus = QApplication.focusWidget()
        editor = self.window.rule_actions.editor
        palette = self.window.label_palette
        if _inside(focus, self.window.docks["rules"]) and editor.stored is not None:
            self.show_rule(editor.stored.name)
        elif _inside(focus, palette):
            self.show_label(_current_label(palette.table))
        else:
            self.show_text(self._article_text())

    def _article_text(self) -> str:
        view = self.window.view
        if view.selected is not None:
            return view.selected.text
        start, end = view.selection_offsets()
        return " ".join(view.text[start:end].split()) if end > start else ""

    def show_rule(self, rule: str | None) -> None:
        self.show(ConcordanceFilter(rule=rule))

    def show_label(self, label: str | None) -> None:
        self.show(ConcordanceFilter(label=label))

    def show_text(self, text: str) -> None:
        if text or not self._shown_once:
            self.show(ConcordanceFilter(text=text))
        else:
            self.show(None)  # nothing selected: the lines shown last

    def show(self, wanted: ConcordanceFilter | None) -> None:
        """Show the dock with a filter (None keeps the last), the keyboard in its table."""
        self._showing = True
        try:
            self.dock.show()
            self.dock.raise_()
        finally:
            self._showing = False
        if wanted is not None:
            self.view.show_filter(wanted)
        elif self._requery or not self.view.model.queried:
            self.view.fill_choices()
            self.view.apply_filter()
        else:
            self.view.model.reread()
        self._requery = False
        self._shown_once = True
        self.view.table.setFocus()
        # Again once a closing dialog (the corpus search) has given the focus back to the article.
        QTimer.singleShot(0, self.view.table.setFocus)

    def _visibility_changed(self, visible: bool) -> None:
        if not visible or self._showing:
            return
        if not self.view.model.queried or self._requery:
            # A layout restored with the dock open, or rules, labels or documents changed while
            # it was hidden: the lines are found again.
            self.view.fill_choices()
            self.view.apply_filter()
            self._shown_once, self._requery = True, False
        else:
            self.view.model.reread()

    def follow(self, change: Change) -> None:
        """The window's changes reach the lines (gui/change_view.apply_change calls this)."""
        if not self._shown_once:
            return
        if self.dock.isVisible():
            self.view.follow(change)
        elif change.rules or change.labels or change.added_documents:
            self._requery = True


def _inside(widget: QWidget | None, container: QWidget) -> bool:
    return widget is not None and (widget is container or container.isAncestorOf(widget))


def _current_label(table: QTableView) -> str | None:
    current = table.currentIndex()
    if not current.isValid():
        return None
    name = table.model().index(current.row(), 0).data()
    return str(name) if name else None


def install_concordance(window: MainWindow) -> ConcordanceDock:
    """The dock, hidden until asked for (Ctrl+Shift+K); added to the window's docks."""
    concordance = ConcordanceDock(window)
    window.docks["concordance"] = concordance.dock
    concordance.install_menus()
    return concordance
