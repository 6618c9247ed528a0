"""A suggestion that overlaps a span of its own label is shown as covered, never as fresh work."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from annotator.gui.preferences import HIDE_COVERED_KEY
from annotator.workspace import Workspace
from tests.gui.conftest import opened

TEXT = "Presiden Rusia Vladimir Putin bertemu John Kerry di Moskow.\n"
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def db(tmp_path, db_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([path])
    return db_path


def open_window(qtbot, db):
    return opened(qtbot, db)


def putin_suggestion(win):
    return next(
        i for i in win.view.overlay.items() if i.kind == "suggestion" and i.text == "Vladimir Putin"
    )


def label_putin(qtbot, win):
    at = TEXT.index("Putin")
    win.view.select_offsets(at, at + len("Putin"))
    qtbot.keyClick(
        win.view, Qt.Key.Key_1
    )  # PERSON "Putin", inside the PERSON suggestion "Vladimir Putin"


def test_a_span_of_the_same_label_covers_an_overlapping_suggestion(qtbot, db):
    win = open_window(qtbot, db)
    suggestion = putin_suggestion(win)
    assert suggestion.label == "PERSON" and not suggestion.covered
    pending = win.view.overlay.pending_count()
    label_putin(qtbot, win)
    assert putin_suggestion(win).covered
    assert win.view.overlay.pending_count() == pending - 1
    assert f"{pending - 1} pending (+1 covered)" in win.position_label.text()
    model = win.navigator.model  # the document list counts the same (it follows a moment later)
    qtbot.waitUntil(lambda: model.index(model.row_of(win.doc.id), 4).data() == pending - 1)
    # Tab never lands on it.
    win.view.select_offsets(0, 0)
    seen = set()
    for _ in range(pending + 2):
        qtbot.keyClick(win.view, Qt.Key.Key_Tab)
        seen.add(win.view.selected.id)
    assert suggestion.id not in seen
    # It is listed as covered in the side table.
    qtbot.waitUntil(lambda: not win.panel_refresh_pending())  # the side table follows the article
    row = win.panel.model.row_at(win.panel.model.row_of("suggestion", suggestion.id))
    assert row.origin == "covered"
    # Accept all takes the fresh ones only.
    qtbot.keyClick(win.view, Qt.Key.Key_A, CTRL_SHIFT)
    with Workspace.open(db, annotator="tester") as ws:
        left = [s for _, s in ws.suggestions(win.doc.id)]
        spans = {s.text for s in ws.document(win.doc.id).spans}
    assert [s.text for s in left] == ["Vladimir Putin"]
    assert "Vladimir Putin" not in spans and "Putin" in spans


def test_deleting_the_span_makes_the_suggestion_fresh_again(qtbot, db):
    win = open_window(qtbot, db)
    pending = win.view.overlay.pending_count()
    label_putin(qtbot, win)
    assert putin_suggestion(win).covered
    qtbot.keyClick(win.view, Qt.Key.Key_Delete)  # the new span is selected
    assert not putin_suggestion(win).covered
    assert win.view.overlay.pending_count() == pending
    assert "covered" not in win.position_label.text()


def test_a_span_of_another_label_does_not_cover(qtbot, db):
    win = open_window(qtbot, db)
    at = TEXT.index("Putin")
    win.view.select_offsets(at, at + len("Putin"))
    qtbot.keyClick(win.view, Qt.Key.Key_2)  # ORG
    assert not putin_suggestion(win).covered


def test_covered_suggestions_can_be_hidden(qtbot, db):
    win = open_window(qtbot, db)
    win.settings.setValue(HIDE_COVERED_KEY, True)
    win.apply_view_settings()
    label_putin(qtbot, win)
    suggestion = putin_suggestion(win)
    assert suggestion.covered
    qtbot.waitUntil(lambda: not win.panel_refresh_pending())
    assert win.panel.model.row_of("suggestion", suggestion.id) < 0
    win.settings.setValue(HIDE_COVERED_KEY, False)
    win.apply_view_settings()
    assert win.panel.model.row_of("suggestion", suggestion.id) >= 0
