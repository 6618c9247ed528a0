"""The annotation panel: one sortable table of a document's spans and pending suggestions."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, Protocol

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QVBoxLayout, QWidget

from annotator.core.text import one_line
from annotator.gui.overlay import Record
from annotator.gui.tables import KeyTableView, RowTableModel, SortKey, colour

TEXT, LABEL, START, ORIGIN, RULE = range(5)
SPAN, SUGGESTION = "span", "suggestion"
COVERED = "covered"  # the Origin of a suggestion a span of its label overlaps
MAX_TEXT = 120  # a long quote is cut in the table; the article view shows it whole
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


# What the panel reads from a suggestion (core Suggestion, or the article overlay's item).
Marked = Record


class Annotated(Marked, Protocol):
    """What the panel reads from a span: a suggestion's fields and its origin (manual or rule)."""

    @property
    def origin(self) -> str: ...


class Item(NamedTuple):
    """One row: a span or a pending suggestion, flattened for display."""

    kind: str
    id: int
    text: str
    label: str
    start: int
    end: int
    origin: str
    rule: str


def _suggestion_origin(source: object) -> str:
    # A suggestion a span of its label already overlaps is listed as such, not as fresh work.
    return COVERED if getattr(source, "covered", False) else SUGGESTION


def _reading_key(item: Item) -> tuple[int, int]:
    return (item.start, -item.end)


class AnnotationModel(RowTableModel[Item]):
    """Spans and suggestions in reading order until a header is clicked."""

    headers = ("Text", "Label", "Start", "Origin", "Rule")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._colours: dict[str, QColor] = {}
        self._italic = QFont()
        self._italic.setItalic(True)
        self._row_of: dict[tuple[str, int], int] = {}
        self._spans_of: dict[
            tuple[str, int], tuple[int, int]
        ] = {}  # (kind, id) -> reading-order key

    def set_items(
        self, spans: Sequence[Annotated], suggestions: Sequence[Marked], colours: Mapping[str, str]
    ) -> None:
        self._colours = {
            name: c for name, value in colours.items() if (c := colour(value)) is not None
        }
        items = [
            Item(SPAN, s.id or 0, s.text, s.label, s.start, s.end, str(s.origin), s.rule or "")
            for s in spans
        ]
        items += [
            Item(
                SUGGESTION,
                s.id or 0,
                s.text,
                s.label,
                s.start,
                s.end,
                _suggestion_origin(s),
                s.rule or "",
            )
            for s in suggestions
        ]
        items.sort(key=_reading_key)  # reading order, outer spans first
        self._spans_of = {(item.kind, item.id): (item.start, -item.end) for item in items}
        self.set_rows(items)

    def add_item(self, source: Annotated | Marked, kind: str) -> None:
        """Insert one span or suggestion where reading order puts it (no reset: 20,000 rows stay
        cheap)."""
        origin = (
            _suggestion_origin(source) if kind == SUGGESTION else str(getattr(source, "origin", ""))
        )
        item = Item(
            kind,
            source.id or 0,
            source.text,
            source.label,
            source.start,
            source.end,
            origin,
            source.rule or "",
        )
        if self._sort_column >= 0:
            self.set_rows(
                [*self._original, item]
            )  # sorted by a column: re-sort (rare, the user chose it)
            return
        at = bisect_right(self._original, (item.start, -item.end), key=_reading_key)
        self.beginInsertRows(QModelIndex(), at, at)
        self._original.insert(at, item)
        self._rows.insert(at, item)
        self._order = list(range(len(self._original)))
        self._spans_of[(kind, item.id)] = (item.start, -item.end)
        self._row_of = {}
        self.endInsertRows()

    def remove_item(self, kind: str, item_id: int) -> None:
        row = self.row_of(kind, item_id)
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        original = self._order[row]
        del self._rows[row]
        del self._original[original]
        if self._sort_column >= 0:
            self._order = [i - (i > original) for n, i in enumerate(self._order) if n != row]
        else:
            self._order = list(range(len(self._original)))
        self._row_of = {}
        self.endRemoveRows()

    def row_of(self, kind: str, item_id: int) -> int:
        """The display row of an item, or -1."""
        key = self._spans_of.get((kind, item_id))
        if self._sort_column < 0:
            if key is None:
                return -1
            # Reading order: find it by bisection (a dict of 20,000 rows rebuilt per edit costs a
            # frame).
            at = bisect_left(self._rows, key, key=_reading_key)
            while at < len(self._rows) and _reading_key(self._rows[at]) == key:
                if self._rows[at].kind == kind and self._rows[at].id == item_id:
                    return at
                at += 1
            return -1
        if not self._row_of:
            self._row_of = {(item.kind, item.id): row for row, item in enumerate(self._rows)}
        return self._row_of.get((kind, item_id), -1)

    def endResetModel(self) -> None:
        self._row_of = {}
        super().endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._row_of = {}
        super().sort(column, order)

    def sort_key(self, column: int) -> SortKey | None:
        return {
            TEXT: lambda i: (i.text.casefold(), i.start),
            LABEL: lambda i: (i.label, i.start),
            START: lambda i: (i.start, -i.end),
            ORIGIN: lambda i: (i.origin, i.start),
            RULE: lambda i: (i.rule.casefold(), i.start),
        }.get(column)

    def cell(self, row: Item, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TEXT:
                return one_line(row.text, MAX_TEXT)
            if column == START:
                return row.start
            return row.label if column == LABEL else row.origin if column == ORIGIN else row.rule
        if role == Qt.ItemDataRole.DecorationRole and column == LABEL:
            return self._colours.get(row.label)
        if role == Qt.ItemDataRole.FontRole and row.kind == SUGGESTION:
            return self._italic  # not yet an annotation
        if role == Qt.ItemDataRole.TextAlignmentRole and column == START:
            return RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and column == TEXT:
            return row.text if len(row.text) <= 2000 else row.text[:2000] + "…"
        return None


class AnnotationPanel(QWidget):
    """Lists this document's spans and suggestions; selecting a row tells the window which one."""

    itemSelected = Signal(str, int)  # "span" or "suggestion", its id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AnnotationModel(self)
        # Enter is left to the window (it accepts the selected suggestion).
        self.table = KeyTableView(self, claim_enter=False)
        self.table.setModel(self.model)
        # Text and Label fit a narrow dock; Start, Origin and Rule show when it is wide enough,
        # else they are a scroll away.
        self.table.fit_columns(
            TEXT, (LABEL, START, ORIGIN, RULE), keep_visible=(LABEL,), minimum=110
        )
        self.table.sort_from_model_order()
        self._quiet = False
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self.setFocusProxy(self.table)

    def set_items(
        self, spans: Sequence[Annotated], suggestions: Sequence[Marked], colours: Mapping[str, str]
    ) -> None:
        """Show these spans and suggestions; the selected item stays selected if it is still
        there."""
        selected = self.selected_item()
        self._quiet = True
        try:
            self.model.set_items(spans, suggestions, colours)
            if selected is not None:
                self._select(*selected)
        finally:
            self._quiet = False

    def add_item(self, item: Annotated | Marked) -> None:
        """One new row (the window's item says its kind: span or suggestion), without emitting
        itemSelected."""
        self._quiet = True
        try:
            self.model.add_item(item, getattr(item, "kind", SPAN))
        finally:
            self._quiet = False

    def remove_item(self, kind: str, item_id: int) -> None:
        """Drop one row, without emitting itemSelected (the current row moving is not the user
        choosing)."""
        self._quiet = True
        try:
            self.model.remove_item(kind, item_id)
        finally:
            self._quiet = False

    def select_item(self, kind: str, item_id: int) -> None:
        """Select and show an item's row without emitting itemSelected; an unknown item clears the
        selection."""
        self._quiet = True
        try:
            self._select(kind, item_id)
        finally:
            self._quiet = False

    def clear_selection(self) -> None:
        """Select nothing, without emitting itemSelected."""
        self._quiet = True
        try:
            self.table.selectionModel().clear()
        finally:
            self._quiet = False

    def selected_item(self) -> tuple[str, int] | None:
        """The selected row's (kind, id), or None."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.model.row_at(rows[0].row())
        return item.kind, item.id

    def _select(self, kind: str, item_id: int) -> None:
        row = self.model.row_of(kind, item_id)
        if row < 0:
            self.table.selectionModel().clear()
        else:
            self.table.select_row(row)

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        item = self.model.row_at(current.row())
        self.itemSelected.emit(item.kind, item.id)
