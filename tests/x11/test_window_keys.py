"""The Document, File, Rules and Help keys, pressed through the X server.

Documents: read from the window (which document it shows) and the database (statuses,
suggestions). Dialogs and docks: they appear holding the keyboard, Esc (through the X
server too) closes them, and the keys come back to the article.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from annotator.gui.keymap import BY_ID

SEED_DOC = 1
SEED_TITLE = "Rusia Tawarkan Kerja Sama dengan AS di Suriah"


def keys_of(action_id):
    return [pytest.param(i, id=key) for i, key in enumerate(BY_ID[action_id].keys)]


def keyboard_back_in_the_article(qtbot, window, keys):
    """After a dialog: the window is active again and the article holds the keys."""
    from pytestqt.exceptions import TimeoutError as QtBotTimeout

    try:
        qtbot.waitUntil(window.isActiveWindow, timeout=500)
    except QtBotTimeout:
        # No window manager on this X server: when the focused dialog goes, X gives the focus to
        # the root window; a desktop's window manager gives it to the dialog's parent. Do that,
        # unless one of our windows took the keys.
        assert QApplication.activeWindow() is None, (
            f"{QApplication.activeWindow()!r} holds the keys"
        )
        keys.focus(window)
    try:
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view, timeout=3000)
    except QtBotTimeout:
        focus = QApplication.focusWidget()
        raise AssertionError(
            f"the keys did not come back to the article: the focus is on {focus!r} "
            f"({focus.objectName() if focus else ''}) in {QApplication.activeWindow()!r}"
        ) from None


def opens_and_escape_closes(qtbot, window, keys, dialog_watch, open_it):
    """Arm the watch, ``open_it()`` (press the keys), wait until Esc closed what appeared."""
    watch = dialog_watch(window)
    open_it()
    qtbot.waitUntil(lambda: watch.seen is not None, timeout=5000)
    qtbot.waitUntil(lambda: watch.closed, timeout=5000)
    keyboard_back_in_the_article(qtbot, window, keys)
    return watch.seen


# -- documents -------------------------------------------------------------------------------------


@pytest.mark.action("next_document")
def test_next_document(three_docs, keys):
    window = three_docs
    order = window.navigator.ordered_ids()
    assert len(order) == 3 and window.doc.id == order[0]
    keys.press_action("next_document", until=lambda: window.doc.id == order[1])
    assert "Surabaya" in window.view.text
    keys.press_action("next_document", until=lambda: window.doc.id == order[2])
    assert "Bandung" in window.view.text
    assert QApplication.focusWidget() is window.view


@pytest.mark.action("previous_document")
def test_previous_document(three_docs, keys, qtbot):
    window = three_docs
    order = window.navigator.ordered_ids()
    window.open_document(order[2])  # where an earlier Ctrl+PgDown left off
    keys.press_action("previous_document", until=lambda: window.doc.id == order[1])
    assert "Surabaya" in window.view.text
    keys.press_action("previous_document", until=lambda: window.doc.id == order[0])
    assert window.doc.title == SEED_TITLE
    assert QApplication.focusWidget() is window.view


@pytest.mark.action("mark_done_next")
@pytest.mark.parametrize("key", keys_of("mark_done_next"))
def test_mark_done_and_next(three_docs, keys, read_db, key):
    window = three_docs
    order = window.navigator.ordered_ids()
    keys.press_action("mark_done_next", index=key, until=lambda: window.doc.id == order[1])
    db = read_db(window)
    assert db.status[order[0]] == "done"
    assert db.status[order[1]] != "done"
    assert QApplication.focusWidget() is window.view


@pytest.mark.action("reload_document")
def test_reload_shows_another_programs_changes(window, keys):
    from annotator.workspace import Workspace

    assert window.view.overlay.span_count() == 0
    with Workspace.open(
        window.db_path, annotator="colleague"
    ) as other:  # a second window on the file
        other.add_span(SEED_DOC, 133, 146, "PERSON")
    keys.press_action("reload_document", until=lambda: window.view.overlay.span_count() == 1)
    span = next(i for i in window.view.overlay.items() if i.kind == "span")
    assert (span.start, span.end, span.label, span.text) == (133, 146, "PERSON", "Barrack Obama")
    assert QApplication.focusWidget() is window.view


@pytest.mark.action("find")
def test_find_as_you_type(window, keys, qtbot):
    keys.press_action(
        "find",
        until=lambda: (
            window.find_bar.isVisible() and QApplication.focusWidget() is window.find_bar.edit
        ),
    )
    keys.type("lavrov", until=lambda: window.find_bar.edit.text() == "lavrov")
    start, end = window.view.selection_offsets()
    assert window.view.text[start:end] == "Lavrov"
    at = window.view.text.index("Lavrov")
    assert start == at  # the first match
    keys.press("Return", until=lambda: window.view.selection_offsets()[0] > at)  # the next match
    assert window.view.text[slice(*window.view.selection_offsets())] == "Lavrov"
    keys.press("Escape", until=lambda: window.find_bar.isHidden())
    assert QApplication.focusWidget() is window.view
    assert (
        window.view.text[slice(*window.view.selection_offsets())] == "Lavrov"
    )  # the match stays selected


@pytest.mark.action("search_corpus")
def test_search_corpus_opens_the_document_at_the_match(three_docs, keys, qtbot):
    window = three_docs
    order = window.navigator.ordered_ids()
    keys.press_action(
        "search_corpus",
        until=lambda: (
            getattr(window, "_search_dialog", None) is not None
            and window._search_dialog.isVisible()
        ),
    )
    dialog = window._search_dialog
    qtbot.waitUntil(lambda: dialog.isActiveWindow() and QApplication.focusWidget() is dialog.query)
    keys.type("Surabaya", until=lambda: dialog.query.text() == "Surabaya")
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=5000)
    keys.press("Return", until=lambda: window.doc.id == order[1])
    start, end = window.view.selection_offsets()
    assert window.view.text[start:end] == "Surabaya"
    keyboard_back_in_the_article(qtbot, window, keys)
    assert not dialog.isVisible()


@pytest.mark.action("focus_navigator")
def test_focus_navigator(window, keys):
    keys.press_action(
        "focus_navigator", until=lambda: QApplication.focusWidget() is window.navigator.filter
    )
    assert window.docks["navigator"].isVisible()


# -- dialogs, docks, quit --------------------------------------------------------------------------


@pytest.mark.action("preferences")
def test_preferences(window, keys, qtbot, dialog_watch):
    seen = opens_and_escape_closes(
        qtbot, window, keys, dialog_watch, lambda: keys.press_action("preferences")
    )
    assert seen["class"] == "PreferencesDialog"


@pytest.mark.action("shortcut_sheet")
def test_shortcut_sheet(window, keys, qtbot, dialog_watch):
    seen = opens_and_escape_closes(
        qtbot, window, keys, dialog_watch, lambda: keys.press_action("shortcut_sheet")
    )
    assert seen["class"] == "ShortcutSheet"


@pytest.mark.action("import")
def test_import_dialog(window, keys, qtbot, dialog_watch):
    seen = opens_and_escape_closes(
        qtbot, window, keys, dialog_watch, lambda: keys.press_action("import")
    )
    assert seen["class"] == "ImportDialog"


@pytest.mark.action("export")
def test_export_dialog(window, keys, qtbot, dialog_watch):
    seen = opens_and_escape_closes(
        qtbot, window, keys, dialog_watch, lambda: keys.press_action("export")
    )
    assert seen["class"] == "ExportDialog"


@pytest.mark.action("new_database")
def test_new_database_asks_for_a_file(window, keys, qtbot, dialog_watch):
    location = window.workspace.location
    seen = opens_and_escape_closes(
        qtbot, window, keys, dialog_watch, lambda: keys.press_action("new_database")
    )
    assert seen["class"] == "QFileDialog" and seen["title"] == "New database"
    assert (
        window.isVisible() and window.workspace.location == location
    )  # cancelled: nothing switched


@pytest.mark.action("open_database")
def test_open_database_asks_for_a_file_or_a_server(window, keys, qtbot, dialog_watch):
    location = window.workspace.location
    seen = opens_and_escape_closes(
        qtbot, window, keys, dialog_watch, lambda: keys.press_action("open_database")
    )
    assert seen["class"] == "DatabaseDialog" and seen["title"] == "Open database"
    assert window.isVisible() and window.workspace.location == location


def by_menu(keys, window, menu_name, action_id):
    """A keyboard user's way to an action with no key: Alt+mnemonic, arrows, Return."""
    menu = window.menus[menu_name]
    action = window.actions_by_id[action_id]
    keys.menu_walk(menu, action)
    keys.press("Return")


@pytest.mark.action("backup")
def test_backup_dialog_from_the_file_menu(window, keys, qtbot, dialog_watch):
    assert not BY_ID["backup"].keys, "backup has a key now: press it here"
    seen = opens_and_escape_closes(
        qtbot, window, keys, dialog_watch, lambda: by_menu(keys, window, "File", "backup")
    )
    assert seen["class"] == "BackupDialog"


@pytest.mark.action("import_rule_pack")
def test_import_rule_pack_from_the_rules_menu(window, keys, qtbot, dialog_watch):
    assert not BY_ID["import_rule_pack"].keys, "import_rule_pack has a key now: press it here"
    seen = opens_and_escape_closes(
        qtbot,
        window,
        keys,
        dialog_watch,
        lambda: by_menu(keys, window, "Rules", "import_rule_pack"),
    )
    assert seen["class"] == "QFileDialog" and seen["title"] == "Import rule pack"


@pytest.mark.action("export_rule_pack")
def test_export_rule_pack_from_the_rules_menu(window, keys, qtbot, dialog_watch):
    assert not BY_ID["export_rule_pack"].keys, "export_rule_pack has a key now: press it here"
    seen = opens_and_escape_closes(
        qtbot,
        window,
        keys,
        dialog_watch,
        lambda: by_menu(keys, window, "Rules", "export_rule_pack"),
    )
    assert seen["class"] == "QFileDialog" and seen["title"] == "Export rule pack"


@pytest.mark.action("new_rule_from_selection")
def test_new_rule_from_selection(window, keys, qtbot, dialog_watch):
    keys.press(
        "Tab", until=lambda: window.view.selected is not None
    )  # a suggestion: its text is the selection
    seen = opens_and_escape_closes(
        qtbot, window, keys, dialog_watch, lambda: keys.press_action("new_rule_from_selection")
    )
    assert seen["class"] == "NewRuleDialog"


@pytest.mark.action("show_rule_editor")
def test_rule_editor_dock(window, keys, qtbot):
    dock = window.docks["rules"]
    assert not dock.isVisible()
    editor = dock.widget()
    keys.press_action(
        "show_rule_editor",
        until=lambda: dock.isVisible() and QApplication.focusWidget() is editor.filter,
    )
    assert editor.model.rowCount() > 0  # the rules are listed
    keys.press("Escape")
    keyboard_back_in_the_article(qtbot, window, keys)


@pytest.mark.action("run_rules_corpus")
def test_run_rules_over_the_corpus(three_docs, keys, qtbot, read_db):
    window = three_docs
    order = window.navigator.ordered_ids()
    assert read_db(window).pending(order[1]) == []  # not opened yet: no suggestions made
    with qtbot.waitSignal(window.rule_actions.corpusFinished, timeout=20000) as finished:
        keys.press_action("run_rules_corpus")
    assert finished.args[0].documents == 3
    db = read_db(window)
    assert ("LOC", "Surabaya") in {p[2:4] for p in db.pending(order[1])}
    assert ("LOC", "Bandung") in {p[2:4] for p in db.pending(order[2])}
    assert window.rule_actions.progress is None  # the progress dialog is gone
    keyboard_back_in_the_article(qtbot, window, keys)


@pytest.mark.action("quit")
def test_quit_closes_the_window(window, keys, qtbot):
    keys.press_action("quit", until=lambda: not window.isVisible())
    assert (
        window.settings.value("window/geometry") is not None
    )  # the layout was kept for the next run
