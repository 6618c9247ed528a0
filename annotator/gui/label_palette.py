"""The label palette: every label with its colour, keys and count in this document; a click picks
one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from annotator.core.model import Label
from annotator.gui.tables import KeyTableView, RowTableModel, colour

NAME, NUMBER, LETTER, COUNT = range(4)
CENTRE = Qt.AlignmentFlag.AlignCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def number_keys(labels: Sequence[Label]) -> dict[str, str]:
    """Label name -> its number key: "1".."9" for the first nine labels in schema order."""
    ordered = sorted(labels, key=lambda label: label.order)
    return {label.name: str(i) for i, label in enumerate(ordered[:9], 1)}


class LabelModel(RowTableModel[Label]):
    """Labels in schema order, with this document's span count per label."""

    headers = ("Label", "Key", "Letter", "Spans")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._numbers: dict[str, str] = {}
        self._counts: Mapping[str, int] = {}

    def set_labels(self, labels: Sequence[Label]) -> None:
        self._numbers = number_keys(labels)
        self.set_rows(sorted(labels, key=lambda label: label.order))

    def set_counts(self, counts: Mapping[str, int]) -> None:
        self._counts = dict(counts)
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, COUNT),
                self.index(self.rowCount() - 1, COUNT),
                [Qt.ItemDataRole.DisplayRole],
            )

    def cell(self, row: Label, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME:
                return row.name
            if column == NUMBER:
                return self._numbers.get(row.name, "")
            if column == LETTER:
                return (row.hotkey or "").upper()
            return self._counts.get(row.name, 0)
        if role == Qt.ItemDataRole.DecorationRole and column == NAME:
            return colour(row.colour)
        if role == Qt.ItemDataRole.TextAlignmentRole and column != NAME:
            return RIGHT if column == COUNT else CENTRE
        if role == Qt.ItemDataRole.ToolTipRole:
            keys = " or ".join(
                k for k in (self._numbers.get(row.name), (row.hotkey or "").upper()) if k
            )
            tip = f"{row.name}: {row.description}" if row.description else row.name
            return f"{tip}\nKeys: {keys}" if keys else tip
        return None


class LabelPalette(QWidget):
    """Click a label, or move to it and press Enter, to choose it."""

    labelChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = LabelModel(self)
        self.table = KeyTableView(self, double_click=False)  # a click already chooses
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(False)
        # A click chooses without taking the keyboard from the article; Tab still reaches it.
        self.table.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.table.fit_columns(NAME, (NUMBER, LETTER, COUNT), minimum=90)
        self.table.clicked.connect(lambda index: self._choose(index.row()))
        self.table.rowActivated.connect(self._choose)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self.setFocusProxy(self.table)

    def set_labels(self, labels: Sequence[Label]) -> None:
        """Show these labels in schema order; number keys follow that order."""
        self.model.set_labels(labels)

    def set_counts(self, counts: Mapping[str, int]) -> None:
        """Span counts per label name for the open document (missing names count 0)."""
        self.model.set_counts(counts)

    def _choose(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.labelChosen.emit(self.model.row_at(row).name)
