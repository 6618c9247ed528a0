"""The corpus diff of a rule edit on screen: computed in the background (progress, cancel), shown
as totals, per-document counts and KWIC lines (appear / disappear / change, filterable), with
the warning about the analyst's accepted work it would take away.

``CorpusDiffPanel`` is the widget (the rule-fix proposals show it too); ``RuleDiffDialog`` asks
before a Save in the rule editor: Enter saves, Esc goes back to editing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.background import IsCancelled, Progress, Task
from annotator.gui.tables import RowTableModel
from annotator.workspace import (
    CorpusDiff,
    DiffKind,
    DiffLine,
    DocumentDiffCount,
    Rule,
    Workspace,
)

if TYPE_CHECKING:
    from annotator.gui.rule_editor import RuleEditor

Index = QModelIndex | QPersistentModelIndex
DiffWork = Callable[[Workspace, Progress, IsCancelled], CorpusDiff]
SIGNS = {DiffKind.APPEAR: "+", DiffKind.DISAPPEAR: "−", DiffKind.CHANGE: "~"}
KIND_FILTERS = [
    ("All changes", None),
    ("+ Appear", DiffKind.APPEAR),
    ("− Disappear", DiffKind.DISAPPEAR),
    ("~ Change", DiffKind.CHANGE),
    ("Accepted work at risk", "accepted"),
]
AT_RISK = QColor("#b3261e")
CONTEXT_WIDTH = 250  # pixels, at most, of left or right context


class DiffLinesModel(RowTableModel[DiffLine]):
    """The KWIC lines, filtered by kind, document and text (the view draws only what shows:
    20,000 lines)."""

    headers = ("", "Left", "Match", "Right", "Label", "Rule", "Was", "Document")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: tuple[DiffLine, ...] = ()
        self._kind: object = None
        self._document: int | None = None
        self._text = ""

    def set_lines(self, lines: Sequence[DiffLine]) -> None:
        self._all = tuple(lines)
        self._refilter()

    def set_filter(
        self, *, kind: object = ..., document: int | None | Any = ..., text: str | None = None
    ) -> None:
        if kind is not ...:
            self._kind = kind
        if document is not ...:
            self._document = document
        if text is not None:
            self._text = text.casefold()
        self._refilter()

    def _keep(self, line: DiffLine) -> bool:
        if self._kind == "accepted" and not line.accepted:
            return False
        if isinstance(self._kind, DiffKind) and line.kind != self._kind:
            return False
        if self._document is not None and line.document_id != self._document:
            return False
        if self._text:
            hay = f"{line.left}{line.match}{line.right} {line.label} {line.rule} {line.title}"
            return self._text in hay.casefold()
        return True

    def _refilter(self) -> None:
        self.set_rows([line for line in self._all if self._keep(line)])

    def line(self, row: int) -> DiffLine:
        return self.row_at(row)

    def cell(self, line: DiffLine, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text_of(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and line.accepted:
            return AT_RISK
        if role == Qt.ItemDataRole.ToolTipRole:
            why = f"{line.kind.value}: {line.label} by {line.rule} {line.was}".strip()
            return why + ("\nAccepted by the analyst: it would lose its rule" * line.accepted)
        return None

    @staticmethod
    def _text_of(line: DiffLine, column: int) -> str:
        cells = (
            SIGNS[line.kind] + (" !" if line.accepted else ""),
            line.left,
            line.match,
            line.right,
            line.label,
            line.rule,
            line.was,
            line.title,
        )
        return cells[column]


class DocumentCountsModel(RowTableModel[DocumentDiffCount]):
    """Per document: how many suggestions appear, disappear, change, and accepted ones at risk."""

    headers = ("Document", "+", "−", "~", "Accepted")

    def set_diff(self, diff: CorpusDiff) -> None:
        self.set_rows(diff.documents)

    def document_id(self, row: int) -> int:
        return self.row_at(row).document_id

    def cell(self, row: DocumentDiffCount, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            value = (row.title, row.appear, row.disappear, row.change, row.accepted)[column]
            return value if isinstance(value, str) else (str(value) if value else "")
        if role == Qt.ItemDataRole.ForegroundRole and row.accepted and column == 4:
            return AT_RISK
        return None


def _table(model: QAbstractTableModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 6)
    view.setWordWrap(False)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    return view


class CorpusDiffPanel(QWidget):
    """Totals, the warning, per-document counts and the KWIC lines of one corpus diff."""

    ready = Signal(object)  # the CorpusDiff, once computed

    def __init__(self, location: str, annotator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.location, self.annotator = location, annotator
        self.task: Task | None = None
        self.diff: CorpusDiff | None = None
        self.lines = DiffLinesModel(self)
        self.counts = DocumentCountsModel(self)
        self.progress = QProgressBar()
        self.progress.setFormat("Reading the corpus… %v of %m documents")
        self.summary = QLabel()
        self.warning = QLabel()
        self.warning.setStyleSheet(f"color: {AT_RISK.name()}; font-weight: bold")
        self.warning.hide()
        self.kinds = QComboBox()
        for text, _ in KIND_FILTERS:
            self.kinds.addItem(text)
        self.kinds.currentIndexChanged.connect(
            lambda i: self.lines.set_filter(kind=KIND_FILTERS[i][1])
        )
        self.filter_text = QLineEdit(placeholderText="Filter lines: text, label, rule, document…")
        self.filter_text.setClearButtonEnabled(True)
        self.filter_text.textChanged.connect(lambda text: self.lines.set_filter(text=text))
        self.lines_view = _table(self.lines)
        self.counts_view = _table(self.counts)
        header = self.counts_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.counts_view.selectionModel().currentRowChanged.connect(self._document_picked)
        self.lines_view.horizontalHeader().setStretchLastSection(True)
        filters = QHBoxLayout()
        filters.addWidget(self.kinds)
        filters.addWidget(self.filter_text, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.counts_view)
        split.addWidget(self.lines_view)
        split.setSizes([320, 680])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.progress, self.summary, self.warning):
            layout.addWidget(widget)
        layout.addLayout(filters)
        layout.addWidget(split, 1)

    def compute(self, work: DiffWork) -> None:
        """Start ``work`` on a workspace of its own, in the background (a previous run stops)."""
        self.stop()
        self.diff = None
        self.summary.setText("Comparing the suggestions before and after the edit…")
        self.warning.hide()
        self.lines.set_lines(())
        self.counts.set_diff(CorpusDiff())
        self.progress.setRange(0, 0)
        self.progress.show()
        location, annotator = self.location, self.annotator

        def run(progress: Progress, cancelled: IsCancelled) -> CorpusDiff:
            with Workspace.open(location, annotator=annotator) as workspace:
                return work(workspace, progress, cancelled)

        task = self.task = Task(run, self)
        task.progressed.connect(self._progressed)
        task.succeeded.connect(lambda diff, t=task: self._arrived(t, diff))
        task.failed.connect(lambda message, t=task: self._failed(t, message))
        task.start()

    def stop(self) -> None:
        """Cancel a run still going and wait for its thread (the dialog is going away)."""
        if self.task is not None:
            self.task.stop_and_wait()
            self.task = None

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _failed(self, task: Task, message: str) -> None:
        if task is self.task:
            self.progress.hide()
            self.summary.setText(f"The corpus diff failed: {message}")

    def _arrived(self, task: Task, diff: CorpusDiff) -> None:
        if task is not self.task or diff.cancelled:
            return
        self.show_diff(diff)

    def show_diff(self, diff: CorpusDiff) -> None:
        self.diff = diff
        self.progress.hide()
        more = f" (the first {len(diff.lines):,} lines shown)" if diff.truncated else ""
        self.summary.setText(f"{diff.summary()}{more}  [{diff.seconds:.1f} s]")
        warning = diff.warning()
        self.warning.setText(warning or "")
        self.warning.setVisible(warning is not None)
        self.counts.set_diff(diff)
        self.lines.set_lines(diff.lines)
        self.lines_view.resizeColumnsToContents()
        for context in (1, 3):  # room for the match, label and rule on a laptop's screen
            width = self.lines_view.columnWidth(context)
            self.lines_view.setColumnWidth(context, min(width, CONTEXT_WIDTH))
        self.ready.emit(diff)

    def _document_picked(self, current: QModelIndex, previous: QModelIndex) -> None:
        doc = self.counts.document_id(current.row()) if current.isValid() else None
        self.lines.set_filter(document=doc)


def edit_work(rule: Rule, replaces: str | None) -> DiffWork:
    """The corpus diff of saving ``rule`` over the stored rule ``replaces``."""

    def work(workspace: Workspace, progress: Progress, cancelled: IsCancelled) -> CorpusDiff:
        return workspace.rule_edit_diff(
            rule, replaces=replaces, progress=progress, cancelled=cancelled
        )

    return work


class RuleDiffDialog(QDialog):
    """Before a Save: what it changes across the corpus. Enter saves, Esc goes back to editing
    (also while the diff is still being computed: it is then cancelled)."""

    def __init__(
        self, parent: QWidget, workspace: Workspace, rule: Rule, replaces: str | None
    ) -> None:
        super().__init__(parent)
        self.rule = rule
        self.setWindowTitle(f"Save rule {rule.name}? What it changes in the corpus")
        self.resize(1100, 560)
        self.panel = CorpusDiffPanel(workspace.location, workspace.annotator, self)
        head = QLabel(
            f"Saving <b>{rule.name}</b> (version {rule.version}) changes these suggestions. "
            "<b>Enter</b> saves, <b>Esc</b> goes back to editing."
        )
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.back_button = buttons.addButton(
            "Back to editing", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.panel, 1)
        layout.addWidget(buttons)
        self.panel.compute(edit_work(rule, replaces))
        self.panel.lines_view.setFocus()

    def done(self, result: int) -> None:
        self.panel.stop()  # its thread ends before the dialog does (a cancel is seen within ~0.1 s)
        super().done(result)


def ask_before_save(editor: RuleEditor, rule: Rule, replaces: str) -> RuleDiffDialog:
    """The rule editor's Save: the dialog, open (not blocking); accepted, it stores the rule
    (``editor.store``); turned down, the keys go back to the editor."""
    dialog = RuleDiffDialog(editor, editor.workspace, rule, replaces)
    dialog.accepted.connect(lambda: editor.store(rule))
    dialog.rejected.connect(lambda: QTimer.singleShot(0, lambda: _back_to(editor.editor)))
    dialog.open()
    return dialog


def _back_to(widget: QWidget) -> None:
    """The keys back in ``widget`` once the dialog is gone (its window active again)."""
    widget.window().activateWindow()
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
