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


def test_the_reader_options_of_the_dialog_reach_the_readers(qtbot, window, tmp_path):
    """Sentences a document, the CoNLL-U NER key and the CSV text column, chosen with the keys
    (what `annotator import` takes as --doc-sentences, --ner-key and --text-column)."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "long.conll").write_text(
        "".join(f"Kalimat\tO\nke-{i}\tO\n\n" for i in range(12)), encoding="utf-8"
    )
    (folder / "ud.conllu").write_text(
        "# text = Jokowi tiba.\n"
        + "\n".join(
            [word(1, "Jokowi", "Ent=B-PER"), word(2, "tiba", "SpaceAfter=No"), word(3, ".")]
        )
        + "\n\n",
        encoding="utf-8",
    )
    (folder / "news.csv").write_text(
        "judul,naskah\nSatu,Bupati tiba di Solo.\nDua,Gubernur pergi ke Bandung.\n",
        encoding="utf-8",
    )
    qtbot.keyClick(window.view, Qt.Key.Key_I, CTRL)
    dialog = window.import_dialog
    qtbot.waitUntil(dialog.isVisible)
    wait_focus(qtbot, dialog.paths.edit)  # keys go to the dialog only once it is active
    qtbot.keyClicks(dialog.paths.edit, str(folder))
    for _ in range(5):  # Files…, Folder…, format, refuse-unknown, sentences a document
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.doc_sentences
    dialog.doc_sentences.lineEdit().selectAll()
    qtbot.keyClicks(dialog.doc_sentences, "4")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.ner_key
    dialog.ner_key.selectAll()
    qtbot.keyClicks(dialog.ner_key, "Ent")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.text_column
    qtbot.keyClicks(dialog.text_column, "naskah")
    assert dialog.read_options().doc_sentences == 4
    qtbot.keyClick(dialog.text_column, Qt.Key.Key_Return)
    # PER is not a label of the database: the label table first (PER -> PERSON).
    qtbot.waitUntil(lambda: dialog.label_table is not None and dialog.label_table.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() in dialog.label_table.combos.values())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: getattr(window, "import_report", None) is not None, timeout=10000)
    report = window.import_report
    qtbot.waitUntil(report.isVisible)
    assert report.refused_rows() == []
    assert "Imported 6 documents" in report.summary.text()  # 3 of 4 sentences, 1, 2 rows
    with Workspace.open(window.workspace.location) as ws:
        docs = [ws.document(i) for i in window.navigator.ordered_ids()]
    assert sum(d.text.startswith("Kalimat ke-") for d in docs) == 3
    [ud] = [d for d in docs if d.text == "Jokowi tiba."]
    assert [(s.text, s.label) for s in ud.spans] == [("Jokowi", "PERSON")]
    assert {d.title for d in docs if d.text.endswith(("Solo.", "Bandung."))} == {"Satu", "Dua"}


def wait_focus(qtbot, widget):
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_a_bad_ner_key_is_refused_in_the_dialog(qtbot, window, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("Jokowi tiba.", encoding="utf-8")
    qtbot.keyClick(window.view, Qt.Key.Key_I, CTRL)
    dialog = window.import_dialog
    qtbot.waitUntil(dialog.isVisible)
    wait_focus(qtbot, dialog.paths.edit)
    qtbot.keyClicks(dialog.paths.edit, str(source))
    dialog.ner_key.setText("N E")
    qtbot.keyClick(dialog.paths.edit, Qt.Key.Key_Return)
    assert "Not a CoNLL-U MISC key: 'N E'" in dialog.message.text()
    assert dialog.task is None  # nothing started: nothing imported
    assert all(d.title != "Jokowi tiba." for d in window.workspace.documents())
