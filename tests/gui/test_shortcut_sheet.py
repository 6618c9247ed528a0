"""The F1 sheet lists every action with the user's keys, grouped by menu, and the label keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from annotator.core.model import Label
from annotator.gui.keymap import DEFAULT_KEYMAP
from annotator.gui.keymap_settings import default_bindings
from annotator.gui.shortcut_sheet import ShortcutSheet, key_text, menus_in_order


@pytest.fixture
def sheet(qtbot, workspace):
    bindings = default_bindings()
    bindings["next_document"] = ("Alt+N",)
    bindings["remember"] = ()
    widget = ShortcutSheet(bindings, workspace.labels())
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def sections(sheet) -> dict[str, list[tuple[str, str, str]]]:
    """The sheet as the reader sees it: heading -> rows of (keys, title, help)."""
    headings = set(menus_in_order()) | {"Labels"}
    result: dict[str, list[str]] = {}
    current = None
    for line in sheet.browser.toPlainText().splitlines():
        if line in headings:
            current = result.setdefault(line, [])
        elif line.strip():
            assert current is not None, f"{line!r} before any heading"
            current.append(line)
    for heading, cells in result.items():
        assert len(cells) % 3 == 0, (heading, cells)
    return {
        heading: [tuple(cells[i : i + 3]) for i in range(0, len(cells), 3)]
        for heading, cells in result.items()
    }


def row_of(sheet, title: str) -> tuple[str, str, str]:
    return next(row for rows in sections(sheet).values() for row in rows if row[1].endswith(title))


def test_every_action_is_listed_under_its_menu_with_its_keys_and_help(sheet):
    shown = sections(sheet)
    assert list(shown) == [*menus_in_order(), "Labels"]
    assert menus_in_order()[-1] == "Help"
    for action in DEFAULT_KEYMAP:
        rows = {title: (keys, help_) for keys, title, help_ in shown[action.menu]}
        assert action.title in rows, action.id
        keys, help_ = rows[action.title]
        assert help_ == action.help
        if action.id not in ("next_document", "remember"):
            assert keys == (" or ".join(key_text(key) for key in action.keys) or "no key")


def test_the_users_keys_replace_the_defaults(sheet):
    assert row_of(sheet, "Next document")[0] == key_text("Alt+N")
    assert row_of(sheet, "Remember span text")[0] == "no key"


def test_label_keys_are_listed_in_schema_order(sheet, workspace):
    labels = sorted(workspace.labels(), key=lambda item: item.order)
    rows = sections(sheet)["Labels"]
    assert [row[1] for row in rows] == [
        f"\u25a0 {label.name}" for label in labels
    ]  # a swatch, then the name
    assert [row[0] for row in rows] == [
        f"{i} or {label.hotkey.upper()}" for i, label in enumerate(labels, 1)
    ]
    assert [row[2] for row in rows] == [label.description for label in labels]


def test_a_label_without_a_letter_shows_only_its_number(qtbot):
    widget = ShortcutSheet(
        default_bindings(), [Label("EVENT", "#123456", None, "Something that happened")]
    )
    qtbot.addWidget(widget)
    assert sections(widget)["Labels"][0][0] == "1"


def test_escape_closes(qtbot, sheet):
    sheet.browser.setFocus()
    qtbot.keyClick(sheet.browser, Qt.Key.Key_Escape)
    assert not sheet.isVisible() and sheet.result() == QDialog.DialogCode.Rejected
