"""The Plots dock: rules over time, decisions per rule, progress (gui/plot_charts.py draws them),
each exportable as a PNG image.

The report is read off the GUI thread (a Task on its own Workspace, gui/background.py) and only
while the dock shows: a Change marks it stale, and it is read again once the analyst has paused
for a moment (each new change restarts the wait), so a run of key presses never waits on it.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.gui.background import IsCancelled, Progress, Task
from annotator.gui.keymap import BY_ID
from annotator.gui.plot_charts import MOST_POINTS, ProgressCharts, RuleBars, RulesOverTime
from annotator.workspace import ProgressReport, Workspace

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

IDLE_MS = 1200  # read again once no change came for this long
TABS = ("Rules over time", "Rules", "Progress")
PNG_FILTER = "PNG images (*.png)"


class PlotsPanel(QWidget):
    """The dock's content: three tabs of charts, a line saying what they show, Refresh and
    Export."""

    refreshed = Signal()  # a new report is drawn
    exported = Signal(str)  # the PNG written

    def __init__(self, location: str, annotator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.location, self.annotator = location, annotator
        self.over_time = RulesOverTime()
        self.rule_bars = RuleBars()
        self.progress = ProgressCharts()
        self.tabs = QTabWidget()
        charts: tuple[QWidget, ...] = (self.over_time, self.rule_bars, self.progress)
        for title, chart in zip(TABS, charts, strict=True):
            self.tabs.addTab(chart, title)
        self.note = QLabel("Not read yet")
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Read the counts again now")
        self.export_button = QPushButton("Export &PNG…")
        self.refresh_button.clicked.connect(self.refresh)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.refresh_button)
        row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.tabs, 1)
        self.report: ProgressReport | None = None
        self._drawn: dict[QWidget, ProgressReport] = {}  # the report each chart shows
        self.tabs.currentChanged.connect(lambda _index: self._draw_current())
        self.stale = True
        self.task: Task | None = None
        self._again = False  # a change came while a read ran
        self.dialog: QFileDialog | None = None
        self.folder = str(Path.home())
        self.timer = QTimer(self, singleShot=True, interval=IDLE_MS)
        self.timer.timeout.connect(self.refresh)

    # -- reading ---------------------------------------------------------------------

    def changed(self) -> None:
        """The database changed: read again after a pause, if the charts show."""
        self.stale = True
        if self.isVisible():
            self.timer.start()  # restarted by every change: typing never waits on a read

    def shown(self, visible: bool) -> None:
        if visible and self.stale:
            self.timer.start(0)

    def refresh(self) -> None:
        """Read the report in the background (again when one is being read)."""
        self.timer.stop()
        if self.task is not None:
            self._again = True
            return
        self._again = False
        self.note.setText("Reading…")
        location, annotator = self.location, self.annotator

        def work(_progress: Progress, _cancelled: IsCancelled) -> ProgressReport:
            with Workspace.open(location, annotator=annotator) as workspace:
                return workspace.progress_report(most_points=MOST_POINTS)

        self.task = Task(work, self)
        self.task.finished.connect(self._read)
        self.stale = False
        self.task.start()

    def _read(self, outcome: object) -> None:
        self.task = None
        if isinstance(outcome, ProgressReport):
            self.show_report(outcome)
        elif outcome is not None:
            self.note.setText(f"Cannot read the counts: {outcome}")
            self.stale = True
        if self._again or (self.stale and self.isVisible()):
            self.timer.start()

    def show_report(self, report: ProgressReport) -> None:
        """Draw the report in the chart shown; the others when their tab is chosen (drawing all
        three doubled what a refresh costs the GUI thread)."""
        self.report = report
        self._draw_current()
        documents = report.documents
        self.note.setText(
            f"{report.decisions:,} decisions · {len(report.timelines)} rules decided · "
            f"{documents.done} of {documents.total} documents done · read at "
            f"{report.at.astimezone().strftime('%H:%M:%S')}"
        )
        self.refreshed.emit()

    def _draw_current(self) -> None:
        chart = self.tabs.currentWidget()
        if self.report is None or self._drawn.get(chart) is self.report:
            return
        assert isinstance(chart, RulesOverTime | RuleBars | ProgressCharts)
        chart.show_report(self.report)
        self._drawn[chart] = self.report

    def stop(self) -> None:
        """Wait for a read under way (the window is closing)."""
        self.timer.stop()
        if self.task is not None:
            self.task.stop_and_wait()

    # -- export ----------------------------------------------------------------------

    def current_view(self) -> QWidget:
        chart = self.tabs.currentWidget()
        assert isinstance(chart, RulesOverTime | RuleBars | ProgressCharts)
        return chart.export_view

    def ask_export(self) -> None:
        """A save dialog for the current chart's PNG."""
        name = TABS[self.tabs.currentIndex()].lower().replace(" ", "-")
        stamp = datetime.now().strftime("%Y-%m-%d")
        dialog = QFileDialog(self, "Export plot as PNG", str(Path(self.folder) / f"{name}-{stamp}"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(PNG_FILTER)
        dialog.setDefaultSuffix("png")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # the same on every desktop
        dialog.fileSelected.connect(self._export_chosen)
        dialog.finished.connect(lambda _result: QTimer.singleShot(0, self._refocus))
        self.dialog = dialog
        dialog.open()

    def _refocus(self) -> None:
        # Back where Ctrl+S was pressed: the next export is one key away.
        self.window().activateWindow()
        self.tabs.setFocus()

    def _export_chosen(self, path: str) -> None:
        problem = self.export_png(Path(path))
        if problem:
            self.note.setText(problem)

    def export_png(self, path: Path) -> str | None:
        """Write the current chart as a PNG (the size it has on screen); the problem, if any."""
        path = path.expanduser()
        if path.suffix.lower() != ".png":
            path = path.with_name(path.name + ".png")
        if not path.parent.is_dir():
            return f"{path}: cannot export, folder {path.parent} does not exist"
        if not self.current_view().grab().save(str(path), "PNG"):
            return f"{path}: cannot write the image (permissions, or the disk is full?)"
        self.folder = str(path.parent)
        self.note.setText(f"Exported {path}")
        self.exported.emit(str(path))
        return None


class _CloseWatch(QObject):
    """Waits for a read under way when the window closes (its thread must end first)."""

    def __init__(self, panel: PlotsPanel, window: QObject) -> None:
        super().__init__(panel)
        self.panel = panel
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt's name
        if event.type() == QEvent.Type.Close:
            self.panel.stop()
        return False


class Plots:
    """The dock, its panel and its two actions; owned by the window (``install_plots``)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.panel = PlotsPanel(window.workspace.location, window.workspace.annotator)
        self.dock = QDockWidget("Plots", window)
        self.dock.setObjectName("dock-plots")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()  # until asked for (or the saved layout shows it)
        self.dock.visibilityChanged.connect(self.panel.shown)
        self.actions: dict[str, QAction] = {}
        show = self._action("show_plots", self.show, Qt.ShortcutContext.WindowShortcut, window)
        export = self._action(
            "export_plot", self.panel.ask_export, Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        self.dock.addAction(export)  # Ctrl+S only where the charts are
        self.panel.export_button.clicked.connect(export.trigger)
        view = window.menus["View"]
        view.addSeparator()
        view.addAction(show)
        view.addAction(self.dock.toggleViewAction())
        self._close_watch = _CloseWatch(self.panel, window)

    def _action(
        self,
        action_id: str,
        run: object,
        context: Qt.ShortcutContext,
        owner: QWidget | None = None,
    ) -> QAction:
        entry = BY_ID[action_id]
        action = QAction(entry.title, self.window)
        action.setObjectName(f"action-{entry.id}")
        action.setShortcuts([QKeySequence(k) for k in entry.keys])
        action.setShortcutContext(context)
        assert callable(run)
        action.triggered.connect(lambda _checked=False: run())
        if owner is not None:
            owner.addAction(action)
        self.actions[action_id] = action
        return action

    def show(self) -> None:
        first = self.dock.isHidden() and not self.dock.isFloating()
        self.dock.show()
        if first and self.dock.height() < 320:
            QTimer.singleShot(
                0, lambda: self.window.resizeDocks([self.dock], [360], Qt.Orientation.Vertical)
            )
        self.dock.raise_()
        self.panel.tabs.setFocus()  # Ctrl+S exports from here

    def changed(self, _change: object = None) -> None:
        self.panel.changed()


def install_plots(window: MainWindow) -> Plots:
    """The Plots dock (hidden until Ctrl+Shift+G), its View-menu entries and keys; it follows
    every Change the window applies and every batch of suggestions shown."""
    plots = Plots(window)
    window.docks["plots"] = plots.dock
    for action_id, action in plots.actions.items():
        window.actions_by_id[action_id] = action
    window.apply_bindings(window.bindings)
    window.changeApplied.connect(plots.changed)
    window.suggestionsShown.connect(plots.changed)
    return plots
