"""Alt+letter mnemonics in the window's docks never take a menu's letter, nor each other's.

A button "&Refresh" in a dock once took Alt+R from the Rules menu: a keyboard user could no
longer open it. Every dock is shown here, since a hidden widget's mnemonic does not fire.
"""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtWidgets import QAbstractButton, QDockWidget, QGroupBox, QLabel

from tests.gui.test_main_window import corpus_db, window  # noqa: F401  (fixtures)


def _mnemonic(text: str) -> str | None:
    plain = text.replace("&&", "")
    index = plain.find("&")
    return plain[index + 1].lower() if 0 <= index < len(plain) - 1 else None


def test_dock_mnemonics_do_not_take_a_menu_letter_or_each_other(window):  # noqa: F811
    menus = {_mnemonic(menu.title()): name for name, menu in window.menus.items()}
    assert None not in menus, "every menu has a mnemonic"
    for dock in window.findChildren(QDockWidget):
        dock.show()
        letters: dict[str, list[str]] = defaultdict(list)
        for widget in dock.findChildren(QAbstractButton) + dock.findChildren(QLabel):
            if isinstance(widget, QLabel) and widget.buddy() is None:
                continue  # a label without a buddy has no mnemonic
            letter = _mnemonic(widget.text())
            if letter:
                letters[letter].append(widget.text())
        for box in dock.findChildren(QGroupBox):
            letter = _mnemonic(box.title())
            if letter:
                letters[letter].append(box.title())
        taken = {letter: menus[letter] for letter in letters if letter in menus}
        assert not taken, f"dock {dock.windowTitle()!r} takes menu letters: {taken} {letters}"
        twice = {letter: texts for letter, texts in letters.items() if len(texts) > 1}
        assert not twice, f"dock {dock.windowTitle()!r} uses a letter twice: {twice}"
