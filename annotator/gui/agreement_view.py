"""Team > Agreement…: the annotators' agreement table, the pair matrix and the disagreements.

A window of its own (not modal): the labels and annotators to compare (empty: all), Compute, the
table (per label and overall, per pair and for all), the pair matrix (overall exact F1 / Cohen's
kappa), the disagreements as KWIC lines (Enter opens the document at the range) and Export CSV….
Every part has an Alt key (the underlined letters); Esc closes.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement import (
    TABLE_HEADER,
    AgreementReport,
    Disagreement,
    disagreement_labels,
    matrix_rows,
    table_rows,
)
from annotator.gui.background import IsCancelled, Progress, Task
from annotator.gui.tables import KeyTableView, RowTableModel
from annotator.workspace import Workspace

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

TEAM_MENU = "Team"
SHOWN_DISAGREEMENTS = 5000  # lines listed; the CLI and the count tell the rest


class _TextRows(RowTableModel[tuple[str, ...]]):
    """Rows of text cells under given headers."""

    def __init__(
        self, headers: tuple[str, ...], figures: range, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.headers = headers
        self.figures = figures  # the columns of figures, aligned right

    def cell(self, row: tuple[str, ...], column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return row[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.figures:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class _DisagreementRows(RowTableModel[Disagreement]):
    headers = ("document", "labels", "left", "text", "right")

    def cell(self, row: Disagreement, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                f"#{row.document_id} {row.title}",
                disagreement_labels(row),
                row.left,
                row.text,
                row.right,
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and column == 3:
            font = QFont()  # made here: a QFont wants the application to exist
            font.setBold(True)
            return font
        return None


class AgreementDialog(QDialog):
    """The agreement report on screen; ``disagreementActivated`` asks to open a range."""

    disagreementActivated = Signal(int, int, int)  # document id, start, end

    def __init__(
        self, workspace_of: Callable[[], Workspace], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Agreement between annotators")
        # The window's workspace when Compute is pressed (File > Open database may change it).
        self._workspace_of = workspace_of
        self.report: AgreementReport | None = None
        self.task: Task | None = None
        self._again = False
        self.labels_edit = QLineEdit(self)
        self.labels_edit.setPlaceholderText("all labels used (or: PERSON, ORG)")
        self.annotators_edit = QLineEdit(self)
        self.annotators_edit.setPlaceholderText("everyone with assignments (or: ana, budi)")
        self.compute_button = QPushButton("&Compute", self)
        self.compute_button.setAutoDefault(False)
        self.compute_button.clicked.connect(self.compute)
        for edit in (self.labels_edit, self.annotators_edit):
            edit.returnPressed.connect(self.compute)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)

        self.table_model = _TextRows(TABLE_HEADER, range(2, len(TABLE_HEADER) - 1), self)
        self.table = KeyTableView(self)
        self.table.setModel(self.table_model)
        self.matrix_model = _TextRows(("",), range(1, 1000), self)
        self.matrix = KeyTableView(self)
        self.matrix.setModel(self.matrix_model)
        self.disagreement_model = _DisagreementRows(self)
        self.disagreements = KeyTableView(self)
        self.disagreements.setModel(self.disagreement_model)
        self.disagreements.rowActivated.connect(self._open_row)
        self.export_button = QPushButton("&Export CSV…", self)
        self.export_button.setAutoDefault(False)
        self.export_button.clicked.connect(self._ask_export)
        close_button = QPushButton("Close", self)
        close_button.setAutoDefault(False)
        close_button.clicked.connect(self.close)

        form = QGridLayout()
        for row, (text, edit) in enumerate(
            (("&Labels:", self.labels_edit), ("A&nnotators:", self.annotators_edit))
        ):
            label = QLabel(text, self)
            label.setBuddy(edit)
            form.addWidget(label, row, 0)
            form.addWidget(edit, row, 1)
        form.addWidget(self.compute_button, 0, 2, 2, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        for title, view in (
            ("&Table (per label and pair; n/a: undefined)", self.table),
            ("Pair &matrix (overall exact F1 / Cohen kappa)", self.matrix),
            ("&Disagreements (Enter opens the document at the range)", self.disagreements),
        ):
            splitter.addWidget(_titled(title, view, self))
        splitter.setSizes([300, 120, 260])
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Esc"), self, self.close)
        self.setTabOrder(self.labels_edit, self.annotators_edit)
        self.setTabOrder(self.annotators_edit, self.compute_button)
        self.setTabOrder(self.compute_button, self.table)
        self.setTabOrder(self.table, self.matrix)
        self.setTabOrder(self.matrix, self.disagreements)
        self.setTabOrder(self.disagreements, self.export_button)
        self.resize(1100, 760)

    def compute(self) -> None:
        """Read the layers and work the figures out off the GUI thread (a big corpus takes
        seconds), on a connection of the task's own; then show the report or why there is none."""
        if self.task is not None:
            self._again = True  # the filters changed while computing: once more afterwards
            return
        self._again = False
        labels = _names(self.labels_edit.text())
        annotators = _names(self.annotators_edit.text())
        workspace = self._workspace_of()
        location, annotator = workspace.location, workspace.annotator

        def work(_progress: Progress, _cancelled: IsCancelled) -> AgreementReport:
            with Workspace.open(location, annotator=annotator) as opened:
                return opened.agreement(labels=labels, annotators=annotators)

        self.status.setText("Computing…")
        self.task = Task(work, self)
        self.task.finished.connect(self._computed)
        self.task.start()

    def computing(self) -> bool:
        return self.task is not None

    def _computed(self, outcome: object) -> None:
        self.task = None
        if isinstance(outcome, AgreementReport):
            self.show_report(outcome)
        else:
            self.show_report(None)
            self.status.setText(str(outcome) if outcome is not None else "Stopped.")
        if self._again:
            self.compute()

    def stop(self) -> None:
        """Wait for a computation under way (the window is closing)."""
        if self.task is not None:
            self.task.stop_and_wait()

    def show_report(self, report: AgreementReport | None) -> None:
        self.report = report
        self.export_button.setEnabled(report is not None)
        if report is None:
            for model in (self.table_model, self.matrix_model, self.disagreement_model):
                model.set_rows([])
            return
        self.table_model.set_rows(table_rows(report))
        matrix = matrix_rows(report)
        self.matrix_model.headers = matrix[0]
        self.matrix_model.set_rows(matrix[1:])
        self.disagreement_model.set_rows(report.disagreements[:SHOWN_DISAGREEMENTS])
        self.table.fit_columns(len(TABLE_HEADER) - 1, range(len(TABLE_HEADER) - 1))
        self.disagreements.fit_columns(4, (0, 1, 2, 3), keep_visible=(0, 1, 2, 3))
        shown = min(len(report.disagreements), SHOWN_DISAGREEMENTS)
        self.status.setText(
            f"{len(report.annotators)} annotators ({', '.join(report.annotators)}), "
            f"{report.documents} documents shared by at least two; "
            f"{len(report.disagreements)} disagreements"
            + (f" (the first {shown} listed)" if shown < len(report.disagreements) else "")
        )
        if self.disagreement_model.rowCount():
            self.disagreements.setCurrentIndex(self.disagreement_model.index(0, 0))

    def export_csv(self, path: Path) -> None:
        """Write the table as CSV (a row per label and pair, the overall rows too)."""
        if self.report is None:
            return
        try:
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(TABLE_HEADER)
                writer.writerows(table_rows(self.report))
        except OSError as error:
            self.status.setText(f"Cannot write {path}: {error.strerror}")
            return
        self.status.setText(f"Wrote the table to {path}")

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export the agreement table", "agreement.csv", "CSV (*.csv)"
        )
        if path:
            self.export_csv(Path(path))

    def _open_row(self, row: int) -> None:
        item = self.disagreement_model.row_at(row)
        self.disagreementActivated.emit(item.document_id, item.start, item.end)


def _titled(title: str, view: KeyTableView, parent: QWidget) -> QWidget:
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 4, 0, 0)
    label = QLabel(title, box)
    label.setBuddy(view)
    layout.addWidget(label)
    layout.addWidget(view, 1)
    return box


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.replace(";", ",").split(",") if name.strip()]


def team_menu(window: MainWindow) -> QMenu:
    """The window's Team menu, made (before Help) by whichever team feature comes first."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and menu.title().replace("&", "") == TEAM_MENU:
            return menu
    menu = QMenu(f"&{TEAM_MENU}", window)
    help_menu = window.menus.get("Help")
    if help_menu is not None:
        window.menuBar().insertMenu(help_menu.menuAction(), menu)
    else:
        window.menuBar().addMenu(menu)
    window.menus.setdefault(TEAM_MENU, menu)
    return menu


class AgreementWindow(QObject):
    """Team > Agreement…: one dialog, kept between openings."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.installEventFilter(self)  # its Close waits for a computation under way
        self.dialog: AgreementDialog | None = None
        self.action = team_menu(window).addAction("&Agreement…")
        self.action.setObjectName("action-agreement")
        self.action.setToolTip("How far the annotators' own layers agree; open the differences")
        self.action.triggered.connect(self.show)

    def show(self) -> AgreementDialog:
        if self.dialog is None:
            self.dialog = AgreementDialog(lambda: self.window.workspace, self.window)
            self.dialog.disagreementActivated.connect(self._open)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.dialog.compute()
        self.dialog.disagreements.setFocus()
        # Again once the window manager has activated the dialog.
        QTimer.singleShot(0, self.dialog.disagreements.setFocus)
        return self.dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close and self.dialog:
            self.dialog.stop()
        return False

    def _open(self, doc_id: int, start: int, end: int) -> None:
        window = self.window
        window.open_document(doc_id)
        window.view.select_offsets(start, end)
        window.activateWindow()
        window.view.setFocus()


def install_agreement(window: MainWindow) -> AgreementWindow:
    return AgreementWindow(window)
