"""File > Import's label table: each incoming label, how many spans, and the label it is stored
under (an existing one, or a new label of its own name), with likely matches preselected."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.text import plural
from annotator.workspace import IncomingLabels, suggested_target

INCOMING, SPANS, TARGET = range(3)
NEW = "new label "


class LabelMapDialog(QDialog):
    """Enter imports with the mapping shown; Esc goes back to the Import dialog."""

    def __init__(
        self, incoming: IncomingLabels, existing: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import: labels")
        self.resize(560, 360)
        names = sorted(incoming.spans, key=lambda name: (-incoming.spans[name], name))
        scope = (
            f"The first {plural(incoming.documents, 'document')} of the chosen files"
            " (labels further on are imported as they are, case variants onto an existing label)"
            if not incoming.complete
            else f"The chosen files ({plural(incoming.documents, 'document')})"
        )
        note = QLabel(f"{scope} use these labels. Choose the label each is stored under.")
        note.setWordWrap(True)
        self.table = QTableWidget(len(names), 3, self)
        self.table.setHorizontalHeaderLabels(["Incoming label", "Spans", "Store as"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(INCOMING, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SPANS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TARGET, QHeaderView.ResizeMode.Stretch)
        self.combos: dict[str, QComboBox] = {}
        for row, name in enumerate(names):
            self.table.setItem(row, INCOMING, QTableWidgetItem(name))
            count = QTableWidgetItem(str(incoming.spans[name]))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, SPANS, count)
            combo = QComboBox(self.table)
            if name not in existing:
                combo.addItem(f"{NEW}{name}", name)
            for label in existing:
                combo.addItem(label, label)
            target = suggested_target(name, existing) or name
            combo.setCurrentIndex(combo.findData(target))
            combo.setAccessibleName(f"Store {name} as")
            combo.installEventFilter(self)
            self.table.setCellWidget(row, TARGET, combo)
            self.combos[name] = combo
        if names:
            self.table.setCurrentCell(0, TARGET)
        self.table.resizeColumnToContents(SPANS)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setDefault(True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.table.currentCellChanged.connect(self._focus_combo)
        first = next(iter(self.combos.values()), None)
        (first or self.import_button).setFocus()

    def _focus_combo(self, row: int, _column: int, _old_row: int, _old_column: int) -> None:
        combo = self.table.cellWidget(row, TARGET)
        if combo is not None:
            combo.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up and Down on a row's combo move between rows (a closed combo would change its choice
        # instead); Alt+Down or F4 opens the combo, typing a letter picks by name.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            plain = event.modifiers() == Qt.KeyboardModifier.NoModifier
            if plain and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                row = self.table.currentRow() + (1 if key == Qt.Key.Key_Down else -1)
                if 0 <= row < self.table.rowCount():
                    self.table.setCurrentCell(row, TARGET)
                return True
        return super().eventFilter(watched, event)

    def mapping(self) -> dict[str, str]:
        """Incoming label -> the label to store it as (itself: a new label of that name)."""
        return {name: str(combo.currentData()) for name, combo in self.combos.items()}
