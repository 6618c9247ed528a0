"""File > Export on a team's database: a layer choice (the curated layer first), and the message
says which layer was written. A lone analyst's database shows no such choice."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.workspace import Workspace
from tests.curation_data import LAYERS, team_document
from tests.gui.conftest import opened

CTRL = Qt.KeyboardModifier.ControlModifier


def open_export(qtbot, window):
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)
    qtbot.keyClick(window.view, Qt.Key.Key_E, CTRL)
    dialog = window.export_dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.format_combo)
    return dialog


def run_export(qtbot, dialog, target) -> set[tuple[int, int, str]]:
    dialog.destination.edit.setFocus()
    dialog.destination.edit.setText(str(target))
    qtbot.keyClick(dialog.destination.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.running(), timeout=10000)
    assert dialog.result_path is not None, dialog.message.text()
    keys = set()
    for line in target.read_text(encoding="utf-8").splitlines():
        keys |= {(s["start"], s["end"], s["label"]) for s in json.loads(line)["spans"]}
    return keys


def test_the_layer_choice_writes_that_layer_and_says_so(qtbot, db_path, tmp_path):
    with Workspace.open(db_path, annotator="cora") as ws:
        ws.premerge_agreements(team_document(ws))
    window = opened(qtbot, db_path)
    dialog = open_export(qtbot, window)
    combo = dialog.layer_combo
    assert combo.isVisible()
    assert [combo.itemData(i) for i in range(combo.count())] == ["curated", "ana", "budi"]
    assert combo.currentData() == "curated"
    curated = run_export(qtbot, dialog, tmp_path / "curated.jsonl")
    assert curated == {(0, 11, "PERSON"), (34, 40, "LOC")}
    assert "with 2 spans of the curated layer" in dialog.message.text()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())

    dialog = open_export(qtbot, window)
    dialog.layer_combo.setFocus()
    qtbot.keyClick(dialog.layer_combo, Qt.Key.Key_Down)
    assert dialog.layer_combo.currentData() == "ana"
    assert run_export(qtbot, dialog, tmp_path / "ana.jsonl") == set(LAYERS["ana"])
    assert "with 4 spans of ana's layer" in dialog.message.text()


def test_a_lone_analysts_export_has_no_layer_choice(qtbot, db_path, tmp_path):
    window = opened(qtbot, db_path)
    dialog = open_export(qtbot, window)
    assert not dialog.layer_combo.isVisible()
    run_export(qtbot, dialog, tmp_path / "all.jsonl")
    assert "layer" not in dialog.message.text()
