"""The concordance dock: a filter row over a virtual table of every suggestion and hand-made span
in the corpus (gui/concordance_model.py), and the keys that decide on many lines at once.

Keys in the table: arrows move, Shift+arrows select, Enter accepts the selected pending lines,
X rejects them, 1..9 relabel them (the label palette's order), Ctrl+A then Enter accepts every
line the filter shows (read or not), ``[ ] { }`` move a boundary of the current line by a token,
Ctrl+O opens the document at the line. The window binds some of these keys too (Ctrl+O opens a
database); while the table has the focus it claims them (ShortcutOverride), elsewhere they keep
the window's meaning.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.text import plural
from annotator.gui.concordance_model import HEADERS, LEFT, MATCH, RIGHT, ConcordanceModel
from annotator.workspace import Change, ConcordanceFilter, LineKey, Workspace

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

ANY = "(any)"
STATES = ("pending", "accepted", "rejected", "corrected", "manual")
DEBOUNCE_MS = 200
KEYS_HELP = (
    "Enter accepts · X rejects · 1–9 relabel · Ctrl+A then Enter accepts every line shown · "
    "[ ] { } move a boundary · Ctrl+O opens the document"
)
BOUNDARY_KEYS: dict[int, tuple[str, int]] = {
    Qt.Key.Key_BracketLeft: ("start", -1),
    Qt.Key.Key_BracketRight: ("start", +1),
    Qt.Key.Key_BraceLeft: ("end", -1),
    Qt.Key.Key_BraceRight: ("end", +1),
}
DIGITS: dict[int, int] = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}
ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
COMMAND = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
CONTROL = Qt.KeyboardModifier.ControlModifier


class ElideLeftDelegate(QStyledItemDelegate):
    """The left context is cut on its left, so the words next to the match stay in view."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft


class ConcordanceTable(QTableView):
    """The lines; its keys become requests the dock carries out."""

    acceptRequested = Signal()
    rejectRequested = Signal()
    relabelRequested = Signal(int)  # the label's number, 1..9
    boundaryRequested = Signal(str, int)  # edge, direction
    openRequested = Signal()

    def event(self, event: QEvent) -> bool:
        # Claim our keys before the window's shortcuts see them (Ctrl+O would open a database).
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self._ours(event)
        ):
            event.accept()
            return True
        return super().event(event)

    @staticmethod
    def _ours(event: QKeyEvent) -> bool:
        key, modifiers = event.key(), event.modifiers()
        if modifiers & CONTROL and not modifiers & Qt.KeyboardModifier.ShiftModifier:
            return key in (Qt.Key.Key_O, Qt.Key.Key_A)
        if modifiers & COMMAND:
            return False
        return key in ENTER or key == Qt.Key.Key_X or key in DIGITS or key in BOUNDARY_KEYS

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, modifiers = event.key(), event.modifiers()
        if modifiers & CONTROL and key == Qt.Key.Key_O:
            self.openRequested.emit()
        elif modifiers & COMMAND:
            super().keyPressEvent(event)  # Ctrl+A selects all, Ctrl+arrows move
            return
        elif key in ENTER:
            self.acceptRequested.emit()
        elif key == Qt.Key.Key_X and not modifiers & Qt.KeyboardModifier.ShiftModifier:
            self.rejectRequested.emit()
        elif key in DIGITS:
            self.relabelRequested.emit(DIGITS[key])
        elif key in BOUNDARY_KEYS:
            self.boundaryRequested.emit(*BOUNDARY_KEYS[key])
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def all_selected(self) -> bool:
        """Every row is selected (Ctrl+A): one range from the first row to the last."""
        model = self.model()
        rows = model.rowCount() if model is not None else 0
        selection = self.selectionModel().selection()
        if rows == 0 or selection.count() != 1:
            return False
        only = selection.at(0)
        return only.top() == 0 and only.bottom() == rows - 1


class ConcordanceView(QWidget):
    """Filter row, count, the table; decisions through the workspace, changes through the
    window."""

    def __init__(
        self,
        workspace: Workspace,
        apply_change: Callable[[Change], None] | None = None,
        notify: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.apply_change = apply_change
        self.window_notify = notify
        self.open_line: Callable[[LineKey], None] | None = None  # set by the window
        self.model = ConcordanceModel(workspace, self)
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.apply_filter)
        self._build()

    def _build(self) -> None:
        self.rule = QComboBox(self)
        self.label = QComboBox(self)
        self.state = QComboBox(self)
        self.text = QLineEdit(self, placeholderText="Match contains…", clearButtonEnabled=True)
        self.title = QLineEdit(self, placeholderText="Document title…", clearButtonEnabled=True)
        self.count = QLabel(self)
        self.message = QLabel(KEYS_HELP, self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        row = QHBoxLayout()
        for name, widget, stretch in (
            ("Ru&le", self.rule, 2),
            ("La&bel", self.label, 1),
            ("&State", self.state, 1),
            ("Te&xt", self.text, 2),
            ("Doc&ument", self.title, 2),
        ):
            caption = QLabel(name, self)
            caption.setBuddy(widget)
            row.addWidget(caption)
            row.addWidget(widget, stretch)
        row.addWidget(self.count)
        self.table = ConcordanceTable(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setTabKeyNavigation(False)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the corpus order at first
        self.table.setItemDelegateForColumn(LEFT, ElideLeftDelegate(self.table))
        vertical = self.table.verticalHeader()
        vertical.hide()
        # Fixed row heights: the view never measures 100,000 rows.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        width = self.fontMetrics().averageCharWidth()
        for column, chars in ((LEFT, 44), (MATCH, 22), (RIGHT, 44)):
            self.table.setColumnWidth(column, chars * width)
        for column, chars in zip(range(RIGHT + 1, len(HEADERS)), (10, 24, 11), strict=False):
            self.table.setColumnWidth(column, chars * width)
        self.table.acceptRequested.connect(self.accept_selected)
        self.table.rejectRequested.connect(self.reject_selected)
        self.table.relabelRequested.connect(self.relabel_selected)
        self.table.boundaryRequested.connect(self.move_boundary)
        self.table.openRequested.connect(self.open_current)
        self.table.doubleClicked.connect(lambda _index: self.open_current())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self._choices = False  # the rules and labels are read when the dock first shows
        for combo in (self.rule, self.label, self.state):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        for line_edit in (self.text, self.title):
            line_edit.textChanged.connect(lambda _t: self._timer.start())
            line_edit.returnPressed.connect(self.apply_filter)
        self.setFocusProxy(self.table)

    def fill_choices(self) -> None:
        """The rules, labels and states the filter offers (again after rules or labels change)."""
        self._choices = True
        for combo, names in (
            (self.rule, sorted(rule.name for rule in self.workspace.rules())),
            (self.label, [label.name for label in self._labels()]),
            (self.state, list(STATES)),
        ):
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([ANY, *names])
            combo.setCurrentIndex(max(0, combo.findText(current)))
            combo.blockSignals(False)

    def _labels(self) -> list:
        return sorted(self.workspace.labels(), key=lambda label: label.order)

    # -- filter ------------------------------------------------------------------------

    def current_filter(self) -> ConcordanceFilter:
        def chosen(combo: QComboBox) -> str | None:
            text = combo.currentText()
            return None if text == ANY or not text else text

        state = chosen(self.state)
        return ConcordanceFilter(
            rule=chosen(self.rule),
            label=chosen(self.label),
            states=(state,) if state else (),
            text=self.text.text().strip(),
            title=self.title.text().strip(),
        )

    def show_filter(self, wanted: ConcordanceFilter) -> None:
        """Set the filter row to ``wanted`` and show its lines."""
        if not self._choices:
            self.fill_choices()
        for combo, value in (
            (self.rule, wanted.rule),
            (self.label, wanted.label),
            (self.state, wanted.states[0] if len(wanted.states) == 1 else None),
        ):
            combo.blockSignals(True)
            if value is not None and combo.findText(value) < 0:
                combo.addItem(value)
            combo.setCurrentIndex(max(0, combo.findText(value)) if value else 0)
            combo.blockSignals(False)
        for line_edit, text in ((self.text, wanted.text), (self.title, wanted.title)):
            line_edit.blockSignals(True)
            line_edit.setText(text)
            line_edit.blockSignals(False)
        self.apply_filter()

    def apply_filter(self) -> None:
        self._timer.stop()
        if not self._choices:
            self.fill_choices()
        try:
            self.model.query(self.current_filter())
        except AnnotatorError as exc:
            self.say(str(exc))
            return
        self._show_count()
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, MATCH))

    def _show_count(self) -> None:
        self.count.setText(plural(self.model.rowCount(), "line"))

    # -- decisions -----------------------------------------------------------------------

    def selected_keys(self) -> list[LineKey]:
        if self.table.all_selected():
            return list(self.model.keys())
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex().row()]
        return [self.model.key_at(row) for row in rows]

    def accept_selected(self) -> None:
        if self.table.all_selected():
            wanted = self.model.filter
            self._decide(lambda: self.workspace.concordance.accept_all(wanted), "Accepted")
            return
        keys = self.selected_keys()
        if keys:
            self._decide(lambda: self.workspace.concordance.accept(keys), "Accepted")

    def reject_selected(self) -> None:
        keys = self.selected_keys()
        if keys:
            self._decide(lambda: self.workspace.concordance.reject(keys), "Rejected")

    def relabel_selected(self, number: int) -> None:
        labels = self._labels()
        if number > len(labels):
            self.say(f"No label has the key {number}")
            return
        name = labels[number - 1].name
        keys = self.selected_keys()
        if keys:
            self._decide(lambda: self.workspace.concordance.relabel(keys, name), f"To {name}:")

    def move_boundary(self, edge: str, direction: int) -> None:
        current = self.table.currentIndex()
        if not current.isValid():
            return
        key = self.model.key_at(current.row())
        self._decide(
            lambda: self.workspace.concordance.move_boundary(key, edge, direction), "Moved:"
        )

    def _decide(self, run: Callable[[], Change], verb: str) -> None:
        try:
            change = run()
        except AnnotatorError as exc:
            self.say(str(exc))
            return
        if self.apply_change is not None:
            self.apply_change(change)  # the window follows, and calls follow() below
        else:
            self.follow(change)
        self.say(f"{verb} {change.description}" if verb.endswith(":") else change.description)

    def follow(self, change: Change) -> None:
        """Any change (here, in the article, an undo): the shown lines are read again in place;
        a change of rules or labels may add or drop lines, so the filter runs again."""
        if change.rules or change.labels or change.added_documents:
            self.fill_choices()
            row = self.table.currentIndex().row()
            self.apply_filter()
            if 0 <= row < self.model.rowCount():
                self.table.setCurrentIndex(self.model.index(row, MATCH))
        elif change.documents:
            self.model.reread()

    def open_current(self) -> None:
        current = self.table.currentIndex()
        if current.isValid() and self.open_line is not None:
            self.open_line(self.model.key_at(current.row()))

    def say(self, message: str) -> None:
        self.message.setText(message)
        if self.window_notify is not None:
            self.window_notify(message)


def open_line_in_window(window: MainWindow, key: LineKey) -> None:
    """Open a line's document and select its suggestion or span in the article."""
    from annotator.gui.overlay import SPAN, SUGGESTION

    concordance = window.workspace.concordance
    try:
        (line,) = concordance.lines([key])
        span = concordance.span_of(key) if line.state != "pending" else None
    except (AnnotatorError, ValueError):
        window.notify("That line is no longer in the corpus")
        return
    window.open_document(line.document_id)
    overlay = window.view.overlay
    item = (
        overlay.get(SPAN, span.id)
        if span is not None and span.id is not None
        else overlay.get(SUGGESTION, key.id)
        if line.state == "pending"
        else None
    )
    if item is not None:
        window.view.select_item(item)
    else:
        window.view.select_offsets(line.start, line.end)
    window.view.setFocus()
