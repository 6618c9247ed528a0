"""The key map: every window action with its default keys, as data.

Menus, tooltips, the F1 shortcut sheet and the preferences all read this one
table; a user's rebinding is stored in QSettings under ``keys/<action id>``.
Keys are written in Qt's portable QKeySequence text ("Ctrl+Shift+Z").
Label keys (1..9 and each label's letter) are not listed here: they come from
the label schema in the database.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KeyAction:
    id: str
    title: str
    keys: tuple[str, ...]
    menu: str  # which menu shows it
    help: str = ""


DEFAULT_KEYMAP: tuple[KeyAction, ...] = (
    # Document
    KeyAction("next_document", "Next document", ("Ctrl+PgDown",), "Document",
              "Open the next document in the navigator's order"),
    KeyAction("previous_document", "Previous document", ("Ctrl+PgUp",), "Document",
              "Open the previous document in the navigator's order"),
    KeyAction("mark_done_next", "Mark done and go to next", ("Ctrl+Return", "Ctrl+Enter"), "Document",
              "Mark this document done and open the next one not done"),
    KeyAction("reload_document", "Reload document", ("F5",), "Document",
              "Read this document again from the database (shows another window's changes)"),
    KeyAction("find", "Find in document", ("Ctrl+F",), "Document", "Search this document as you type"),
    KeyAction("search_corpus", "Search the corpus", ("Ctrl+Shift+F",), "Document",
              "Full-text search over every document"),
    KeyAction("focus_navigator", "Go to the document list", ("Ctrl+L",), "Document",
              "Move the keyboard focus to the navigator's filter box"),
    # Annotate
    KeyAction("next_suggestion", "Next suggestion", ("Tab",), "Annotate",
              "Select the next pending suggestion after the caret"),
    KeyAction("previous_suggestion", "Previous suggestion", ("Shift+Tab", "Backtab"), "Annotate",
              "Select the previous pending suggestion before the caret"),
    KeyAction("accept", "Accept suggestion", ("Return", "Enter"), "Annotate",
              "Accept the selected suggestion: it becomes a span"),
    KeyAction("reject", "Reject suggestion", ("X", "Backspace"), "Annotate",
              "Reject the selected suggestion"),
    KeyAction("reject_everywhere", "Reject everywhere", ("Shift+X",), "Annotate",
              "Reject it and never suggest this text with this label again (an exception on its rule)"),
    KeyAction("accept_all", "Accept all suggestions", ("Ctrl+Shift+A",), "Annotate",
              "Accept every pending suggestion in this document"),
    KeyAction("start_left", "Start one token left", ("[",), "Annotate",
              "Move the start of the selected span or suggestion one token left"),
    KeyAction("start_right", "Start one token right", ("]",), "Annotate",
              "Move the start of the selected span or suggestion one token right"),
    KeyAction("end_left", "End one token left", ("{", "Shift+{", "Shift+["), "Annotate",
              "Move the end of the selected span or suggestion one token left"),
    KeyAction("end_right", "End one token right", ("}", "Shift+}", "Shift+]"), "Annotate",
              "Move the end of the selected span or suggestion one token right"),
    KeyAction("delete_span", "Delete span", ("Delete",), "Annotate", "Remove the selected span"),
    KeyAction("remember", "Remember span text", ("R",), "Annotate",
              "Add the selected span's text to its label's learned terms, suggested in every document"),
    KeyAction("clear_selection", "Clear selection", ("Esc",), "Annotate", "Clear the selection"),
    # Edit
    KeyAction("undo", "Undo", ("Ctrl+Z",), "Edit", "Undo the last annotation action, in any document"),
    KeyAction("redo", "Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Edit", "Redo what was undone"),
    KeyAction("preferences", "Preferences…", ("Ctrl+,",), "Edit", "Key map and token snapping"),
    # Rules (the actions themselves are made by gui/rule_actions.py)
    KeyAction("show_rule_editor", "Show rule editor", ("Ctrl+Shift+R",), "Rules",
              "Show the rules with their statistics and edit them with a live preview"),
    KeyAction("new_rule_from_selection", "New rule from selection…", ("Ctrl+Shift+N",), "Rules",
              "Suggest the selected text as a label everywhere (learned terms or a new phrase rule)"),
    KeyAction("run_rules_corpus", "Run all rules over the corpus", ("Ctrl+Shift+U",), "Rules",
              "Make every document's suggestions again with the current rules"),
    KeyAction("import_rule_pack", "Import rule pack…", (), "Rules", "Load rules from a .jsonl pack file"),
    KeyAction("export_rule_pack", "Export rule pack…", (), "Rules", "Write every rule to a .jsonl pack file"),
    # Help
    KeyAction("shortcut_sheet", "Keyboard shortcuts", ("F1",), "Help", "Show every key"),
    # File (the actions themselves are made by gui/file_dialogs.py)
    KeyAction("import", "Import…", ("Ctrl+I",), "File", "Import files, a folder or a zip"),
    KeyAction("export", "Export…", ("Ctrl+E",), "File", "Export to JSONL, brat, CoNLL, CSV, XMI, spaCy or SQLite"),
    KeyAction("new_database", "New database…", ("Ctrl+Alt+N",), "File", "Start an empty database"),
    KeyAction("open_database", "Open database…", ("Ctrl+O",), "File", "Open another database"),
    KeyAction("backup", "Back up database…", (), "File", "A consistent copy of the database"),
    KeyAction("quit", "Quit", ("Ctrl+Q",), "File", "Close the window (everything is already saved)"),
)

BY_ID = {action.id: action for action in DEFAULT_KEYMAP}


def conflicts(bindings: dict[str, tuple[str, ...]], reserved: set[str] = frozenset()) -> list[str]:
    """Messages for every key bound twice (or to a reserved label key); empty when the map is usable."""
    seen: dict[str, str] = {}
    problems = []
    for action_id, keys in bindings.items():
        for key in keys:
            norm = key.strip().lower()
            if not norm:
                continue
            if norm in reserved:
                problems.append(f"{key} is a label key; {BY_ID[action_id].title} cannot use it")
            elif norm in seen and seen[norm] != action_id:
                problems.append(f"{key} is bound to both {BY_ID[seen[norm]].title} and {BY_ID[action_id].title}")
            else:
                seen[norm] = action_id
    return problems
