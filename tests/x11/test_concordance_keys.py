"""Under a real X server: Ctrl+Shift+K opens the concordance dock, and its keys decide there
(Enter, x, a digit, ``}``, Ctrl+A then Enter) and Ctrl+O opens the line's document, not the
window's "Open database" that Ctrl+O means elsewhere."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from annotator.gui.concordance_model import STATE


def _state(view, row):
    return view.model.index(row, STATE).data()


@pytest.mark.action("show_concordance")
def test_the_dock_keys_decide_on_lines_across_the_corpus(window, keys, read_db, qtbot):
    opened_database = []
    window.actions_by_id["open_database"].triggered.connect(lambda: opened_database.append(1))
    concordance = window.concordance
    view = concordance.view
    keys.press_action("show_concordance", until=lambda: concordance.dock.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.table)
    assert view.model.rowCount() > 10
    first = view.model.line(0)

    keys.press("Return", until=lambda: _state(view, 0) == "accepted")
    assert read_db(window).state_of(first.key.id) == "accepted"

    keys.press("Down")
    second = view.model.line(1)
    keys.press("x", until=lambda: _state(view, 1) == "rejected")
    assert read_db(window).state_of(second.key.id) == "rejected"

    keys.press("Down")
    third = view.model.line(2)
    # The palette's order: PERSON 1, ORG 2; a label other than the line's corrects it.
    digit, label = ("1", "PERSON") if third.label != "PERSON" else ("2", "ORG")
    keys.press(digit, until=lambda: _state(view, 2) == "corrected")
    spans = read_db(window).spans[third.document_id]
    assert (third.start, third.end, label) in {(s, e, name) for s, e, name, *_ in spans}

    keys.press("Down")
    fourth = view.model.line(3)
    keys.press("braceright", until=lambda: _state(view, 3) == "corrected")  # `}`
    spans = read_db(window).spans[fourth.document_id]
    assert any(s == fourth.start and e > fourth.end for s, e, *_ in spans)

    keys.press("ctrl+a", until=view.table.all_selected)
    keys.press("Return", until=lambda: "pending" not in {_state(view, r) for r in range(10)})
    assert read_db(window).suggestions["pending"] == {}

    keys.press("ctrl+o", until=lambda: QApplication.focusWidget() is window.view)
    selected = window.view.selected  # the span its correction made, `}` one token longer
    assert selected is not None and selected.kind == "span"
    assert selected.start == fourth.start and selected.end > fourth.end
    assert opened_database == []
