"""Under a real X server: a learned term made from the selection (Ctrl+Shift+N, Enter) is undone
with Ctrl+Z and redone with Ctrl+Shift+Z, and the article's suggestions follow each time."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def _learned(window, label):
    return [i for i in window.view.overlay.items() if i.rule == f"learned-{label}"]


def _rules(window):
    return {rule.name for rule in window.workspace.rules()}


def test_a_learned_term_is_undone_and_redone_by_keys(window, keys, qtbot):
    text = window.view.text
    start = text.index("Kerja Sama")  # no rule suggests it: only the learned term will
    assert not [i for i in window.view.overlay.items() if i.start == start]
    window.view.select_offsets(start, start + len("Kerja Sama"))  # as a mouse drag would
    keys.press_action("new_rule_from_selection", until=lambda: window.rule_actions.dialog)
    dialog = window.rule_actions.dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.labels)
    label = dialog.label()  # the first label; Enter keeps "learned terms"
    keys.press("Return", until=lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: f"learned-{label}" in _rules(window), timeout=10000)
    qtbot.waitUntil(lambda: bool(_learned(window, label)), timeout=20000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)

    keys.press_action("undo", until=lambda: f"learned-{label}" not in _rules(window))
    assert window.statusBar().currentMessage().startswith(f"Undone: Remember {label}")
    qtbot.waitUntil(lambda: not _learned(window, label), timeout=20000)

    keys.press_action("redo", until=lambda: f"learned-{label}" in _rules(window))
    qtbot.waitUntil(lambda: bool(_learned(window, label)), timeout=20000)
