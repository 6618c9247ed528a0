"""Under a real X server: File > Import's reader options by keys. Tab from the checkbox reaches
"Sentences a document", the NER key and the CSV text column; what is typed there reaches the
readers (a CoNLL file cut into documents of that many sentences, a CSV column by its name)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def test_tab_to_the_reader_options_type_them_and_import(window, keys, qtbot, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "long.conll").write_text(
        "".join(f"Kalimat\tO\nke-{i}\tO\n\n" for i in range(12)), encoding="utf-8"
    )
    (folder / "news.csv").write_text(
        "judul,naskah\nSatu,Bupati tiba di Solo.\nDua,Gubernur pergi ke Bandung.\n",
        encoding="utf-8",
    )
    before = len(window.navigator.ordered_ids())
    keys.press_action("import", until=lambda: getattr(window, "import_dialog", None))
    dialog = window.import_dialog
    qtbot.waitUntil(dialog.isVisible)
    keys.focus(dialog, focus_widget=dialog.paths.edit)
    keys.type(str(folder))
    for widget in (
        dialog.paths.browse_button,
        dialog.folder_button,
        dialog.format_combo,
        dialog.refuse_unknown,
        dialog.doc_sentences,
    ):
        keys.press("Tab", until=lambda w=widget: QApplication.focusWidget() is w)
    keys.press("ctrl+a")
    keys.type("4")
    qtbot.waitUntil(lambda: dialog.doc_sentences.value() == 4)
    keys.press("Tab", until=lambda: QApplication.focusWidget() is dialog.ner_key)
    keys.press("Tab", until=lambda: QApplication.focusWidget() is dialog.text_column)
    keys.type("naskah")
    qtbot.waitUntil(lambda: dialog.text_column.text() == "naskah")
    keys.press("Return", until=lambda: getattr(window, "import_report", None), timeout=20000)
    assert "Imported 5 documents" in window.import_report.summary.text()  # 3 + 2 rows
    ids = window.navigator.ordered_ids()
    assert len(ids) == before + 5
    titles = {window.workspace.document(i).title for i in ids}
    assert {"Satu", "Dua"} <= titles
