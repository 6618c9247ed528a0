"""File > Export: a CoNLL export that cannot hold a span exactly lists it in a warnings dialog;
the tag scheme chosen in the dialog reaches the file; a clean export opens no dialog."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.gui import create_main_window, file_dialogs
from annotator.workspace import Workspace
from tests.gui.conftest import settled

TEXT = "Presiden Joko Widodo bertemu Uber’s CEO di AS-Rusia."
SPANS = [
    {"start": 0, "end": 20, "label": "ROLE"},
    {"start": 9, "end": 20, "label": "PERSON"},
    {"start": 29, "end": 33, "label": "ORG"},
    {"start": 43, "end": 45, "label": "LOC"},
    {"start": 46, "end": 51, "label": "LOC"},
]


@pytest.fixture
def window(qtbot, tmp_path, db_path):
    source = tmp_path / "in.jsonl"
    record = {"id": "a-1", "title": "Satu", "text": TEXT, "spans": SPANS}
    source.write_text(json.dumps(record) + "\n", "utf-8")
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([source])
    win = create_main_window(str(db_path))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return settled(qtbot, win)


def export(qtbot, window, fmt: str, target, scheme: str = "iob2"):
    dialog = file_dialogs.open_export_dialog(window)
    qtbot.waitUntil(dialog.isVisible)
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(fmt))
    assert dialog.scheme_combo.isEnabled() == (fmt in ("conll", "conllu"))
    dialog.scheme_combo.setCurrentIndex(dialog.scheme_combo.findData(scheme))
    dialog.destination.setText(str(target))
    if fmt == "conll":
        dialog.grab().save("/tmp/helpers/exact-export-dialog.png")
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.result_path is not None, timeout=10000)
    return dialog


def test_conll_export_lists_the_span_it_left_out(qtbot, window, tmp_path):
    target = tmp_path / "out.conll"
    dialog = export(qtbot, window, "conll", target, "bioes")
    qtbot.waitUntil(
        lambda: dialog.warnings_dialog is not None and dialog.warnings_dialog.isVisible()
    )
    shown = dialog.warnings_dialog
    assert "1 span could not be written exactly in conll" in shown.summary.text()
    assert shown.listing.toPlainText() == (
        "document a-1 “Satu”: PERSON 9-20 'Joko Widodo': left out of CoNLL: it overlaps "
        "ROLE 0-20 (tags cannot overlap; the outermost span is kept)"
    )
    assert "Warning: 1 span not written exactly." in dialog.message.text()
    shown.grab().save("/tmp/helpers/exact-export-warnings.png")
    lines = target.read_text("utf-8").splitlines()
    assert "Uber\tS-ORG" in lines and "AS\tS-LOC" in lines and "Rusia\tS-LOC" in lines
    qtbot.waitUntil(lambda: QApplication.focusWidget() is shown.close_button)
    qtbot.keyClick(shown.close_button, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not shown.isVisible())
    assert dialog.isVisible()


def test_a_clean_export_opens_no_warnings_dialog(qtbot, window, tmp_path):
    dialog = export(qtbot, window, "jsonl", tmp_path / "out.jsonl")
    assert dialog.warnings_dialog is None
    assert not dialog.scheme_combo.isEnabled()
