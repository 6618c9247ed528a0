"""The window on a team's database: switching annotator, blind layers, own documents."""

from __future__ import annotations

from annotator.core.model import Document, DocumentStatus
from annotator.gui.annotator_switch import AnnotatorDialog, identity_text, switch_annotator
from annotator.gui.preferences import ANNOTATOR_KEY
from annotator.workspace import Workspace
from tests.gui.conftest import opened


def _team_database(db_path) -> list[int]:
    with Workspace.open(db_path, annotator="lead") as ws:
        docs = ws.store.documents.insert(
            [Document(text=f"Joko Widodo ke Bandung, hari {n}.", title=f"b{n}") for n in range(3)],
            annotator="lead",
        )
        ws.add_annotator("ana", "Ana Suryani")
        ws.add_annotator("budi")
        ws.add_annotator("cici", "Cici", role="curator")
        ws.assign(docs[:2], ["ana", "budi"])
        ws.annotator = "budi"
        ws.add_span(docs[0], 0, 11, "PERSON")
        ws.set_status(docs[1], DocumentStatus.DONE)
        ws.annotator = "lead"
        ws.add_span(docs[0], 15, 22, "LOC")
    return docs


def test_the_dialog_lists_the_team_and_a_pick_fills_the_name(qtbot, db_path):
    _team_database(db_path)
    with Workspace.open(db_path, annotator="lead") as ws:
        dialog = AnnotatorDialog(ws)
        qtbot.addWidget(dialog)
        texts = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        assert "Ana Suryani (ana) — annotator, 0 of 2 documents done" in texts
        assert "budi — annotator, 1 of 2 documents done" in texts
        assert "Cici (cici) — curator" in texts
        dialog.list.setCurrentRow(texts.index("budi — annotator, 1 of 2 documents done"))
        assert dialog.chosen() == "budi"


def test_switching_shows_each_annotators_own_layer_and_documents(qtbot, db_path):
    docs = _team_database(db_path)
    window = opened(qtbot, db_path)
    window.open_document(docs[0])
    # The lead (no assignment) sees the main layer: the LOC span only.
    assert window.view.overlay.span_count() == 1
    assert not window.navigator.only_mine.isVisibleTo(window)
    assert switch_annotator(window, "ana")
    assert window.settings.value(ANNOTATOR_KEY) == "ana"
    assert window.view.overlay.span_count() == 0  # blind: not budi's, not the main layer's
    assert "Ana Suryani, own layer" in window.windowTitle()
    assert window.navigator.ordered_ids() == docs[:2]
    window.navigator.only_mine.setChecked(False)
    assert window.navigator.ordered_ids() == docs
    window.navigator.only_mine.setChecked(True)

    assert switch_annotator(window, "budi")
    assert window.view.overlay.span_count() == 1
    statuses = [window.navigator.model.summary(row).status for row in range(2)]
    assert statuses == [DocumentStatus.IN_PROGRESS, DocumentStatus.DONE]  # budi's own
    assert window.navigator.next_not_done(docs[1]) == docs[0]

    assert switch_annotator(window, "cici")  # a curator: the curated (main) layer
    assert window.view.overlay.span_count() == 1
    assert identity_text(window.workspace, docs[0]) == "Cici, curated layer"


def test_a_bad_name_is_refused_in_the_status_bar(qtbot, db_path):
    _team_database(db_path)
    window = opened(qtbot, db_path)
    before = window.workspace.annotator
    assert not switch_annotator(window, "a\tb")
    assert window.workspace.annotator == before
    assert "no line breaks" in window.statusBar().currentMessage()
