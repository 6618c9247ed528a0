"""Table building blocks: a read-only model over a Python list sorted in Python, a view that opens
on Enter."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

Row = TypeVar("Row")
AnyIndex = QModelIndex | QPersistentModelIndex
SortKey = Callable[[Any], Any]
FIT_SAMPLE = 400  # rows measured to fit a column to its content


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """Rows are Python objects; ``sort`` reorders the list with a key per column.

    Sorting in Python (one key call per row) instead of in a QSortFilterProxyModel
    (a Python ``data`` call per comparison) keeps 20,000 rows well under 50 ms.
    """

    headers: Sequence[str] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._original: list[Row] = []  # the order rows were given in, for "unsorted"
        self._order: list[int] = []  # display row -> index into _original
        self._rows: list[Row] = []  # display order
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    # -- subclasses --------------------------------------------------------

    def sort_key(self, column: int) -> SortKey | None:
        """The key for sorting by this column; None when the column does not sort."""
        return None

    def cell(self, row: Row, column: int, role: int) -> Any:
        """What ``data`` returns for one cell and role (None for nothing)."""
        return None

    # -- rows --------------------------------------------------------------

    def rows(self) -> list[Row]:
        """The rows in display order (a copy)."""
        return list(self._rows)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Replace every row (a model reset), keeping the current sort."""
        self.beginResetModel()
        self._original = list(rows)
        self._order = self._sorted_order()
        self._rows = [self._original[i] for i in self._order]
        self.endResetModel()

    def replace_row(self, row: int, value: Row) -> None:
        """Change one row in place; it keeps its position until the next sort."""
        self._rows[row] = value
        self._original[self._order[row]] = value
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def _sorted_order(self) -> list[int]:
        positions = range(len(self._original))
        key = self.sort_key(self._sort_column) if self._sort_column >= 0 else None
        if key is None:
            return list(positions)
        keys = [key(row) for row in self._original]
        # Python's sort is stable for reverse=True too: ties keep the given order.
        return sorted(
            positions,
            key=keys.__getitem__,
            reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
        )

    # -- Qt model ----------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        return self.cell(self._rows[index.row()], index.column(), role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = (
            orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
        )
        return self.headers[section] if horizontal and 0 <= section < len(self.headers) else None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (-1: the order the rows were given in); selections follow their rows."""
        if column >= 0 and self.sort_key(column) is None:
            return
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old_order = self._order
        self._order = self._sorted_order()
        self._rows = [self._original[i] for i in self._order]
        display_row_of = [0] * len(self._order)
        for new_row, original in enumerate(self._order):
            display_row_of[original] = new_row
        persistent = self.persistentIndexList()
        self.changePersistentIndexList(
            persistent,
            [
                self.index(display_row_of[old_order[index.row()]], index.column())
                for index in persistent
            ],
        )
        self.layoutChanged.emit()


class KeyTableView(QTableView):
    """A compact, row-selecting table view that emits ``rowActivated`` on Enter/Return and
    double-click."""

    rowActivated = Signal(int)  # the row, in the view's model

    def __init__(
        self, parent: QWidget | None = None, *, double_click: bool = True, claim_enter: bool = True
    ) -> None:
        super().__init__(parent)
        self._claim_enter = claim_enter
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        vertical = self.verticalHeader()
        vertical.hide()
        # Fixed row heights: the view never measures thousands of rows.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setHighlightSections(False)
        if double_click:
            self.doubleClicked.connect(lambda index: self.rowActivated.emit(index.row()))
        self._fit: tuple[int, tuple[int, ...], tuple[int, ...], int] | None = None
        self._fit_widths: dict[int, int] = {}
        self._fit_text: dict[int, int] = {}  # the widest cell text measured so far, per column
        self._sample_first = 0

    def event(self, event: QEvent) -> bool:
        # The window binds plain Return to an action; with focus here, Enter means "open this row".
        if (
            self._claim_enter
            and event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and is_plain_enter(event)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_plain_enter(event):
            current = self.currentIndex()
            if current.isValid():
                self.rowActivated.emit(current.row())
                event.accept()
                return
        super().keyPressEvent(event)

    def fit_columns(
        self,
        stretch: int,
        fitted: Sequence[int],
        *,
        keep_visible: Sequence[int] | None = None,
        minimum: int = 120,
        sample_first: int = 0,
    ) -> None:
        """Size the ``fitted`` columns to their content (header and cells) and give the rest of the
        width to ``stretch``; refitted as rows come and go and when the table is resized.

        When everything does not fit, ``stretch`` keeps what is left beside the ``keep_visible``
        columns (default: all fitted ones), at least ``minimum`` pixels, and the others are a
        horizontal scroll away. Cells are measured on at most ``FIT_SAMPLE`` rows spread over
        the table (ResizeToContents would measure every one of thousands); with ``sample_first``,
        on the first that many rows only (a virtual model reads the rows it is asked for).
        """
        self._sample_first = sample_first
        self._fit = (
            stretch,
            tuple(fitted),
            tuple(fitted if keep_visible is None else keep_visible),
            minimum,
        )
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        for column in (stretch, *fitted):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        model = self.model()
        for signal in (model.modelReset, model.layoutChanged):
            signal.connect(self._measure_all)
        model.rowsInserted.connect(
            lambda _parent, first, last: self._measure_rows(range(first, last + 1))
        )
        model.dataChanged.connect(
            lambda top, bottom, _roles=(): self._measure_rows(range(top.row(), bottom.row() + 1))
        )
        self._measure_all()

    def _measure_all(self) -> None:
        if self._fit is None:
            return
        self._fit_widths = {}
        self._fit_text = {}
        rows = self.model().rowCount()
        if self._sample_first:
            rows = min(rows, self._sample_first)
        self._measure_rows(range(rows), header=True)

    def _measure_rows(self, rows: range, *, header: bool = False) -> None:
        if self._fit is None:
            return
        if len(rows) > FIT_SAMPLE:
            rows = rows[:: -(-len(rows) // FIT_SAMPLE)]  # spread over the range
        grew = header
        for column in self._fit[1]:
            width = max(
                self._fit_widths.get(column, 0),
                self._header_width(column) if header else 0,
                self._cells_width(column, rows),
            )
            if width != self._fit_widths.get(column):
                self._fit_widths[column] = width
                grew = True
        if grew:
            self._apply_fit()

    def _header_width(self, column: int) -> int:
        title = self.model().headerData(
            column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole
        )
        # Room for the sort indicator too.
        return self.horizontalHeader().fontMetrics().horizontalAdvance(str(title or "")) + 18

    def _cells_width(self, column: int, rows: range) -> int:
        """The delegate's width for the widest few cells of these rows (found by their text width,
        which is cheap); 0 when none is wider than the widest text measured so far (a row added by a
        key)."""
        model, metrics = self.model(), self.fontMetrics()
        texts = []
        for row in rows:
            text = model.index(row, column).data(Qt.ItemDataRole.DisplayRole)
            texts.append((metrics.horizontalAdvance("" if text is None else str(text)), row))
        if not texts:
            return 0
        texts.sort(reverse=True)
        if texts[0][0] <= self._fit_text.get(column, -1):
            return 0
        self._fit_text[column] = texts[0][0]
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        bold = QFont(option.font)
        bold.setBold(True)  # room for a row shown in bold (the open document), whichever it is
        option.font = bold
        delegate = self.itemDelegate()
        return (
            max(delegate.sizeHint(option, model.index(row, column)).width() for _, row in texts[:3])
            + 6
        )

    def _apply_fit(self) -> None:
        if self._fit is None:
            return
        stretch, fitted, keep, minimum = self._fit
        header = self.horizontalHeader()
        for column in fitted:
            header.resizeSection(column, self._fit_widths.get(column, 40))
        available = self.viewport().width()
        everything = sum(self._fit_widths.get(c, 40) for c in fitted)
        if available - everything >= minimum:
            width = available - everything
        else:
            width = max(minimum, available - sum(self._fit_widths.get(c, 40) for c in keep))
        header.resizeSection(stretch, width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_fit()

    def sort_from_model_order(self) -> None:
        """Sort by clicking a header; no indicator at first (the model's own order), and a
        third click on a header goes back to it."""
        header = self.horizontalHeader()
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)

    def select_row(self, row: int) -> None:
        """Make a row current and selected, and scroll to it."""
        index = self.model().index(row, 0)
        self.selectionModel().setCurrentIndex(
            index,
            self.selectionModel().SelectionFlag.ClearAndSelect
            | self.selectionModel().SelectionFlag.Rows,
        )
        self.scrollTo(index)


def is_plain_enter(event: QKeyEvent) -> bool:
    """Return or Enter with no modifier (the keypad's Enter counts)."""
    plain = event.modifiers() in (
        Qt.KeyboardModifier.NoModifier,
        Qt.KeyboardModifier.KeypadModifier,
    )
    return plain and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def colour(value: str | None) -> QColor | None:
    """A QColor from '#rrggbb', or None when the text is not a colour."""
    if not value:
        return None
    result = QColor(value)
    return result if result.isValid() else None
