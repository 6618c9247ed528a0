"""The window catches the full-text index up off its GUI thread: a database imported from the
command line (the index left behind) is indexed in the background once the window opens, a corpus
search meanwhile finds every document without indexing, and an import made elsewhere while the
window is open is indexed when the search dialog opens."""

from __future__ import annotations

from annotator.gui.corpus_search import DEBOUNCE_MS
from annotator.workspace import Workspace
from tests.gui.conftest import opened


def _import(db, tmp_path, name: str, count: int) -> list[int]:
    folder = tmp_path / name
    folder.mkdir()
    for i in range(count):
        (folder / f"{i:03}.txt").write_text(
            f"Berita {name} {i}\n\nPresiden bertemu menteri {name}{i} di Jakarta.\n",
            encoding="utf-8",
        )
    with Workspace.open(db) as workspace:
        return workspace.import_paths([folder]).document_ids


def test_the_window_indexes_a_backlog_in_the_background(qtbot, db_path, tmp_path):
    ids = _import(db_path, tmp_path, "awal", 30)
    with Workspace.open(db_path) as workspace:
        assert workspace.search_backlog() == 30
    window = opened(qtbot, db_path)
    qtbot.waitUntil(lambda: not window.search_indexing.running, timeout=20000)
    assert window.search_indexing.indexed == 30
    assert window.workspace.search_backlog() == 0

    later = _import(db_path, tmp_path, "susulan", 5)  # another program imports meanwhile
    assert window.workspace.search_backlog() == 5
    window.dialogs.search_corpus()
    dialog = window.dialogs.search_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.query, "susulan3")
    qtbot.wait(DEBOUNCE_MS + 50)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    assert dialog.model.rows()[0].document_id == later[3]
    qtbot.waitUntil(lambda: window.workspace.search_backlog() == 0, timeout=20000)
    # The task's count arrives after its last transaction commits (a signal, on a loaded machine
    # a moment later).
    qtbot.waitUntil(lambda: not window.search_indexing.running, timeout=20000)
    assert window.search_indexing.indexed == 35 and ids[0] < later[0]
    dialog.reject()


def test_a_search_while_the_index_is_behind_finds_every_document_and_does_not_index(
    qtbot, db_path, tmp_path
):
    ids = _import(db_path, tmp_path, "awal", 12)
    window = opened(qtbot, db_path)
    window.search_indexing.stop()  # as if the catch-up had not got there yet
    with Workspace.open(db_path) as workspace:
        workspace.search("kosong")  # nothing indexed by this either: it catches up
    _import(db_path, tmp_path, "baru", 8)
    backlog = window.workspace.search_backlog()
    assert backlog == 8
    from annotator.gui.corpus_search import CorpusSearchDialog

    dialog = CorpusSearchDialog(window.workspace, window)
    qtbot.addWidget(dialog)
    dialog.query.setText("presiden")
    dialog.search_now()
    assert dialog.model.rowCount() == 20  # the indexed 12 and the 8 the index lacks
    assert window.workspace.search_backlog() == backlog  # the GUI thread indexed nothing
    assert dialog.model.rows()[0].document_id == ids[0]
