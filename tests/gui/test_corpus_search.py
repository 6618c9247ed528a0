"""Corpus search: debounced search as you type, keyboard through the hits, Enter opens, Esc
closes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from annotator.core.errors import UsageError
from annotator.gui.corpus_search import DEBOUNCE_MS, LIMIT, CorpusSearchDialog
from annotator.store.search import SearchHit
from annotator.workspace import Workspace


class RecordingSearch:
    """The workspace's real search, counting the calls; "((" stands for a query the workspace
    refuses (the dialog must show the reason), which the real search never does."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.queries: list[str] = []

    def search(self, query: str, limit: int = 200, *, catch_up: bool = True) -> list[SearchHit]:
        self.queries.append(query)
        if query == "((":
            raise UsageError("cannot search for '((': unbalanced brackets")
        return self.workspace.search(query, limit, catch_up=catch_up)


@pytest.fixture
def corpus(workspace, seed_path, tmp_path):
    workspace.import_paths([seed_path])
    path = tmp_path / "other.txt"
    path.write_text(
        "Lavrov di Jakarta\n\nSergey Lavrov tiba di Jakarta. Lavrov bertemu Retno.\n",
        encoding="utf-8",
    )
    workspace.import_paths([path])
    return workspace


@pytest.fixture
def searcher(corpus):
    return RecordingSearch(corpus)


def open_dialog(qtbot, workspace):
    dialog = CorpusSearchDialog(workspace)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_and_wait(qtbot, dialog, text):
    qtbot.keyClicks(dialog.query, text)
    qtbot.waitUntil(lambda: not dialog._timer.isActive(), timeout=10000)


def test_hit_model_passes_the_model_tester(qtmodeltester, qtbot, searcher):
    dialog = open_dialog(qtbot, searcher)
    type_and_wait(qtbot, dialog, "lavrov")
    qtmodeltester.check(dialog.model)


def test_typing_searches_once_after_a_pause(qtbot, searcher):
    dialog = open_dialog(qtbot, searcher)
    qtbot.keyClicks(dialog.query, "Lavrov")
    assert searcher.queries == []  # nothing while typing
    qtbot.wait(DEBOUNCE_MS + 150)
    assert searcher.queries == ["Lavrov"]
    assert dialog.model.rowCount() == len(searcher.search("Lavrov")) > 3
    assert "matches" in dialog.status.text()


def test_results_show_title_and_context(qtbot, searcher, corpus):
    dialog = open_dialog(qtbot, searcher)
    type_and_wait(qtbot, dialog, "Retno")
    assert dialog.model.rowCount() == 1
    shown = dialog.model.index(0, 0).data()
    assert shown.startswith("Lavrov di Jakarta: ") and "Lavrov bertemu Retno" in shown
    assert dialog.status.text() == "1 match."
    image = dialog.results.grab()  # the two-line delegate paints without error
    assert not image.isNull()


def test_down_and_up_move_through_hits_and_enter_opens_the_selected(qtbot, searcher, corpus):
    dialog = open_dialog(qtbot, searcher)
    type_and_wait(qtbot, dialog, "lavrov")
    assert dialog.results.currentIndex().row() == 0
    qtbot.keyClick(dialog.query, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Up)
    assert dialog.results.currentIndex().row() == 1
    expected = dialog.model.row_at(1)
    with qtbot.waitSignal(dialog.hitActivated, timeout=1000) as signal:
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert signal.args == [expected.document_id, expected.start, expected.end]
    assert corpus.document(expected.document_id).text[expected.start : expected.end] == "Lavrov"
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted


def test_enter_before_the_pause_searches_and_opens_the_first_hit(qtbot, searcher, corpus):
    dialog = open_dialog(qtbot, searcher)
    qtbot.keyClicks(dialog.query, "Retno")
    with qtbot.waitSignal(dialog.hitActivated, timeout=1000) as signal:
        qtbot.keyClick(dialog.query, Qt.Key.Key_Enter)
    doc_id, start, end = signal.args
    assert corpus.document(doc_id).text[start:end] == "Retno"


def test_enter_with_no_hits_keeps_the_dialog_open(qtbot, searcher):
    dialog = open_dialog(qtbot, searcher)
    type_and_wait(qtbot, dialog, "tidak ada kata ini")
    with qtbot.assertNotEmitted(dialog.hitActivated):
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.status.text() == "No matches."


def test_a_refused_query_shows_the_reason(qtbot, searcher):
    dialog = open_dialog(qtbot, searcher)
    type_and_wait(qtbot, dialog, "((")
    assert "unbalanced" in dialog.status.text()
    assert dialog.model.rowCount() == 0


def test_clearing_the_query_clears_the_results(qtbot, searcher):
    dialog = open_dialog(qtbot, searcher)
    type_and_wait(qtbot, dialog, "Lavrov")
    assert dialog.model.rowCount()
    dialog.query.clear()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0, timeout=10000)


def test_escape_closes(qtbot, searcher):
    dialog = open_dialog(qtbot, searcher)
    type_and_wait(qtbot, dialog, "Lavrov")
    with qtbot.assertNotEmitted(dialog.hitActivated):
        qtbot.keyClick(dialog.query, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def test_double_click_opens_a_hit(qtbot, searcher):
    dialog = open_dialog(qtbot, searcher)
    type_and_wait(qtbot, dialog, "Lavrov")
    rect = dialog.results.visualRect(dialog.model.index(2, 0))
    with qtbot.waitSignal(dialog.hitActivated, timeout=1000) as signal:
        qtbot.mouseClick(dialog.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(dialog.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    hit = dialog.model.row_at(2)
    assert signal.args == [hit.document_id, hit.start, hit.end]


def test_real_search_opens_a_hit_in_the_seed(qtbot, corpus):
    dialog = open_dialog(qtbot, corpus)
    type_and_wait(qtbot, dialog, "Lavrov")
    assert dialog.model.rowCount() >= 4
    hit = dialog.model.row_at(0)
    assert hit.match.casefold() == "lavrov"
    with qtbot.waitSignal(dialog.hitActivated, timeout=1000) as signal:
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    doc_id, start, end = signal.args
    assert corpus.document(doc_id).text[start:end].casefold() == "lavrov"


def test_real_search_caps_the_hits(qtbot, corpus, tmp_path):
    path = tmp_path / "many.txt"
    path.write_text("Banyak kata\n\n" + "kata " * (LIMIT + 50) + "\n", encoding="utf-8")
    corpus.import_paths([path])
    dialog = open_dialog(qtbot, corpus)
    type_and_wait(qtbot, dialog, "kata")
    assert dialog.model.rowCount() == LIMIT
    assert str(LIMIT) in dialog.status.text()
