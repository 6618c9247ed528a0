"""Propose a rule fix from the analyst's last correction in the open document: the candidate
rule edits (an exception, a narrower pattern, a forbidden context word, a lower priority, the
term moved to the corrected label), each shown with its corpus diff. Up/Down picks one, Enter
saves it (one undo step), Esc closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QSplitter,
    QVBoxLayout,
)

from annotator.core.errors import AnnotatorError
from annotator.gui.background import IsCancelled, Progress
from annotator.gui.rule_diff_view import CorpusDiffPanel, DiffWork
from annotator.workspace import CorpusDiff, RuleFix, Workspace

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


def fix_work(fix: RuleFix) -> DiffWork:
    """The corpus diff of saving ``fix`` over the current rules."""

    def work(workspace: Workspace, progress: Progress, cancelled: IsCancelled) -> CorpusDiff:
        rules = workspace.rules()
        return workspace.corpus_diff(
            rules, fix.applied_to(rules), progress=progress, cancelled=cancelled
        )

    return work


class RuleFixDialog(QDialog):
    """The candidates on the left, the picked one's corpus diff on the right."""

    def __init__(self, window: MainWindow, fixes: list[RuleFix], what: str) -> None:
        super().__init__(window)
        self.fixes = fixes
        self.setWindowTitle("Propose a rule fix")
        self.resize(1200, 560)
        head = QLabel(
            f"{what}<br>Rule changes that would have avoided it: <b>Up/Down</b> picks one and "
            "shows what it changes in the corpus, <b>Enter</b> saves it (Ctrl+Z undoes), "
            "<b>Esc</b> closes."
        )
        head.setWordWrap(True)
        self.choices = QListWidget()
        self.choices.setWordWrap(True)
        self.choices.addItems([f"{fix.kind.value}: {fix.description}" for fix in fixes])
        self.panel = CorpusDiffPanel(window.workspace.location, window.workspace.annotator, self)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.choices)
        split.addWidget(self.panel)
        split.setSizes([430, 770])
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            "Save this fix", QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.choices.currentRowChanged.connect(self._picked)
        self.choices.setCurrentRow(0)
        self.choices.setFocus()

    def done(self, result: int) -> None:
        self.panel.stop()  # its thread ends before the dialog does (a cancel is seen within ~0.1 s)
        super().done(result)

    def chosen(self) -> RuleFix:
        return self.fixes[max(self.choices.currentRow(), 0)]

    def _picked(self, row: int) -> None:
        if 0 <= row < len(self.fixes):
            self.panel.compute(fix_work(self.fixes[row]))


def propose_rule_fix(window: MainWindow) -> RuleFixDialog | None:
    """The window's "Propose a rule fix…": for the selected span when a correction made it, else
    the open document's last rejected or corrected suggestion; the fix picked is saved as one
    undo step."""
    workspace = window.workspace
    if window.doc is None or window.doc.id is None:
        window.notify("Open a document first")
        return None
    selected = window.view.selected  # a span made by a correction speaks for itself
    suggestion_id = (
        workspace.correction_behind(selected.id)
        if selected is not None and selected.kind == "span"
        else None
    ) or workspace.last_correction(window.doc.id)
    if suggestion_id is None:
        window.notify("Reject or correct a suggestion first: the fixes are proposed from it")
        return None
    try:
        fixes = workspace.rule_fixes(suggestion_id)
    except AnnotatorError as exc:
        window.notify(str(exc))
        return None
    if not fixes:
        window.notify("No rule change found that would have avoided that correction")
        return None
    what = _what_was_done(workspace, window.doc.id, suggestion_id)
    dialog = RuleFixDialog(window, fixes, what)
    dialog.accepted.connect(lambda: _save(window, dialog.chosen()))
    dialog.finished.connect(lambda _result: QTimer.singleShot(0, lambda: _back(window)))
    dialog.open()
    return dialog


def _what_was_done(workspace: Workspace, doc_id: int, suggestion_id: int) -> str:
    decided = workspace.suggestions(doc_id, states=("rejected", "corrected"))
    suggestion = next((s for _, s in decided if s.id == suggestion_id), None)
    if suggestion is None:
        return "Your last correction."
    done = "rejected" if suggestion.state == "rejected" else "corrected"
    return (
        f"You {done} <b>{suggestion.label}</b> ‘{suggestion.text}’ suggested by "
        f"<b>{suggestion.rule}</b>."
    )


def _save(window: MainWindow, fix: RuleFix) -> None:
    try:
        change = window.workspace.apply_rule_fix(fix)
    except AnnotatorError as exc:
        window.notify(str(exc))
        return
    window.apply_change(change)
    window.notify(f"Saved: {fix.description} (Ctrl+Z undoes it)")


def _back(window: MainWindow) -> None:
    window.activateWindow()
    window.view.setFocus()


__all__ = ["RuleFixDialog", "propose_rule_fix"]
