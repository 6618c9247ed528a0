"""The key map: every window action with its default keys, as data.

Menus, tooltips, the F1 shortcut sheet and the preferences all read this one
table; a user's rebinding is stored in QSettings under ``keys/<action id>``.
Keys are written in Qt's portable QKeySequence text ("Ctrl+Shift+Z").
Label keys (1..9 and each label's letter) are not listed here: they come from
the label schema in the database.

One key event must reach exactly one action. Qt matches a key event against
every sequence its keyboard layer says the event could be: on X11, Windows and
macOS, Shift+[ arrives as ``{`` with Shift held and matches both "{" and
"Shift+[", and Shift+Tab matches both "Shift+Tab" and "Backtab". Two such
sequences bound at once make Qt refuse the key as ambiguous, so the map is
checked by *key identity* (``key_identity``), not by spelling, and every key is
stored in the one spelling that fires (``canonical_key``).
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
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
    KeyAction(
        "next_document",
        "Next document",
        ("Ctrl+PgDown",),
        "Document",
        "Open the next document in the navigator's order",
    ),
    KeyAction(
        "previous_document",
        "Previous document",
        ("Ctrl+PgUp",),
        "Document",
        "Open the previous document in the navigator's order",
    ),
    KeyAction(
        "mark_done_next",
        "Mark done and go to next",
        ("Ctrl+Return", "Ctrl+Enter"),
        "Document",
        "Mark this document done and open the next one not done",
    ),
    KeyAction(
        "reload_document",
        "Reload document",
        ("F5",),
        "Document",
        "Read this document again from the database (shows another window's changes)",
    ),
    KeyAction(
        "find", "Find in document", ("Ctrl+F",), "Document", "Search this document as you type"
    ),
    KeyAction(
        "search_corpus",
        "Search the corpus",
        ("Ctrl+Shift+F",),
        "Document",
        "Full-text search over every document",
    ),
    KeyAction(
        "focus_navigator",
        "Go to the document list",
        ("Ctrl+L",),
        "Document",
        "Move the keyboard focus to the navigator's filter box",
    ),
    # Annotate
    KeyAction(
        "next_suggestion",
        "Next suggestion",
        ("Tab",),
        "Annotate",
        "Select the next pending suggestion after the caret",
    ),
    KeyAction(
        "previous_suggestion",
        "Previous suggestion",
        ("Shift+Tab",),
        "Annotate",
        "Select the previous pending suggestion before the caret",
    ),
    KeyAction(
        "next_span",
        "Next span",
        ("Ctrl+Tab",),
        "Annotate",
        "Select the next span after the caret (then Delete, a label key, [ ] { } or R act on it)",
    ),
    KeyAction(
        "previous_span",
        "Previous span",
        ("Ctrl+Shift+Tab",),
        "Annotate",
        "Select the previous span before the caret",
    ),
    KeyAction(
        "accept",
        "Accept suggestion",
        ("Return", "Enter"),
        "Annotate",
        "Accept the selected suggestion: it becomes a span",
    ),
    KeyAction(
        "reject",
        "Reject suggestion",
        ("X", "Backspace"),
        "Annotate",
        "Reject the selected suggestion",
    ),
    KeyAction(
        "reject_everywhere",
        "Reject everywhere",
        ("Shift+X",),
        "Annotate",
        "Reject it and never suggest this text with this label again (an exception on its rule)",
    ),
    KeyAction(
        "accept_all",
        "Accept all suggestions",
        ("Ctrl+Shift+A",),
        "Annotate",
        "Accept every pending suggestion in this document",
    ),
    KeyAction(
        "start_left",
        "Start one token left",
        ("[",),
        "Annotate",
        "Move the start of the selected span or suggestion one token left",
    ),
    KeyAction(
        "start_right",
        "Start one token right",
        ("]",),
        "Annotate",
        "Move the start of the selected span or suggestion one token right",
    ),
    KeyAction(
        "end_left",
        "End one token left",
        ("{",),
        "Annotate",
        "Move the end of the selected span or suggestion one token left",
    ),
    KeyAction(
        "end_right",
        "End one token right",
        ("}",),
        "Annotate",
        "Move the end of the selected span or suggestion one token right",
    ),
    KeyAction("delete_span", "Delete span", ("Delete",), "Annotate", "Remove the selected span"),
    KeyAction(
        "remember",
        "Remember span text",
        ("R",),
        "Annotate",
        "Add the selected span's text to its label's learned terms, suggested in every document",
    ),
    KeyAction("clear_selection", "Clear selection", ("Esc",), "Annotate", "Clear the selection"),
    # View
    KeyAction(
        "toggle_label_tags",
        "Show label tags",
        ("Ctrl+T",),
        "View",
        "Write each span's label in a small tag at its start (on by default)",
    ),
    # Edit
    KeyAction(
        "undo", "Undo", ("Ctrl+Z",), "Edit", "Undo the last annotation action, in any document"
    ),
    KeyAction("redo", "Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Edit", "Redo what was undone"),
    KeyAction("preferences", "Preferences…", ("Ctrl+,",), "Edit", "Key map and token snapping"),
    # Rules (the actions themselves are made by gui/rule_actions.py)
    KeyAction(
        "show_rule_editor",
        "Show rule editor",
        ("Ctrl+Shift+R",),
        "Rules",
        "Show the rules with their statistics and edit them with a live preview",
    ),
    KeyAction(
        "new_rule_from_selection",
        "New rule from selection…",
        ("Ctrl+Shift+N",),
        "Rules",
        "Suggest the selected text as a label everywhere (learned terms or a new phrase rule)",
    ),
    KeyAction(
        "run_rules_corpus",
        "Run all rules over the corpus",
        ("Ctrl+Shift+U",),
        "Rules",
        "Make every document's suggestions again with the current rules",
    ),
    KeyAction(
        "propose_rule_fix",
        "Propose a rule fix…",
        ("Ctrl+Shift+P",),
        "Rules",
        "Rule changes that would have avoided your last rejection or correction, with their "
        "corpus diff",
    ),
    KeyAction(
        "import_rule_pack", "Import rule pack…", (), "Rules", "Load rules from a .jsonl pack file"
    ),
    KeyAction(
        "export_rule_pack",
        "Export rule pack…",
        (),
        "Rules",
        "Write every rule to a .jsonl pack file",
    ),
    KeyAction(
        "rule_proposals",
        "Rule proposals…",
        ("Ctrl+Shift+I",),
        "Rules",
        "Rules learned from the documents marked done: Enter accepts, X turns down, E edits",
    ),
    # Help
    KeyAction("shortcut_sheet", "Keyboard shortcuts", ("F1",), "Help", "Show every key"),
    # File (the actions themselves are made by gui/file_dialogs.py)
    KeyAction("import", "Import…", ("Ctrl+I",), "File", "Import files, a folder or a zip"),
    KeyAction(
        "export",
        "Export…",
        ("Ctrl+E",),
        "File",
        "Export to JSONL, brat, CoNLL, CSV, XMI, spaCy or SQLite",
    ),
    KeyAction("new_database", "New database…", ("Ctrl+Alt+N",), "File", "Start an empty database"),
    KeyAction("open_database", "Open database…", ("Ctrl+O",), "File", "Open another database"),
    KeyAction("backup", "Back up database…", (), "File", "A consistent copy of the database"),
    KeyAction(
        "restore_backup",
        "Restore backup…",
        (),
        "File",
        "Put one of the automatic daily backups back (the current state is backed up first)",
    ),
    KeyAction(
        "switch_annotator",
        "Switch annotator…",
        ("Ctrl+Alt+A",),
        "File",
        "Who is annotating: an annotator works blind in an own layer on the documents assigned "
        "to them (made by gui/annotator_switch.py)",
    ),
    KeyAction(
        "quit", "Quit", ("Ctrl+Q",), "File", "Close the window (everything is already saved)"
    ),
    # The concordance (the action itself is made by gui/concordance_dock.py)
    KeyAction(
        "show_concordance",
        "Concordance",
        ("Ctrl+Shift+K",),
        "View",
        "Every line of the selected rule, label or text across the corpus, to decide on many",
    ),
    # View: the Plots dock (the actions themselves are made by gui/plots.py)
    KeyAction(
        "show_plots",
        "Show plots",
        ("Ctrl+Shift+G",),
        "View",
        "Precision and hits per rule over time, decisions per rule, progress per status and label",
    ),
    KeyAction(
        "export_plot",
        "Export plot as PNG…",
        ("Ctrl+S",),
        "View",
        "Save the chart the Plots dock shows as a PNG image (while the dock has the focus)",
    ),
    # Rules, made by gui/tagger_action.py (through gui/rule_actions.py)
    KeyAction(
        "train_tagger",
        "Train the tagger on my spans",
        ("Ctrl+Shift+T",),
        "Rules",
        "Learn a sequence tagger (the rule ‘tagger’) from the documents done or with spans",
    ),
    # Team: curation (the action itself is made by gui/curation_view.py)
    KeyAction(
        "curate_document",
        "Curate document",
        ("Ctrl+Shift+M",),
        "Team",
        "The annotators' versions of each disagreement: Tab goes on, 1-9 takes a version, "
        "0 rejects all, E edits",
    ),
)

BY_ID = {action.id: action for action in DEFAULT_KEYMAP}

# What Shift makes of each key on a US layout: "Shift+[" and "{" are one key event to Qt.
SHIFTED = dict(zip("`1234567890-=[]\\;',./", '~!@#$%^&*()_+{}|:"<>?', strict=True))
_UNSHIFTED = set(SHIFTED.values())
MODIFIERS = ("Ctrl", "Alt", "Shift", "Meta")
_MODIFIER_NAMES = {
    "ctrl": "Ctrl",
    "control": "Ctrl",
    "alt": "Alt",
    "shift": "Shift",
    "meta": "Meta",
}
# Qt's names, by any spelling Qt's parser accepts for the same key.
_KEY_NAMES = {
    "esc": "Esc",
    "escape": "Esc",
    "return": "Return",
    "enter": "Enter",
    "del": "Delete",
    "delete": "Delete",
    "ins": "Ins",
    "insert": "Ins",
    "pgdown": "PgDown",
    "pagedown": "PgDown",
    "pgup": "PgUp",
    "pageup": "PgUp",
    "backspace": "Backspace",
    "tab": "Tab",
    "backtab": "Backtab",
    "space": "Space",
    "home": "Home",
    "end": "End",
    "left": "Left",
    "right": "Right",
    "up": "Up",
    "down": "Down",
}


def _split(key: str) -> tuple[set[str], str]:
    """The modifiers and the key of one chord in portable text ("Ctrl++" is Ctrl and "+")."""
    text = key.strip()
    parts = text.split("+")
    if text.endswith("+"):  # the key itself is "+"
        parts = parts[:-2] + ["+"] if len(parts) > 1 else ["+"]
    *mods, name = parts
    modifiers = set()
    for mod in mods:
        found = _MODIFIER_NAMES.get(mod.strip().lower())
        if found is None:
            raise ValueError(f"unknown modifier {mod!r} in {key!r}")
        modifiers.add(found)
    name = name.strip()
    if len(name) == 1:
        name = name.upper()
    else:
        name = _KEY_NAMES.get(name.lower(), name[:1].upper() + name[1:])
    return modifiers, name


def canonical_key(key: str) -> str:
    """The one spelling of a key that Qt fires on every platform: "Shift+[" and "Shift+{" are "{",
    "Backtab" is "Shift+Tab"; modifiers in Ctrl, Alt, Shift, Meta order. Empty stays empty."""
    if not key.strip():
        return ""
    modifiers, name = _split(key)
    if name == "Backtab":
        name = "Tab"
        modifiers.add("Shift")
    if "Shift" in modifiers and name in SHIFTED:
        name = SHIFTED[name]
    if "Shift" in modifiers and name in _UNSHIFTED:
        modifiers.discard("Shift")  # the symbol already says Shift; Qt never fires "Shift+{"
    return "+".join([m for m in MODIFIERS if m in modifiers] + [name])


def key_identity(key: str) -> str:
    """Two keys with the same identity are one key event on a real keyboard."""
    return canonical_key(key).lower()


def conflicts(
    bindings: dict[str, tuple[str, ...]], reserved: AbstractSet[str] = frozenset()
) -> list[str]:
    """Messages for every key event bound twice, in one action or two (or to a reserved label key);
    empty when the map is usable. ``reserved`` holds key identities."""
    seen: dict[str, tuple[str, str]] = {}
    problems = []
    for action_id, keys in bindings.items():
        title = BY_ID[action_id].title if action_id in BY_ID else action_id
        for key in keys:
            try:
                identity = key_identity(key)
            except ValueError as exc:
                problems.append(f"{title}: {exc}")
                continue
            if not identity:
                continue
            if identity in reserved:
                problems.append(f"{key} is a label key; {title} cannot use it")
            elif identity in seen:
                other_id, other_key = seen[identity]
                other = BY_ID[other_id].title if other_id in BY_ID else other_id
                same = (
                    ""
                    if other_key == key
                    else f" ({other_key} and {key} are one key on a keyboard)"
                )
                if other_id == action_id:
                    problems.append(
                        f"{title} has the same key twice: {other_key} and {key} are one key "
                        "on a keyboard"
                        if other_key != key
                        else f"{title} has {key} twice"
                    )
                else:
                    problems.append(f"{key} is bound to both {other} and {title}{same}")
            else:
                seen[identity] = (action_id, key)
    return problems


def _check_defaults() -> None:
    # Built with a collision, the map would ship a dead key (Qt refuses ambiguous shortcuts).
    problems = conflicts({a.id: a.keys for a in DEFAULT_KEYMAP})
    problems += [
        f"{a.id}: {k!r} is not written as {canonical_key(k)!r}"
        for a in DEFAULT_KEYMAP
        for k in a.keys
        if canonical_key(k) != k
    ]
    if problems:
        raise RuntimeError("the default key map is broken: " + "; ".join(problems))


_check_defaults()
