"""File > Import of CoNLL-U and of a CoNLL file without -DOCSTART-: the documents and the report."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.gui import create_main_window
from annotator.workspace import Workspace
from tests.gui.conftest import settled

CTRL = Qt.KeyboardModifier.ControlModifier


def word(i: object, form: str, misc: str = "_") -> str:
    return "\t".join([str(i), form, form, "X", "_", "_", "0", "dep", "_", misc])


@pytest.fixture
def window(qtbot, db_path):
    with Workspace.open(db_path, annotator="tester"):
        pass
    win = create_main_window(str(db_path))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.view)
    return settled(qtbot, win)


def test_import_conllu_and_long_conll_through_the_dialog(qtbot, window, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "ud.conllu").write_text(
        "# newdoc id = berita-1\n# text = Jokowi tiba.\n"
        + "\n".join([word(1, "Jokowi", "NE=B-PER"), word(2, "tiba", "SpaceAfter=No"), word(3, ".")])
        + "\n\n# newdoc id = berita-2\n1\tSalah\n",  # a bad line: refused with its line
        encoding="utf-8",
    )
    (folder / "long.conll").write_text(
        "".join(f"Kalimat\tO\nke-{i}\tB-NUM\n\n" for i in range(120)), encoding="utf-8"
    )
    qtbot.keyClick(window.view, Qt.Key.Key_I, CTRL)
    dialog = window.import_dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.paths.edit, str(folder))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    # PER and NUM are not labels of the database: the label table first (PER -> PERSON).
    qtbot.waitUntil(lambda: dialog.label_table is not None and dialog.label_table.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() in dialog.label_table.combos.values())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: getattr(window, "import_report", None) is not None, timeout=10000)
    report = window.import_report
    qtbot.waitUntil(report.isVisible)
    assert [(f.rsplit("/", 1)[-1], line) for f, line, _ in report.refused_rows()] == [
        ("ud.conllu", "8")
    ]
    assert "Imported 4 documents" in report.summary.text()
    notes = report.notices.toPlainText()
    assert "long.conll: no -DOCSTART-: 3 documents of at most 50 sentences" in notes
    report.grab().save(str(tmp_path / "conll_report.png"))

    with Workspace.open(window.workspace.location) as ws:
        texts = {ws.document(i).text for i in window.navigator.ordered_ids()}
    assert "Jokowi tiba." in texts
    assert sum(t.startswith("Kalimat ke-") for t in texts) == 3
