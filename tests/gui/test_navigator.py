"""The document navigator: filter, sort, keyboard, and rows that follow the workspace."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from annotator.gui.navigator import DATE, PENDING, SPANS, STATUS, TITLE, DocumentNavigator

TITLES = (
    "Banjir melanda Jakarta Utara",
    "Presiden bertemu Perdana Menteri Jepang",
    "Harga beras naik menjelang Lebaran",
)


@pytest.fixture
def corpus(workspace, tmp_path, seed_path):
    """The seed article (published 2015-10-25), then three plain-text articles, imported in that
    order."""
    workspace.import_paths([seed_path])
    folder = tmp_path / "docs"
    folder.mkdir()
    for i, title in enumerate(TITLES):
        path = folder / f"{i}.txt"
        path.write_text(
            f"{title}\n\nPresiden Joko Widodo di Jakarta pada Senin (3/4).\n", encoding="utf-8"
        )
        workspace.import_paths([path])
    return workspace


@pytest.fixture
def nav(qtbot, corpus):
    widget = DocumentNavigator(corpus)
    qtbot.addWidget(widget)
    widget.resize(600, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def ids_by_title(workspace) -> dict[str, int]:
    return {s.title: s.id for s in workspace.documents()}


def cell(nav, row: int, column: int):
    return nav.model.index(row, column).data()


def click_header(qtbot, nav, column: int) -> None:
    header = nav.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


def test_models_pass_the_model_tester(qtmodeltester, nav):
    qtmodeltester.check(nav.model)


def test_rows_start_in_import_order_with_date_status_and_counts(nav, corpus):
    summaries = corpus.documents()
    assert nav.ordered_ids() == [s.id for s in summaries]
    assert [cell(nav, row, TITLE) for row in range(4)] == [summaries[0].title, *TITLES]
    assert cell(nav, 0, DATE) == "2015-10-25"  # the article's own date, not the import date
    assert cell(nav, 1, DATE) == summaries[1].imported_at.astimezone().date().isoformat()
    assert [cell(nav, row, STATUS) for row in range(4)] == ["new"] * 4
    assert cell(nav, 0, SPANS) == 0 and cell(nav, 0, PENDING) == 0


def test_typing_in_the_filter_keeps_matching_titles_ignoring_case(qtbot, nav, corpus):
    qtbot.keyClicks(nav.filter, "PRESIDEN")
    assert nav.ordered_ids() == [ids_by_title(corpus)[TITLES[1]]]
    nav.filter.clear()
    assert len(nav.ordered_ids()) == 4


def test_enter_in_the_filter_opens_the_first_row(qtbot, nav, corpus):
    qtbot.keyClicks(nav.filter, "beras")
    with qtbot.waitSignal(nav.documentActivated, timeout=1000) as signal:
        qtbot.keyClick(nav.filter, Qt.Key.Key_Return)
    assert signal.args == [ids_by_title(corpus)[TITLES[2]]]


def test_down_moves_into_the_table_and_enter_opens_the_row_there(qtbot, nav, corpus):
    nav.focus_filter()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is nav.filter)
    qtbot.keyClicks(nav.filter, "ER")  # Kerja, bertemu, beras: not Banjir
    expected = [s for s in corpus.documents() if "er" in s.title.lower()]
    assert nav.ordered_ids() == [s.id for s in expected] and len(expected) == 3
    qtbot.keyClick(nav.filter, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is nav.table
    assert nav.table.currentIndex().row() == 0
    qtbot.keyClick(nav.table, Qt.Key.Key_Down)
    with qtbot.waitSignal(nav.documentActivated, timeout=1000) as signal:
        qtbot.keyClick(nav.table, Qt.Key.Key_Return)
    assert signal.args == [expected[1].id]


def test_double_click_opens_a_row(qtbot, nav, corpus):
    index = nav.model.index(2, TITLE)
    rect = nav.table.visualRect(index)
    with qtbot.waitSignal(nav.documentActivated, timeout=1000) as signal:
        # a real double click: press and release, then the double-click event
        qtbot.mouseClick(nav.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(nav.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [corpus.documents()[2].id]


def test_a_filter_that_hides_everything_leaves_the_whole_order_for_next_and_previous(
    qtbot, nav, corpus
):
    click_header(qtbot, nav, TITLE)
    qtbot.keyClicks(nav.filter, "zzz no such title")
    assert nav.model.rowCount() == 0
    by_title = sorted(corpus.documents(), key=lambda s: s.title.casefold())
    assert nav.ordered_ids() == [s.id for s in by_title]


def test_header_clicks_sort_ascending_then_descending_then_back_to_import_order(qtbot, nav, corpus):
    import_order = [s.id for s in corpus.documents()]
    by_title = [s.id for s in sorted(corpus.documents(), key=lambda s: s.title.casefold())]
    click_header(qtbot, nav, TITLE)
    assert nav.ordered_ids() == by_title
    click_header(qtbot, nav, TITLE)
    assert nav.ordered_ids() == by_title[::-1]
    click_header(qtbot, nav, TITLE)
    assert nav.ordered_ids() == import_order


def test_sorting_by_date_puts_the_2015_article_first(qtbot, nav, corpus):
    seed_id = corpus.documents()[0].id
    nav.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    nav.table.sortByColumn(DATE, Qt.SortOrder.DescendingOrder)
    assert nav.ordered_ids()[-1] == seed_id
    nav.table.sortByColumn(DATE, Qt.SortOrder.AscendingOrder)
    assert nav.ordered_ids()[0] == seed_id


def test_sorting_by_status_and_pending_counts(nav, corpus):
    summaries = corpus.documents()
    corpus.set_status(summaries[1].id, "done")
    corpus.suggest(summaries[3].id)
    nav.refresh()
    nav.table.sortByColumn(STATUS, Qt.SortOrder.DescendingOrder)
    assert nav.ordered_ids()[0] == summaries[1].id
    nav.table.sortByColumn(PENDING, Qt.SortOrder.DescendingOrder)
    assert nav.ordered_ids()[0] == summaries[3].id


def test_set_current_selects_and_bolds_without_activating(qtbot, nav, corpus):
    target = corpus.documents()[3].id
    with qtbot.assertNotEmitted(nav.documentActivated):
        nav.set_current(target)
    selected = nav.table.selectionModel().selectedRows()
    assert [index.data(Qt.ItemDataRole.UserRole) for index in selected] == [target]
    assert nav.model.index(3, TITLE).data(Qt.ItemDataRole.FontRole).bold()
    assert not nav.model.index(0, TITLE).data(Qt.ItemDataRole.FontRole)


def test_update_document_changes_one_row_without_a_reset(qtbot, nav, corpus):
    seed_id = corpus.documents()[0].id
    nav.set_current(seed_id)
    resets = []
    nav.model.modelReset.connect(lambda: resets.append(1))
    corpus.suggest(seed_id)
    pending = corpus.suggestions(seed_id)
    corpus.accept(pending[0][1].id)
    nav.update_document(seed_id)
    assert resets == []
    assert cell(nav, 0, SPANS) == 1
    assert cell(nav, 0, PENDING) == len(pending) - 1 > 0
    assert cell(nav, 0, STATUS) == "in progress"
    assert nav.table.selectionModel().selectedRows()[0].data(Qt.ItemDataRole.UserRole) == seed_id


def test_refresh_shows_new_documents_and_keeps_the_selection(nav, corpus, tmp_path):
    second = corpus.documents()[1].id
    nav.set_current(second)
    path = tmp_path / "new.txt"
    path.write_text("Gempa di Lombok\n\nGempa mengguncang Lombok.\n", encoding="utf-8")
    corpus.import_paths([path])
    nav.refresh()
    assert len(nav.ordered_ids()) == 5
    assert cell(nav, 4, TITLE) == "Gempa di Lombok"
    assert nav.table.selectionModel().selectedRows()[0].data(Qt.ItemDataRole.UserRole) == second


def test_update_document_of_an_unseen_document_reloads(nav, corpus, tmp_path):
    path = tmp_path / "late.txt"
    path.write_text("Berita terlambat\n\nIsi.\n", encoding="utf-8")
    corpus.import_paths([path])
    new_id = corpus.documents()[-1].id
    nav.update_document(new_id)
    assert nav.ordered_ids()[-1] == new_id


def test_enter_and_down_stay_in_the_navigator_when_the_window_binds_return(qtbot, corpus):
    window = QWidget()
    fired = []
    QShortcut(QKeySequence("Return"), window, lambda: fired.append("accept"))
    nav = DocumentNavigator(corpus, window)
    QVBoxLayout(window).addWidget(nav)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    nav.focus_filter()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is nav.filter)
    with qtbot.waitSignal(nav.documentActivated, timeout=1000):
        qtbot.keyClick(nav.filter, Qt.Key.Key_Return)
    qtbot.keyClick(nav.filter, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is nav.table
    with qtbot.waitSignal(nav.documentActivated, timeout=1000):
        qtbot.keyClick(nav.table, Qt.Key.Key_Return)
    assert fired == []
