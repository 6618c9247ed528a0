"""The analyst's keyboard loop on existing spans, and a status bar that never goes stale."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from annotator.workspace import Workspace
from tests.gui.conftest import opened

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
TEXT = "Presiden Rusia Vladimir Putin bertemu John Kerry di Moskow pada Sabtu (24/10).\n"
OTHERS = ("Jokowi berkunjung ke Surabaya.\n", "Prabowo tiba di Bandung.\n")


@pytest.fixture
def db(tmp_path, db_path):
    for n, text in enumerate((TEXT, *OTHERS)):
        path = tmp_path / f"doc{n}.txt"
        path.write_text(text, encoding="utf-8")
        with Workspace.open(db_path, annotator="tester") as ws:
            ws.import_paths([path])
    return db_path


@pytest.fixture
def window(qtbot, db):
    return opened(qtbot, db)


def spans(db, doc_index=0):
    with Workspace.open(db, annotator="tester") as ws:
        doc_id = ws.documents()[doc_index].id
        return sorted((s.start, s.end, s.label, s.text) for s in ws.document(doc_id).spans)


def label_text(qtbot, win, text, key):
    """Select ``text`` with find, then press a label key."""
    qtbot.keyClick(win.view, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(QApplication.focusWidget(), text)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.keyClick(win.view, key)


def test_ctrl_tab_walks_the_spans_and_delete_removes_one(qtbot, window, db):
    for word, key in (
        ("John Kerry", Qt.Key.Key_1),
        ("Moskow", Qt.Key.Key_3),
        ("Rusia", Qt.Key.Key_3),
    ):
        label_text(qtbot, window, word, key)
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    window.view.select_offsets(0, 0)
    seen = []
    for _ in range(4):  # three spans, then it wraps to the first
        qtbot.keyClick(window.view, Qt.Key.Key_Tab, CTRL)
        assert window.view.selected is not None and window.view.selected.kind == "span"
        seen.append(window.view.selected.text)
    assert seen == ["Rusia", "John Kerry", "Moskow", "Rusia"]
    # Ctrl+Shift+Tab arrives as Backtab with Ctrl and Shift held.
    qtbot.keyClick(window.view, Qt.Key.Key_Backtab, CTRL | SHIFT)
    assert window.view.selected.text == "Moskow"
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert [s[3] for s in spans(db)] == ["Rusia", "John Kerry"]
    assert "Moskow" not in {i.text for i in window.view.overlay.items() if i.kind == "span"}


def test_a_new_span_is_the_selection_so_a_boundary_key_fixes_it_at_once(qtbot, window, db):
    label_text(qtbot, window, "Vladimir", Qt.Key.Key_1)
    at = TEXT.index("Vladimir")
    assert spans(db) == [(at, at + 8, "PERSON", "Vladimir")]
    assert window.view.selected is not None and window.view.selected.kind == "span"
    qtbot.keyClick(window.view, Qt.Key.Key_BraceRight)  # end one token right
    assert spans(db) == [(at, at + len("Vladimir Putin"), "PERSON", "Vladimir Putin")]
    qtbot.keyClick(window.view, Qt.Key.Key_2)  # still selected: relabel
    assert spans(db) == [(at, at + len("Vladimir Putin"), "ORG", "Vladimir Putin")]


def test_finding_the_exact_text_of_a_span_selects_the_span(qtbot, window, db):
    label_text(qtbot, window, "John Kerry", Qt.Key.Key_1)
    window.view.select_offsets(0, 0)
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(QApplication.focusWidget(), "john kerry")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    selected = window.view.selected
    assert selected is not None and selected.kind == "span" and selected.text == "John Kerry"
    qtbot.keyClick(window.view, Qt.Key.Key_R)  # remember works on it too
    with Workspace.open(db, annotator="tester") as ws:
        assert "John Kerry" in {term[0] for term in ws.rule("learned-PERSON").terms}
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert spans(db) == []


def test_a_found_text_that_is_no_span_stays_a_plain_selection(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(QApplication.focusWidget(), "bertemu")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert window.view.selected is None
    assert window.view.selection_offsets() == (TEXT.index("bertemu"), TEXT.index("bertemu") + 7)


def test_status_bar_says_done_after_the_last_document_is_marked_done(qtbot, window, db):
    for _ in range(3):
        qtbot.keyClick(window.view, Qt.Key.Key_Return, CTRL)
    assert "every document is done" in window.statusBar().currentMessage()
    with Workspace.open(db, annotator="tester") as ws:
        assert {d.status for d in ws.documents()} == {"done"}
        current = next(d for d in ws.documents() if d.id == window.doc.id)
    assert f"  {current.status}  ·" in window.position_label.text()
    assert (
        "in progress" not in window.position_label.text()
        and "new" not in window.position_label.text()
    )


def test_status_bar_follows_the_document_list_filter(qtbot, window):
    assert "Document 1 of 3" in window.position_label.text()
    qtbot.keyClick(window.view, Qt.Key.Key_L, CTRL)
    qtbot.keyClicks(window.navigator.filter, "zzz-no-such-title")
    qtbot.waitUntil(lambda: window.navigator.model.rowCount() == 0)
    window.navigator.filter.clear()
    qtbot.waitUntil(lambda: "Document 1 of 3" in window.position_label.text())
    title = window.doc.title
    window.navigator.filter.setText(title[:12])
    shown = window.navigator.model.rowCount()
    qtbot.waitUntil(lambda: f"of {shown}" in window.position_label.text())


def test_a_corpus_run_ending_inside_a_progress_update_closes_cleanly(qtbot, window):
    """A modal progress dialog's setValue runs the event loop; the run's end may arrive there."""
    actions = window.rule_actions
    qtbot.keyClick(window.view, Qt.Key.Key_U, CTRL | SHIFT)
    with qtbot.waitSignal(actions.corpusFinished, timeout=60000) as finished:
        pass
    report = finished.args[0]
    # Again, by hand, with the end delivered while the dialog is updating its value.
    actions.run_corpus()
    run = actions.run
    run.finished.disconnect(actions._corpus_done)
    qtbot.waitSignal(run.finished, timeout=60000).wait()
    QTimer.singleShot(0, lambda: actions._corpus_done(report))  # runs inside setValue's event loop
    actions._progressed(2, 3)
    assert actions.progress is None and actions.run is None
    assert "Suggested over 3 documents" in window.statusBar().currentMessage()


def test_labelling_what_a_rule_proposed_leaves_no_duplicate_to_visit(qtbot, window, db):
    at = TEXT.index("Moskow")
    suggestion = next(
        i for i in window.view.overlay.items() if i.kind == "suggestion" and i.text == "Moskow"
    )
    pending = window.view.overlay.pending_count()
    window.view.select_offsets(at, at + len("Moskow"))  # the text, not the suggestion
    qtbot.keyClick(window.view, Qt.Key.Key_3)  # LOC, as the rule proposed
    assert window.view.overlay.get("suggestion", suggestion.id) is None
    assert window.view.overlay.pending_count() == pending - 1
    window.view.select_offsets(0, 0)
    for _ in range(pending + 1):
        qtbot.keyClick(window.view, Qt.Key.Key_Tab)
        assert (window.view.selected.start, window.view.selected.end) != (at, at + 6)
    with Workspace.open(db, annotator="tester") as ws:
        assert ws.store.suggestions.get(suggestion.id)[1].state == "accepted"
        assert ws.rule_statistics()[suggestion.rule].accepted == 1
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)  # undo: the span goes, the suggestion is back
    assert window.view.overlay.get("suggestion", suggestion.id) is not None
    assert window.view.overlay.pending_count() == pending
