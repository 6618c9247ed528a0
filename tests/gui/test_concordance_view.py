"""The concordance dock on a real database: the virtual model reads pages on demand, the keys
decide on the selected lines (or on every line shown), and the window opens it from a rule, a
label, a selected span, the corpus search, and opens a line's document with Ctrl+O."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.gui import concordance_model
from annotator.gui.concordance_model import LEFT, MATCH, RIGHT, STATE, ConcordanceModel
from annotator.gui.concordance_view import ConcordanceView
from annotator.gui.overlay import SPAN, SUGGESTION
from annotator.workspace import ConcordanceFilter, SortKey, Workspace
from tests.gui.conftest import opened

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def view(qtbot, concordance_corpus):
    ws, _ = concordance_corpus
    widget = ConcordanceView(ws)
    qtbot.addWidget(widget)
    widget.resize(1200, 400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_filter(ConcordanceFilter())
    widget.table.setFocus()
    return widget


def _states(view):
    return [view.model.index(row, STATE).data() for row in range(view.model.rowCount())]


def _matches(view):
    return [view.model.index(row, MATCH).data() for row in range(view.model.rowCount())]


# -- the model ---------------------------------------------------------------------------


def test_the_model_passes_qt_checks_and_shows_kwic_columns(concordance_corpus, qtmodeltester):
    ws, _ = concordance_corpus
    model = ConcordanceModel(ws)
    model.query(ConcordanceFilter())
    qtmodeltester.check(model)
    assert model.rowCount() == 10
    assert model.index(0, LEFT).data() == "Presiden "
    assert model.index(0, MATCH).data() == "Joko Widodo"
    assert model.index(0, RIGHT).data().startswith(" bertemu Putin di Jakarta.⏎Joko")  # a newline
    assert model.index(0, LEFT).data(Qt.ItemDataRole.TextAlignmentRole) == (
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )


def test_pages_are_read_only_when_a_row_of_them_is_asked_for(concordance_corpus, monkeypatch):
    ws, _ = concordance_corpus
    monkeypatch.setattr(concordance_model, "PAGE", 3)
    model = ConcordanceModel(ws)
    model.query(ConcordanceFilter())
    assert (model.rowCount(), model.pages_read) == (10, 0)
    assert model.index(9, MATCH).data() == "Joko"  # Gamma, the last document
    assert model.pages_read == 1  # the last page only
    model.index(0, MATCH).data()
    model.index(1, MATCH).data()
    assert model.pages_read == 2
    model.reread()
    assert model.pages_read == 2  # dropped, read again when shown
    model.index(0, MATCH).data()
    assert model.pages_read == 3


def test_in_corpus_order_the_first_page_of_keys_comes_first_and_the_rest_after(
    qtbot, concordance_corpus, monkeypatch
):
    ws, _ = concordance_corpus
    monkeypatch.setattr(concordance_model, "PAGE", 4)
    model = ConcordanceModel(ws)
    model.query(ConcordanceFilter())
    assert model.rowCount() == 10
    assert len(model._keys) == 4 and not model._complete
    qtbot.waitUntil(lambda: model._complete)  # read once the event loop runs
    assert model._keys == ws.concordance.keys(ConcordanceFilter())
    # Lines that changed before the rest was read: the rows are read again whole.
    model.query(ConcordanceFilter())
    ws.delete_span(ws.concordance.keys(ConcordanceFilter(states=("manual",)))[0].id)
    with qtbot.waitSignal(model.modelReset):
        model.complete_keys()
    assert model.rowCount() == 9


def test_nothing_is_read_before_the_dock_is_first_shown(qtbot, concordance_corpus):
    ws, _ = concordance_corpus
    widget = ConcordanceView(ws)
    qtbot.addWidget(widget)
    assert widget.model.rowCount() == 0 and not widget.model.queried


def test_a_header_click_sorts_by_that_column_in_the_database(view, concordance_corpus):
    ws, _ = concordance_corpus
    resets = []
    view.model.modelReset.connect(lambda: resets.append(1))
    view.table.sortByColumn(LEFT, Qt.SortOrder.AscendingOrder)
    assert resets == [1]  # one query, though Qt asks the model to sort twice
    expected = ws.concordance.keys(ConcordanceFilter(), SortKey.LEFT)
    assert view.model.keys() == expected
    view.table.sortByColumn(MATCH, Qt.SortOrder.DescendingOrder)
    assert _matches(view)[0] == "Sergey Lavrov"


def test_the_filter_row_narrows_the_lines(qtbot, view):
    view.label.setCurrentText("LOC")
    assert view.model.rowCount() == 3
    assert view.count.text() == "3 lines"
    view.text.setText("jak")
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    view.label.setCurrentIndex(0)
    view.state.setCurrentText("manual")
    view.text.clear()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert _matches(view) == ["Menteri"]


# -- keys in the table ------------------------------------------------------------------------


def test_enter_accepts_the_selected_lines_and_they_change_in_place(qtbot, view):
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert _states(view)[:3] == ["accepted", "accepted", "pending"]
    assert view.model.rowCount() == 10  # the keys stay: nothing moved


def test_x_rejects_and_a_digit_relabels_by_the_palette_order(qtbot, view):
    view.table.selectRow(2)  # Jakarta, LOC
    qtbot.keyClick(view.table, Qt.Key.Key_X)
    assert _states(view)[2] == "rejected"
    view.table.selectRow(1)  # Putin, PERSON
    qtbot.keyClick(view.table, Qt.Key.Key_2)  # ORG is the second label
    assert _states(view)[1] == "corrected"
    spans = view.workspace.document(view.model.line(1).document_id).spans
    assert [(s.text, s.label) for s in spans] == [("Putin", "ORG")]
    view.table.selectRow(2)
    qtbot.keyClick(view.table, Qt.Key.Key_X)
    assert "none of the 1 line can reject" in view.message.text()


def test_brackets_move_a_boundary_of_the_current_line(qtbot, view):
    row = _matches(view).index("Sergey Lavrov")
    view.table.selectRow(row)
    qtbot.keyClick(view.table, Qt.Key.Key_BracketLeft, Qt.KeyboardModifier.NoModifier, -1)
    assert _states(view)[row] == "corrected"
    qtbot.keyClick(view.table, Qt.Key.Key_BraceRight, Qt.KeyboardModifier.ShiftModifier)
    spans = view.workspace.document(view.model.line(row).document_id).spans
    assert "Menteri Sergey Lavrov tiba" in {s.text for s in spans}


def test_ctrl_a_then_enter_accepts_every_line_of_the_filter_not_only_those_read(
    qtbot, view, monkeypatch
):
    monkeypatch.setattr(concordance_model, "PAGE", 2)
    view.show_filter(ConcordanceFilter(label="PERSON"))
    view.table.scrollToTop()
    qtbot.keyClick(view.table, Qt.Key.Key_A, CTRL)
    assert view.table.all_selected()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    ws = view.workspace
    assert ws.concordance.count(ConcordanceFilter(label="PERSON", states=("accepted",))) == 6
    assert ws.undo_description() == "Accept 6 suggestions"
    assert set(_states(view)) == {"accepted"}


def test_a_decision_keeps_the_scroll_position(qtbot, concordance_corpus):
    ws, _ = concordance_corpus
    from annotator.core.model import Document

    text = " ".join(f"kata{i} Jakarta" for i in range(300))
    (doc_id,) = ws.store.documents.insert([Document(text=text, title="Many")], annotator="t")
    for i in range(300):
        start = text.index(f"kata{i} ") + len(f"kata{i} ")
        ws.add_span(doc_id, start, start + 7, "LOC")
    widget = ConcordanceView(ws)
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.show()
    widget.show_filter(ConcordanceFilter(title="many"))
    widget.table.setFocus()
    widget.table.selectRow(250)
    widget.table.scrollTo(widget.model.index(250, 0))
    before = widget.table.verticalScrollBar().value()
    assert before > 0
    qtbot.keyClick(widget.table, Qt.Key.Key_3)  # LOC -> LOC: nothing to do, said so
    qtbot.keyClick(widget.table, Qt.Key.Key_1)  # -> PERSON
    assert widget.model.index(250, concordance_model.LABEL).data() == "PERSON"
    assert widget.table.verticalScrollBar().value() == before


# -- in the window -----------------------------------------------------------------------------


@pytest.fixture
def seeded(db_path, seed_path):
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([seed_path])
        ws.suggest_corpus()
    return db_path


def test_opened_from_a_selected_suggestion_then_ctrl_o_opens_it(qtbot, seeded):
    win = opened(qtbot, seeded, size=(1400, 900))
    opened_database = []
    win.actions_by_id["open_database"].triggered.connect(lambda: opened_database.append(1))
    qtbot.keyClick(win.view, Qt.Key.Key_Tab)  # the first pending suggestion
    selected = win.view.selected
    assert selected is not None
    qtbot.keyClick(win.view, Qt.Key.Key_K, CTRL_SHIFT)
    view = win.concordance.view
    assert win.concordance.dock.isVisible()
    assert QApplication.focusWidget() is view.table
    assert view.text.text() == selected.text
    assert all(selected.text.lower() in m.lower() for m in _matches(view))
    row = view.model.rowCount() - 1
    view.table.selectRow(row)
    line = view.model.line(row)
    qtbot.keyClick(view.table, Qt.Key.Key_O, CTRL)
    assert opened_database == []  # the dock's Ctrl+O, not the window's
    assert QApplication.focusWidget() is win.view
    assert win.view.selected is not None
    assert (win.view.selected.kind, win.view.selected.id) == (SUGGESTION, line.key.id)


def test_enter_in_the_dock_accepts_there_and_the_article_follows(qtbot, seeded):
    win = opened(qtbot, seeded, size=(1400, 900))
    before = len([i for i in win.view.overlay.items() if i.kind == SPAN])
    qtbot.keyClick(win.view, Qt.Key.Key_K, CTRL_SHIFT)
    view = win.concordance.view
    view.state.setCurrentText("pending")
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert _states(view)[0] == "accepted"
    assert len([i for i in win.view.overlay.items() if i.kind == SPAN]) == before + 1
    qtbot.keyClick(view.table, Qt.Key.Key_Z, CTRL)  # the window's undo; the dock follows
    assert _states(view)[0] == "pending"
    assert len([i for i in win.view.overlay.items() if i.kind == SPAN]) == before


def test_opened_from_the_rule_editor_and_the_label_palette(qtbot, seeded):
    win = opened(qtbot, seeded, size=(1400, 900))
    qtbot.keyClick(win.view, Qt.Key.Key_R, CTRL_SHIFT)  # the rule editor
    editor = win.rule_actions.editor
    rule = win.workspace.concordance.page(ConcordanceFilter(), limit=1)[0].rule
    assert editor.select_rule(rule)
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_K, CTRL_SHIFT)
    view = win.concordance.view
    assert view.rule.currentText() == rule
    assert view.model.rowCount() == win.workspace.concordance.count(ConcordanceFilter(rule=rule))
    palette = win.label_palette
    palette.table.setFocus()
    palette.table.selectRow(2)  # LOC
    qtbot.keyClick(palette.table, Qt.Key.Key_K, CTRL_SHIFT)
    assert view.label.currentText() == "LOC"
    assert {view.model.line(r).label for r in range(view.model.rowCount())} == {"LOC"}
    # The context menu's action on the palette does the same.
    palette.table.selectRow(0)
    (action,) = [a for a in palette.table.actions() if a.text() == "Show in concordance"]
    action.trigger()
    assert view.label.currentText() == "PERSON"


def test_opened_from_the_corpus_search(qtbot, seeded):
    win = opened(qtbot, seeded, size=(1400, 900))
    win.dialogs.search_corpus()
    dialog = win.dialogs.search_dialog
    dialog.query.setText("Lavrov")
    dialog.search_now()
    dialog.concordance_button.click()
    view = win.concordance.view
    assert win.concordance.dock.isVisible()
    assert view.text.text() == "Lavrov"
    assert _matches(view) and all("lavrov" in m.lower() for m in _matches(view))


def test_hidden_it_reads_nothing_and_shown_again_it_shows_what_changed(qtbot, seeded):
    win = opened(qtbot, seeded, size=(1400, 900))
    concordance = win.concordance
    assert not concordance.dock.isVisible() and not concordance.view.model.queried
    qtbot.keyClick(win.view, Qt.Key.Key_K, CTRL_SHIFT)
    view = concordance.view
    first = view.model.line(0)
    concordance.dock.toggleViewAction().trigger()  # hidden
    assert not concordance.dock.isVisible()
    win.apply_change(win.workspace.reject(first.key.id))  # decided in the article meanwhile
    concordance.dock.toggleViewAction().trigger()  # the View menu shows it again
    assert concordance.dock.isVisible()
    assert _states(view)[0] == "rejected"


def test_a_change_over_two_documents_draws_only_the_open_ones_spans(qtbot, seeded):
    from annotator.core.model import Document

    with Workspace.open(seeded, annotator="tester") as ws:
        (other,) = ws.store.documents.insert(
            [Document(text="Dua kata di Bandung. " * 3, title="Lain")], annotator="tester"
        )
        ws.add_span(other, 12, 19, "LOC")
    win = opened(qtbot, seeded, size=(1400, 900))
    here = win.doc.id
    start = win.view.text.index("Rusia")
    win.apply_change(win.workspace.add_span(here, start, start + 5, "LOC"))
    lines = win.workspace.concordance.keys(ConcordanceFilter(states=("manual",)))
    assert len(lines) == 2
    change = win.workspace.concordance.relabel(lines, "ORG")
    assert set(change.documents) == {here, other}
    win.apply_change(change)
    drawn = sorted((i.start, i.end, i.label) for i in win.view.overlay.items() if i.kind == SPAN)
    assert drawn == sorted(s.key for s in win.workspace.document(here).spans)
    assert (12, 19, "ORG") not in drawn  # the other document's span, at its offsets
