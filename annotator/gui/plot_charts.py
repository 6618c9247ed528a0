"""The charts of the Plots dock, drawn with pyqtgraph from a ProgressReport: rules over time
(precision and hits per rule against the decisions made), accepted / corrected / rejected per
rule, and progress (documents per status, spans per label, documents over time).

Each chart shows a report it is given and reads nothing itself; ``export_view`` is the widget a
PNG export grabs.
"""

from __future__ import annotations

import os

# pyqtgraph picks its Qt binding on import: ours, whatever else is installed.
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.workspace import ProgressReport, RuleTimeline

pg.setConfigOptions(antialias=True, background="w", foreground="#333333")

# Tableau's ten: told apart by most eyes, and in print.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
ACCEPTED, CORRECTED, REJECTED, PENDING = "#59a14f", "#edc948", "#e15759", "#d3d3d3"
PRECISION_RANGE = (-0.03, 1.06)  # a rule at 100% is drawn clear of the frame
MANUAL, FROM_RULES = "#4e79a7", "#76b7b2"
STATUS_COLOURS = {"new": "#bab0ac", "in progress": "#f28e2b", "done": "#59a14f"}
TOP_RULES = 5  # rules drawn over time until the analyst picks others
# Points per curve at most (the report is read so): a chart is about as wide in pixels, and
# drawing 10,000 points per curve cost the GUI thread a third of a second per refresh.
MOST_POINTS = 600
TOP_BARS = 25  # rules in the bar chart


def _legend(plot: pg.PlotItem, offset: tuple[int, int]) -> pg.LegendItem:
    # See-through white: the curves under it still show.
    return plot.addLegend(offset=offset, labelTextSize="8pt", brush=pg.mkBrush(255, 255, 255, 200))


def _keyed_title(title: str, keys: dict[str, str]) -> str:
    """A title naming each colour (a legend inside the plot would cover bars)."""
    shown = " ".join(
        f'<span style="color:{colour}">\u25a0</span>&nbsp;{name}' for name, colour in keys.items()
    )
    return f"{title} &nbsp; <span style='font-size:8pt'>{shown}</span>"


def _bars(**options: object) -> pg.BarGraphItem:
    return pg.BarGraphItem(pen=pg.mkPen("w", width=0.5), **options)


def _whole_numbers(axis: pg.AxisItem, most: int) -> None:
    """Ticks on whole numbers when counts are small (no "0.2 documents"); automatic above."""
    if most <= 10:
        axis.setTickSpacing(major=1, minor=1)
    else:
        axis.setTickSpacing()


def _name_ticks(axis: pg.AxisItem, names: list[str]) -> None:
    axis.setTicks([[(float(i), name) for i, name in enumerate(names)], []])


class RulesOverTime(QWidget):
    """Precision (top) and hits so far (bottom) of the chosen rules, against the decisions made;
    the rules list beside picks which (the most decided ones until the analyst picks)."""

    chosenChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graphs = pg.GraphicsLayoutWidget()
        self.precision_plot = self.graphs.addPlot(row=0, col=0, title="Precision so far")
        self.hits_plot = self.graphs.addPlot(row=1, col=0, title="Decisions so far (hits)")
        self.hits_plot.setXLink(self.precision_plot)
        self.precision_plot.setYRange(*PRECISION_RANGE, padding=0)
        self.precision_plot.setLimits(yMin=-0.05, yMax=1.1)
        for plot in (self.precision_plot, self.hits_plot):
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.setLabel("bottom", "decision (all rules, in order)")
            plot.getAxis("left").setWidth(56)  # the two plots' x axes line up
        self.legend = _legend(self.precision_plot, (-10, -10))
        self.rules = QListWidget()
        self.rules.setToolTip("Tick the rules to draw; the most decided are drawn until you do")
        self.top = QSpinBox()
        self.top.setRange(1, len(PALETTE))
        self.top.setValue(TOP_RULES)
        self.top.setPrefix("Top ")
        self.top.setToolTip("Draw the rules with most decisions (forgets the ticks)")
        side = QVBoxLayout()
        side.addWidget(QLabel("Rules (decisions, precision)"))
        side.addWidget(self.rules, 1)
        side.addWidget(self.top)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphs, 1)
        layout.addLayout(side)
        self.rules.setMaximumWidth(260)
        self.chosen: list[str] | None = None  # None: the top ones
        self.timelines: dict[str, RuleTimeline] = {}
        # One precision and one hits curve per colour, made once and given new data on each
        # refresh: making pyqtgraph items is most of what a refresh costs the GUI thread.
        self.slots = [
            # Steps ("right": a value holds from its x to the next): a rule's counts change only
            # at its own decisions.
            (
                self.precision_plot.plot(pen=pen, stepMode="right"),
                self.hits_plot.plot(pen=pen, stepMode="right"),
            )
            for pen in (pg.mkPen(colour, width=2) for colour in PALETTE)
        ]
        self.curves: dict[str, tuple[pg.PlotDataItem, pg.PlotDataItem]] = {}
        self._legend_names: list[str] = []
        self.rules.itemChanged.connect(self._ticked)
        self.top.valueChanged.connect(self._top_changed)

    @property
    def export_view(self) -> QWidget:
        return self.graphs

    def show_report(self, report: ProgressReport) -> None:
        self.timelines = {timeline.rule: timeline for timeline in report.timelines}
        if self.chosen is not None:
            self.chosen = [rule for rule in self.chosen if rule in self.timelines]
        self._fill_list()
        self._draw()

    def drawn(self) -> list[str]:
        """The rules drawn, in legend order."""
        if self.chosen is not None:
            return self.chosen[: len(PALETTE)]
        return list(self.timelines)[: self.top.value()]

    def _fill_list(self) -> None:
        drawn = set(self.drawn())
        self.rules.blockSignals(True)
        self.rules.clear()
        for rule, timeline in self.timelines.items():
            precision = timeline.precision or 0.0
            item = QListWidgetItem(f"{rule}  ({timeline.decisions}, {precision:.0%})")
            item.setData(Qt.ItemDataRole.UserRole, rule)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if rule in drawn else Qt.CheckState.Unchecked)
            self.rules.addItem(item)
        self.rules.blockSignals(False)

    def _ticked(self, _item: QListWidgetItem) -> None:
        ticked = []
        for row in range(self.rules.count()):
            item = self.rules.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                ticked.append(str(item.data(Qt.ItemDataRole.UserRole)))
        self.chosen = ticked
        self._draw()
        self.chosenChanged.emit()

    def _top_changed(self, _value: int) -> None:
        self.chosen = None
        self._fill_list()
        self._draw()
        self.chosenChanged.emit()

    def _draw(self) -> None:
        drawn = self.drawn()
        self.curves = {}
        for number, (precision, hits) in enumerate(self.slots):
            if number >= len(drawn):
                precision.setData([], [])
                hits.setData([], [])
                continue
            timeline = self.timelines[drawn[number]]
            precision.setData(list(timeline.decision), timeline.precisions())
            hits.setData(list(timeline.decision), list(timeline.hits))
            self.curves[timeline.rule] = (precision, hits)
        if drawn != self._legend_names:
            self.legend.clear()
            for rule, (precision, _) in self.curves.items():
                self.legend.addItem(precision, rule)
            self._legend_names = drawn
        self.precision_plot.setYRange(*PRECISION_RANGE, padding=0)


class RuleBars(pg.GraphicsLayoutWidget):
    """Accepted, corrected and rejected suggestions per rule, stacked; the most decided on top."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = self.addPlot(
            title=_keyed_title(
                "Decisions per rule",
                {"accepted": ACCEPTED, "corrected": CORRECTED, "rejected": REJECTED},
            )
        )
        self.plot.invertY(True)
        self.plot.showGrid(x=True, alpha=0.2)
        self.plot.setLabel("bottom", "suggestions decided")
        self.plot.setMouseEnabled(y=False)
        self.rules: list[str] = []
        self.bars: dict[str, pg.BarGraphItem] = {}

    @property
    def export_view(self) -> QWidget:
        return self

    def show_report(self, report: ProgressReport) -> None:
        self.plot.clear()
        shown = [s for s in report.rules if s.decisions][:TOP_BARS]
        self.rules = [s.rule for s in shown]
        rows = list(range(len(shown)))
        accepted = [s.accepted for s in shown]
        corrected = [s.corrected for s in shown]
        rejected = [s.rejected for s in shown]
        after_accepted = accepted
        after_corrected = [a + c for a, c in zip(accepted, corrected, strict=True)]
        self.bars = {
            "accepted": _bars(x0=[0] * len(rows), y=rows, width=accepted, height=0.7),
            "corrected": _bars(x0=after_accepted, y=rows, width=corrected, height=0.7),
            "rejected": _bars(x0=after_corrected, y=rows, width=rejected, height=0.7),
        }
        for item, colour in zip(self.bars.values(), (ACCEPTED, CORRECTED, REJECTED), strict=True):
            item.setOpts(brush=colour)
            self.plot.addItem(item)
        _name_ticks(
            self.plot.getAxis("left"),
            [f"{s.rule}  {s.precision or 0:.0%}" for s in shown],
        )
        if shown:
            self.plot.setYRange(-0.6, len(shown) - 0.4, padding=0)
            self.plot.setXRange(0, max(s.decisions for s in shown), padding=0.05)


class ProgressCharts(pg.GraphicsLayoutWidget):
    """Documents per status, spans per label (by hand, from rules, suggestions pending) and the
    documents in progress and done over time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.statuses = self.addPlot(row=0, col=0, title="Documents per status")
        self.labels = self.addPlot(
            row=0,
            col=1,
            title=_keyed_title(
                "Spans per label",
                {"by hand": MANUAL, "from rules": FROM_RULES, "pending": PENDING},
            ),
        )
        self.history = self.addPlot(
            row=1,
            col=0,
            colspan=2,
            title=_keyed_title(
                "Documents over time",
                {"in progress": STATUS_COLOURS["in progress"], "done": STATUS_COLOURS["done"]},
            ),
            axisItems={"bottom": pg.DateAxisItem(orientation="bottom")},
        )
        self.recent = self.addPlot(
            row=0,
            col=2,
            rowspan=2,
            title=_keyed_title(
                "Documents worked on last",
                {"by hand": MANUAL, "from rules": FROM_RULES, "pending": PENDING},
            ),
        )
        self.labels.invertY(True)
        self.recent.invertY(True)
        for plot in (self.statuses, self.labels, self.history, self.recent):
            plot.showGrid(x=True, y=True, alpha=0.2)
            plot.setMouseEnabled(x=plot is self.history, y=False)
        self.status_bars: pg.BarGraphItem | None = None
        self.label_bars: dict[str, pg.BarGraphItem] = {}
        self.history_curves: dict[str, pg.PlotDataItem] = {}
        self.recent_bars: dict[str, pg.BarGraphItem] = {}

    @property
    def export_view(self) -> QWidget:
        return self

    def show_report(self, report: ProgressReport) -> None:
        self._draw_statuses(report)
        self._draw_labels(report)
        self._draw_history(report)
        self._draw_recent(report)

    def _draw_statuses(self, report: ProgressReport) -> None:
        documents = report.documents
        counts = {"new": documents.new, "in progress": documents.in_progress}
        counts["done"] = documents.done
        self.statuses.clear()
        self.status_bars = _bars(
            x=list(range(len(counts))),
            height=list(counts.values()),
            width=0.6,
            brushes=[STATUS_COLOURS[name] for name in counts],
        )
        self.statuses.addItem(self.status_bars)
        _name_ticks(
            self.statuses.getAxis("bottom"), [f"{name} ({n})" for name, n in counts.items()]
        )
        self.statuses.setXRange(-0.6, len(counts) - 0.4, padding=0)
        self.statuses.setYRange(0, max(1, *counts.values()), padding=0.05)
        _whole_numbers(self.statuses.getAxis("left"), max(counts.values()))

    def _draw_labels(self, report: ProgressReport) -> None:
        labels = list(report.labels)
        rows = list(range(len(labels)))
        manual = [p.manual for p in labels]
        from_rules = [p.from_rules for p in labels]
        pending = [p.pending for p in labels]
        self.labels.clear()
        self.label_bars = {
            "by hand": _bars(x0=[0] * len(rows), y=rows, width=manual, height=0.7),
            "from rules": _bars(x0=manual, y=rows, width=from_rules, height=0.7),
            "pending": _bars(x0=[p.spans for p in labels], y=rows, width=pending, height=0.7),
        }
        colours = (MANUAL, FROM_RULES, PENDING)
        for item, colour in zip(self.label_bars.values(), colours, strict=True):
            item.setOpts(brush=colour)
            self.labels.addItem(item)
        _name_ticks(self.labels.getAxis("left"), [p.label for p in labels])
        if labels:
            self.labels.setYRange(-0.6, len(labels) - 0.4, padding=0)
            most = max(p.spans + p.pending for p in labels)
            self.labels.setXRange(0, max(1, most), padding=0.05)

    def _draw_history(self, report: ProgressReport) -> None:
        self.history.clear()
        self.history_curves = {}
        points = list(report.documents.history)
        if not points:
            return
        # The last counts hold until now.
        times = [p.at.timestamp() for p in points] + [report.at.timestamp()]
        for name, values in (
            ("in progress", [p.in_progress for p in points]),
            ("done", [p.done for p in points]),
        ):
            self.history_curves[name] = self.history.plot(
                times,
                values + values[-1:],
                stepMode="right",
                pen=pg.mkPen(STATUS_COLOURS[name], width=2),
            )
        _whole_numbers(self.history.getAxis("left"), report.documents.total)

    def _draw_recent(self, report: ProgressReport) -> None:
        """Progress per document: spans by hand, from rules, and suggestions still pending, for
        the documents worked on last (the latest on top)."""
        docs = list(report.recent)
        rows = list(range(len(docs)))
        manual = [d.manual for d in docs]
        spans = [d.manual + d.from_rules for d in docs]
        self.recent.clear()
        self.recent_bars = {
            "by hand": _bars(x0=[0] * len(rows), y=rows, width=manual, height=0.7),
            "from rules": _bars(x0=manual, y=rows, width=[d.from_rules for d in docs], height=0.7),
            "pending": _bars(x0=spans, y=rows, width=[d.pending for d in docs], height=0.7),
        }
        for item, colour in zip(
            self.recent_bars.values(), (MANUAL, FROM_RULES, PENDING), strict=True
        ):
            item.setOpts(brush=colour)
            self.recent.addItem(item)
        _name_ticks(self.recent.getAxis("left"), [f"{_short(d.title)} ({d.status})" for d in docs])
        if docs:
            self.recent.setYRange(-0.6, len(docs) - 0.4, padding=0)
            most = max(s + d.pending for s, d in zip(spans, docs, strict=True))
            self.recent.setXRange(0, max(1, most), padding=0.05)


def _short(title: str, most: int = 28) -> str:
    title = " ".join(title.split())
    return title if len(title) <= most else title[: most - 1] + "…"
