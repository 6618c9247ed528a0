"""Under a real X server: Ctrl+Shift+M opens the curation of a team's document (the agreements
pre-merged), Tab walks the disagreements, 1 takes the first annotator's version, 0 rejects,
Ctrl+Z undoes, E goes to the article at the region."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from annotator.workspace import Workspace
from tests.curation_data import layer_keys, team_document

AGREED = {(0, 11, "PERSON"), (34, 40, "LOC")}


@pytest.fixture
def team_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("team-template") / "team.sqlite"
    with Workspace.open(path, annotator="lead") as ws:
        team_document(ws)
    return path


def _where(view) -> tuple[int, int]:
    return (view.region.start, view.region.end)


@pytest.mark.action("curate_document")
def test_curation_by_keys(open_window, team_template, keys, qtbot):
    window = open_window(team_template)
    ws, doc_id = window.workspace, window.doc.id
    view = window.curation_view
    keys.press_action("curate_document", until=view.isVisible)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    assert layer_keys(ws, doc_id) == AGREED
    assert _where(view) == (16, 30)

    keys.press("Tab", until=lambda: _where(view) == (44, 52))
    keys.press("shift+Tab", until=lambda: _where(view) == (16, 30))
    keys.press("1", until=lambda: (16, 24, "PERSON") in layer_keys(ws, doc_id))
    assert _where(view) == (44, 52)
    assert "2 of 3 disagreements left" in view.counter.text()

    keys.press("ctrl+z", until=lambda: layer_keys(ws, doc_id) == AGREED)
    assert "3 of 3 disagreements left" in view.counter.text()
    keys.press("2")  # budi's Saturday
    assert (44, 52, "DATE") in layer_keys(ws, doc_id)
    view.region = view.curation.region_at(44, 52)
    keys.press("Delete", until=lambda: layer_keys(ws, doc_id) == AGREED)

    view.region = view.curation.region_at(16, 30)
    keys.press("e", until=lambda: not view.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)
    assert window.view.selection_offsets() == (16, 30)
