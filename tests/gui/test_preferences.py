"""The preferences dialog: labels through the workspace, keys, editing and appearance settings,
keyboard use."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialog

from annotator.gui.keymap_settings import load_bindings, snap_to_tokens
from annotator.gui.label_palette import NAME, NUMBER
from annotator.gui.preferences import (
    ANNOTATOR_KEY,
    FONT_SIZE_KEY,
    THEME_KEY,
    PreferencesDialog,
    annotator_name,
    apply_appearance,
    article_font_size,
    theme,
)

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def dialog(qtbot, workspace, settings):
    widget = PreferencesDialog(workspace, settings)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def labels_by_name(workspace):
    return {label.name: label for label in workspace.labels()}


def select_label(dialog, name: str) -> None:
    page = dialog.labels_page
    row = [label.name for label in page.labels()].index(name)
    page.table.select_row(row)


def type_into(qtbot, edit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def used_label(workspace, seed_path, label: str, spans: int) -> None:
    report = workspace.import_paths([seed_path])
    doc_id = report.document_ids[0]
    for n in range(spans):
        workspace.add_span(doc_id, n * 10, n * 10 + 5, label)


# -- labels -----------------------------------------------------------------------


def test_model_passes_the_model_tester(qtmodeltester, dialog):
    qtmodeltester.check(dialog.labels_page.model)


def test_add_a_label(qtbot, dialog, workspace):
    page = dialog.labels_page
    with qtbot.waitSignal(dialog.labels_changed):
        qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
        assert page.name_edit.hasFocus() and page.name_edit.text() == ""
        qtbot.keyClicks(page.name_edit, "EVENT")
        type_into(qtbot, page.colour_edit, "#112233")
        type_into(qtbot, page.hotkey_edit, "v")
        qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    event = labels_by_name(workspace)["EVENT"]
    assert (event.colour, event.hotkey) == ("#112233", "v")
    assert event.order == max(label.order for label in workspace.labels())
    assert page.current_label().name == "EVENT"
    assert "Added EVENT" in page.message.text()


def test_rename_with_enter_applies_and_closes(qtbot, dialog, workspace):
    select_label(dialog, "ORG")
    type_into(qtbot, dialog.labels_page.name_edit, "ORGANISATION")
    qtbot.keyClick(
        dialog.labels_page.name_edit, Qt.Key.Key_Return
    )  # Enter = OK, which applies the edit
    assert dialog.result() == QDialog.DialogCode.Accepted
    names = labels_by_name(workspace)
    assert "ORGANISATION" in names and "ORG" not in names


def test_a_bad_name_is_refused_and_ok_stays_open(qtbot, dialog, workspace):
    select_label(dialog, "ORG")
    type_into(qtbot, dialog.labels_page.name_edit, "PERSON")
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.tabs.currentWidget() is dialog.labels_page
    assert "exists already" in dialog.labels_page.message.text()
    assert "ORG" in labels_by_name(workspace)


def test_a_name_with_a_space_is_a_label(qtbot, dialog, workspace):
    select_label(dialog, "ORG")
    type_into(qtbot, dialog.labels_page.name_edit, "Product Name")
    dialog.accept()
    names = labels_by_name(workspace)
    assert "Product Name" in names and "ORG" not in names


def test_recolour(dialog, workspace):
    select_label(dialog, "LOC")
    assert dialog.labels_page.set_colour("#abcdef")
    assert labels_by_name(workspace)["LOC"].colour == "#ABCDEF"
    assert not dialog.labels_page.set_colour("not a colour")
    assert "Colour" in dialog.labels_page.message.text()
    assert labels_by_name(workspace)["LOC"].colour == "#ABCDEF"


def test_reorder_with_ctrl_up_and_the_buttons(qtbot, dialog, workspace):
    page = dialog.labels_page
    select_label(dialog, "ORG")
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Up, CTRL)
    ordered = [label.name for label in sorted(workspace.labels(), key=lambda label: label.order)]
    assert ordered[:2] == ["ORG", "PERSON"]
    assert page.model.index(0, NAME).data() == "ORG" and page.model.index(0, NUMBER).data() == "1"
    assert page.current_label().name == "ORG"  # the moved label stays selected
    qtbot.keyClick(page.table, Qt.Key.Key_Down, CTRL)
    qtbot.mouseClick(page.down_button, Qt.MouseButton.LeftButton)
    ordered = [label.name for label in sorted(workspace.labels(), key=lambda label: label.order)]
    assert ordered[:3] == ["PERSON", "LOC", "ORG"]
    assert not page.move_label(10)


def test_hotkey_taken_by_another_label_is_refused(qtbot, dialog, workspace):
    select_label(dialog, "ORG")
    type_into(qtbot, dialog.labels_page.hotkey_edit, "p")
    assert not dialog.labels_page.apply_form()
    assert "taken by label PERSON" in dialog.labels_page.message.text()
    assert labels_by_name(workspace)["ORG"].hotkey == "o"


def test_hotkey_of_a_key_action_is_refused(qtbot, dialog, workspace):
    select_label(dialog, "ORG")
    type_into(qtbot, dialog.labels_page.hotkey_edit, "x")  # X rejects a suggestion
    assert not dialog.labels_page.apply_form()
    assert "Reject suggestion" in dialog.labels_page.message.text()
    assert labels_by_name(workspace)["ORG"].hotkey == "o"


def test_hotkey_takes_one_letter_only(qtbot, dialog):
    select_label(dialog, "ORG")
    edit = dialog.labels_page.hotkey_edit
    type_into(qtbot, edit, "7")
    assert edit.text() == "o"  # a digit does not replace the letter
    edit.clear()
    type_into(qtbot, edit, "gh")
    assert edit.text() == "g"


def test_a_used_label_cannot_be_deleted_and_the_message_counts_its_spans(
    dialog, workspace, seed_path
):
    used_label(workspace, seed_path, "PERSON", 3)
    dialog.labels_page.refresh()
    select_label(dialog, "PERSON")
    assert not dialog.labels_page.delete_current()
    assert "3 spans use it" in dialog.labels_page.message.text()
    assert "PERSON" in labels_by_name(workspace)


def test_an_unused_label_is_deleted_and_one_a_rule_uses_is_not(dialog, workspace):
    select_label(dialog, "QUOTE")  # no span, but the default pack's quotation rules label QUOTE
    assert not dialog.labels_page.delete_current()
    assert "rule" in dialog.labels_page.message.text()
    workspace.add_label("UNUSED")
    dialog.labels_page.refresh()
    select_label(dialog, "UNUSED")
    assert dialog.labels_page.delete_current()
    assert "UNUSED" not in labels_by_name(workspace)


def test_a_new_label_letter_is_reserved_on_the_keys_tab(qtbot, dialog):
    select_label(dialog, "DATE")
    type_into(qtbot, dialog.labels_page.hotkey_edit, "g")
    assert dialog.labels_page.apply_form()
    keys = dialog.keys_page
    row = next(r for r in range(keys.model.rowCount()) if keys.model.row_at(r).id == "find")
    keys.table.select_row(row)
    keys.key_edits[0].clear()
    keys.key_edits[0].setFocus()
    qtbot.keyClick(keys.key_edits[0], Qt.Key.Key_G)
    assert "G is a label key" in "\n".join(keys.problems_text())


def test_cancel_after_a_label_edit_keeps_it_and_tells_the_window(qtbot, dialog, workspace, reread):
    select_label(dialog, "LOC")
    dialog.labels_page.set_colour("#010203")
    with qtbot.waitSignal(dialog.applied):
        qtbot.keyClick(dialog.labels_page.table, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert labels_by_name(workspace)["LOC"].colour == "#010203"
    assert reread().allKeys() == []


# -- keys and editing ----------------------------------------------------------------


def test_key_rebinding_conflict_is_refused(qtbot, dialog, reread):
    dialog.tabs.setCurrentWidget(dialog.editing_page)
    keys = dialog.keys_page
    row = next(r for r in range(keys.model.rowCount()) if keys.model.row_at(r).id == "find")
    keys.table.select_row(row)
    keys.key_edits[0].clear()
    keys.key_edits[0].setFocus()
    qtbot.keyClick(keys.key_edits[0], Qt.Key.Key_L, CTRL)  # the navigator's key
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.tabs.currentWidget() is keys  # OK shows why it refused
    assert "Ctrl+L is bound to both" in keys.problems.text()
    assert not reread().contains("keys/find")
    qtbot.keyClick(keys.key_edits[0], Qt.Key.Key_G, CTRL)
    dialog.accept()
    assert load_bindings(reread())["find"] == ("Ctrl+G",)


def test_snap_and_annotator_name_saved_on_ok_and_given_to_the_workspace(
    qtbot, dialog, workspace, reread, seed_path
):
    dialog.tabs.setCurrentWidget(dialog.editing_page)
    qtbot.keyClick(dialog.snap, Qt.Key.Key_Space)
    type_into(qtbot, dialog.annotator_edit, "  alice ")
    assert reread().allKeys() == []  # nothing before OK
    with qtbot.waitSignal(dialog.applied):
        qtbot.keyClick(dialog.annotator_edit, Qt.Key.Key_Return)
    assert snap_to_tokens(reread()) is False
    assert annotator_name(reread()) == "alice"
    assert workspace.annotator == "alice"
    used_label(workspace, seed_path, "ORG", 1)
    assert workspace.stats()["by"]["annotator"] == {"alice": 1}


def test_clearing_the_annotator_name_goes_back_to_the_default(
    qtbot, workspace, settings, reread, monkeypatch
):
    monkeypatch.setenv("ANNOTATOR_NAME", "from-env")
    settings.setValue(ANNOTATOR_KEY, "alice")
    dialog = PreferencesDialog(workspace, settings)
    qtbot.addWidget(dialog)
    assert dialog.annotator_edit.text() == "alice"
    dialog.annotator_edit.clear()
    dialog.accept()
    assert not reread().contains(ANNOTATOR_KEY)
    assert workspace.annotator == "from-env"


# -- appearance --------------------------------------------------------------------


@pytest.fixture
def restore_appearance(qapp, tmp_path):
    yield qapp
    system = QSettings(str(tmp_path / "system.ini"), QSettings.Format.IniFormat)
    apply_appearance(qapp, system)


def test_theme_and_font_size_saved(qtbot, dialog, reread):
    assert theme(reread()) == "system" and article_font_size(reread()) is None
    dialog.tabs.setCurrentWidget(dialog.appearance_page)
    dialog.theme_box.setCurrentIndex(dialog.theme_box.findData("dark"))
    dialog.font_size.setValue(14.5)
    dialog.accept()
    assert reread().value(THEME_KEY) == "dark" and theme(reread()) == "dark"
    assert article_font_size(reread()) == 14.5


def test_default_font_size_removes_the_entry(qtbot, workspace, settings, reread):
    settings.setValue(FONT_SIZE_KEY, 16)
    dialog = PreferencesDialog(workspace, settings)
    qtbot.addWidget(dialog)
    assert dialog.font_size.value() == 16
    dialog.font_size.setValue(dialog.font_size.minimum())
    assert dialog.font_size.text() == "Default"
    dialog.accept()
    assert not reread().contains(FONT_SIZE_KEY)


def test_unreadable_appearance_settings_read_as_defaults(settings):
    settings.setValue(THEME_KEY, "purple")
    settings.setValue(FONT_SIZE_KEY, "huge")
    assert theme(settings) == "system" and article_font_size(settings) is None


def test_apply_appearance_dark_then_system(restore_appearance, settings):
    app = restore_appearance
    before = app.palette().color(QPalette.ColorRole.Window)
    settings.setValue(THEME_KEY, "dark")
    apply_appearance(app, settings)
    assert app.style().name().lower() == "fusion"
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert app.palette().color(QPalette.ColorRole.Text).lightness() > 180
    settings.setValue(THEME_KEY, "light")
    apply_appearance(app, settings)
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 180
    settings.setValue(THEME_KEY, "system")
    apply_appearance(app, settings)
    # The platform's own palette again (offscreen: a light one), whatever an earlier test set.
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 180
    assert before.isValid()


# -- keyboard ---------------------------------------------------------------------


def test_tab_order_on_the_labels_page(qtbot, dialog):
    page = dialog.labels_page
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    expected = [
        page.name_edit,
        page.colour_edit,
        page.colour_button,
        page.hotkey_edit,
        page.description_edit,
        page.apply_button,
        page.new_button,
        page.up_button,
        page.down_button,
        page.delete_button,
        page.merge_button,
    ]
    for widget in expected:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is widget
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() in dialog.buttons.buttons()


def test_enter_on_a_label_row_edits_it_and_alt_keys_switch_tabs(qtbot, dialog):
    page = dialog.labels_page
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert dialog.isVisible() and page.name_edit.hasFocus()
    qtbot.keyClick(page.name_edit, Qt.Key.Key_P, ALT)
    assert dialog.tabs.currentWidget() is dialog.appearance_page
    assert dialog.theme_box.hasFocus()


def test_escape_cancels_and_saves_nothing(qtbot, dialog, reread):
    dialog.tabs.setCurrentWidget(dialog.appearance_page)
    dialog.font_size.setValue(20)
    qtbot.keyClick(dialog.theme_box, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert reread().allKeys() == []


def test_merge_into_moves_the_spans_and_undo_brings_the_label_back(
    qtbot, dialog, workspace, seed_path
):
    used_label(workspace, seed_path, "ROLE", 2)
    workspace.add_span(1, 0, 5, "PERSON")  # ROLE's first span doubles it: dropped, then back
    dialog.labels_page.refresh()
    select_label(dialog, "ROLE")
    changes = []
    dialog.labels_page.labels_changed.connect(changes.append)
    assert dialog.labels_page.merge_current("PERSON")
    assert "Merged ROLE into PERSON" in dialog.labels_page.message.text()
    assert "ROLE" not in labels_by_name(workspace)
    assert sorted((s.start, s.label) for s in workspace.document(1).spans) == [
        (0, "PERSON"),
        (10, "PERSON"),
    ]
    assert changes and changes[0].labels == ("ROLE", "PERSON")
    assert dialog.labels_page.current_label().name == "PERSON"
    workspace.undo()
    assert "ROLE" in labels_by_name(workspace)
    assert sorted((s.start, s.label) for s in workspace.document(1).spans) == [
        (0, "PERSON"),
        (0, "ROLE"),
        (10, "ROLE"),
    ]


def test_merge_into_itself_is_refused_in_the_page(dialog, workspace):
    select_label(dialog, "ORG")
    assert not dialog.labels_page.merge_current("ORG")
    assert "into itself" in dialog.labels_page.message.text()
    assert "ORG" in labels_by_name(workspace)
