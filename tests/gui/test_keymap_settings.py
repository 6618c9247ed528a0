"""The persisted key map, the snapping preference, and the preferences dialog that edits them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from annotator.core.model import Label
from annotator.gui.keymap import DEFAULT_KEYMAP
from annotator.gui.keymap_settings import (
    SNAP_KEY,
    KeymapDialog,
    default_bindings,
    load_bindings,
    reserved_label_keys,
    save_bindings,
    snap_to_tokens,
)

LABELS = [Label("PERSON", "#D55E00", "p", order=0), Label("ORG", "#0072B2", "o", order=1)]
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def dialog(qtbot, settings):
    widget = KeymapDialog(settings, None, LABELS)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def select_action(dialog, action_id: str) -> None:
    row = next(r for r in range(dialog.model.rowCount()) if dialog.model.row_at(r).id == action_id)
    dialog.table.select_row(row)


def press(qtbot, dialog, key, modifier=Qt.KeyboardModifier.NoModifier, edit: int = 0) -> None:
    target = dialog.key_edits[edit]
    target.clear()
    target.setFocus()
    qtbot.keyClick(target, key, modifier)


# -- load and save ------------------------------------------------------------------


def test_an_empty_settings_file_gives_the_defaults(settings):
    assert load_bindings(settings) == {action.id: action.keys for action in DEFAULT_KEYMAP}


def test_saved_bindings_come_back_from_the_file(settings, reread):
    bindings = default_bindings()
    bindings["find"] = ("Ctrl+G",)  # one key: a list of one must not come back as a string
    bindings["undo"] = ()  # no key at all
    bindings["preferences"] = ("Ctrl+;", "Ctrl+,")  # keys that look like separators
    save_bindings(settings, bindings)
    assert load_bindings(reread()) == bindings


def test_saving_a_default_binding_removes_its_entry(settings, reread):
    bindings = default_bindings()
    bindings["find"] = ("Ctrl+G",)
    save_bindings(settings, bindings)
    assert reread().contains("keys/find")
    save_bindings(settings, default_bindings())
    assert not reread().contains("keys/find")
    assert reread().allKeys() == []


def test_an_unreadable_entry_is_ignored(settings):
    settings.setValue("keys/find", "{not json")
    settings.setValue("keys/undo", 42)
    settings.setValue("keys/no_such_action", '["F9"]')
    bindings = load_bindings(settings)
    assert bindings == default_bindings()
    assert "no_such_action" not in bindings


def test_snap_to_tokens_defaults_to_true_and_reads_false_back(settings, reread):
    assert snap_to_tokens(settings) is True
    settings.setValue(SNAP_KEY, False)
    settings.sync()
    assert snap_to_tokens(reread()) is False


def test_reserved_keys_are_digits_and_label_letters():
    assert reserved_label_keys(LABELS) == {*"123456789", "p", "o"}


# -- the dialog -----------------------------------------------------------------------


def test_model_passes_the_model_tester(qtmodeltester, dialog):
    qtmodeltester.check(dialog.model)


def test_rebinding_with_the_keyboard_and_ok_saves(qtbot, dialog, reread):
    select_action(dialog, "find")
    assert dialog.action_label.text() == "Find in document"
    assert dialog.key_edits[0].keySequence().toString() == "Ctrl+F"
    press(qtbot, dialog, Qt.Key.Key_G, CTRL)
    assert dialog.bindings()["find"] == ("Ctrl+G",)
    assert "Ctrl+G" in dialog.model.index(dialog.table.currentIndex().row(), 1).data()
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert load_bindings(reread())["find"] == ("Ctrl+G",)


def test_enter_on_an_action_starts_recording_its_key(qtbot, dialog):
    dialog.table.setFocus()
    qtbot.waitUntil(dialog.table.hasFocus)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter did not press OK
    assert dialog.key_edits[0].hasFocus()
    qtbot.keyClick(dialog.key_edits[0], Qt.Key.Key_F9)
    assert dialog.bindings()[DEFAULT_KEYMAP[1].id] == ("F9",)


def test_an_alternative_key_is_kept_beside_the_first(qtbot, dialog):
    select_action(dialog, "accept")
    assert [edit.keySequence().toString() for edit in dialog.key_edits[:2]] == ["Return", "Enter"]
    press(qtbot, dialog, Qt.Key.Key_A, edit=1)
    assert dialog.bindings()["accept"] == ("Return", "A")


def test_every_default_key_has_a_box_so_editing_one_keeps_the_others(qtbot, dialog):
    most = max(DEFAULT_KEYMAP, key=lambda action: len(action.keys))
    select_action(dialog, most.id)
    shown = tuple(edit.keySequence().toString() for edit in dialog.key_edits if not edit.keySequence().isEmpty())
    assert shown == most.keys
    press(qtbot, dialog, Qt.Key.Key_F9, edit=0)
    assert dialog.bindings()[most.id] == ("F9", *most.keys[1:])


def test_ok_refuses_a_key_bound_twice_and_says_why(qtbot, dialog, reread):
    select_action(dialog, "find")
    press(qtbot, dialog, Qt.Key.Key_L, CTRL)  # the navigator's key
    assert dialog.problems.isVisible()  # shown as soon as it happens
    dialog.accept()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert "Ctrl+L is bound to both" in dialog.problems.text()
    assert not reread().contains("keys/find")


@pytest.mark.parametrize("key, text", [(Qt.Key.Key_P, "P"), (Qt.Key.Key_5, "5")])
def test_ok_refuses_a_label_key(qtbot, dialog, reread, key, text):
    select_action(dialog, "find")
    press(qtbot, dialog, key)
    dialog.accept()
    assert dialog.isVisible()
    assert f"{text} is a label key" in dialog.problems.text()
    assert reread().allKeys() == []


def test_fixing_the_conflict_hides_the_message_and_ok_closes(qtbot, dialog):
    select_action(dialog, "find")
    press(qtbot, dialog, Qt.Key.Key_L, CTRL)
    press(qtbot, dialog, Qt.Key.Key_G, CTRL)
    assert not dialog.problems.isVisible()
    dialog.accept()
    assert not dialog.isVisible()


def test_reset_to_defaults(qtbot, settings, reread):
    changed = default_bindings()
    changed["find"] = ("Ctrl+G",)
    save_bindings(settings, changed)
    dialog = KeymapDialog(settings, None, LABELS)
    qtbot.addWidget(dialog)
    assert dialog.bindings()["find"] == ("Ctrl+G",)
    select_action(dialog, "find")
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert dialog.bindings() == default_bindings()
    assert dialog.key_edits[0].keySequence().toString() == "Ctrl+F"
    dialog.accept()
    assert [key for key in reread().allKeys() if key.startswith("keys/")] == []


def test_starts_from_the_bindings_given(qtbot, settings):
    given = default_bindings()
    given["quit"] = ("Ctrl+W",)
    dialog = KeymapDialog(settings, given, LABELS)
    qtbot.addWidget(dialog)
    assert dialog.bindings()["quit"] == ("Ctrl+W",)


def test_snap_checkbox_is_saved_on_ok_only(qtbot, dialog, reread):
    assert dialog.snap.isChecked()
    dialog.snap.setFocus()
    qtbot.keyClick(dialog.snap, Qt.Key.Key_Space)
    assert not dialog.snap.isChecked()
    assert snap_to_tokens(reread()) is True  # nothing saved before OK
    dialog.accept()
    assert snap_to_tokens(reread()) is False


def test_cancel_saves_nothing(qtbot, dialog, reread):
    select_action(dialog, "find")
    press(qtbot, dialog, Qt.Key.Key_G, CTRL)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert reread().allKeys() == []
