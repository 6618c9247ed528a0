"""Under a real X server: Team > Agreement… opened from the keyboard (Alt+T, arrows, Return), the
labels typed after Alt+L, the disagreements reached with Alt+D, Enter on one opens the document at
its range, Esc closes the dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.workspace.agreement_corpus import team_corpus


def test_agreement_window_by_keys(open_window, seed_template, keys, qtbot):
    made: list[list[int]] = []
    window = open_window(seed_template, prepare=lambda ws: made.append(team_corpus(ws)))
    ids = made[0]
    menu = window.menus["Team"]
    keys.menu_walk(menu, window.agreement.action)
    keys.press("Return", until=lambda: window.agreement.dialog is not None)
    dialog = window.agreement.dialog
    qtbot.waitExposed(dialog)
    keys.focus(dialog, focus_widget=dialog.disagreements)
    qtbot.waitUntil(lambda: dialog.disagreement_model.rowCount() == 6)

    keys.press("alt+l", until=lambda: QApplication.focusWidget() is dialog.labels_edit)
    keys.type("PERSON")
    keys.press("Return", until=lambda: dialog.disagreement_model.rowCount() == 4)
    assert {row[0] for row in dialog.table_model.rows()} == {"PERSON", "overall"}

    keys.press("alt+d", until=lambda: QApplication.focusWidget() is dialog.disagreements)
    keys.press("Down", until=lambda: dialog.disagreements.currentIndex().row() == 1)
    keys.press("Return", until=lambda: window.doc is not None and window.doc.id == ids[0])
    assert window.view.selection_offsets() == (0, 11)  # Joko Widodo, where ana and budi agree

    keys.focus(dialog, focus_widget=dialog.disagreements)
    keys.press("Escape", until=lambda: not dialog.isVisible())
