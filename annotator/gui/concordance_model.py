"""The concordance as a virtual table: every line's key is read at once (one query, small tuples),
each line's text a page at a time, when the view first asks for a row of that page.

In the corpus order (an index gives it) the count and the first page of keys come first, and
the rest of the keys right after the first screen is painted: 100,000 lines open at once, and
scroll without reading what is not shown. Another order is one query for every key (the
database sorts them all anyway).
A decision keeps the keys (a decided line stays where it was, with its new state, even when the
filter no longer shows its state): the pages are dropped and read again as they are shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QColor, QFont

from annotator.gui.line_pages import LinePages
from annotator.workspace import ConcordanceFilter, ConcordanceLine, LineKey, SortKey, Workspace

PAGE = 200  # lines read per query
LEFT, MATCH, RIGHT, LABEL, RULE, STATE, DOCUMENT = range(7)
HEADERS = ("Left context", "Match", "Right context", "Label", "Rule", "State", "Document")
SORTS = (
    SortKey.LEFT,
    SortKey.MATCH,
    SortKey.RIGHT,
    SortKey.LABEL,
    SortKey.RULE,
    SortKey.STATE,
    SortKey.DOCUMENT,
)
NEWLINE = "⏎"  # a line break in a context, so lines stay one line high
ALIGN = {
    LEFT: Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
    MATCH: Qt.AlignmentFlag.AlignCenter,
}
DEFAULT_ALIGN = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
STATE_COLOURS = {
    "pending": "#8a6d00",
    "accepted": "#1b7a2b",
    "corrected": "#1f5fa8",
    "rejected": "#a12a2a",
    "manual": "#555555",
}
Index = QModelIndex | QPersistentModelIndex


def flat(text: str) -> str:
    """A context on one line: a newline shows as a symbol, tabs and returns as spaces."""
    return (
        text.replace("\r\n", NEWLINE).replace("\n", NEWLINE).replace("\r", " ").replace("\t", " ")
    )


class ConcordanceModel(QAbstractTableModel):
    """Lines of the corpus for a filter and a sort; pages read on demand."""

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.filter = ConcordanceFilter()
        self.sort_key = SortKey.POSITION
        self.descending = False
        self.colours: dict[str, str] = {}
        self._keys: list[LineKey] = []
        self._total = 0  # rows shown: len(_keys) once every key is read
        self._complete = True  # every key is read (else the first page only)
        self._rows: dict[LineKey, int] | None = None  # built when first asked (a decision)
        self._lines: LinePages[LineKey, ConcordanceLine] = LinePages(
            workspace.concordance.lines, lambda line: line.key, size=PAGE
        )
        self.queried = False  # the dock reads nothing until it is first shown
        self._bold = QFont()
        self._bold.setBold(True)

    # -- what is shown ----------------------------------------------------------------

    def query(
        self,
        wanted: ConcordanceFilter | None = None,
        sort: SortKey | None = None,
        *,
        descending: bool | None = None,
    ) -> None:
        """Show the lines of a filter in an order (None keeps the current one)."""
        self.beginResetModel()
        if wanted is not None:
            self.filter = wanted
        if sort is not None:
            self.sort_key = sort
        if descending is not None:
            self.descending = descending
        self.colours = {label.name: label.colour for label in self.workspace.labels()}
        concordance = self.workspace.concordance
        if self.sort_key == SortKey.POSITION:
            self._total = concordance.count(self.filter)
            self._keys = concordance.page_keys(
                self.filter, self.sort_key, descending=self.descending, limit=PAGE
            )
            self._complete = len(self._keys) >= self._total
            if not self._complete:
                QTimer.singleShot(0, self.complete_keys)  # after the first screen is painted
        else:
            self._keys = concordance.keys(self.filter, self.sort_key, descending=self.descending)
            self._total, self._complete = len(self._keys), True
        self._rows = None
        self._lines.clear(size=PAGE)
        self.queried = True
        self.endResetModel()

    def reread(self) -> None:
        """Read the shown lines again (after a decision or an undo), keeping rows where they are."""
        self._lines.clear()
        if self._total:
            last = self.index(self._total - 1, len(HEADERS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def complete_keys(self) -> None:
        """Read every key (the first page was read alone); the rows stay as they are unless the
        lines changed meanwhile."""
        if self._complete:
            return
        keys = self.workspace.concordance.keys(
            self.filter, self.sort_key, descending=self.descending
        )
        self._complete = True
        if len(keys) != self._total or keys[: len(self._keys)] != self._keys:
            self.beginResetModel()
            self._keys, self._total = keys, len(keys)
            self._lines.clear()
            self.endResetModel()
        else:
            self._keys = keys
        self._rows = None

    def keys(self) -> list[LineKey]:
        self.complete_keys()
        return self._keys

    def key_at(self, row: int) -> LineKey:
        if row >= len(self._keys):
            self.complete_keys()
        return self._keys[row]

    def row_of(self, key: LineKey) -> int:
        self.complete_keys()
        if self._rows is None:
            self._rows = {key: row for row, key in enumerate(self._keys)}
        return self._rows.get(key, -1)

    def line(self, row: int) -> ConcordanceLine | None:
        """The line of a row, its page read if it was not (None: the line is gone meanwhile)."""
        if row >= len(self._keys):
            self.complete_keys()
        if not 0 <= row < len(self._keys):
            return None
        return self._lines.line(self._keys, row)

    @property
    def pages_read(self) -> int:
        """How many page queries ran (the tests and the bench read it)."""
        return self._lines.reads

    # -- QAbstractTableModel ------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return ALIGN.get(column, DEFAULT_ALIGN)
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.FontRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            return None
        line = self.line(index.row())
        if line is None:
            return "(gone)" if role == Qt.ItemDataRole.DisplayRole and column == MATCH else None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if column == MATCH else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in (MATCH, LABEL):
                return QBrush(QColor(self.colours.get(line.label, "#000000")).darker(130))
            if column == STATE:
                return QBrush(QColor(STATE_COLOURS.get(line.state, "#000000")))
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{line.title} [{line.start}, {line.end})\n…{line.left}[{line.match}]{line.right}…"
            )
        return _cell(line, column)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A header click: sorted in the database, by that column (left context right to left);
        no column is the corpus order. Nothing is read before the first ``query``."""
        sort = SORTS[column] if 0 <= column < len(SORTS) else SortKey.POSITION
        descending = order == Qt.SortOrder.DescendingOrder
        if not self.queried:
            self.sort_key, self.descending = sort, descending
            return
        if (sort, descending) == (self.sort_key, self.descending):
            return  # QTableView.sortByColumn asks twice (the header's signal, then itself)
        self.query(sort=sort, descending=descending)


def _cell(line: ConcordanceLine, column: int) -> str:
    if column == LEFT:
        return flat(line.left)
    if column == MATCH:
        return flat(line.match)
    if column == RIGHT:
        return flat(line.right)
    if column == LABEL:
        return line.label
    if column == RULE:
        return line.rule or ""
    if column == STATE:
        return line.state
    return line.title or "(untitled)"
