"""The rule editor dock: the rules with their statistics, one rule's definition edited as JSON
with errors inline and a live preview in the article, its exceptions and learned terms.

Everything goes through the window's workspace; a save makes a new version of the rule
and re-suggests the open document. The window builds the dock and the Rules menu with
rule_actions.build_rule_actions (see rule_actions.py for the menu's actions).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFontDatabase,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.gui.rule_diff_view import ask_before_save
from annotator.gui.rule_side_tabs import RuleSideTabs
from annotator.gui.rule_table import RuleRow, RuleTableModel
from annotator.gui.rule_text import Checked, check, editable_text
from annotator.gui.widget_helpers import column, shortcut, show_error
from annotator.workspace import Change, Rule, learned_rule_name

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

# A keystroke's preview must show within 100 ms; checking + matching 5 KB takes a few ms.
DEBOUNCE_MS = 60
LARGE_TEXT = 100_000  # a rule this long (a big inline gazetteer) waits longer between checks


class RuleEditor(QWidget):
    """The table of rules and the editor of the selected one; lives in the "Rules" dock."""

    previewUpdated = Signal(int)  # how many matches the preview shows (after each check)
    ruleSaved = Signal(str, int)  # name, new version

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window_ = window
        self.workspace = window.workspace
        self.stored: Rule | None = None  # the selected rule as the database has it
        self.checked: Checked | None = None
        # The dotted preview is on: selecting or editing starts it, Save/Cancel end it.
        self.previewing = False
        self._loading = False
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.update_check)
        self._build()
        window.view.textChanged.connect(self._document_changed)  # a document was opened

    # -- building ------------------------------------------------------------------

    def _build(self) -> None:
        self.filter = QLineEdit(
            placeholderText="Filter rules: name, label, kind, pack…", clearButtonEnabled=True
        )
        self.filter.textChanged.connect(lambda _text: self._apply_filter())
        self.model = RuleTableModel(self)
        self._rows: list[RuleRow] = []
        from annotator.gui.tables import KeyTableView

        self.table = KeyTableView(self)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        left = column(self.filter, self.table)

        self.title = QLabel("Select a rule")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.enabled = QCheckBox("Enabled")
        self.enabled.toggled.connect(self._enabled_toggled)
        self.editor = QPlainTextEdit()
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setTabChangesFocus(True)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.textChanged.connect(self._text_changed)
        self.table.rowActivated.connect(lambda _row: self.editor.setFocus())
        self.editor.setToolTip("The rule as JSON (see the README's rule kinds). Ctrl+S saves.")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton("Save")
        self.save_button.setToolTip("What it changes in the corpus, then save it (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Go back to the stored rule and clear the preview (Esc)")
        self.cancel_button.clicked.connect(self.cancel)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.enabled)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        middle = QWidget()
        box = QVBoxLayout(middle)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(top)
        box.addWidget(self.editor, 1)
        box.addLayout(buttons)

        self.tabs = RuleSideTabs(
            self._show_match, self.remove_selected_exception, self.remove_selected_learned
        )
        self.matches, self.exceptions, self.learned = self.tabs.lists()
        self.tabs.currentChanged.connect(self._tab_changed)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        for part, stretch in ((left, 5), (middle, 4), (self.tabs, 3)):
            splitter.addWidget(part)
            splitter.setStretchFactor(splitter.count() - 1, stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        shortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save, context)
        shortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel, context)
        self.setTabOrder(self.filter, self.table)
        self.setTabOrder(self.table, self.editor)
        self._show_rule(None)

    # -- the table -----------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the rules and their statistics; the selection stays on its rule."""
        try:
            rules = self.workspace.rules()
            stats = self.workspace.rule_statistics()
            packs = self.workspace.rule_packs()
        except AnnotatorError as exc:
            self.window_.notify(str(exc))
            return
        self._rows = [
            RuleRow.of(rule, stats.get(rule.name), packs.get(rule.name)) for rule in rules
        ]
        self._apply_filter()

    def _apply_filter(self) -> None:
        name = self.stored.name if self.stored else None
        needle = self.filter.text().strip()
        self._loading = True
        try:
            self.model.set_rows([r for r in self._rows if not needle or r.matches(needle)])
            row = self.model.row_of(name) if name else -1
            if row >= 0:
                self.table.select_row(row)
        finally:
            self._loading = False

    def select_rule(self, name: str) -> bool:
        """Select a rule in the table (clearing the filter if it hides it) and show it in the
        editor."""
        if self.model.row_of(name) < 0:
            self.filter.clear()
        row = self.model.row_of(name)
        if row < 0:
            return False
        self.table.select_row(row)
        if self.stored is None or self.stored.name != name:
            self._row_changed(self.model.index(row, 0), QModelIndex())
        return self.stored is not None and self.stored.name == name

    def _row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if self._loading or not current.isValid():
            return
        name = self.model.row_at(current.row()).name
        if self.stored is not None and name == self.stored.name:
            return
        if self.is_dirty():
            # Edits are never dropped silently: go back to the rule being edited.
            assert self.stored is not None
            self.window_.notify(
                f"Save (Ctrl+S) or cancel (Esc) the edit of {self.stored.name} first"
            )
            QTimer.singleShot(0, lambda: self._reselect(self.stored.name if self.stored else ""))
            return
        try:
            rule = self.workspace.rule(name)
        except AnnotatorError as exc:
            self.window_.notify(str(exc))
            return
        self._show_rule(rule)
        self.previewing = True
        self._timer.start(0)

    def _reselect(self, name: str) -> None:
        self._loading = True
        try:
            row = self.model.row_of(name)
            if row >= 0:
                self.table.select_row(row)
        finally:
            self._loading = False

    # -- the editor ----------------------------------------------------------------

    def _show_rule(self, rule: Rule | None, *, keep_text: bool = False) -> None:
        """Put a stored rule in the editor and the side lists (``keep_text``: an edit in progress
        stays)."""
        self.stored = rule
        self._loading = True
        try:
            if not keep_text:
                self.editor.setPlainText(editable_text(rule) if rule else "")
                self.checked = None
                self._show_error(None, "")
            self.enabled.setChecked(bool(rule and rule.enabled))
        finally:
            self._loading = False
        for widget in (self.editor, self.enabled, self.save_button, self.cancel_button):
            widget.setEnabled(rule is not None)
        self.tabs.show_terms(
            list(rule.exceptions) if rule else [],
            self._learned_terms(rule.label) if rule else [],
            rule.label if rule else "LABEL",
        )
        self._show_title()

    def _learned_terms(self, label: str) -> list[str]:
        if self.stored is not None and self.stored.name == learned_rule_name(label):
            rule: Rule | None = self.stored
        else:
            try:
                rule = self.workspace.rule(learned_rule_name(label))
            except AnnotatorError:
                return []
        return (
            [t if isinstance(t, str) else t[0] for t in rule.pattern.get("terms", ())]
            if rule
            else []
        )

    def _show_title(self) -> None:
        rule = self.stored
        if rule is None:
            self.title.setText("<i>Select a rule in the table</i>")
            return
        edited = " &nbsp;<span style='color:#B00020'>● edited</span>" if self.is_dirty() else ""
        self.title.setText(
            f"<b>{rule.name}</b> &nbsp;<span style='color:gray'>{rule.kind} · "
            f"{rule.label} · version {rule.version}</span>{edited}"
        )

    def is_dirty(self) -> bool:
        """True while the editor's text differs from the stored rule."""
        return self.stored is not None and self.editor.toPlainText() != editable_text(self.stored)

    def _text_changed(self) -> None:
        if self._loading or self.stored is None:
            return
        self.previewing = True
        self._timer.setInterval(
            DEBOUNCE_MS if len(self.editor.toPlainText()) < LARGE_TEXT else 4 * DEBOUNCE_MS
        )
        self._timer.start()
        self._show_title()

    def update_check(self) -> Checked | None:
        """Check the text now: show the error inline, or preview what the rule matches."""
        self._timer.stop()
        if self.stored is None:
            return None
        text = self.editor.toPlainText()
        labels = {label.name for label in self.workspace.labels()}
        checked = check(text, self.stored, labels)
        self.checked = checked
        self.save_button.setEnabled(checked.ok)
        if not checked.ok:
            self._show_error(checked.offset, checked.reason)
            self.previewUpdated.emit(-1)
            return checked
        self._show_error(None, "")
        if self.previewing:
            self._preview(checked.rule)
        return checked

    def _show_error(self, offset: int | None, reason: str) -> None:
        """The reason under the editor with its line and column; the line tinted, the character
        underlined."""
        show_error(self.editor, self.error, offset, reason)

    def _preview(self, rule: Rule | None) -> None:
        doc = self.window_.doc
        self.matches.clear()
        if rule is None or doc is None or doc.id is None:
            self.window_.view.set_preview([])
            self.previewUpdated.emit(0)
            return
        try:
            result = self.workspace.preview_rule(rule, doc.id)
        except AnnotatorError as exc:
            self._show_error(None, str(exc))
            return
        found = [(m.start, m.end, m.label) for m in result.matches]
        self.window_.view.set_preview(found)
        self.tabs.show_matches(result.matches)
        if result.failures:
            self.error.setText(
                "<span style='color:#B35900'>⚠ "
                + escape("; ".join(f.reason for f in result.failures))
                + "</span>"
            )
        self.previewUpdated.emit(len(found))

    def clear_preview(self) -> None:
        self.previewing = False
        self._timer.stop()
        self.tabs.clear_matches()
        self.window_.view.set_preview([])

    def _tab_changed(self, index: int) -> None:
        # A tab chosen from the keyboard (Alt+X…) takes the keys to its list, where Delete removes.
        focus = QApplication.focusWidget()
        if focus is not None and self.isAncestorOf(focus):
            lists = self.tabs.lists()
            lists[index].setFocus()
            if lists[index].currentRow() < 0 and lists[index].count():
                lists[index].setCurrentRow(0)

    def _show_match(self, item: QListWidgetItem) -> None:
        start, end = item.data(Qt.ItemDataRole.UserRole)
        self.window_.view.select_offsets(start, end)

    # -- save, cancel, enable --------------------------------------------------------

    def save(self) -> bool:
        """Show the corpus diff of the edit, then (Enter) store it as the rule's next version and
        re-suggest the open document; refused while invalid."""
        if self.stored is None:
            return False
        try:  # the checkbox or a list may have changed it
            self.stored = self.workspace.rule(self.stored.name)
        except AnnotatorError as exc:
            self.window_.notify(str(exc))
            return False
        if not self.is_dirty():
            self.window_.notify("Nothing to save: the rule is as stored")
            return False
        checked = self.update_check()
        if checked is None or checked.rule is None:
            self.window_.notify(f"Not saved: {checked.reason if checked else 'no rule'}")
            self.editor.setFocus()
            return False
        # First what it changes across the corpus: Enter there saves, Esc comes back here.
        self.diff_dialog = ask_before_save(self, checked.rule, self.stored.name)
        return True

    def store(self, rule: Rule) -> bool:
        try:
            change = self.workspace.save_rule(rule)
        except AnnotatorError as exc:
            self._show_error(None, str(exc))
            return False
        name, version = rule.name, rule.version
        self.clear_preview()
        self._after_rules_changed(change, name)
        self.window_.notify(
            f"Saved {name} version {version}; this document's suggestions were made again"
        )
        self.ruleSaved.emit(name, version)
        return True

    def cancel(self) -> None:
        """Esc: back to the stored rule, no preview, as it was before the edit; with no edit to
        cancel, the keys go back to the article (the dock stays open)."""
        if self.stored is None or not self.is_dirty():
            self.clear_preview()
            self.window_.view.setFocus()
            return
        try:
            rule = self.workspace.rule(self.stored.name)
        except AnnotatorError as exc:
            self.window_.notify(str(exc))
            return
        was_dirty = self.is_dirty()
        self.clear_preview()
        self._show_rule(rule)
        self.save_button.setEnabled(True)
        if was_dirty:
            self.window_.notify(f"Edit of {rule.name} cancelled")

    def _enabled_toggled(self, on: bool) -> None:
        if self._loading or self.stored is None or self.stored.enabled == on:
            return
        name = self.stored.name
        try:
            change = self.workspace.set_rule_enabled(name, on)
        except AnnotatorError as exc:
            self.window_.notify(str(exc))
            return
        self._after_rules_changed(change, name, keep_text=True)
        self.window_.notify(f"{name} {'enabled' if on else 'disabled'}")

    def _after_rules_changed(
        self, change: Change, name: str | None, *, keep_text: bool = False
    ) -> None:
        """A rule was stored here: the window takes the change (the open document's suggestions
        are made again, the table follows), then the editor shows the rule as stored."""
        self.window_.apply_change(change)
        if name is not None:
            try:
                self._show_rule(self.workspace.rule(name), keep_text=keep_text)
            except AnnotatorError:
                self._show_rule(None)

    def rules_changed(self, names: tuple[str, ...]) -> None:
        """Rules changed (here, by a key in the article, by undo): the table follows, and the rule
        shown is read again unless it holds an edit."""
        if self.stored is not None and self.stored.name in names and not self.is_dirty():
            try:
                self._show_rule(self.workspace.rule(self.stored.name))
            except AnnotatorError:
                self._show_rule(None)
        if self.isVisible():
            self.refresh()  # a hidden table is read again when it is shown (dock_visibility)

    # -- exceptions and learned terms ---------------------------------------------------

    def remove_selected_exception(self) -> None:
        item = self.exceptions.currentItem()
        if self.stored is None or item is None:
            return
        name, text = self.stored.name, item.text()
        try:
            change = self.workspace.remove_exception(name, text)
        except AnnotatorError as exc:
            self.window_.notify(str(exc))
            return
        self._after_rules_changed(change, name, keep_text=self.is_dirty())
        self.window_.notify(f"‘{text}’ may be suggested by {name} again")

    def remove_selected_learned(self) -> None:
        item = self.learned.currentItem()
        if self.stored is None or item is None:
            return
        label, text = self.stored.label, item.text()
        learned_name = learned_rule_name(label)
        editing_it = self.stored.name == learned_name
        if editing_it and self.is_dirty():
            self.window_.notify(
                "Save (Ctrl+S) or cancel (Esc) this edit before removing a learned term"
            )
            return
        try:
            change = self.workspace.remove_learned_term(label, text)
        except AnnotatorError as exc:
            self.window_.notify(str(exc))
            return
        self._after_rules_changed(
            change, self.stored.name, keep_text=not editing_it and self.is_dirty()
        )
        self.window_.notify(f"‘{text}’ is no longer a learned {label} term")

    # -- the window ------------------------------------------------------------------

    def _document_changed(self) -> None:
        # Another document is shown: the preview follows it; the rule may have new exceptions.
        if self.stored is not None and self.previewing and self.isVisible():
            self._timer.start(0)

    def dock_visibility(self, visible: bool) -> None:
        if visible:
            self.refresh()
        elif self.previewing:
            self.clear_preview()


def install_rule_editor(window: MainWindow) -> QDockWidget:
    """The window's "Rules" dock: the window builds it and the Rules menu (rule_actions.py) itself;
    calling this again gives the same dock (kept for scripts that installed it)."""
    return window.rule_actions.dock


__all__ = ["DEBOUNCE_MS", "RuleEditor", "install_rule_editor"]
