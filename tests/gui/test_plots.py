"""The Plots dock on a real database and window: what each chart draws, that it follows a decision
made in the window (after a pause, and only while it shows), and the PNG export."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import QApplication

from annotator.core.model import Document, Suggestion
from annotator.gui.keymap import BY_ID
from annotator.gui.plots import TABS
from annotator.workspace import Workspace
from tests.gui.conftest import opened

TEXT = "Presiden Rusia Vladimir Putin bertemu John Kerry di Moskow pada Sabtu di Kremlin dan Paris."
# (text, label, rule): decided before the window opens, in this order (see ``db``).
DECIDED = (
    ("Putin", "PERSON", "r-a", "accept"),
    ("Kremlin", "ORG", "r-b", "reject"),
    ("John Kerry", "PERSON", "r-a", "accept"),
    ("Moskow", "PERSON", "r-a", "correct"),
    ("Paris", "LOC", "r-b", "accept"),
    ("Sabtu", "PERSON", "r-a", "reject"),
)


@pytest.fixture
def db(db_path):
    """One document with six decisions: r-a accepted 2, corrected 1, rejected 1 (decisions 1, 3,
    4, 6); r-b accepted 1, rejected 1 (decisions 2, 5)."""
    with Workspace.open(db_path, annotator="tester") as ws:
        suggestions = tuple(
            Suggestion(TEXT.index(text), TEXT.index(text) + len(text), label, text, rule)
            for text, label, rule, _ in DECIDED
        )
        [doc_id] = ws.store.documents.insert(
            [Document(text=TEXT, title="first", source="first", suggestions=suggestions)],
            annotator="tester",
        )
        ids = {s.text: s.id for _, s in ws.suggestions(doc_id)}
        for text, _, _, decision in DECIDED:
            if decision == "accept":
                ws.accept(ids[text])
            elif decision == "reject":
                ws.reject(ids[text])
            else:
                ws.correct(ids[text], label="LOC")
    return db_path


def press(qtbot, widget, action_id: str) -> None:
    """Press the action's default key on ``widget``."""
    sequence = QKeySequence(BY_ID[action_id].keys[0])[0]
    qtbot.keyClick(widget, sequence.key(), sequence.keyboardModifiers())


def _data(curve) -> tuple[list, list]:
    """All of a curve's points (getData gives what is drawn: clipped to the view, thinned)."""
    return [float(x) for x in curve.xData], [float(y) for y in curve.yData]


def shown_plots(qtbot, window):
    """Ctrl+Shift+G, and the first report drawn."""
    panel = window.plots.panel
    assert not window.plots.dock.isVisible()
    with qtbot.waitSignal(panel.refreshed, timeout=20000):
        press(qtbot, window.view, "show_plots")
        assert window.plots.dock.isVisible()
    return panel


def test_ctrl_shift_g_shows_the_plots_with_every_rule_decision_and_status(qtbot, db):
    window = opened(qtbot, db)
    panel = shown_plots(qtbot, window)
    assert panel.isAncestorOf(QApplication.focusWidget())  # Ctrl+S exports from here

    over_time = panel.over_time
    assert over_time.drawn() == ["r-a", "r-b"]  # the rules with decisions, most decided first
    x, y = _data(over_time.curves["r-a"][0])
    assert list(x) == [1, 3, 4, 6]
    assert list(y) == pytest.approx([1, 1, 2 / 3, 0.5])
    x, y = _data(over_time.curves["r-b"][1])  # hits so far
    assert (list(x), list(y)) == ([2, 5], [1, 2])

    bars = panel.rule_bars
    assert bars.rules == []  # drawn when its tab is chosen
    panel.tabs.setCurrentWidget(bars)
    assert bars.rules == ["r-a", "r-b"]
    widths = {name: list(item.opts["width"]) for name, item in bars.bars.items()}
    assert widths == {"accepted": [2, 1], "corrected": [1, 0], "rejected": [1, 1]}

    progress = panel.progress
    panel.tabs.setCurrentWidget(progress)
    assert list(progress.status_bars.opts["height"]) == [0, 1, 0]  # new, in progress, done
    labels = [label.name for label in sorted(window.workspace.labels(), key=lambda la: la.order)]
    from_rules = dict(zip(labels, progress.label_bars["from rules"].opts["width"], strict=True))
    assert (from_rules["PERSON"], from_rules["LOC"], from_rules["ORG"]) == (2, 2, 0)
    # The first decision moved the document to "in progress": one step, drawn up to now.
    _, in_progress = _data(progress.history_curves["in progress"])
    assert list(in_progress) == [0, 1, 1]
    # Progress per document: the one document, its 4 spans accepted or corrected from rules.
    recent = {name: list(item.opts["width"]) for name, item in progress.recent_bars.items()}
    assert (recent["by hand"], recent["from rules"]) == ([0], [4])
    assert "6 decisions" in panel.note.text()


def test_a_decision_in_the_window_reaches_the_plots_after_a_pause(qtbot, db):
    window = opened(qtbot, db)
    panel = shown_plots(qtbot, window)
    pending = window.view.overlay.pending_ids()
    assert pending, "the default rules suggest something in TEXT"
    item = window.view.overlay.get("suggestion", pending[0])
    window.view.select_item(item)
    window.view.setFocus()
    press(qtbot, window.view, "accept")
    # Not at once: the read waits for a pause, restarted by each change.
    assert panel.timer.isActive() and panel.task is None
    assert panel.report is not None and panel.report.decisions == 6
    with qtbot.waitSignal(panel.refreshed, timeout=20000):
        pass
    assert panel.report.decisions == 7
    assert item.rule in panel.over_time.drawn()
    panel.tabs.setCurrentWidget(panel.rule_bars)
    assert item.rule in panel.rule_bars.rules


def test_a_hidden_dock_reads_nothing_and_reads_when_shown(qtbot, db):
    window = opened(qtbot, db)
    panel = shown_plots(qtbot, window)
    window.plots.dock.hide()
    window.view.setFocus()
    pending = window.view.overlay.pending_ids()
    window.view.select_item(window.view.overlay.get("suggestion", pending[0]))
    press(qtbot, window.view, "reject")
    assert panel.stale and not panel.timer.isActive() and panel.task is None
    assert panel.report is not None and panel.report.decisions == 6
    with qtbot.waitSignal(panel.refreshed, timeout=20000):
        press(qtbot, window.view, "show_plots")
    assert panel.report.decisions == 7 and not panel.stale


def test_ticked_rules_are_drawn_and_kept_until_top_is_changed(qtbot, db):
    window = opened(qtbot, db)
    panel = shown_plots(qtbot, window)
    over_time = panel.over_time
    first = over_time.rules.item(0)
    assert first.data(Qt.ItemDataRole.UserRole) == "r-a"
    first.setCheckState(Qt.CheckState.Unchecked)
    assert over_time.drawn() == ["r-b"] and list(over_time.curves) == ["r-b"]
    with qtbot.waitSignal(panel.refreshed, timeout=20000):
        panel.refresh()
    assert over_time.drawn() == ["r-b"]  # the analyst's choice outlives a new report
    over_time.top.setValue(1)
    assert over_time.drawn() == ["r-a"]


@pytest.mark.parametrize("tab", range(len(TABS)))
def test_export_writes_the_current_chart_as_a_png_of_its_size(qtbot, db, tmp_path, tab):
    window = opened(qtbot, db)
    panel = shown_plots(qtbot, window)
    panel.tabs.setCurrentIndex(tab)
    panel.tabs.setFocus()
    press(qtbot, panel.tabs, "export_plot")  # Ctrl+S inside the dock: the save dialog
    dialog = panel.dialog
    assert dialog is not None and dialog.isVisible()
    target = tmp_path / f"chart-{tab}"  # the dialog adds .png
    with qtbot.waitSignal(panel.exported, timeout=5000) as written:
        dialog.selectFile(str(target))
        dialog.accept()
    assert written.args == [str(tmp_path / f"chart-{tab}.png")]
    image = QImage(str(tmp_path / f"chart-{tab}.png"))
    view = panel.current_view()
    ratio = view.devicePixelRatioF()
    assert not image.isNull()
    assert (image.width(), image.height()) == (
        round(view.width() * ratio),
        round(view.height() * ratio),
    )
    assert image.pixelColor(image.width() // 2, 3).name() == "#ffffff"  # the white background


def test_ctrl_s_outside_the_dock_exports_nothing(qtbot, db):
    window = opened(qtbot, db)
    shown_plots(qtbot, window)
    window.view.setFocus()
    press(qtbot, window.view, "export_plot")
    assert window.plots.panel.dialog is None


def test_an_export_to_a_missing_folder_says_so_and_writes_nothing(qtbot, db, tmp_path):
    window = opened(qtbot, db)
    panel = shown_plots(qtbot, window)
    target = tmp_path / "missing" / "chart.png"
    problem = panel.export_png(target)
    assert problem == f"{target}: cannot export, folder {target.parent} does not exist"
    assert not target.parent.exists()
    panel._export_chosen(str(target))  # what the dialog's choice does: the message shows
    assert panel.note.text() == problem


def test_closing_the_window_while_the_counts_are_read_waits_for_the_read(qtbot, db):
    window = opened(qtbot, db)
    panel = shown_plots(qtbot, window)
    panel.refresh()
    task = panel.task
    assert task is not None and task.isRunning()
    window.close()  # the read's thread ends before the window goes (no "destroyed while running")
    assert not task.isRunning()
    assert not panel.timer.isActive()
