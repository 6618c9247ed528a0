"""A long article shows at once; its suggestions are made off the GUI thread and drawn when
ready."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.gui import create_main_window
from annotator.workspace import Workspace
from tests.gui.conftest import settled

PARAGRAPH = (
    "Presiden Rusia Vladimir Putin bertemu Menteri Luar Negeri Amerika Serikat John Kerry "
    "di Moskow pada Sabtu (24/10). Kepala kepolisian Jakarta mengatakan kelompok itu tiba "
    "di Surabaya sejak 2011.\n"
)


@pytest.fixture
def long_db(tmp_path, db_path):
    """One freshly imported article of ~400 KB: its suggestions are not made yet."""
    path = tmp_path / "long.txt"
    path.write_text(PARAGRAPH * 2000, encoding="utf-8")
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([path])
        assert ws.needs_suggest(ws.documents()[0].id)
    return db_path


def test_the_text_shows_first_and_keys_work_while_the_rules_run(qtbot, long_db):
    win = create_main_window(str(long_db))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.view.text.startswith(PARAGRAPH)
    was_making = win.making_suggestions()
    assert "making suggestions" in win.position_label.text()
    # Label "Moskow" as LOC (what a rule proposes too) while the rules run.
    at = PARAGRAPH.index("Moskow")
    win.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.view)
    win.view.select_offsets(at, at + len("Moskow"))
    qtbot.keyClick(win.view, Qt.Key.Key_3)
    with Workspace.open(long_db, annotator="tester") as ws:
        doc_id = ws.documents()[0].id
        assert [(s.start, s.end, s.label) for s in ws.document(doc_id).spans] == [
            (at, at + 6, "LOC")
        ]
    assert was_making, "the rules finished before the window showed the text"

    with qtbot.waitSignal(win.suggestionsShown, timeout=60000):
        pass
    assert not win.making_suggestions() and "making suggestions" not in win.position_label.text()
    pending = win.view.overlay.pending_count()
    with Workspace.open(long_db, annotator="tester") as ws:
        stored = ws.suggestions(doc_id)
        assert not ws.needs_suggest(doc_id)
    assert pending == len(stored) > 2000
    # The analyst's span stands; the rules never propose it again as fresh work.
    assert not [s for _, s in stored if (s.start, s.end, s.label) == (at, at + 6, "LOC")]
    assert next(i for i in win.view.overlay.items() if i.kind == "span").start == at
    assert f"{pending} pending" in win.position_label.text()
    row = win.navigator.model.row_of(doc_id)
    assert win.navigator.model.index(row, 4).data() == pending


def test_a_selected_span_stays_selected_when_the_suggestions_arrive(qtbot, long_db):
    win = create_main_window(str(long_db))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    at = PARAGRAPH.index("Putin")
    win.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.view)
    win.view.select_offsets(at, at + 5)
    qtbot.keyClick(win.view, Qt.Key.Key_1)
    selected = win.view.selected
    assert selected is not None and selected.kind == "span"
    settled(qtbot, win, timeout=60000)
    # The same span (the live refresh may read the document again: a new item of the same span,
    # laid out again among the suggestions).
    now = win.view.selected
    assert now is not None and (now.kind, now.id) == (selected.kind, selected.id)
    assert QApplication.focusWidget() is win.view


def test_tab_reaches_the_suggestions_once_they_are_made(qtbot, long_db):
    win = create_main_window(str(long_db))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    settled(qtbot, win, timeout=60000)
    win.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.view)
    qtbot.keyClick(win.view, Qt.Key.Key_Tab)
    assert win.view.selected is not None and win.view.selected.kind == "suggestion"
    assert win.view.selected.start == min(
        i.start for i in win.view.overlay.items() if i.kind == "suggestion"
    )
