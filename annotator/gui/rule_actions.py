"""The Rules menu: show the editor, a new rule from the selection, the rules over the corpus, packs.

Keys are data (RULE_KEYMAP, in the key map's own shape) so they can join the window's
table of shortcuts. The corpus run is a background Task (gui/background.py) on its own
Workspace (an SQLite connection belongs to one thread); the window stays live.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.text import one_line as short
from annotator.gui.background import IsCancelled, Progress, Task
from annotator.gui.keymap import DEFAULT_KEYMAP, KeyAction
from annotator.gui.rule_fix_view import propose_rule_fix
from annotator.gui.tagger_action import TaggerTrainer
from annotator.workspace import SuggestReport, Workspace

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow
    from annotator.gui.rule_editor import RuleEditor

RULE_KEYMAP: tuple[KeyAction, ...] = tuple(a for a in DEFAULT_KEYMAP if a.menu == "Rules")
AS_RULE = 1  # the index of "as a new rule" in the new-rule dialog's choice (0: a learned term)
PACK_FILTER = "Rule packs or spaCy/Prodigy match patterns (*.jsonl);;All files (*)"
PATTERNS_FILTER = "spaCy/Prodigy match patterns (*.jsonl)"
EXPORT_FILTER = f"Rule packs (*.jsonl);;{PATTERNS_FILTER}"


class RuleActions(QObject):
    """The Rules menu and what its actions do; owned by the window."""

    corpusFinished = Signal(object)  # the SuggestReport of a corpus run, or an error message (str)

    def __init__(self, window: MainWindow, editor: RuleEditor, dock: QDockWidget) -> None:
        super().__init__(window)
        self.window, self.editor, self.dock = window, editor, dock
        self.dialog: NewRuleDialog | None = None
        self.message_box: QMessageBox | None = None
        self.progress: QProgressDialog | None = None
        self.run: Task | None = None  # the rules over the corpus, while they run
        self._updating = False  # inside the progress dialog's setValue
        self._finished: tuple[object] | None = None  # a run's end that arrived meanwhile
        self.menu = self._menu()
        self.tagger = TaggerTrainer(window)
        handlers = {
            "show_rule_editor": self.show_editor,
            "new_rule_from_selection": self.new_rule_from_selection,
            "run_rules_corpus": self.run_corpus,
            "import_rule_pack": self.import_pack,
            "export_rule_pack": self.export_pack,
            "train_tagger": self.tagger.start,
            "rule_proposals": lambda: self.window.rule_proposals.show_proposals(),
            "propose_rule_fix": lambda: propose_rule_fix(self.window),
        }
        self.actions: dict[str, QAction] = {}
        for entry in RULE_KEYMAP:
            action = QAction(entry.title, window)
            action.setObjectName(f"action-{entry.id}")
            action.setShortcuts([QKeySequence(k) for k in entry.keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            shown = ", ".join(entry.keys)
            action.setToolTip(f"{entry.help} ({shown})" if shown else entry.help)
            action.triggered.connect(lambda _checked=False, run=handlers[entry.id]: run())
            window.addAction(action)
            self.menu.addAction(action)
            self.actions[entry.id] = action

    def _menu(self) -> QMenu:
        menus = self.window.menus
        if "Rules" in menus:
            return menus["Rules"]
        menu = QMenu("&Rules", self.window)
        help_menu = menus.get("Help")
        if help_menu is not None:
            self.window.menuBar().insertMenu(help_menu.menuAction(), menu)
        else:
            self.window.menuBar().addMenu(menu)
        menus["Rules"] = menu
        return menu

    # -- the editor ------------------------------------------------------------------

    def show_editor(self) -> None:
        first = self.dock.isHidden() and not self.dock.isFloating()
        self.dock.show()
        if first and self.dock.height() < 300:
            # After the dock is laid out, or the main window keeps its old split.
            QTimer.singleShot(
                0, lambda: self.window.resizeDocks([self.dock], [340], Qt.Orientation.Vertical)
            )
        self.dock.raise_()
        self.editor.refresh()
        self.editor.filter.setFocus()

    # -- a new rule from the selection -----------------------------------------------------

    def new_rule_from_selection(self) -> None:
        window = self.window
        if window.doc is None:
            window.notify("Open a document and select some text first")
            return
        start, end = window.view.selection_offsets()
        selected = window.view.selected
        if start == end and selected is not None:
            start, end = selected.start, selected.end
        text = window.view.text[start:end].strip()
        if not text:
            window.notify("Select the text to suggest everywhere first")
            return
        labels = [
            label.name for label in sorted(window.workspace.labels(), key=lambda label: label.order)
        ]
        default = (
            selected.label
            if selected is not None and (selected.start, selected.end) == (start, end)
            else None
        )
        taken = {rule.name for rule in window.workspace.rules()}
        dialog = NewRuleDialog(text, labels, default, taken, window)
        dialog.accepted.connect(lambda: self._create_rule(dialog))
        dialog.finished.connect(lambda _result: QTimer.singleShot(0, self._focus_view))
        self.dialog = dialog
        dialog.open()

    def _focus_view(self) -> None:
        self.window.activateWindow()
        self.window.view.setFocus()

    def _create_rule(self, dialog: NewRuleDialog) -> None:
        label, text, workspace = dialog.label(), dialog.text, self.window.workspace
        try:
            if dialog.as_rule():
                change = workspace.rule_from_selection(dialog.name(), label, text)
            else:
                change = workspace.learn_term(label, text)
        except AnnotatorError as exc:
            self.window.notify(str(exc))
            return
        self.window.apply_change(change)
        where = (
            "a new rule " + change.rules[0] if dialog.as_rule() else f"the learned {label} terms"
        )
        self.window.notify(
            f"‘{short(text)}’ is now suggested as {label} in every document ({where})"
        )

    # -- the corpus ----------------------------------------------------------------------

    def run_corpus(self) -> None:
        """All rules over every document, in a thread, with a progress dialog and Cancel."""
        if self.run is not None:
            self.window.notify("The rules are already running over the corpus")
            return
        workspace = self.window.workspace
        progress = QProgressDialog(
            "Running the rules over every document…", "Cancel", 0, 0, self.window
        )
        progress.setWindowTitle("Run all rules")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        self.progress = progress
        self.run = corpus_run(workspace.location, workspace.annotator, self)
        self.run.progressed.connect(self._progressed)
        self.run.finished.connect(self._corpus_done)
        progress.canceled.connect(self.run.cancel)
        progress.show()
        self.run.start()

    def _progressed(self, done: int, total: int) -> None:
        # A modal QProgressDialog's setValue runs the event loop, which may deliver the run's end:
        # that end waits until setValue has returned (closing the dialog under it would crash).
        progress = self.progress
        if progress is None or progress.wasCanceled():
            return
        self._updating = True
        try:
            progress.setLabelText(f"Running the rules over every document… {done} of {total}")
            progress.setMaximum(total)
            progress.setValue(done)
        finally:
            self._updating = False
        if self._finished is not None:
            outcome, self._finished = self._finished[0], None
            self._corpus_done(outcome)

    def _corpus_done(self, outcome: object) -> None:
        if self._updating:
            self._finished = (outcome,)
            return
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        if self.run is not None:
            self.run.deleteLater()  # its thread is over: finished comes after it ended
            self.run = None
        window = self.window
        window.navigator.refresh()
        if window.doc is not None and window.doc.id is not None:
            window.open_document(window.doc.id)
        self.editor.refresh()
        if isinstance(outcome, SuggestReport):
            what = "Cancelled after" if outcome.cancelled else "Suggested over"
            window.notify(
                f"{what} {outcome.documents} documents: {outcome.added} new, {outcome.kept} kept, "
                f"{outcome.dropped} dropped ({outcome.seconds:.1f} s)"
                + (f"; {len(outcome.failures)} rule failures" if outcome.failures else "")
            )
        else:
            self._message("Run all rules", f"The run stopped: {outcome}", QMessageBox.Icon.Warning)
        self.corpusFinished.emit(outcome)

    # -- packs -----------------------------------------------------------------------------

    def import_pack(self, path: str | None = None) -> None:
        """Load a .jsonl pack; refused lines are listed as file:line: reason, the others load."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self.window, "Import rule pack", self._folder(), PACK_FILTER
            )
            if not path:
                return
        try:
            report = self.window.workspace.import_rules(path)
        except (AnnotatorError, OSError) as exc:
            self._message(
                "Import rule pack",
                f"Nothing imported from {path}:\n{_reason(exc)}",
                QMessageBox.Icon.Warning,
            )
            return
        self.window.settings.setValue("rules/last_folder", str(Path(path).parent))
        self.window.apply_change(report.change)
        source = f"{report.patterns} patterns in " if report.patterns else ""
        summary = (
            f"{report.added} rules added, {report.replaced} replaced from {source}{Path(path).name}"
        )
        if report.new_labels:
            summary += f"; new labels: {', '.join(report.new_labels)}"
        if report.problems:
            lines = "\n".join(str(p) for p in report.problems)
            self._message(
                "Import rule pack",
                f"{summary}.\n{len(report.problems)} refused:\n{lines}",
                QMessageBox.Icon.Warning,
            )
        self.window.notify(summary)

    def export_pack(self, path: str | None = None, *, patterns: bool = False) -> None:
        """Write every rule (terms inline) to a .jsonl pack file, or as match patterns."""
        if path is None:
            start = str(Path(self._folder()) / "rules.jsonl")
            path, chosen = QFileDialog.getSaveFileName(
                self.window, "Export rule pack", start, EXPORT_FILTER
            )
            if not path:
                return
            patterns = chosen == PATTERNS_FILTER
        if not path.endswith(".jsonl"):
            path += ".jsonl"
        try:
            if patterns:
                self._export_patterns(path)
                return
            written = self.window.workspace.export_rules(path)
        except (AnnotatorError, OSError) as exc:
            self._message(
                "Export rule pack",
                f"Not exported to {path}:\n{_reason(exc)}",
                QMessageBox.Icon.Warning,
            )
            return
        self.window.settings.setValue("rules/last_folder", str(Path(path).parent))
        self.window.notify(f"Rules exported to {written}")

    def _export_patterns(self, path: str) -> None:
        exported = self.window.workspace.export_rule_patterns(path)
        self.window.settings.setValue("rules/last_folder", str(Path(path).parent))
        summary = f"{exported.patterns} patterns exported to {exported.path}"
        if exported.warnings:
            lines = "\n".join(exported.warnings)
            self._message(
                "Export match patterns",
                f"{summary}.\n{len(exported.warnings)} left out or changed:\n{lines}",
                QMessageBox.Icon.Warning,
            )
        self.window.notify(summary)

    def _folder(self) -> str:
        value = self.window.settings.value("rules/last_folder")
        return str(value) if value else str(Path.home())

    def _message(self, title: str, text: str, icon: QMessageBox.Icon) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_box = box
        box.open()


class NewRuleDialog(QDialog):
    """Ask the label, and whether the text joins the learned terms or becomes a phrase rule."""

    def __init__(
        self,
        text: str,
        labels: list[str],
        default_label: str | None,
        taken: set[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Suggest this text everywhere")
        self.text = text
        self._taken = taken
        self.labels = QComboBox()
        self.labels.addItems(labels)
        if default_label in labels:
            self.labels.setCurrentText(default_label)
        self.where = QComboBox()
        self.where.addItems(["the learned terms of the label", "a new phrase rule"])
        self.rule_name = QLineEdit()
        self.rule_name.setEnabled(False)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #B00020")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Text:", QLabel(f"‘{short(text, 60)}’"))
        form.addRow("&Label:", self.labels)
        form.addRow("&Add to:", self.where)
        form.addRow("Rule &name:", self.rule_name)
        form.addRow(self.problem)
        form.addRow(buttons)
        self.labels.currentTextChanged.connect(self._default_name)
        self.where.currentIndexChanged.connect(lambda i: self.rule_name.setEnabled(i == AS_RULE))
        self._default_name()
        self.labels.setFocus()

    def _default_name(self) -> None:
        slug = re.sub(r"[^0-9a-z]+", "-", self.text.casefold()).strip("-")[:40] or "phrase"
        self.rule_name.setText(f"{self.label().lower()}-{slug}")

    def label(self) -> str:
        return self.labels.currentText()

    def as_rule(self) -> bool:
        return self.where.currentIndex() == AS_RULE

    def name(self) -> str:
        return self.rule_name.text().strip()

    def accept(self) -> None:
        if self.as_rule() and (not self.name() or self.name() in self._taken):
            self.problem.setText("Give the rule a name no other rule has")
            self.rule_name.setFocus()
            return
        super().accept()


def corpus_run(location: str, annotator: str, parent: QObject) -> Task:
    """The rules over every document as a Task on its own Workspace; it ends with the
    SuggestReport, or a message when the run could not go on."""

    def work(progress: Progress, cancelled: IsCancelled) -> SuggestReport:
        with Workspace.open(location, annotator=annotator) as workspace:
            return workspace.suggest_corpus(progress=progress, cancelled=cancelled)

    return Task(work, parent)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")
    return str(exc)


def build_rule_actions(window: MainWindow) -> RuleActions:
    """The "Rules" dock (hidden until asked for, unless the saved layout shows it) and the Rules
    menu; the window builds them once and holds what this returns."""
    from annotator.gui.rule_editor import RuleEditor

    editor = RuleEditor(window)
    dock = QDockWidget("Rules", window)
    dock.setObjectName("dock-rules")
    dock.setWidget(editor)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
    if not window.restoreDockWidget(dock):
        dock.hide()
    dock.visibilityChanged.connect(editor.dock_visibility)
    actions = RuleActions(window, editor, dock)
    if dock.isVisible():
        editor.refresh()
    return actions
