"""Team > Curate document, driven by the keyboard in the real window: the agreements pre-merged
on opening, Tab through the disagreements, 1..9 take a version, 0 rejects, Ctrl+Z undoes, E edits
in the article."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.gui.curation_view import lane_html
from annotator.workspace import Workspace
from tests.curation_data import TEXT, layer_keys, team_document
from tests.gui.conftest import opened

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
AGREED = {(0, 11, "PERSON"), (34, 40, "LOC")}


@pytest.fixture
def team_db(db_path):
    with Workspace.open(db_path, annotator="cora") as ws:
        team_document(ws)
    return db_path


@pytest.fixture
def window(qtbot, team_db, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_NAME", "cora")
    return opened(qtbot, team_db)


def open_curation(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_M, CTRL_SHIFT)
    view = window.curation_view
    qtbot.waitUntil(view.isVisible)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    return view


def lane_text(view, row: int) -> str:
    """A lane's text without its markup (the brackets and label names stay)."""
    return re.sub(r"<[^>]+>", "", view.findChild(type(view.counter), f"lane-{row}").text())


def where(view) -> tuple[int, int]:
    return (view.region.start, view.region.end)


def key(qtbot, view, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(view, k, modifier)


def test_opening_premerges_the_agreements_as_one_undo_step(qtbot, window) -> None:
    ws, doc_id = window.workspace, window.doc.id
    view = open_curation(qtbot, window)
    assert layer_keys(ws, doc_id) == AGREED
    assert "Pre-merge 2 agreed spans" in window.statusBar().currentMessage()
    assert view.counter.text() == "<b>3 of 3 disagreements left</b>"
    assert where(view) == (16, 30)
    lanes = [lane_text(view, n) for n in range(3)]
    assert "[Vladimir]PERSON Putin" in lanes[0]  # ana
    assert "[Vladimir Putin]PERSON in" in lanes[1]  # budi
    assert "nothing marked here" in lanes[2]  # the curated layer
    assert ws.undo_description() == "Pre-merge 2 agreed spans"
    # Opening again pre-merges nothing more, and makes no step.
    key(qtbot, view, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not view.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)
    view = open_curation(qtbot, window)
    assert "already" in window.statusBar().currentMessage()
    assert ws.undo_description() == "Pre-merge 2 agreed spans"


def test_keys_take_reject_and_tab_through_the_unsettled(qtbot, window) -> None:
    ws, doc_id = window.workspace, window.doc.id
    view = open_curation(qtbot, window)
    key(qtbot, view, Qt.Key.Key_Tab)
    assert where(view) == (44, 52)
    key(qtbot, view, Qt.Key.Key_Tab)
    assert where(view) == (62, 65)
    key(qtbot, view, Qt.Key.Key_Tab)  # round the document
    assert where(view) == (16, 30)
    key(qtbot, view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert where(view) == (62, 65)
    key(qtbot, view, Qt.Key.Key_Tab)
    assert where(view) == (16, 30)

    key(qtbot, view, Qt.Key.Key_1)  # ana's Vladimir
    assert layer_keys(ws, doc_id) == AGREED | {(16, 24, "PERSON")}
    assert where(view) == (44, 52)  # on to the next unsettled
    assert view.counter.text() == "<b>2 of 3 disagreements left</b>"
    assert window.view.overlay.get("span", max(s.id for s in view.curation.curated)) is not None

    key(qtbot, view, Qt.Key.Key_0)  # no curated span here: nothing to remove, settled
    assert where(view) == (62, 65)
    assert view.counter.text() == "<b>1 of 3 disagreements left</b>"

    key(qtbot, view, Qt.Key.Key_2)  # budi has no ORG here: the FSA stays out
    assert layer_keys(ws, doc_id) == AGREED | {(16, 24, "PERSON")}
    assert view.counter.text() == "<b>0 of 3 disagreements left</b>"
    key(qtbot, view, Qt.Key.Key_Tab)
    assert "Every disagreement" in window.statusBar().currentMessage()


def test_changing_a_decision_and_undo_in_the_view(qtbot, window) -> None:
    ws, doc_id = window.workspace, window.doc.id
    view = open_curation(qtbot, window)
    key(qtbot, view, Qt.Key.Key_2)  # budi's Vladimir Putin
    assert layer_keys(ws, doc_id) == AGREED | {(16, 30, "PERSON")}
    key(qtbot, view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert where(view) == (62, 65)  # a settled region is not visited by Tab
    key(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert layer_keys(ws, doc_id) == AGREED
    assert "Undone: Take budi's version" in window.statusBar().currentMessage()
    assert view.counter.text() == "<b>3 of 3 disagreements left</b>"
    key(qtbot, view, Qt.Key.Key_Z, CTRL_SHIFT)
    assert layer_keys(ws, doc_id) == AGREED | {(16, 30, "PERSON")}
    key(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    key(qtbot, view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the pre-merge
    assert layer_keys(ws, doc_id) == set()


def test_delete_rejects_what_the_curated_layer_took(qtbot, window) -> None:
    ws, doc_id = window.workspace, window.doc.id
    view = open_curation(qtbot, window)
    key(qtbot, view, Qt.Key.Key_Tab)
    key(qtbot, view, Qt.Key.Key_2)  # budi's Saturday
    assert (44, 52, "DATE") in layer_keys(ws, doc_id)
    key(qtbot, view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert where(view) == (16, 30)
    view.region = view.curation.region_at(44, 52)
    key(qtbot, view, Qt.Key.Key_Delete)
    assert layer_keys(ws, doc_id) == AGREED
    assert ws.undo_description().startswith("Reject every version at [44, 52)")


def test_e_edits_the_region_in_the_article(qtbot, window) -> None:
    view = open_curation(qtbot, window)
    key(qtbot, view, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: not view.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)
    assert window.view.selection_offsets() == (16, 30)


def test_a_document_without_annotators_has_nothing_to_curate(qtbot, db_path, tmp_path) -> None:
    source = tmp_path / "lone.txt"
    source.write_text("Presiden Joko Widodo di Jakarta.", encoding="utf-8")
    with Workspace.open(db_path) as ws:
        ws.import_paths([source])
    window = opened(qtbot, db_path)
    qtbot.keyClick(window.view, Qt.Key.Key_M, CTRL_SHIFT)
    assert not window.curation_view.isVisible()
    assert "nothing to curate" in window.statusBar().currentMessage()


def test_lane_html_brackets_nested_spans() -> None:
    from annotator.core.model import Span

    outer = Span(16, 30, "PERSON", TEXT[16:30])
    inner = Span(25, 30, "ROLE", TEXT[25:30])
    shown = lane_html(TEXT, 16, 30, (outer, inner), {"PERSON": "#ff0000"})
    assert shown.count("[") == 2
    assert shown.endswith("]<sub><b>PERSON</b></sub>")
    assert "Putin</span>]<sub><b>ROLE</b></sub>" in shown
