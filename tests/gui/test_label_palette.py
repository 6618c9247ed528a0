"""The label palette: schema order, keys, counts, and choosing with mouse or keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from annotator.core.model import Label
from annotator.gui.label_palette import COUNT, LETTER, NAME, NUMBER, LabelPalette


@pytest.fixture
def palette(qtbot, workspace):
    widget = LabelPalette()
    qtbot.addWidget(widget)
    widget.resize(300, 240)
    widget.set_labels(workspace.labels())
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def column(palette, col):
    return [palette.model.index(row, col).data() for row in range(palette.model.rowCount())]


def test_model_passes_the_model_tester(qtmodeltester, palette):
    qtmodeltester.check(palette.model)


def test_rows_in_schema_order_with_colour_number_and_letter(palette, workspace):
    labels = sorted(workspace.labels(), key=lambda label: label.order)
    assert column(palette, NAME) == [label.name for label in labels]
    assert column(palette, NUMBER) == [str(i) for i in range(1, len(labels) + 1)]
    assert column(palette, LETTER) == [label.hotkey.upper() for label in labels]
    assert palette.model.index(0, NAME).data(Qt.ItemDataRole.DecorationRole) == QColor(
        labels[0].colour
    )


def test_labels_given_out_of_order_are_shown_by_order(palette):
    palette.set_labels([Label("B", "#000000", "b", order=2), Label("A", "#ffffff", None, order=1)])
    assert column(palette, NAME) == ["A", "B"]
    assert column(palette, NUMBER) == ["1", "2"]
    assert column(palette, LETTER) == ["", "B"]


def test_only_nine_labels_get_a_number(palette):
    palette.set_labels([Label(f"L{i}", order=i) for i in range(11)])
    assert column(palette, NUMBER) == [str(i) for i in range(1, 10)] + ["", ""]


def test_counts_follow_set_counts(qtbot, palette):
    assert set(column(palette, COUNT)) == {0}
    with qtbot.waitSignal(palette.model.dataChanged, timeout=1000):
        palette.set_counts({"LOC": 4, "PERSON": 2})
    counts = dict(zip(column(palette, NAME), column(palette, COUNT), strict=True))
    assert counts["LOC"] == 4 and counts["PERSON"] == 2 and counts["ORG"] == 0


def test_click_chooses_a_label(qtbot, palette):
    rect = palette.table.visualRect(palette.model.index(2, NAME))
    with qtbot.waitSignal(palette.labelChosen, timeout=1000) as signal:
        qtbot.mouseClick(palette.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [column(palette, NAME)[2]]


def test_a_click_does_not_take_the_keyboard(qtbot, workspace):
    window = QWidget()
    editor = QLineEdit(window)  # stands in for the article view
    palette = LabelPalette(window)
    palette.set_labels(workspace.labels())
    layout = QVBoxLayout(window)
    layout.addWidget(editor)
    layout.addWidget(palette)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    rect = palette.table.visualRect(palette.model.index(1, NAME))
    with qtbot.waitSignal(palette.labelChosen, timeout=1000):
        qtbot.mouseClick(palette.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert editor.hasFocus()


def test_enter_chooses_the_current_label(qtbot, palette):
    palette.table.setFocus()
    qtbot.keyClick(palette.table, Qt.Key.Key_Down)
    qtbot.keyClick(palette.table, Qt.Key.Key_Down)
    row = palette.table.currentIndex().row()
    with qtbot.waitSignal(palette.labelChosen, timeout=1000) as signal:
        qtbot.keyClick(palette.table, Qt.Key.Key_Return)
    assert signal.args == [column(palette, NAME)[row]]


def test_tooltip_names_description_and_keys(palette, workspace):
    person = next(label for label in workspace.labels() if label.name == "PERSON")
    tip = palette.model.index(0, NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert person.description in tip and "1 or P" in tip
