"""File > Import's label table: incoming labels, their span counts, the label each is stored as
(likely matches preselected), by keyboard; and the whole path from the files to the window."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from annotator.gui import create_main_window, file_dialogs
from annotator.gui.label_map_dialog import LabelMapDialog
from annotator.workspace import IncomingLabels, Workspace
from tests.gui.conftest import settled

EXISTING = ["PERSON", "ORG", "LOC", "DATE", "ROLE", "QUOTE"]
TEXT = "Budi bekerja di Acme Widget Pro di Jakarta, kata PBB."


def incoming() -> IncomingLabels:
    spans = Counter({"Person": 3, "GPE": 2, "Product Name": 2, "PLC": 1, "ORGANIZATION": 1})
    return IncomingLabels(spans=spans, documents=4, complete=True)


@pytest.fixture
def table(qtbot):
    dialog = LabelMapDialog(incoming(), EXISTING)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_likely_matches_are_preselected_and_counts_shown(table):
    assert table.mapping() == {
        "Person": "PERSON",
        "GPE": "LOC",
        "Product Name": "Product Name",
        "PLC": "PLC",
        "ORGANIZATION": "ORG",
    }
    rows = [(table.table.item(r, 0).text(), table.table.item(r, 1).text()) for r in range(5)]
    assert rows[0] == ("Person", "3")  # most spans first
    assert table.combos["PLC"].currentText() == "new label PLC"


def test_arrows_move_between_rows_a_letter_picks_and_enter_imports(qtbot, table):
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table.combos["Person"])
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    plc_row = [table.table.item(r, 0).text() for r in range(5)].index("PLC")
    assert plc_row == 4 and QApplication.focusWidget() is table.combos["PLC"]
    qtbot.keyClicks(table.combos["PLC"], "L")  # keyboard search: LOC
    assert table.mapping()["PLC"] == "LOC"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Up)
    assert table.table.currentRow() == 3
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert table.result() == QDialog.DialogCode.Accepted
    assert table.mapping()["PLC"] == "LOC"


def test_esc_cancels(qtbot, table):
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table.combos["Person"])
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert table.result() == QDialog.DialogCode.Rejected


def test_a_capped_pre_read_says_so(qtbot):
    found = IncomingLabels(spans=Counter({"PER": 1}), documents=500, complete=False)
    dialog = LabelMapDialog(found, EXISTING)
    qtbot.addWidget(dialog)
    assert dialog.mapping() == {"PER": "PERSON"}
    labels = [w.text() for w in dialog.findChildren(QLabel)]
    assert any("The first 500 documents" in t for t in labels), labels


@pytest.fixture
def window(qtbot, db_path):
    win = create_main_window(str(db_path))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return settled(qtbot, win)


def test_import_through_the_table_into_the_window_and_out_again(qtbot, window, tmp_path):
    source = tmp_path / "in.jsonl"
    spans = [
        {"start": 0, "end": 4, "label": "Person"},
        {"start": 16, "end": 31, "label": "Product Name"},
        {"start": 35, "end": 42, "label": "PLC"},
    ]
    source.write_text(json.dumps({"text": TEXT, "spans": spans}) + "\n", encoding="utf-8")
    dialog = file_dialogs.open_import_dialog(window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.paths.edit)
    qtbot.keyClicks(dialog.paths.edit, str(source))
    qtbot.keyClick(dialog.paths.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.label_table is not None and dialog.label_table.isVisible())
    table = dialog.label_table
    qtbot.waitUntil(lambda: QApplication.focusWidget() in table.combos.values())
    while QApplication.focusWidget() is not table.combos["PLC"]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    qtbot.keyClicks(table.combos["PLC"], "L")
    table.grab().save(str(tmp_path / "label_table.png"))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(window, "import_report", None) is not None, timeout=10000)
    summary = window.import_report.summary.text()
    assert "Mapped Person -> PERSON" in summary and "Mapped PLC -> LOC" in summary
    with Workspace.open(window.workspace.location) as ws:
        doc_id = max(window.navigator.ordered_ids())
        stored = sorted((s.text, s.label) for s in ws.document(doc_id).spans)
        out = tmp_path / "out.jsonl"
        ws.export("jsonl", out, labels=["Product Name"])
    assert stored == [("Acme Widget Pro", "Product Name"), ("Budi", "PERSON"), ("Jakarta", "LOC")]
    assert "Product Name" in {label.name for label in window.workspace.labels()}
    assert json.loads(out.read_text())["spans"][0]["label"] == "Product Name"


def test_esc_on_the_table_imports_nothing(qtbot, window, tmp_path):
    source = tmp_path / "in.jsonl"
    spans = [{"start": 0, "end": 4, "label": "Person"}]
    source.write_text(json.dumps({"text": TEXT, "spans": spans}) + "\n", encoding="utf-8")
    before = len(window.navigator.ordered_ids())
    dialog = file_dialogs.open_import_dialog(window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.paths.edit)
    qtbot.keyClicks(dialog.paths.edit, str(source))
    qtbot.keyClick(dialog.paths.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.label_table is not None and dialog.label_table.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() in dialog.label_table.combos.values())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.label_table.isVisible())
    assert dialog.isVisible() and dialog.task is None
    assert "label table was cancelled" in dialog.message.text()
    assert len(window.navigator.ordered_ids()) == before
