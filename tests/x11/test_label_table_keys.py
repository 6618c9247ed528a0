"""Under a real X server: File > Import's label table by keys. Down moves to the next incoming
label, a letter picks its target, Enter imports with the table's mapping; Esc goes back to the
Import dialog and nothing is imported."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QApplication

TEXT = "Budi bekerja di Acme Widget Pro di Jakarta."


def _source(tmp_path):
    path = tmp_path / "incoming.jsonl"
    spans = [
        {"start": 0, "end": 4, "label": "Person"},  # 2 spans: first row
        {"start": 16, "end": 31, "label": "Person"},
        {"start": 35, "end": 42, "label": "PLC"},
    ]
    path.write_text(json.dumps({"text": TEXT, "spans": spans}) + "\n", encoding="utf-8")
    return path


def _open_table(window, keys, qtbot, tmp_path):
    keys.press_action("import", until=lambda: getattr(window, "import_dialog", None))
    dialog = window.import_dialog
    qtbot.waitUntil(dialog.isVisible)
    keys.focus(dialog, focus_widget=dialog.paths.edit)
    keys.type(str(_source(tmp_path)))
    keys.press("Return", until=lambda: dialog.label_table is not None)
    table = dialog.label_table
    qtbot.waitUntil(table.isVisible)
    keys.focus(table, focus_widget=table.combos["Person"])
    return dialog, table


def test_down_a_letter_and_enter_import_with_the_mapping(window, keys, qtbot, tmp_path):
    _, table = _open_table(window, keys, qtbot, tmp_path)
    assert table.mapping() == {"Person": "PERSON", "PLC": "PLC"}
    keys.press("Down", until=lambda: QApplication.focusWidget() is table.combos["PLC"])
    keys.press("l", until=lambda: table.mapping()["PLC"] == "LOC")
    keys.press("Return", until=lambda: getattr(window, "import_report", None), timeout=20000)
    assert "Mapped PLC -> LOC" in window.import_report.summary.text()
    doc_id = max(window.navigator.ordered_ids())
    spans = sorted((s.start, s.label) for s in window.workspace.document(doc_id).spans)
    assert spans == [(0, "PERSON"), (16, "PERSON"), (35, "LOC")]
    assert "PLC" not in {label.name for label in window.workspace.labels()}


def test_esc_on_the_table_goes_back_and_imports_nothing(window, keys, qtbot, tmp_path):
    before = len(window.navigator.ordered_ids())
    dialog, table = _open_table(window, keys, qtbot, tmp_path)
    keys.press("Escape", until=lambda: not table.isVisible())
    assert dialog.isVisible() and dialog.task is None
    assert "label table was cancelled" in dialog.message.text()
    assert len(window.navigator.ordered_ids()) == before
    closed: list[int] = []
    dialog.finished.connect(closed.append)
    keys.focus(dialog)
    keys.press("Escape", until=lambda: closed)
