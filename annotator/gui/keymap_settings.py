"""The user's key map and editing preferences in QSettings, and the Keys page that edits them
(a page of the Preferences dialog)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Label
from annotator.gui.keymap import DEFAULT_KEYMAP, KeyAction, canonical_key, conflicts, key_identity
from annotator.gui.tables import KeyTableView, RowTableModel

Bindings = dict[str, tuple[str, ...]]
SNAP_KEY = "editing/snap_to_tokens"
# One box per key: as many as the default that has most (Return / Enter), at least two.
MAX_KEYS = max(2, *(len(action.keys) for action in DEFAULT_KEYMAP))


def default_bindings() -> Bindings:
    """Every action's default keys."""
    return {action.id: action.keys for action in DEFAULT_KEYMAP}


def _parse_keys(value: Any) -> tuple[str, ...] | None:
    """Keys from a stored value (a JSON list), each in the spelling that fires, one of each key
    event (an older version stored "{" with "Shift+[", which Qt refuses as ambiguous); None when
    it is not a list of keys."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if not (isinstance(value, list) and all(isinstance(key, str) for key in value)):
        return None
    try:
        keys = [canonical_key(key) for key in value if key.strip()]
    except ValueError:
        return None
    unique: dict[str, str] = {}
    for key in keys:
        unique.setdefault(key_identity(key), key)
    return tuple(unique.values())


def load_bindings(settings: QSettings) -> Bindings:
    """The defaults, overridden by each readable ``keys/<id>`` entry (an unreadable one is
    ignored)."""
    bindings = default_bindings()
    for action in DEFAULT_KEYMAP:
        stored = settings.value(f"keys/{action.id}")
        keys = _parse_keys(stored) if stored is not None else None
        if keys is not None:
            bindings[action.id] = keys
    return bindings


def save_bindings(settings: QSettings, bindings: Mapping[str, tuple[str, ...]]) -> None:
    """Store the keys that differ from the defaults; a default binding's entry is removed."""
    defaults = default_bindings()
    for action_id, keys in bindings.items():
        if action_id not in defaults:
            continue
        if tuple(keys) == defaults[action_id]:
            settings.remove(f"keys/{action_id}")
        else:
            # JSON, because a list of one (or none) does not survive an ini file's round trip.
            settings.setValue(f"keys/{action_id}", json.dumps(list(keys)))
    settings.sync()


def snap_to_tokens(settings: QSettings) -> bool:
    """Whether selections snap to word boundaries (default: yes)."""
    value = settings.value(SNAP_KEY, True)
    if isinstance(value, str):  # ini files give text back
        return value.strip().lower() not in ("false", "0", "no", "off")
    return bool(value)


def reserved_label_keys(labels: Sequence[Label]) -> set[str]:
    """Keys the labels own, written as conflicts() compares them: digits 1-9 and each hotkey
    letter."""
    reserved = {str(digit) for digit in range(1, 10)}
    reserved.update(label.hotkey.lower() for label in labels if label.hotkey)
    return reserved


def keys_text(keys: Sequence[str]) -> str:
    """Keys as this platform writes them, joined with "or"."""
    return "  or  ".join(
        QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) or key for key in keys
    )


class KeymapModel(RowTableModel[KeyAction]):
    """Actions with their current keys; ``bindings`` is the edited map."""

    headers = ("Action", "Keys", "Menu")

    def __init__(self, bindings: Bindings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bindings = dict(bindings)
        self.set_rows(DEFAULT_KEYMAP)

    def cell(self, row: KeyAction, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return row.title
            if column == 1:
                return keys_text(self.bindings.get(row.id, ()))
            return row.menu
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.help or None
        return None

    def set_keys(self, row: int, keys: tuple[str, ...]) -> None:
        """Bind one action's keys (in the dialog; saved on OK), each in the spelling that fires:
        Shift+[ pressed in a key box is stored as "{"."""
        self.bindings[self.row_at(row).id] = tuple(canonical_key(key) for key in keys)
        self.dataChanged.emit(self.index(row, 1), self.index(row, 1), [Qt.ItemDataRole.DisplayRole])

    def reset(self, bindings: Bindings) -> None:
        """Show another whole map."""
        self.bindings = dict(bindings)
        self.dataChanged.emit(
            self.index(0, 1), self.index(self.rowCount() - 1, 1), [Qt.ItemDataRole.DisplayRole]
        )


class KeymapPage(QWidget):
    """Rebind any action and reset to the defaults; conflicts are shown as they happen.

    A page for a dialog: ``problems_text()`` says why the edited map cannot be saved.
    """

    def __init__(
        self,
        bindings: Mapping[str, tuple[str, ...]],
        labels: Sequence[Label] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._reserved = reserved_label_keys(labels)
        self._loading = False
        start = default_bindings()
        start.update(bindings)
        self.model = KeymapModel(start, self)

        self.table = KeyTableView(self, double_click=False)
        self.table.setModel(self.model)
        self.table.setToolTip("Select an action, then press its new key in the boxes below.")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

        self.key_edits = [self._key_edit() for _ in range(MAX_KEYS)]
        self.action_label = QLabel(self)
        form = QFormLayout()
        form.addRow("Action:", self.action_label)
        form.addRow("Key:", self.key_edits[0])
        for number, edit in enumerate(self.key_edits[1:], 1):
            form.addRow("Alternative key:" if number == 1 else f"Alternative {number}:", edit)

        self.reset_button = QPushButton("&Reset to defaults", self)
        self.reset_button.setAutoDefault(False)
        self.reset_button.clicked.connect(self.reset_to_defaults)
        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020;")
        self.problems.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.reset_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.problems)
        self.table.selectionModel().currentRowChanged.connect(self._show_action)
        self.table.rowActivated.connect(
            lambda _row: self.key_edits[0].setFocus()
        )  # Enter: record a key
        self.table.select_row(0)
        self.setFocusProxy(self.table)

    def _key_edit(self) -> QKeySequenceEdit:
        edit = QKeySequenceEdit(self)
        edit.setMaximumSequenceLength(1)  # one chord per key: no Emacs-style sequences
        edit.setClearButtonEnabled(True)
        edit.keySequenceChanged.connect(self._keys_edited)
        return edit

    # -- API ---------------------------------------------------------------

    def bindings(self) -> Bindings:
        """The map as edited so far."""
        return dict(self.model.bindings)

    def set_labels(self, labels: Sequence[Label]) -> None:
        """The labels changed: their keys are reserved from now on."""
        self._reserved = reserved_label_keys(labels)
        self.show_problems()

    def problems_text(self) -> list[str]:
        """Why the edited map cannot be saved (empty when it can)."""
        return conflicts(self.model.bindings, self._reserved)

    def reset_to_defaults(self) -> None:
        """Put every action back on its default keys (saved on OK)."""
        self.model.reset(default_bindings())
        self._show_action(self.table.currentIndex(), QModelIndex())
        self.show_problems()

    def show_problems(self) -> bool:
        """Show the conflicts under the table; True when there are some."""
        problems = self.problems_text()
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        return bool(problems)

    # -- internals ---------------------------------------------------------

    def _show_action(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        action = self.model.row_at(current.row())
        keys = self.model.bindings.get(action.id, ())
        self.action_label.setText(action.title)
        self.action_label.setToolTip(action.help)
        self._loading = True
        try:
            for i, edit in enumerate(self.key_edits):
                edit.setKeySequence(QKeySequence(keys[i]) if i < len(keys) else QKeySequence())
        finally:
            self._loading = False

    def _keys_edited(self) -> None:
        current = self.table.currentIndex()
        if self._loading or not current.isValid():
            return
        keys = tuple(
            text
            for edit in self.key_edits
            if (text := edit.keySequence().toString(QKeySequence.SequenceFormat.PortableText))
        )
        self.model.set_keys(current.row(), keys)
        self.show_problems()
