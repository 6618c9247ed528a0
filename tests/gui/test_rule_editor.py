"""The rule editor dock driven with the keyboard on a real database."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from annotator.gui import create_main_window
from annotator.gui.rule_editor import install_rule_editor
from annotator.gui.rule_text import editable_text
from annotator.workspace import Workspace
from tests.gui.conftest import settled

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
TEXT_B = "Jokowi menolak kelompok militan di Surabaya. Kelompok itu kelompok militan lama.\n"


@pytest.fixture
def corpus_db(tmp_path, db_path, seed_path):
    other = tmp_path / "b.txt"
    other.write_text(TEXT_B, encoding="utf-8")
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([seed_path])
        ws.import_paths([other])
    return db_path


def open_window(qtbot, db):
    win = create_main_window(str(db))
    dock = install_rule_editor(win)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.view)
    return settled(qtbot, win), dock


@pytest.fixture
def window(qtbot, corpus_db):
    win, dock = open_window(qtbot, corpus_db)
    yield win, dock.widget()
    actions = win.rule_actions
    if actions.run is not None:  # never leave a worker thread behind
        actions.run.cancel()
        qtbot.waitUntil(lambda: actions.run is None, timeout=10000)


def show_rule(qtbot, win, editor, name):
    """Ctrl+Shift+R, type the rule's name in the filter, Tab into the table, Enter into the
    editor."""
    qtbot.keyClick(win.view, Qt.Key.Key_R, CTRL_SHIFT)
    assert editor.isVisible() and QApplication.focusWidget() is editor.filter
    qtbot.keyClicks(editor.filter, name)
    assert editor.model.rowCount() >= 1
    qtbot.keyClick(editor.filter, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is editor.table
    row = editor.model.row_of(name)
    while editor.table.currentIndex().row() != row:
        qtbot.keyClick(editor.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: editor.stored is not None and editor.stored.name == name)
    qtbot.keyClick(editor.table, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is editor.editor


def stored_rule(db, name):
    with Workspace.open(db, annotator="tester") as ws:
        return ws.rule(name)


def replace_text(qtbot, editor, text):
    qtbot.keyClick(editor.editor, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(editor.editor, text)


def test_table_lists_every_rule_with_statistics_and_sorts(qtbot, window, corpus_db, qtmodeltester):
    win, editor = window
    qtbot.keyClick(win.view, Qt.Key.Key_R, CTRL_SHIFT)
    qtmodeltester.check(editor.model)
    with Workspace.open(corpus_db) as ws:
        assert editor.model.rowCount() == len(ws.rules())
    hits = {r.name: r.hits for r in editor.model.rows()}
    assert hits["date-day-month-year"] >= 1  # the seed's dateline
    editor.table.sortByColumn(4, Qt.SortOrder.DescendingOrder)  # Hits
    shown = [r.hits for r in editor.model.rows()]
    assert shown == sorted(shown, reverse=True)
    qtbot.keyClicks(editor.filter, "regex DATE")
    assert {r.kind for r in editor.model.rows()} == {"regex"}


def test_invalid_regex_is_shown_inline_and_save_is_refused(qtbot, window, corpus_db):
    win, editor = window
    show_rule(qtbot, win, editor, "date-day-ddmm")
    text = editor.editor.toPlainText()
    cursor = editor.editor.textCursor()
    cursor.setPosition(text.index('"regex": "') + len('"regex": "'))
    editor.editor.setTextCursor(cursor)
    with qtbot.waitSignal(editor.previewUpdated, timeout=10000) as signal:
        qtbot.keyClicks(editor.editor, "*")
    assert signal.args == [-1]
    message = editor.error.text()
    assert "line 7" in message and "nothing to repeat at position 0" in message
    assert editor.editor.extraSelections()  # the line is tinted, the character underlined
    assert not editor.save_button.isEnabled()
    qtbot.keyClick(editor.editor, Qt.Key.Key_S, CTRL)
    assert stored_rule(corpus_db, "date-day-ddmm").version == 1
    assert "Not saved" in win.statusBar().currentMessage()


def test_valid_edit_previews_saves_a_version_and_resuggests(qtbot, window, corpus_db):
    win, editor = window
    show_rule(qtbot, win, editor, "date-day-ddmm")
    new = json.dumps(
        {"label": "LOC", "kind": "regex", "priority": 50, "pattern": {"regex": "Moskow|MOSKOW"}}
    )
    with qtbot.waitSignal(editor.previewUpdated, timeout=10000, check_params_cb=lambda n: n > 0):
        replace_text(qtbot, editor, new)
    text = win.view.text
    expected = [(i, i + 6) for i in range(len(text)) if text[i : i + 6] in ("Moskow", "MOSKOW")]
    assert expected
    assert [(item.start, item.end) for item in win.view.preview.items()] == expected
    assert editor.matches.count() == len(expected)
    assert "LOC" in editor.matches.item(0).text()

    qtbot.keyClick(editor.editor, Qt.Key.Key_S, CTRL)  # first the corpus diff (Enter saves)
    qtbot.waitUntil(lambda: editor.diff_dialog.panel.diff is not None, timeout=20000)
    with qtbot.waitSignal(editor.ruleSaved, timeout=10000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    settled(qtbot, win)
    rule = stored_rule(corpus_db, "date-day-ddmm")
    assert rule.version == 2 and rule.label == "LOC"
    assert not win.view.preview.items()  # saved: the suggestions show it now
    with Workspace.open(corpus_db) as ws:
        made = ws.suggestions(win.doc.id, rule="date-day-ddmm")
    assert sorted((s.start, s.end, s.rule_version) for _, s in made) == [
        (s, e, 2) for s, e in expected
    ]
    pending = {(i.start, i.label) for i in win.view.overlay.items() if i.rule == "date-day-ddmm"}
    assert pending == {(s, "LOC") for s, _ in expected}
    assert editor.model.rows()[editor.model.row_of("date-day-ddmm")].version == 2


def test_cancel_restores_the_stored_rule_and_clears_the_preview(qtbot, window, corpus_db):
    win, editor = window
    show_rule(qtbot, win, editor, "date-day-ddmm")
    with qtbot.waitSignal(editor.previewUpdated, timeout=10000):
        replace_text(
            qtbot, editor, '{"label": "LOC", "kind": "regex", "pattern": {"regex": "Rusia"}}'
        )
    assert win.view.preview.items() and editor.is_dirty()
    qtbot.keyClick(editor.editor, Qt.Key.Key_Escape)
    rule = stored_rule(corpus_db, "date-day-ddmm")
    assert rule.version == 1
    assert editor.editor.toPlainText() == editable_text(rule)
    assert not editor.is_dirty() and not win.view.preview.items() and editor.matches.count() == 0


def test_switching_rules_keeps_an_unsaved_edit(qtbot, window):
    win, editor = window
    show_rule(qtbot, win, editor, "date-day-ddmm")
    qtbot.keyClicks(editor.editor, " ")
    editor.filter.clear()
    qtbot.keyClick(editor.table, Qt.Key.Key_Down)
    qtbot.wait(20)
    assert editor.stored.name == "date-day-ddmm" and editor.is_dirty()
    assert "first" in win.statusBar().currentMessage()


def test_remove_an_exception_and_a_learned_term(qtbot, corpus_db):
    with Workspace.open(corpus_db, annotator="tester") as ws:
        doc_id = ws.documents()[0].id
        ws.suggest(doc_id)
        suggestion = next(
            s for _, s in ws.suggestions(doc_id) if s.text == "AS" and s.label == "LOC"
        )
        ws.reject(suggestion.id, everywhere=True)
        rule_name = suggestion.rule
        span = ws.add_span(doc_id, 0, 4, "DATE").spans[0]
        ws.remember(span.id)
    win, dock = open_window(qtbot, corpus_db)
    editor = dock.widget()
    show_rule(qtbot, win, editor, rule_name)
    assert [editor.exceptions.item(i).text() for i in range(editor.exceptions.count())] == ["AS"]
    qtbot.keyClick(editor.editor, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is editor.exceptions
    qtbot.keyClick(editor.exceptions, Qt.Key.Key_Delete)
    assert stored_rule(corpus_db, rule_name).exceptions == ()
    assert editor.exceptions.count() == 0
    settled(qtbot, win)
    assert any(
        i.text == "AS" and i.rule == rule_name for i in win.view.overlay.items()
    )  # suggested again

    editor.filter.clear()
    show_rule(qtbot, win, editor, "learned-DATE")
    assert editor.learned.count() == 1
    qtbot.keyClick(editor.editor, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is editor.learned
    qtbot.keyClick(editor.learned, Qt.Key.Key_Delete)
    assert stored_rule(corpus_db, "learned-DATE").pattern["terms"] == ()
    assert editor.learned.count() == 0


def test_disable_a_rule_with_the_checkbox(qtbot, window, corpus_db):
    win, editor = window
    show_rule(qtbot, win, editor, "date-day-month-year")
    assert any(i.rule == "date-day-month-year" for i in win.view.overlay.items())
    editor.enabled.setFocus()
    qtbot.keyClick(editor.enabled, Qt.Key.Key_Space)
    assert stored_rule(corpus_db, "date-day-month-year").enabled is False
    settled(qtbot, win)
    assert not any(i.rule == "date-day-month-year" for i in win.view.overlay.items())


@pytest.mark.parametrize("as_rule", [False, True])
def test_new_rule_from_selection_is_suggested_in_another_document(
    qtbot, window, corpus_db, as_rule
):
    win, _editor = window
    start = win.view.text.index("kelompok militan")
    win.view.select_offsets(start, start + len("kelompok militan"))
    qtbot.keyClick(win.view, Qt.Key.Key_N, CTRL_SHIFT)
    dialog = win.rule_actions.dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.labels)
    qtbot.keyClicks(QApplication.focusWidget(), "O")  # the label combo: ORG
    assert dialog.label() == "ORG"
    if as_rule:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert not dialog.isVisible()
    name = "org-kelompok-militan" if as_rule else "learned-ORG"
    assert stored_rule(corpus_db, name).terms[0][0] == "kelompok militan"
    settled(qtbot, win)
    assert any(i.rule == name for i in win.view.overlay.items())  # this document, once made
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.view)
    qtbot.keyClick(win.view, Qt.Key.Key_PageDown, CTRL)
    assert win.view.text == TEXT_B
    settled(qtbot, win)
    found = sorted(i.start for i in win.view.overlay.items() if i.rule == name and i.label == "ORG")
    assert found == [TEXT_B.index("kelompok militan"), TEXT_B.rindex("kelompok militan")]


def test_new_rule_needs_a_selection(qtbot, window):
    win, _editor = window
    qtbot.keyClick(win.view, Qt.Key.Key_N, CTRL_SHIFT)
    assert win.rule_actions.dialog is None
    assert "Select" in win.statusBar().currentMessage()


@pytest.fixture
def big_corpus(tmp_path, db_path, seed_path):
    folder = tmp_path / "many"
    folder.mkdir()
    seed = seed_path.read_text(encoding="utf-8")
    for i in range(150):
        (folder / f"doc{i:03}.txt").write_text(f"Berita {i}.\n\n{seed}", encoding="utf-8")
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([folder])
        assert len(ws.documents()) == 150
    return db_path


def test_corpus_run_completes_with_progress(qtbot, big_corpus):
    win, _dock = open_window(qtbot, big_corpus)
    actions = win.rule_actions
    values = []
    ticks = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(1))  # the GUI thread's event loop keeps turning
    timer.start()
    with qtbot.waitSignal(actions.corpusFinished, timeout=60000) as finished:
        qtbot.keyClick(win.view, Qt.Key.Key_U, CTRL_SHIFT)
        progress = actions.progress
        assert progress is not None and progress.isVisible()
        actions.run.progressed.connect(lambda done, total: values.append(done))
    timer.stop()
    report = finished.args[0]
    assert report.documents == 150 and not report.cancelled and report.added > 150
    assert values and values[-1] == 150 and len(ticks) >= 5
    with Workspace.open(big_corpus) as ws:
        assert not any(ws.needs_suggest(d.id) for d in ws.documents())
        assert all(d.pending_suggestions > 0 for d in ws.documents())
    assert "Suggested over 150 documents" in win.statusBar().currentMessage()


def test_corpus_run_cancel_stops_early_and_the_window_stays_live(qtbot, big_corpus):
    win, _dock = open_window(qtbot, big_corpus)
    actions = win.rule_actions
    qtbot.keyClick(win.view, Qt.Key.Key_U, CTRL_SHIFT)
    progress = actions.progress
    qtbot.waitUntil(lambda: progress.value() >= 1, timeout=10000)
    with qtbot.waitSignal(actions.corpusFinished, timeout=20000) as finished:
        qtbot.keyClick(progress, Qt.Key.Key_Escape)
    report = finished.args[0]
    assert report.cancelled and 1 <= report.documents < 150
    assert "Cancelled after" in win.statusBar().currentMessage()


def test_export_then_import_a_pack_and_errors_in_a_message_box(qtbot, window, corpus_db, tmp_path):
    win, _editor = window
    actions = win.rule_actions
    out = tmp_path / "pack.jsonl"
    actions.export_pack(str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    with Workspace.open(corpus_db) as ws:
        assert len(lines) == len(ws.rules())

    bad = tmp_path / "bad.jsonl"
    good = {
        "name": "loc-kremlin",
        "label": "LOC",
        "kind": "phrase",
        "pattern": {"terms": ["Kremlin"]},
    }
    broken = {"name": "broken", "label": "DATE", "kind": "regex", "pattern": {"regex": "(\\d"}}
    bad.write_text(json.dumps(good) + "\n" + json.dumps(broken) + "\n", encoding="utf-8")
    actions.import_pack(str(bad))
    box = actions.message_box
    assert box is not None and box.isVisible()
    assert f"{bad}:2:" in box.text() and "missing )" in box.text() and "Traceback" not in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert stored_rule(corpus_db, "loc-kremlin").terms == (("Kremlin", None),)

    not_a_folder = tmp_path / "plain-file"
    not_a_folder.write_text("x")  # a file where a folder should be: refused even for root
    actions.export_pack(str(not_a_folder / "rules.jsonl"))
    assert (
        "Not exported" in actions.message_box.text()
        and "plain-file: File exists" in actions.message_box.text()
    )
    actions.import_pack(str(tmp_path / "missing.jsonl"))
    assert "Nothing imported" in actions.message_box.text()


def test_install_twice_gives_the_same_dock_and_one_menu(qtbot, window):
    win, editor = window
    assert install_rule_editor(win) is win.docks["rules"]
    assert [a.text() for a in win.menuBar().actions()].count("&Rules") == 1
    assert win.docks["rules"].objectName() == "dock-rules" and win.docks["rules"].widget() is editor


def test_match_patterns_import_and_export_through_the_rule_pack_actions(
    qtbot, window, corpus_db, tmp_path
):
    win, _editor = window
    actions = win.rule_actions
    patterns = tmp_path / "kota.jsonl"
    patterns.write_text(
        '{"label": "CITY", "pattern": "Moskow"}\n'
        '{"label": "CITY", "pattern": [{"lower": "kota"}, {"IS_TITLE": true}]}\n'
        '{"label": "CITY", "pattern": [{"POS": "PROPN"}]}\n',
        encoding="utf-8",
    )
    actions.import_pack(str(patterns))
    box = actions.message_box
    assert box is not None and box.isVisible()
    assert "from 3 patterns in kota.jsonl" in box.text() and "new labels: CITY" in box.text()
    assert f"{patterns}:3: token 0: POS" in box.text()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    with Workspace.open(corpus_db) as ws:
        assert "CITY" in {label.name for label in ws.labels()}
        assert {r.name: r.kind for r in ws.rules() if r.label == "CITY"} == {
            "kota-CITY": "phrase",
            "kota-CITY-token-2": "token",
        }

    out = tmp_path / "patterns.jsonl"
    actions.export_pack(str(out), patterns=True)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {"label": "CITY", "pattern": "Moskow"} in lines
    assert "left out" in actions.message_box.text()  # the default pack's regex rules
