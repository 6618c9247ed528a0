"""The window's actions: one for each entry of the key map, and one for each label's keys."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from annotator.gui.keymap import BY_ID, DEFAULT_KEYMAP

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

# Actions that belong to the article view: they fire only while it has the focus,
# so Tab, Enter and letters keep their usual meaning in the lists and the filter box.
VIEW_ACTIONS = {
    "next_suggestion",
    "previous_suggestion",
    "next_span",
    "previous_span",
    "accept",
    "reject",
    "reject_everywhere",
    "start_left",
    "start_right",
    "end_left",
    "end_right",
    "delete_span",
    "remember",
    "clear_selection",
}
# Key-map entries whose actions another module makes (it hands them back to be bound).
FILE_ACTIONS = {"import", "export", "new_database", "open_database", "backup", "restore_backup"}
TEAM_ACTIONS = {"switch_annotator"}  # gui/annotator_switch.py
RULE_ACTIONS = {
    "show_rule_editor",
    "new_rule_from_selection",
    "run_rules_corpus",
    "import_rule_pack",
    "export_rule_pack",
    "train_tagger",
    "rule_proposals",
    "propose_rule_fix",
}
CONCORDANCE_ACTIONS = {"show_concordance"}
PLOT_ACTIONS = {"show_plots", "export_plot"}  # gui/plots.py, installed after the others
CURATION_ACTIONS = {"curate_document"}  # gui/curation_view.py
EXTERNAL_ACTIONS = (
    FILE_ACTIONS
    | RULE_ACTIONS
    | CONCORDANCE_ACTIONS
    | PLOT_ACTIONS
    | TEAM_ACTIONS
    | CURATION_ACTIONS
)


def action_handlers(window: MainWindow) -> dict[str, Callable[[], object]]:
    """What each key-map entry the window makes an action for does."""
    a = window.annotating
    return {
        "next_document": lambda: window.step_document(+1),
        "previous_document": lambda: window.step_document(-1),
        "mark_done_next": window.mark_done_and_next,
        "reload_document": lambda: (
            window.open_document(window.doc.id) if window.doc and window.doc.id else None
        ),
        "find": window.find_bar.open,
        "search_corpus": window.dialogs.search_corpus,
        "focus_navigator": window.dialogs.focus_navigator,
        "next_suggestion": a.select_next_suggestion,
        "previous_suggestion": lambda: a.select_next_suggestion(backwards=True),
        "next_span": a.select_next_span,
        "previous_span": lambda: a.select_next_span(backwards=True),
        "toggle_label_tags": window.dialogs.toggle_label_tags,
        "accept": a.accept,
        "reject": a.reject,
        "reject_everywhere": lambda: a.reject(everywhere=True),
        "accept_all": a.accept_all,
        "start_left": lambda: a.move_boundary("start", -1),
        "start_right": lambda: a.move_boundary("start", +1),
        "end_left": lambda: a.move_boundary("end", -1),
        "end_right": lambda: a.move_boundary("end", +1),
        "delete_span": a.delete_span,
        "remember": a.remember,
        "clear_selection": window.view.clear_selection,
        "undo": window.undo,
        "redo": lambda: window.undo(redo=True),
        "preferences": window.dialogs.preferences,
        "shortcut_sheet": window.dialogs.shortcut_sheet,
        "quit": window.close,
    }


def build_actions(window: MainWindow, handlers: Mapping[str, Callable[[], object]]) -> None:
    """An action for each entry of the key map, in its menu; the file and rule actions are made
    by their modules."""
    for entry in DEFAULT_KEYMAP:
        if entry.id in EXTERNAL_ACTIONS:
            continue
        action = QAction(entry.title, window)
        action.setObjectName(f"action-{entry.id}")
        action.triggered.connect(lambda _checked=False, run=handlers[entry.id]: run())
        if entry.id in VIEW_ACTIONS:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            window.view.addAction(action)
        else:
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            window.addAction(action)
        if entry.id == "toggle_label_tags":
            action.setCheckable(True)
            action.setChecked(True)
        window.menus[entry.menu].addAction(action)
        window.actions_by_id[entry.id] = action
    from annotator.gui.file_dialogs import install_file_actions

    file_actions = install_file_actions(window)
    for action_id in FILE_ACTIONS:
        window.actions_by_id[action_id] = file_actions[action_id]
    for action_id in RULE_ACTIONS:
        window.actions_by_id[action_id] = window.rule_actions.actions[action_id]
    window.actions_by_id["show_concordance"] = window.concordance.action
    window.apply_bindings(window.bindings)
    view_menu = window.menus["View"]
    for dock in window.docks.values():
        view_menu.addAction(dock.toggleViewAction())


def apply_bindings(window: MainWindow, bindings: dict[str, tuple[str, ...]]) -> None:
    """Set every action's keys (and its tooltip, which names them)."""
    window.bindings = dict(bindings)
    for action_id, action in window.actions_by_id.items():
        keys = [QKeySequence(k) for k in bindings.get(action_id, ())]
        action.setShortcuts(keys)
        shown = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
        action.setToolTip(f"{BY_ID[action_id].help} ({shown})" if shown else BY_ID[action_id].help)


def build_label_actions(window: MainWindow) -> None:
    """Number keys 1..9 by label order and each label's letter: both apply the label."""
    for action in window._label_actions:
        window.view.removeAction(action)
        action.deleteLater()
    window._label_actions = []
    menu = window.menus["Annotate"]
    labels_menu = window._labels_menu
    if labels_menu is None:
        window._labels_menu = labels_menu = menu.addMenu("Apply label")
    labels_menu.clear()
    labels = sorted(window.workspace.labels(), key=lambda label: label.order)
    for number, label in enumerate(labels, 1):
        keys = [QKeySequence(str(number))] if number <= 9 else []
        if label.hotkey:
            keys.append(QKeySequence(label.hotkey.upper()))
        action = QAction(label.name, window)
        action.setObjectName(f"action-label-{label.name}")
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(
            lambda _checked=False, name=label.name: window.annotating.apply_label(name)
        )
        window.view.addAction(action)
        labels_menu.addAction(action)
        window._label_actions.append(action)
    window.label_palette.set_labels(labels)
    window.view.set_colours({label.name: label.colour for label in labels})
