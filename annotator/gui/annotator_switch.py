"""File > Switch annotator…: who is annotating, picked from the team or typed as a new name.

A switch re-reads the open document in the new identity's layer (an annotator's own on a
document assigned to them, blind to the others), and the navigator shows their documents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.core.model import MAIN_LAYER, AnnotatorRole, DocumentStatus
from annotator.gui.keymap import BY_ID
from annotator.gui.preferences import ANNOTATOR_KEY
from annotator.workspace import Workspace

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

NAME_ROLE = Qt.ItemDataRole.UserRole


def identity_text(workspace: Workspace, doc_id: int | None) -> str:
    """ "Ana Suryani, own layer": who annotates and where, once the database has a team;
    empty for a lone analyst (nobody assigned anything). Called on every document opened: one
    indexed look, not the team's counts."""
    if not workspace.has_team():
        return ""
    me = workspace.me()
    where = ""
    if doc_id is not None:
        where = "own layer" if workspace.layer_for(doc_id) != MAIN_LAYER else "curated layer"
    return f"{me.shown}, {where}" if where else me.shown


class AnnotatorDialog(QDialog):
    """The annotators of the database; Enter switches to the chosen or typed one, Esc cancels."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Switch annotator")
        self.setMinimumWidth(480)
        self.workspace = workspace
        layout = QVBoxLayout(self)
        hint = QLabel("Annotate as (type a new name to add one):", self)
        self.name_edit = QLineEdit(workspace.annotator, self)
        self.name_edit.setObjectName("annotator-name")
        hint.setBuddy(self.name_edit)
        self.list = QListWidget(self)
        self.list.setObjectName("annotator-list")
        counts = workspace.assignment_counts()
        for annotator in workspace.annotators():
            mine = counts.get(annotator.name, {})
            done, total = mine.get(DocumentStatus.DONE, 0), sum(mine.values())
            text = annotator.shown
            if annotator.display_name:
                text += f" ({annotator.name})"
            text += f" — {annotator.role}"
            if annotator.role == AnnotatorRole.ANNOTATOR and total:
                text += f", {done} of {total} documents done"
            item = QListWidgetItem(text, self.list)
            item.setData(NAME_ROLE, annotator.name)
            if annotator.name == workspace.annotator:
                self.list.setCurrentItem(item)
        self.list.currentItemChanged.connect(self._picked)
        self.list.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(hint)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.name_edit.selectAll()
        self.name_edit.setFocus()

    def _picked(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.name_edit.setText(str(item.data(NAME_ROLE)))

    def chosen(self) -> str:
        return self.name_edit.text().strip()


def switch_annotator(window: MainWindow, name: str) -> bool:
    """Act as ``name`` (added to the team when new), remembered in the settings; the open
    document is read again in that identity's layer. False (and a message) when refused."""
    workspace = window.workspace
    try:
        if name not in {a.name for a in workspace.annotators()}:
            workspace.add_annotator(name)
    except AnnotatorError as exc:
        window.notify(str(exc))
        return False
    workspace.annotator = name
    window.settings.setValue(ANNOTATOR_KEY, name)
    window.navigator.refresh()
    if window.doc is not None and window.doc.id is not None:
        window.open_document(window.doc.id)
    window.notify(f"Annotating as {workspace.me().shown}")
    return True


def open_switch_dialog(window: MainWindow) -> AnnotatorDialog:
    """The dialog, window-modal but not a nested event loop (open(), not exec()): the window's
    timers (live refresh, suggestions) go on while it is up."""
    dialog = AnnotatorDialog(window.workspace, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def chosen() -> None:
        if dialog.chosen():
            switch_annotator(window, dialog.chosen())

    dialog.accepted.connect(chosen)
    dialog.open()
    return dialog


def install_annotator_switch(window: MainWindow) -> None:
    """File > Switch annotator… and its key."""
    entry = BY_ID["switch_annotator"]
    action = QAction(entry.title, window)
    action.setObjectName("action-switch_annotator")
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda: open_switch_dialog(window))
    window.addAction(action)
    menu = window.menus["File"]  # first, above the files and databases
    if menu.actions():
        first = menu.actions()[0]
        menu.insertAction(first, action)
        menu.insertSeparator(first)
    else:
        menu.addAction(action)
    window.actions_by_id["switch_annotator"] = action
    window.apply_bindings(window.bindings)
