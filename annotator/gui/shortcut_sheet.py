"""The F1 sheet: every key of the window, grouped by menu, and the label keys."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from annotator.core.model import Label
from annotator.gui.keymap import DEFAULT_KEYMAP
from annotator.gui.label_palette import number_keys

STYLE = """
h3 { margin-top: 14px; margin-bottom: 4px; }
td { padding: 3px 12px 3px 0; vertical-align: top; }
td.keys { white-space: nowrap; font-weight: 600; }
td.help { color: %(muted)s; }
"""


def key_text(key: str) -> str:
    """A key as this platform writes it (Ctrl+PgDown, ⌘⇟ on macOS)."""
    native = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
    return native or key


def menus_in_order() -> list[str]:
    """Menu names in the order the key map first mentions them, Help last."""
    menus = list(dict.fromkeys(action.menu for action in DEFAULT_KEYMAP))
    return [m for m in menus if m != "Help"] + [m for m in menus if m == "Help"]


def sheet_html(
    bindings: Mapping[str, tuple[str, ...]], labels: Sequence[Label], muted: str = "#666666"
) -> str:
    """The sheet as HTML: one table per menu, then the labels; ``muted`` colours the help text."""
    parts = [f"<style>{STYLE % {'muted': muted}}</style>"]
    for menu in menus_in_order():
        parts.append(f"<h3>{escape(menu)}</h3><table>")
        for action in (a for a in DEFAULT_KEYMAP if a.menu == menu):
            keys = bindings.get(action.id, action.keys)
            shown = " or ".join(escape(key_text(k)) for k in keys) if keys else "<i>no key</i>"
            parts.append(
                f"<tr><td class='keys' width='175'>{shown}</td>"
                f"<td width='185'>{escape(action.title)}</td>"
                f"<td class='help'>{escape(action.help)}</td></tr>"
            )
        parts.append("</table>")
    if labels:
        numbers = number_keys(labels)
        parts.append("<h3>Labels</h3><table>")
        for label in sorted(labels, key=lambda item: item.order):
            label_keys = [k for k in (numbers.get(label.name), (label.hotkey or "").upper()) if k]
            shown = " or ".join(escape(k) for k in label_keys) if label_keys else "<i>no key</i>"
            swatch = f"<span style='color:{escape(label.colour)}'>&#9632;</span>"
            parts.append(
                f"<tr><td class='keys' width='175'>{shown}</td>"
                f"<td width='185'>{swatch} {escape(label.name)}</td>"
                f"<td class='help'>{escape(label.description)}</td></tr>"
            )
        parts.append("</table>")
    return "".join(parts)


class ShortcutSheet(QDialog):
    """A read-only list of every key; Esc closes it."""

    def __init__(
        self,
        bindings: Mapping[str, tuple[str, ...]],
        labels: Sequence[Label],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        self.browser.setHtml(sheet_html(bindings, labels, muted))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(800, 660)
        self.setFocusProxy(self.browser)
