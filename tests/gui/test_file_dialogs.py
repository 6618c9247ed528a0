"""File menu: import, export, back up and switching databases, driven with the keyboard."""

from __future__ import annotations

import json
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from annotator.gui import create_main_window, file_dialogs
from annotator.gui.file_dialogs import recent_databases, remember_database
from annotator.gui.file_export import retarget
from annotator.gui.file_import import split_paths
from annotator.gui.file_tasks import Task
from annotator.workspace import Workspace
from tests.gui.conftest import settled

GOOD = "Jokowi berkunjung ke Surabaya. Gubernur Jawa Timur menyambutnya di Surabaya.\n"
OTHER = "Presiden Rusia Vladimir Putin bertemu John Kerry di Moskow.\n"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def one_doc_db(tmp_path, db_path):
    source = tmp_path / "first.txt"
    source.write_text(OTHER, encoding="utf-8")
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([source])
    return db_path


@pytest.fixture
def window(qtbot, one_doc_db):
    win = create_main_window(str(one_doc_db))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.view)
    return settled(qtbot, win)


def wait_focus(qtbot, widget):
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def type_path(qtbot, edit, text):
    edit.selectAll()
    qtbot.keyClicks(edit, text)


# -- menu --------------------------------------------------------------------------------------


def test_file_menu_has_the_actions_before_quit(window):
    texts = [a.text() for a in window.menus["File"].actions()]
    named = [t for t in texts if t]
    assert named[-8:] == [
        "&Import…",
        "&Export…",
        "&New database…",
        "&Open database…",
        "Open &recent",
        "&Back up database…",
        "Res&tore backup…",
        "Quit",
    ]
    assert texts[-2] == ""  # a separator before Quit
    assert window.file_actions["import"].shortcut().toString() == "Ctrl+I"
    assert window.file_actions["export"].shortcut().toString() == "Ctrl+E"
    assert window.file_actions["open_database"].shortcut().toString() == "Ctrl+O"


# -- import -------------------------------------------------------------------------------------


def test_import_folder_reports_the_broken_file_and_shows_the_good_one(qtbot, window, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "broken.jsonl").write_text('{"text": "no end\n', encoding="utf-8")
    before = len(window.navigator.ordered_ids())

    qtbot.keyClick(window.view, Qt.Key.Key_I, CTRL)
    dialog = window.import_dialog
    qtbot.waitUntil(dialog.isVisible)
    wait_focus(qtbot, dialog.paths.edit)
    qtbot.keyClicks(dialog.paths.edit, str(folder))
    # Tab order: path, Files…, Folder…, format, refuse-unknown, the reader options, Import.
    for expected in (
        dialog.paths.browse_button,
        dialog.folder_button,
        dialog.format_combo,
        dialog.refuse_unknown,
        dialog.doc_sentences,
        dialog.ner_key,
        dialog.text_column,
        dialog.import_button,
    ):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is expected
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: getattr(window, "import_report", None) is not None, timeout=10000)
    report_dialog = window.import_report
    qtbot.waitUntil(report_dialog.isVisible)
    rows = report_dialog.refused_rows()
    assert len(rows) == 1
    file, line, reason = rows[0]
    assert file.endswith("broken.jsonl") and line == "1" and "malformed JSON" in reason
    assert "Imported 1 document" in report_dialog.summary.text()
    assert "refused 1" in report_dialog.summary.text()
    report_dialog.grab().save(str(tmp_path / "import_report.png"))

    ids = window.navigator.ordered_ids()
    assert len(ids) == before + 1
    with Workspace.open(window.workspace.location) as ws:
        texts = {ws.document(doc_id).text for doc_id in ids}
        # The import job indexed the documents for search (off the GUI thread), the fixture's too.
        assert ws.store.search.index.behind() == 0
    assert GOOD in texts

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not report_dialog.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)


def test_import_refuses_unknown_labels_when_asked(qtbot, window, tmp_path):
    source = tmp_path / "labelled.jsonl"
    source.write_text(
        json.dumps({"text": GOOD, "spans": [{"start": 0, "end": 6, "label": "VEHICLE"}]}) + "\n",
        encoding="utf-8",
    )
    dialog = file_dialogs.open_import_dialog(window)
    wait_focus(qtbot, dialog.paths.edit)  # keys go to the dialog only once it is active
    qtbot.keyClicks(dialog.paths.edit, str(source))
    for _ in range(4):  # Files…, Folder…, format, the checkbox
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.refuse_unknown
    qtbot.keyClick(dialog.refuse_unknown, Qt.Key.Key_Space)
    assert dialog.refuse_unknown.isChecked()
    qtbot.keyClick(dialog.refuse_unknown, Qt.Key.Key_Return)
    # VEHICLE is new: the label table comes first; Enter keeps it as it is (then refused).
    qtbot.waitUntil(lambda: dialog.label_table is not None and dialog.label_table.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() in dialog.label_table.combos.values())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(window, "import_report", None) is not None, timeout=10000)
    (row,) = window.import_report.refused_rows()
    assert "VEHICLE" in row[2]
    assert "VEHICLE" not in {label.name for label in window.workspace.labels()}


def test_import_of_a_missing_path_is_refused_in_the_dialog_and_esc_closes(qtbot, window, tmp_path):
    dialog = file_dialogs.open_import_dialog(window)
    wait_focus(qtbot, dialog.paths.edit)
    qtbot.keyClicks(dialog.paths.edit, str(tmp_path / "nowhere"))
    qtbot.keyClick(dialog.paths.edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.task is None
    assert "No such file or folder" in dialog.message.text()
    qtbot.keyClick(dialog.paths.edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert getattr(window, "import_report", None) is None


def test_split_paths():
    assert split_paths("") == []
    assert split_paths(" /a/b.txt ; /c.zip ;") == ["/a/b.txt", "/c.zip"]


# -- export -------------------------------------------------------------------------------------


def open_export(qtbot, window):
    wait_focus(qtbot, window.view)
    qtbot.keyClick(window.view, Qt.Key.Key_E, CTRL)
    dialog = window.export_dialog
    qtbot.waitUntil(dialog.isVisible)
    wait_focus(qtbot, dialog.format_combo)
    assert dialog.fmt() == "jsonl"
    qtbot.keyClick(dialog.format_combo, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.destination.edit
    return dialog


def test_export_to_an_unwritable_place_shows_the_error_and_writes_nothing(qtbot, window, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    target = blocker / "sub" / "out.jsonl"
    dialog = open_export(qtbot, window)
    type_path(qtbot, dialog.destination.edit, str(target))
    qtbot.keyClick(dialog.destination.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.message.isVisible() and not dialog.running(), timeout=10000)
    assert "is a file, not a folder" in dialog.message.text()
    assert "Traceback" not in dialog.message.text()
    assert dialog.result_path is None
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert blocker.read_text(encoding="utf-8") == "a file where a folder should be"
    assert QApplication.focusWidget() is dialog.destination.edit
    qtbot.keyClick(dialog.destination.edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_export_jsonl_shows_the_path(qtbot, window, tmp_path):
    target = tmp_path / "out" / "corpus.jsonl"
    dialog = open_export(qtbot, window)
    type_path(qtbot, dialog.destination.edit, str(target))
    qtbot.keyClick(dialog.destination.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.result_path is not None, timeout=10000)
    assert target.is_file()
    assert str(target) in dialog.message.text()
    assert "Exported 1 document" in dialog.message.text()
    records = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in records] == [OTHER]
    # Export again to the same file: replacing it is asked for first.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    dialog = open_export(qtbot, window)
    type_path(qtbot, dialog.destination.edit, str(target))
    qtbot.keyClick(dialog.destination.edit, Qt.Key.Key_Return)
    assert "Press Export again" in dialog.message.text() and dialog.task is None
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.result_path is not None, timeout=10000)


def test_export_filters_need_a_choice(qtbot, window, tmp_path):
    dialog = open_export(qtbot, window)
    type_path(qtbot, dialog.destination.edit, str(tmp_path / "x.jsonl"))
    for row in range(dialog.labels.count()):
        dialog.labels.item(row).setCheckState(Qt.CheckState.Unchecked)
    qtbot.keyClick(dialog.destination.edit, Qt.Key.Key_Return)
    assert "Choose at least one label" in dialog.message.text()
    assert not (tmp_path / "x.jsonl").exists()


def test_changing_format_renames_the_destination(qtbot, window):
    dialog = file_dialogs.open_export_dialog(window)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.destination.text().endswith("-export.jsonl")
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("brat"))
    assert dialog.destination.text().endswith("-export-brat")
    assert retarget("/x/a-export-brat", "csv") == "/x/a-export.csv"


# -- back up ----------------------------------------------------------------------------------


def test_backup_writes_a_copy_and_shows_its_path(qtbot, window, tmp_path):
    window.file_actions["backup"].trigger()
    dialog = window.backup_dialog
    qtbot.waitUntil(dialog.isVisible)
    wait_focus(qtbot, dialog.destination.edit)
    target = tmp_path / "copy.sqlite"
    type_path(qtbot, dialog.destination.edit, str(target))
    qtbot.keyClick(dialog.destination.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.result_path is not None, timeout=10000)
    assert str(target) in dialog.message.text()
    with Workspace.open(target) as ws:
        assert len(ws.documents()) == 1
    # Into a folder that does not exist: the reason, in the dialog.
    type_path(qtbot, dialog.destination.edit, str(tmp_path / "no" / "such" / "copy.sqlite"))
    qtbot.keyClick(dialog.destination.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "does not exist" in dialog.message.text(), timeout=10000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


# -- databases ------------------------------------------------------------------------------------


@pytest.fixture
def loose_window(qtbot, one_doc_db):
    """A window not registered with qtbot: switching deletes it, and the new one is closed here."""
    win = create_main_window(str(one_doc_db))
    win.show()
    qtbot.waitExposed(win)
    yield win
    for opened in list(file_dialogs._windows):
        opened.close()
    QApplication.processEvents()


def test_open_recent_lists_databases_and_switches(qtbot, loose_window, tmp_path, one_doc_db):
    other = tmp_path / "other.sqlite"
    shutil.copy(one_doc_db, other)
    with Workspace.open(other) as ws:
        source = tmp_path / "more.txt"
        source.write_text(GOOD, encoding="utf-8")
        ws.import_paths([source])
    remember_database(loose_window.settings, str(other))
    menu = loose_window.recent_menu
    menu.aboutToShow.emit()
    listed = [a.data() for a in menu.actions() if a.data()]
    assert listed == [str(other.resolve()), str(one_doc_db.resolve())]
    current = next(a for a in menu.actions() if a.data() == str(one_doc_db.resolve()))
    assert not current.isEnabled()  # the open one

    next(a for a in menu.actions() if a.data() == str(other.resolve())).trigger()
    qtbot.waitUntil(lambda: len(file_dialogs._windows) == 1)
    new = file_dialogs._windows[0]
    qtbot.waitExposed(new)
    assert new.workspace.location == str(other)
    assert len(new.navigator.ordered_ids()) == 2
    assert new.file_actions  # the new window has the File actions too
    assert not loose_window.isVisible()
    assert recent_databases(new.settings)[0] == str(other.resolve())


def test_new_database_opens_an_empty_one(qtbot, loose_window, tmp_path, monkeypatch):
    target = tmp_path / "fresh" / "new.sqlite"
    target.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    loose_window.file_actions["new_database"].trigger()
    qtbot.waitUntil(lambda: len(file_dialogs._windows) == 1)
    new = file_dialogs._windows[0]
    assert target.is_file()
    assert new.navigator.ordered_ids() == []
    assert [label.name for label in new.workspace.labels()]  # the default labels
    assert recent_databases(new.settings)[0] == str(target.resolve())


def test_open_database_that_cannot_be_opened_keeps_the_window(
    qtbot, loose_window, tmp_path, monkeypatch
):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(junk), ""))
    )
    dialog = file_dialogs.open_database(loose_window)
    dialog.file.browse_button.click()
    assert dialog.file.text() == str(junk)
    dialog.open_button.click()
    assert not dialog.isVisible()
    assert loose_window.isVisible()
    assert file_dialogs._windows == []


# -- the worker ------------------------------------------------------------------------------------


def test_task_cancel_through_progress_stops_the_work(qtbot):
    seen = []

    def work(progress, cancelled):
        for i in range(1, 10_000):
            progress(i, 10_000)
            seen.append(i)
        return "finished"

    task = Task(work, raise_on_cancel=True)
    task.cancel()
    with qtbot.waitSignal(task.stopped, timeout=5000):
        task.start()
    task.wait()
    assert seen == []


def test_export_origin_filter_keeps_only_hand_made_spans(qtbot, window, tmp_path):
    doc_id = window.doc.id
    at = OTHER.index("John Kerry")
    window.workspace.add_span(doc_id, at, at + len("John Kerry"), "PERSON")
    moskow = next(s for _, s in window.workspace.suggestions(doc_id) if s.text == "Moskow")
    window.workspace.accept(moskow.id)
    target = tmp_path / "manual.jsonl"
    dialog = open_export(qtbot, window)
    assert dialog.origins.isEnabled()
    for i in range(dialog.origins.count()):  # untick "rule"
        item = dialog.origins.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == "rule":
            item.setCheckState(Qt.CheckState.Unchecked)
    type_path(qtbot, dialog.destination.edit, str(target))
    qtbot.keyClick(dialog.destination.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.result_path is not None, timeout=10000)
    record = json.loads(target.read_text(encoding="utf-8").splitlines()[0])
    assert [record["text"][s["start"] : s["end"]] for s in record["spans"]] == ["John Kerry"]
