"""The annotation panel: spans and suggestions of one document, selection both ways, 20,000 rows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QVBoxLayout, QWidget

from annotator.core.model import Span, SpanOrigin, Suggestion
from annotator.gui.annotation_panel import LABEL, ORIGIN, RULE, START, TEXT, AnnotationPanel


@pytest.fixture
def doc(workspace, seed_path):
    """The seed article with its rule suggestions, two accepted and one manual span."""
    workspace.import_paths([seed_path])
    doc_id = workspace.documents()[0].id
    workspace.suggest(doc_id)
    pending = [s for _, s in workspace.suggestions(doc_id)]
    workspace.accept(pending[0].id)
    workspace.accept(pending[1].id)
    text = workspace.document(doc_id).text
    start = text.index("Sergey Lavrov")
    workspace.add_span(doc_id, start, start + len("Sergey Lavrov"), "PERSON")
    return doc_id


@pytest.fixture
def items(workspace, doc):
    spans = workspace.document(doc).spans
    suggestions = [s for _, s in workspace.suggestions(doc)]
    colours = {label.name: label.colour for label in workspace.labels()}
    return spans, suggestions, colours


@pytest.fixture
def panel(qtbot, items):
    widget = AnnotationPanel()
    qtbot.addWidget(widget)
    widget.resize(640, 360)
    widget.set_items(*items)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def row_item(panel, row):
    item = panel.model.row_at(row)
    return item.kind, item.id


def test_model_passes_the_model_tester(qtmodeltester, panel):
    qtmodeltester.check(panel.model)


def test_rows_are_spans_and_suggestions_in_reading_order(panel, items):
    spans, suggestions, _ = items
    model = panel.model
    assert model.rowCount() == len(spans) + len(suggestions)
    starts = [model.index(row, START).data() for row in range(model.rowCount())]
    assert starts == sorted(starts)
    origins = {model.index(row, ORIGIN).data() for row in range(model.rowCount())}
    assert origins == {"manual", "rule", "suggestion"}
    lavrov = next(
        row for row in range(model.rowCount()) if model.index(row, TEXT).data() == "Sergey Lavrov"
    )
    assert model.index(lavrov, LABEL).data() == "PERSON"
    assert model.index(lavrov, ORIGIN).data() == "manual"
    assert model.index(lavrov, RULE).data() == ""
    first_suggestion = next(
        row for row in range(model.rowCount()) if model.row_at(row).kind == "suggestion"
    )
    assert model.index(first_suggestion, RULE).data()  # the rule that proposed it
    assert model.index(first_suggestion, TEXT).data(Qt.ItemDataRole.FontRole).italic()


def test_label_column_shows_the_label_colour(panel, items):
    _, _, colours = items
    index = panel.model.index(0, LABEL)
    assert index.data(Qt.ItemDataRole.DecorationRole) == QColor(colours[index.data()])


def test_keyboard_selection_emits_the_item(qtbot, panel):
    panel.table.setFocus()
    with qtbot.waitSignal(panel.itemSelected, timeout=1000) as first:
        qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert tuple(first.args) == row_item(panel, panel.table.currentIndex().row())
    row = panel.table.currentIndex().row()
    with qtbot.waitSignal(panel.itemSelected, timeout=1000) as second:
        qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert tuple(second.args) == row_item(panel, row + 1)


def test_mouse_selection_emits_the_item(qtbot, panel):
    rect = panel.table.visualRect(panel.model.index(3, TEXT))
    with qtbot.waitSignal(panel.itemSelected, timeout=1000) as signal:
        qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert tuple(signal.args) == row_item(panel, 3)


def test_select_item_selects_without_emitting(qtbot, panel, items):
    _, suggestions, _ = items
    target = suggestions[-1]
    with qtbot.assertNotEmitted(panel.itemSelected):
        panel.select_item("suggestion", target.id)
    assert panel.selected_item() == ("suggestion", target.id)
    rect = panel.table.visualRect(panel.table.currentIndex())
    assert panel.table.viewport().rect().intersects(rect)  # scrolled into view
    with qtbot.assertNotEmitted(panel.itemSelected):
        panel.select_item("span", 999_999)
    assert panel.selected_item() is None


def test_clear_selection_is_silent(qtbot, panel):
    panel.select_item(*row_item(panel, 2))
    with qtbot.assertNotEmitted(panel.itemSelected):
        panel.clear_selection()
    assert panel.selected_item() is None
    # and a later click on the same row is a new selection again
    rect = panel.table.visualRect(panel.model.index(2, TEXT))
    with qtbot.waitSignal(panel.itemSelected, timeout=1000):
        qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_set_items_keeps_the_selected_item_silently(qtbot, panel, items):
    spans, suggestions, colours = items
    kept = ("span", spans[0].id)
    panel.select_item(*kept)
    with qtbot.assertNotEmitted(panel.itemSelected):
        panel.set_items(spans, suggestions[1:], colours)
    assert panel.selected_item() == kept
    assert panel.model.rowCount() == len(spans) + len(suggestions) - 1


def test_header_click_sorts_and_the_selection_follows(qtbot, panel):
    chosen = row_item(panel, 0)
    panel.select_item(*chosen)
    header = panel.table.horizontalHeader()
    x = header.sectionViewportPosition(LABEL) + header.sectionSize(LABEL) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )
    labels = [panel.model.index(row, LABEL).data() for row in range(panel.model.rowCount())]
    assert labels == sorted(labels)
    assert panel.selected_item() == chosen
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )
    labels = [panel.model.index(row, LABEL).data() for row in range(panel.model.rowCount())]
    assert labels == sorted(labels, reverse=True)


def test_twenty_thousand_rows_and_incremental_edits(qtbot, panel):
    names = ["PERSON", "ORG", "LOC", "DATE", "ROLE", "QUOTE"]
    spans = [
        Span(i * 10, i * 10 + 5, names[i % 6], f"kata{i}", SpanOrigin.RULE, rule="r", id=i + 1)
        for i in range(10_000)
    ]
    suggestions = [
        Suggestion(i * 10 + 6, i * 10 + 9, names[i % 5], f"usul{i}", rule="g", id=i + 1)
        for i in range(10_000)
    ]
    colours = dict.fromkeys(names, "#0072B2")
    # Speed is measured in bench/gui_latency.py, not here; this checks the rows and the edits.
    panel.set_items(spans, suggestions, colours)
    assert panel.model.rowCount() == 20_000
    panel.select_item("suggestion", 9_999)
    assert panel.selected_item() == ("suggestion", 9_999)
    panel.add_item(Span(15, 17, "LOC", "x", SpanOrigin.MANUAL, id=50_000))
    assert panel.model.row_of("span", 50_000) == 3  # reading order: after starts 0, 6 and 10
    assert panel.model.row_at(panel.model.row_of("span", 50_000)).start == 15
    panel.remove_item("span", 1)
    assert panel.model.row_of("span", 1) == -1
    assert panel.model.rowCount() == 20_000
    starts = [row.start for row in panel.model.rows()]
    assert starts == sorted(starts)


def test_enter_in_the_panel_is_left_to_the_window(qtbot, items):
    window = QWidget()
    fired = []
    QShortcut(QKeySequence("Return"), window, lambda: fired.append("accept"))
    panel = AnnotationPanel(window)
    QVBoxLayout(window).addWidget(panel)
    panel.set_items(*items)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    panel.table.setFocus()
    qtbot.waitUntil(panel.table.hasFocus)
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert fired == ["accept"]  # e.g. accept the suggestion just selected in the panel
