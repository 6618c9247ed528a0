"""The "Rule proposals" dock: rules induced from the documents marked done, ready to accept.

Each line shows a proposal's kind, label and summary, its precision and hits on the done
documents and its number of matches on the whole corpus. They are computed in the background
(gui/background.Task, on a workspace of its own) with a progress bar. Keys on the list: Enter
accepts the selected proposal (its rule is saved, one undo step, and the window applies the
Change, so the open document's suggestions are made again), X or Delete turns it down
(remembered as a switched-off rule), E or a double click saves it switched off and opens it in
the rule editor, to edit and switch on there. Beside the list, the selected proposal's corpus
diff (gui/rule_diff_view.py): what accepting it would add, take away or change in every
document's suggestions, computed in the background a moment after the selection settles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.gui.background import IsCancelled, Progress, Task
from annotator.gui.rule_diff_view import CorpusDiffPanel, edit_work
from annotator.workspace import Change, RuleProposal, Workspace

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

COLUMNS = ("Kind", "Label", "Proposal", "Precision", "Hits (done)", "Matches (done)", "Corpus")
Index = QModelIndex | QPersistentModelIndex


class ProposalModel(QAbstractTableModel):
    """The proposals, one a row, in the order the induction ranked them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RuleProposal] = []

    def set_rows(self, rows: list[RuleProposal]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def remove(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.rows[row]
        self.endRemoveRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        p = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                str(p.kind),
                p.rule.label,
                p.summary,
                f"{p.proposal.precision:.0%}",
                p.proposal.hits,
                p.proposal.matches,
                p.corpus_matches,
            )[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{p.rule.name} ({p.rule.kind} rule, priority {p.rule.priority})\n"
                f"{p.proposal.hits} of {p.proposal.matches} matches on the done documents are "
                f"spans; {p.proposal.new_hits} of them the rules did not propose yet.\n"
                "Enter: accept · X: turn down · E: edit in the rule editor"
            )
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class ProposalTable(QTableView):
    """The list; its keys act on the selected proposal (the article's keys are elsewhere)."""

    acceptPressed = Signal()
    turnDownPressed = Signal()
    editPressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods == Qt.KeyboardModifier.NoModifier:
            signal = {
                Qt.Key.Key_Return: self.acceptPressed,
                Qt.Key.Key_Enter: self.acceptPressed,
                Qt.Key.Key_X: self.turnDownPressed,
                Qt.Key.Key_Delete: self.turnDownPressed,
                Qt.Key.Key_E: self.editPressed,
            }.get(Qt.Key(key))
            if signal is not None:
                signal.emit()
                event.accept()
                return
        super().keyPressEvent(event)


class RuleProposals(QWidget):
    """The dock's contents: the state line, a progress bar, Refresh, and the list."""

    computed = Signal()  # a computation ended (with proposals, an error, or cancelled)

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window_ = window
        self.task: Task | None = None
        self.state = QLabel("Rules learned from the documents marked done.")
        self.state.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Compute the proposals again from the done documents")
        self.refresh_button.clicked.connect(self.refresh)
        self.model = ProposalModel(self)
        self.table = ProposalTable()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.acceptPressed.connect(self.accept_selected)
        self.table.turnDownPressed.connect(self.turn_down_selected)
        self.table.editPressed.connect(self.edit_selected)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        top = QHBoxLayout()
        top.addWidget(self.state, 1)
        top.addWidget(self.progress)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        workspace = window.workspace
        self.diff = CorpusDiffPanel(workspace.location, workspace.annotator, self)
        # The diff follows the selection once it settles (arrows through the list start nothing).
        self._diff_timer = QTimer(self, singleShot=True, interval=250)
        self._diff_timer.timeout.connect(self.show_selected_diff)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._diff_timer.start())
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.diff)
        split.setSizes([560, 640])
        layout.addWidget(split, 1)
        keys = QLabel("Enter accept · X turn down · E edit in the rule editor")
        keys.setStyleSheet("color: gray")
        layout.addWidget(keys)

    # -- computing -------------------------------------------------------------------

    def refresh(self) -> None:
        """Compute the proposals in the background (a running computation goes on)."""
        if self.task is not None:
            return
        workspace = self.window_.workspace
        self.task = proposals_task(workspace.location, workspace.annotator, self)
        self.task.progressed.connect(self._progressed)
        self.task.finished.connect(self._done)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.refresh_button.setEnabled(False)
        self.state.setText("Learning from the documents marked done…")
        self.task.start()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _done(self, outcome: object) -> None:
        if self.task is not None:
            self.task.deleteLater()
            self.task = None
        self.progress.hide()
        self.refresh_button.setEnabled(True)
        if isinstance(outcome, list):
            self.model.set_rows(outcome)
            self.state.setText(
                f"{len(outcome)} rule proposals from the documents marked done"
                if outcome
                else "No rule proposals: mark finished documents done (Ctrl+Enter) first"
            )
            if outcome:
                self.table.selectRow(0)
        else:
            self.state.setText(f"Stopped: {outcome}" if outcome else "Cancelled")
        self.computed.emit()

    def stop(self) -> None:
        if self.task is not None:
            self.task.stop_and_wait()
        self._diff_timer.stop()
        self.diff.stop()

    def show_selected_diff(self) -> None:
        """The corpus diff of accepting the selected proposal (a rule new to the database, or
        more terms for one accepted before)."""
        row = self.selected_row()
        if row < 0:
            return
        # Saved under its own name: it replaces the rule of that name, if any (more terms for a
        # term list accepted before), or is simply added; the thread's workspace reads which.
        self.diff.compute(edit_work(self.model.rows[row].rule, None))

    # -- acting on the selected proposal ---------------------------------------------------

    def selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def accept_selected(self) -> None:
        self._act(
            lambda ws, p: ws.accept_rule_proposal(p),
            "Accepted {name}: it suggests from now on",
        )

    def turn_down_selected(self) -> None:
        self._act(
            lambda ws, p: ws.turn_down_rule_proposal(p),
            "Turned down {name}: it is not proposed again (kept switched off)",
        )

    def edit_selected(self) -> None:
        row = self.selected_row()
        if row < 0:
            return
        proposal = self.model.rows[row]
        name = proposal.rule.name
        workspace = self.window_.workspace
        exists = name in {r.name for r in workspace.rules()}
        # The editor edits stored rules: a new proposal is stored switched off first (so it
        # suggests nothing until the analyst switches it on there); more terms for a rule
        # accepted before are added to it.
        rule = proposal.rule if exists else proposal.rule.edited(enabled=False, version=1)
        try:
            change = workspace.save_rule(rule)
        except AnnotatorError as exc:
            self.window_.notify(str(exc))
            return
        self._after(row, change, f"{name} is in the rule editor, switched off: edit, switch on")
        actions = self.window_.rule_actions
        actions.show_editor()
        actions.editor.select_rule(name)

    def _act(self, do: Any, message: str) -> None:
        row = self.selected_row()
        if row < 0:
            self.window_.notify("Select a rule proposal first")
            return
        proposal = self.model.rows[row]
        try:
            change = do(self.window_.workspace, proposal)
        except AnnotatorError as exc:
            self.window_.notify(str(exc))
            return
        self._after(row, change, message.format(name=proposal.rule.name))

    def _after(self, row: int, change: Change, message: str) -> None:
        self.model.remove(row)
        if self.model.rows:
            self.table.selectRow(min(row, len(self.model.rows) - 1))
        self.window_.apply_change(change)
        self.window_.rule_actions.editor.refresh()
        self.window_.notify(message)


def proposals_task(location: str, annotator: str, parent: QObject) -> Task:
    """The proposals as a Task on its own Workspace (an SQLite connection is one thread's)."""

    def work(progress: Progress, cancelled: IsCancelled) -> list[RuleProposal]:
        with Workspace.open(location, annotator=annotator) as workspace:
            return workspace.rule_proposals(progress=progress, cancelled=cancelled)

    return Task(work, parent)


class RuleProposalsDock(QObject):
    """The dock, shown (and its proposals computed) by the Rules menu's action."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.widget = RuleProposals(window)
        self.dock = QDockWidget("Rule proposals", window)
        self.dock.setObjectName("dock-rule-proposals")
        self.dock.setWidget(self.widget)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        if not window.restoreDockWidget(self.dock):
            self.dock.hide()
        window.installEventFilter(self)

    def show_proposals(self) -> None:
        """Show the dock, compute the proposals again, and put the keys on the list."""
        self.dock.show()
        self.dock.raise_()
        self.widget.refresh()
        self.widget.table.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.widget.stop()  # no thread may outlive the window
        return False


def install_rule_proposals(window: MainWindow) -> RuleProposalsDock:
    """The "Rule proposals" dock (hidden until asked for) in the window's docks."""
    proposals = RuleProposalsDock(window)
    window.docks["proposals"] = proposals.dock
    return proposals
