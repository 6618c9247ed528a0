"""Under a real X server: after a rejection, Ctrl+Shift+P proposes rule fixes with their corpus
diff; Down picks the next one, Enter saves it, Ctrl+Z undoes it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication


def _reject_reuters(ws) -> None:
    doc = ws.documents()[0].id
    ws.suggest(doc)
    reuters = next(s for _, s in ws.suggestions(doc) if s.text == "Reuters")
    ws.reject(reuters.id)


def _rule(window, name):
    return window.workspace.rule(name)


@pytest.mark.action("propose_rule_fix")
def test_a_rule_fix_is_proposed_picked_saved_and_undone_by_keys(
    open_window, seed_template, keys, qtbot
):
    from annotator.gui.rule_fix_view import RuleFixDialog

    window = open_window(seed_template, prepare=_reject_reuters)
    keys.press_action(
        "propose_rule_fix",
        until=lambda: isinstance(QApplication.activeModalWidget(), RuleFixDialog),
    )
    dialog = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.choices)
    qtbot.waitUntil(lambda: dialog.panel.diff is not None, timeout=20000)
    keys.press("Down", until=lambda: dialog.choices.currentRow() == 1)
    qtbot.waitUntil(lambda: dialog.panel.diff is not None, timeout=20000)
    fix = dialog.fixes[1]
    name = fix.rules[0].name
    before = _rule(window, name)

    keys.press("Return", until=lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: _rule(window, name) == fix.rules[0], timeout=10000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)

    keys.press_action("undo", until=lambda: _rule(window, name) == before)
    assert window.statusBar().currentMessage().startswith("Undone: Rule fix")
