"""Every Save in the rule editor first shows what the edit changes across the corpus: computed
in the background, shown as totals, counts per document and KWIC lines, with the analyst's
accepted work at risk flagged. Enter saves, Esc goes back to editing."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.gui.rule_diff_view import DiffLinesModel
from annotator.workspace import DiffKind, Workspace
from tests.gui.conftest import settled
from tests.gui.test_rule_editor import TEXT_B, open_window, replace_text, show_rule, stored_rule

CTRL = Qt.KeyboardModifier.ControlModifier
MOSKOW = json.dumps(
    {"label": "LOC", "kind": "regex", "priority": 50, "pattern": {"regex": "Moskow|MOSKOW"}}
)


@pytest.fixture
def corpus_db(tmp_path, db_path, seed_path):
    other = tmp_path / "b.txt"
    other.write_text(TEXT_B, encoding="utf-8")
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([seed_path])
        ws.import_paths([other])
        seed = ws.documents()[0].id
        ws.suggest(seed)
        sabtu = next(s for _, s in ws.suggestions(seed) if s.text == "Sabtu (24/10)")
        ws.accept(sabtu.id)  # accepted work the edit below would take away
    return db_path


@pytest.fixture
def window(qtbot, corpus_db):
    win, dock = open_window(qtbot, corpus_db)
    yield win, dock.widget()
    dialog = getattr(dock.widget(), "diff_dialog", None)
    if dialog is not None:
        dialog.panel.stop()


def _save_and_wait(qtbot, editor):
    qtbot.keyClick(editor.editor, Qt.Key.Key_S, CTRL)
    dialog = editor.diff_dialog
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.waitUntil(lambda: dialog.panel.diff is not None, timeout=20000)
    return dialog


def test_save_shows_the_corpus_diff_esc_keeps_editing_enter_saves(qtbot, window, corpus_db):
    win, editor = window
    show_rule(qtbot, win, editor, "date-day-ddmm")
    replace_text(qtbot, editor, MOSKOW)
    qtbot.waitUntil(lambda: editor.save_button.isEnabled(), timeout=10000)

    dialog = _save_and_wait(qtbot, editor)
    diff = dialog.panel.diff
    # "MOSKOW" becomes the edited rule's LOC; the two dates lose their date rule to a day name
    kinds = [(line.kind, line.match, line.rule) for line in diff.lines]
    assert kinds == [
        (DiffKind.CHANGE, "MOSKOW", "date-day-ddmm"),
        (DiffKind.CHANGE, "Sabtu", "day-names-id"),
        (DiffKind.CHANGE, "Ahad", "day-names-id"),
    ]
    assert diff.lines[1].was == "was DATE by date-day-ddmm ‘Sabtu (24/10)’"
    assert dialog.panel.summary.text().startswith("0 appear, 0 disappear, 3 change in 1 of 2")
    # the accepted "Sabtu (24/10)" would lose its rule: said, and its line marked
    assert dialog.panel.warning.isVisible()
    assert "accepted span" in dialog.panel.warning.text()
    at_risk = [line for line in diff.lines if line.accepted]
    assert [line.match for line in at_risk] == ["Sabtu"]
    assert dialog.panel.counts.rowCount() == len(diff.documents) >= 1
    win.grab().save("/tmp/rule-diff-window.png")
    dialog.grab().save("/tmp/rule-diff-dialog.png")

    # Esc: back to editing, nothing saved, the edit still there
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert stored_rule(corpus_db, "date-day-ddmm").version == 1
    assert editor.is_dirty()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.editor)

    # Ctrl+S again, Enter: saved as the next version
    dialog = _save_and_wait(qtbot, editor)
    with qtbot.waitSignal(editor.ruleSaved, timeout=10000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    settled(qtbot, win)
    rule = stored_rule(corpus_db, "date-day-ddmm")
    assert rule.version == 2 and rule.label == "LOC"


def test_enter_saves_without_waiting_for_the_diff(qtbot, window, corpus_db):
    win, editor = window
    show_rule(qtbot, win, editor, "date-day-ddmm")
    replace_text(qtbot, editor, MOSKOW)
    qtbot.waitUntil(lambda: editor.save_button.isEnabled(), timeout=10000)
    qtbot.keyClick(editor.editor, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor.diff_dialog)
    with qtbot.waitSignal(editor.ruleSaved, timeout=10000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert stored_rule(corpus_db, "date-day-ddmm").version == 2
    qtbot.waitUntil(lambda: editor.diff_dialog.panel.task is None or not
                    editor.diff_dialog.panel.task.isRunning(), timeout=20000)  # fmt: skip


def test_lines_filter_by_kind_text_and_document(qtbot, window, qtmodeltester):
    win, editor = window
    show_rule(qtbot, win, editor, "date-day-ddmm")
    replace_text(qtbot, editor, MOSKOW)
    qtbot.waitUntil(lambda: editor.save_button.isEnabled(), timeout=10000)
    dialog = _save_and_wait(qtbot, editor)
    panel = dialog.panel
    model: DiffLinesModel = panel.lines
    qtmodeltester.check(model)
    everything = model.rowCount()
    assert everything == len(panel.diff.lines) >= 2
    panel.kinds.setCurrentIndex(1)  # + Appear: none here
    assert model.rowCount() == 0
    panel.kinds.setCurrentIndex(3)  # ~ Change
    assert model.rowCount() == everything
    panel.kinds.setCurrentIndex(4)  # accepted work at risk
    assert model.rowCount() == 1 and model.line(0).accepted
    panel.kinds.setCurrentIndex(0)
    qtbot.keyClicks(panel.filter_text, "moskow")
    assert model.rowCount() >= 1
    assert all("moskow" in model.line(r).match.casefold() for r in range(model.rowCount()))
    panel.filter_text.clear()
    panel.counts_view.setCurrentIndex(panel.counts.index(0, 0))
    doc = panel.counts.document_id(0)
    assert all(model.line(r).document_id == doc for r in range(model.rowCount()))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)


# -- proposals from a correction ------------------------------------------------------------


@pytest.fixture
def rejected_db(tmp_path, db_path, seed_path):
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([seed_path])
        doc = ws.documents()[0].id
        ws.suggest(doc)
        reuters = next(s for _, s in ws.suggestions(doc) if s.text == "Reuters")
        ws.reject(reuters.id)
    return db_path


def test_propose_a_rule_fix_pick_with_keys_save_and_undo(qtbot, rejected_db):
    from annotator.gui.rule_fix_view import RuleFixDialog

    win, _dock = open_window(qtbot, rejected_db)
    qtbot.keyClick(win.view, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RuleFixDialog))
    dialog = QApplication.activeModalWidget()
    assert dialog.choices.count() == len(dialog.fixes) >= 3
    assert dialog.fixes[0].description.startswith("Never suggest ‘Reuters’")
    qtbot.waitUntil(lambda: dialog.panel.diff is not None, timeout=20000)
    gone = [(x.kind, x.match) for x in dialog.panel.diff.lines]
    assert gone and set(gone) == {(DiffKind.DISAPPEAR, "Reuters")}

    # Down: the next candidate, and its own diff
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.choices)
    qtbot.keyClick(dialog.choices, Qt.Key.Key_Down)
    assert dialog.choices.currentRow() == 1
    qtbot.waitUntil(lambda: dialog.panel.diff is not None, timeout=20000)
    chosen = dialog.fixes[1]
    dialog.grab().save("/tmp/rule-fix-dialog.png")

    before = stored_rule(rejected_db, chosen.rules[0].name)
    qtbot.keyClick(dialog.choices, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    saved = stored_rule(rejected_db, chosen.rules[0].name)
    assert saved.version == before.version + 1
    assert saved == chosen.rules[0]
    assert "Ctrl+Z" in win.statusBar().currentMessage()

    # one undo step takes it back
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.view)
    qtbot.keyClick(win.view, Qt.Key.Key_Z, CTRL)
    assert stored_rule(rejected_db, chosen.rules[0].name) == before


def test_propose_with_no_correction_says_why(qtbot, corpus_db):
    win, _dock = open_window(qtbot, corpus_db)
    with Workspace.open(corpus_db) as ws:  # the fixture's accepted date is no correction
        assert ws.last_correction(win.doc.id) is None
    qtbot.keyClick(win.view, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert "Reject or correct a suggestion first" in win.statusBar().currentMessage()
    assert QApplication.activeModalWidget() is None


def test_context_words_are_shown_and_edited_in_the_rule_json():
    from annotator.gui.rule_text import check, editable_text
    from annotator.workspace import parse_rule

    rule = parse_rule(
        {
            "name": "as",
            "label": "LOC",
            "kind": "phrase",
            "pattern": {"terms": ["AS"]},
            "not_after": ["Presiden"],
        }
    )
    shown = json.loads(editable_text(rule))
    assert shown["not_after"] == ["Presiden"]
    shown["only_before"] = ["dan"]
    checked = check(json.dumps(shown), rule, {"LOC"})
    assert checked.ok and checked.rule.only_before == ("dan",)
    assert checked.rule.not_after == ("Presiden",) and checked.rule.version == 2
    shown["not_before"] = ["two words"]
    bad = check(json.dumps(shown), rule, {"LOC"})
    assert not bad.ok and "not_before must be a list of single words" in bad.reason


def test_a_selected_span_made_by_a_correction_is_the_one_fixed(qtbot, db_path, seed_path):
    from annotator.gui.rule_fix_view import RuleFixDialog

    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([seed_path])
        doc = ws.documents()[0].id
        ws.suggest(doc)
        jazeera = next(s for _, s in ws.suggestions(doc) if s.text == "Al Jazeera")
        span_id = ws.correct(jazeera.id, label="LOC").spans[0].id
        reuters = next(s for _, s in ws.suggestions(doc) if s.text == "Reuters")
        ws.reject(reuters.id)  # the newest correction, but the selection wins
    win, _dock = open_window(qtbot, db_path)
    win.view.select_item(win.view.overlay.get("span", span_id))
    qtbot.keyClick(win.view, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RuleFixDialog))
    dialog = QApplication.activeModalWidget()
    assert dialog.fixes[0].description.startswith("Never suggest ‘Al Jazeera’")
    assert any(f.kind.value == "move term" for f in dialog.fixes)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.choices)
    qtbot.keyClick(dialog.choices, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
