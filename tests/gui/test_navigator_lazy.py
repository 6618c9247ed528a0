"""The navigator on a corpus of thousands: pages read on demand, filter and sort in the database
equal to a plain Python filter and sort of the same lines, and the selection kept."""

from __future__ import annotations

import json
import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.gui.navigator import DATE, PENDING, SPANS, STATUS, TITLE, DocumentNavigator
from annotator.gui.navigator_model import PAGE
from annotator.workspace import DocumentQuery

DOCS = 2500
WORDS = ("Banjir", "presiden", "Harga", "beras", "Ékonomi", "öl", "Jakarta", "GEMPA", "istana")
STATUS_RANK = {"new": 0, "in progress": 1, "done": 2}


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory):
    """DOCS JSONL articles: titles of mixed case and accents, a third with an ISO publication
    date, 0-4 spans each."""
    rng = random.Random(13)
    path = tmp_path_factory.mktemp("lazy") / "articles.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(DOCS):
            title = " ".join(rng.choice(WORDS) for _ in range(3)) + f" {i}"
            text = f"{title}\n\nPresiden Joko Widodo di Jakarta pada Senin. Nomor {i}.\n"
            spans = [{"start": 0, "end": 6, "label": "LOC"}] if rng.random() < 0.5 else []
            if rng.random() < 0.3:
                at = text.index("Joko")
                spans.append({"start": at, "end": at + 11, "label": "PERSON"})
            meta = {}
            if i % 3 == 0:
                meta["published"] = f"20{rng.randint(10, 24)}-0{rng.randint(1, 9)}-1{i % 10}T08:00"
            record = {"title": title, "text": text, "spans": spans, "meta": meta}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


@pytest.fixture
def corpus(workspace, corpus_file):
    report = workspace.import_paths([corpus_file])
    assert report.imported == DOCS
    summaries = workspace.documents()
    for summary in summaries[5:40:7]:
        workspace.set_status(summary.id, "done")
    for summary in summaries[10:40:9]:
        workspace.suggest(summary.id)  # pending suggestions on a few
    return workspace


@pytest.fixture
def nav(qtbot, corpus):
    widget = DocumentNavigator(corpus)
    qtbot.addWidget(widget)
    widget.resize(600, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def python_key(column):
    """The order each column sorts by, computed in Python from the full summaries."""

    def date(summary):
        published = summary.published or ""
        if published[:4].isdigit() and published[4:5] == "-":
            return published.replace("T", " ")
        return summary.imported_at.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")

    return {
        TITLE: lambda s: s.title.casefold(),
        DATE: date,
        STATUS: lambda s: STATUS_RANK[str(s.status)],
        SPANS: lambda s: s.spans,
        PENDING: lambda s: s.pending_suggestions,
    }[column]


def test_row_count_is_every_document_and_only_the_shown_pages_are_read(qtbot, nav, corpus):
    assert nav.model.rowCount() == DOCS == corpus.document_pages.count(DocumentQuery())
    QApplication.processEvents()
    assert nav.model.pages_read <= 2 and nav.model.loaded_rows() <= 2 * PAGE
    before = nav.model.pages_read
    nav.table.scrollToBottom()
    qtbot.waitUntil(lambda: nav.model.pages_read > before)
    QApplication.processEvents()
    assert nav.model.pages_read - before <= 2  # the last page or two, not the ones between
    assert nav.model.loaded_rows() <= 4 * PAGE
    last = corpus.documents()[-1]
    assert nav.model.index(DOCS - 1, TITLE).data() == last.title


def test_a_new_query_reads_one_page_of_ids_until_the_first_screen_is_painted(qtbot, nav):
    nav.model.sort(TITLE, Qt.SortOrder.AscendingOrder)
    assert nav.model.rowCount() == DOCS
    assert len(nav.model._ids) == PAGE  # the rest after the paint
    qtbot.waitUntil(lambda: len(nav.model._ids) == DOCS)


@pytest.mark.parametrize("column", [TITLE, DATE, STATUS, SPANS, PENDING])
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_every_sort_equals_a_python_sort_of_the_same_lines(nav, corpus, column, order):
    summaries = corpus.documents()
    descending = order == Qt.SortOrder.DescendingOrder
    # Python's sort is stable both ways: ties stay in import order, as in the database.
    expected = sorted(summaries, key=python_key(column), reverse=descending)
    nav.table.sortByColumn(column, order)
    assert nav.ordered_ids() == [s.id for s in expected]
    rows = (0, DOCS // 2, DOCS - 1)
    shown = [nav.model.index(row, column).data() for row in rows]
    if column == TITLE:
        assert shown == [expected[row].title for row in rows]
    elif column == STATUS:
        assert shown == [str(expected[row].status) for row in rows]
    elif column != DATE:
        assert shown == [python_key(column)(expected[row]) for row in rows]


@pytest.mark.parametrize("needle", ["BERAS", "ékon", "ÖL", "gempa 12", "no such title"])
def test_the_filter_equals_a_python_filter_in_the_current_sort(qtbot, nav, corpus, needle):
    nav.table.sortByColumn(TITLE, Qt.SortOrder.DescendingOrder)
    nav.filter.setText(needle)  # (keyClicks types ASCII only)
    summaries = sorted(corpus.documents(), key=python_key(TITLE), reverse=True)
    expected = [s.id for s in summaries if needle.casefold() in s.title.casefold()]
    assert nav.model.rowCount() == len(expected)
    if expected:
        assert nav.ordered_ids() == expected
    else:  # next and previous walk the whole list meanwhile
        assert nav.ordered_ids() == [s.id for s in summaries]


def test_the_open_document_stays_selected_after_an_action_a_sort_and_a_filter(qtbot, nav, corpus):
    target = corpus.documents()[1234]
    nav.set_current(target.id)
    corpus.set_status(target.id, "done")
    nav.update_document(target.id)
    row = nav.model.row_of(target.id)
    assert nav.model.index(row, STATUS).data() == "done"

    def selected():
        rows = nav.table.selectionModel().selectedRows()
        return rows[0].data(Qt.ItemDataRole.UserRole) if rows else None

    assert selected() == target.id
    nav.table.sortByColumn(STATUS, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: selected() == target.id)
    qtbot.keyClicks(nav.filter, target.title)
    qtbot.waitUntil(lambda: selected() == target.id)
    assert nav.model.index(nav.model.row_of(target.id), TITLE).data(Qt.ItemDataRole.FontRole).bold()
    nav.filter.clear()
    nav.refresh()
    qtbot.waitUntil(lambda: selected() == target.id)


def test_ctrl_end_then_enter_opens_the_last_document(qtbot, nav, corpus):
    nav.table.setFocus()
    nav.table.select_row(0)
    qtbot.keyClick(nav.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(nav.documentActivated, timeout=1000) as signal:
        qtbot.keyClick(nav.table, Qt.Key.Key_Return)
    assert signal.args == [corpus.documents()[-1].id]


def test_position_and_next_not_done_follow_the_order(nav, corpus):
    summaries = corpus.documents()
    assert nav.position(summaries[3].id) == (4, DOCS)
    done = {s.id for s in summaries if str(s.status) == "done"}
    after = summaries[4].id  # the next one (5) is done: it is skipped
    assert summaries[5].id in done
    assert nav.next_not_done(after) == summaries[6].id
