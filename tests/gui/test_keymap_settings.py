"""The persisted key map, the snapping preference, and the Preferences dialog's Keys page that
edits them (the page the app opens)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from annotator.core.model import Label
from annotator.gui.keymap import BY_ID, DEFAULT_KEYMAP, canonical_key, conflicts, key_identity
from annotator.gui.keymap_settings import (
    SNAP_KEY,
    default_bindings,
    load_bindings,
    reserved_label_keys,
    save_bindings,
    snap_to_tokens,
)
from annotator.gui.preferences import PreferencesDialog

LABELS = [Label("PERSON", "#D55E00", "p", order=0), Label("ORG", "#0072B2", "o", order=1)]
CTRL = Qt.KeyboardModifier.ControlModifier


def open_preferences(qtbot, workspace, settings):
    """The Preferences dialog as the window opens it, on its Keys page."""
    widget = PreferencesDialog(workspace, settings)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.tabs.setCurrentWidget(widget.keys_page)
    return widget


@pytest.fixture
def dialog(qtbot, workspace, settings):
    # The workspace's labels have the letters P, O, L, D, T and Q.
    return open_preferences(qtbot, workspace, settings)


def select_action(dialog, action_id: str) -> None:
    page = dialog.keys_page
    row = next(r for r in range(page.model.rowCount()) if page.model.row_at(r).id == action_id)
    page.table.select_row(row)


def press(qtbot, dialog, key, modifier=Qt.KeyboardModifier.NoModifier, edit: int = 0) -> None:
    target = dialog.keys_page.key_edits[edit]
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


# -- the Keys page of the Preferences dialog ------------------------------------------


def test_model_passes_the_model_tester(qtmodeltester, dialog):
    qtmodeltester.check(dialog.keys_page.model)


def test_rebinding_with_the_keyboard_and_ok_saves(qtbot, dialog, reread):
    page = dialog.keys_page
    select_action(dialog, "find")
    assert page.action_label.text() == "Find in document"
    assert page.key_edits[0].keySequence().toString() == "Ctrl+F"
    press(qtbot, dialog, Qt.Key.Key_G, CTRL)
    assert page.bindings()["find"] == ("Ctrl+G",)
    assert "Ctrl+G" in page.model.index(page.table.currentIndex().row(), 1).data()
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert load_bindings(reread())["find"] == ("Ctrl+G",)


def test_enter_on_an_action_starts_recording_its_key(qtbot, dialog):
    page = dialog.keys_page
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter did not press OK
    assert page.key_edits[0].hasFocus()
    qtbot.keyClick(page.key_edits[0], Qt.Key.Key_F9)
    assert page.bindings()[DEFAULT_KEYMAP[1].id] == ("F9",)


def test_an_alternative_key_is_kept_beside_the_first(qtbot, dialog):
    page = dialog.keys_page
    select_action(dialog, "accept")
    assert [edit.keySequence().toString() for edit in page.key_edits[:2]] == ["Return", "Enter"]
    press(qtbot, dialog, Qt.Key.Key_A, edit=1)
    assert page.bindings()["accept"] == ("Return", "A")


def test_every_default_key_has_a_box_so_editing_one_keeps_the_others(qtbot, dialog):
    page = dialog.keys_page
    most = max(DEFAULT_KEYMAP, key=lambda action: len(action.keys))
    select_action(dialog, most.id)
    shown = tuple(
        edit.keySequence().toString() for edit in page.key_edits if not edit.keySequence().isEmpty()
    )
    assert shown == most.keys
    press(qtbot, dialog, Qt.Key.Key_F9, edit=0)
    assert page.bindings()[most.id] == ("F9", *most.keys[1:])


def test_ok_refuses_a_key_bound_twice_and_says_why(qtbot, dialog, reread):
    page = dialog.keys_page
    select_action(dialog, "find")
    press(qtbot, dialog, Qt.Key.Key_L, CTRL)  # the navigator's key
    assert page.problems.isVisible()  # shown as soon as it happens
    dialog.tabs.setCurrentWidget(dialog.editing_page)
    dialog.accept()
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.tabs.currentWidget() is page  # OK shows why it refused
    assert "Ctrl+L is bound to both" in page.problems.text()
    assert not reread().contains("keys/find")


@pytest.mark.parametrize("key, text", [(Qt.Key.Key_P, "P"), (Qt.Key.Key_5, "5")])
def test_ok_refuses_a_label_key(qtbot, dialog, reread, key, text):
    select_action(dialog, "find")
    press(qtbot, dialog, key)
    dialog.accept()
    assert dialog.isVisible()
    assert f"{text} is a label key" in dialog.keys_page.problems.text()
    assert reread().allKeys() == []


def test_fixing_the_conflict_hides_the_message_and_ok_closes(qtbot, dialog):
    select_action(dialog, "find")
    press(qtbot, dialog, Qt.Key.Key_L, CTRL)
    press(qtbot, dialog, Qt.Key.Key_G, CTRL)
    assert not dialog.keys_page.problems.isVisible()
    dialog.accept()
    assert not dialog.isVisible()


def test_reset_to_defaults(qtbot, workspace, settings, reread):
    changed = default_bindings()
    changed["find"] = ("Ctrl+G",)
    save_bindings(settings, changed)
    dialog = open_preferences(qtbot, workspace, settings)
    page = dialog.keys_page
    assert page.bindings()["find"] == ("Ctrl+G",)
    select_action(dialog, "find")
    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    assert page.bindings() == default_bindings()
    assert page.key_edits[0].keySequence().toString() == "Ctrl+F"
    dialog.accept()
    assert [key for key in reread().allKeys() if key.startswith("keys/")] == []


def test_starts_from_the_saved_bindings(qtbot, workspace, settings):
    saved = default_bindings()
    saved["quit"] = ("Ctrl+W",)
    save_bindings(settings, saved)
    dialog = open_preferences(qtbot, workspace, settings)
    assert dialog.keys_page.bindings()["quit"] == ("Ctrl+W",)


def test_snap_checkbox_is_saved_on_ok_only(qtbot, dialog, reread):
    dialog.tabs.setCurrentWidget(dialog.editing_page)
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
    qtbot.keyClick(dialog.keys_page.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert reread().allKeys() == []


# -- one key event, one action ---------------------------------------------------------
# On X11, Windows and macOS, Shift+[ arrives as "{" with Shift held, and Qt matches it against
# both "{" and "Shift+["; Shift+Tab matches both "Shift+Tab" and "Backtab". Two such sequences
# bound at once make Qt refuse the key ("Ambiguous shortcut overload"): the map must refuse them.


@pytest.mark.parametrize(
    ("typed", "fires"),
    [
        ("Shift+[", "{"),
        ("Shift+{", "{"),
        ("{", "{"),
        ("Shift+]", "}"),
        ("Backtab", "Shift+Tab"),
        ("Shift+Backtab", "Shift+Tab"),
        ("shift+tab", "Shift+Tab"),
        ("Shift+1", "!"),
        ("ctrl+shift+z", "Ctrl+Shift+Z"),
        ("Shift+Ctrl+Z", "Ctrl+Shift+Z"),
        ("Escape", "Esc"),
        ("Ctrl+PageDown", "Ctrl+PgDown"),
        ("x", "X"),
        ("Ctrl++", "Ctrl++"),
        ("Ctrl+Shift+=", "Ctrl++"),
    ],
)
def test_each_key_has_the_one_spelling_qt_fires(typed, fires):
    assert canonical_key(typed) == fires
    assert key_identity(typed) == key_identity(fires)


def test_the_default_map_binds_each_key_event_once():
    assert conflicts({a.id: a.keys for a in DEFAULT_KEYMAP}) == []
    seen = [key_identity(k) for a in DEFAULT_KEYMAP for k in a.keys]
    assert len(seen) == len(set(seen))
    assert BY_ID["end_left"].keys == ("{",) and BY_ID["end_right"].keys == ("}",)
    assert BY_ID["previous_suggestion"].keys == ("Shift+Tab",)


@pytest.mark.parametrize(
    ("keys", "words"),
    [
        (("{", "Shift+["), "one key on a keyboard"),
        (("Ctrl+{", "Ctrl+Shift+["), "one key on a keyboard"),
        (("F9", "F9"), "F9 twice"),
    ],
)
def test_two_spellings_of_one_key_in_one_action_are_refused(keys, words):
    bindings = default_bindings()
    bindings["end_left"] = keys
    problems = conflicts(bindings)
    assert len(problems) == 1 and words in problems[0] and "End one token left" in problems[0]


def test_a_key_shared_by_two_actions_under_two_spellings_is_refused():
    bindings = default_bindings()
    bindings["accept_all"] = ("Shift+]",)  # the key end_right already has as "}"
    problems = conflicts(bindings)
    assert len(problems) == 1
    assert "End one token right" in problems[0] and "Accept all suggestions" in problems[0]
    assert "are one key on a keyboard" in problems[0]


def test_settings_from_an_older_version_load_as_keys_that_fire(settings, reread):
    settings.setValue("keys/end_left", '["{", "Shift+{", "Shift+["]')
    settings.setValue("keys/previous_suggestion", '["Shift+Tab", "Backtab"]')
    settings.sync()
    bindings = load_bindings(reread())
    assert bindings["end_left"] == ("{",)
    assert bindings["previous_suggestion"] == ("Shift+Tab",)
    assert conflicts(bindings) == []


def test_recording_shift_bracket_in_preferences_stores_the_brace(qtbot, dialog, settings, reread):
    page = dialog.keys_page
    select_action(dialog, "accept_all")
    # What a key box records on X11 when Shift+] is pressed: the brace with Shift held.
    press(qtbot, dialog, Qt.Key.Key_BraceRight, Qt.KeyboardModifier.ShiftModifier)
    assert page.bindings()["accept_all"] == ("}",)
    assert any("End one token right" in p for p in page.problems_text())
    dialog.accept()
    assert dialog.isVisible()  # refused: the brace already moves an end
    select_action(dialog, "end_right")
    press(qtbot, dialog, Qt.Key.Key_F8)
    assert page.problems_text() == []
    dialog.accept()
    assert not dialog.isVisible()
    saved = load_bindings(reread())
    assert saved["accept_all"] == ("}",) and saved["end_right"] == ("F8",)
