"""The navigator's table as a virtual model: the ids of the documents its filter keeps, in its
order, and each page's lines read when the view first asks for a row of that page.

The filter and the sort run in the database. A new query reads the count and the first page of
ids (the first screen paints at once), and every id right after that screen is painted: 100,000
documents open in milliseconds and scroll without reading what is not shown. Pages read are
kept up to ``KEPT_PAGES``; a document's line is read again alone after an action on it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont

from annotator.gui.line_pages import LinePages
from annotator.workspace import DocumentOrder, DocumentQuery, DocumentSummary, Workspace

PAGE = 200  # lines read per query
KEPT_PAGES = 50  # pages kept in memory (10,000 lines); the oldest is dropped first
TITLE, DATE, STATUS, SPANS, PENDING = range(5)
HEADERS = ("Title", "Date", "Status", "Spans", "Pending")
ORDERS = (
    DocumentOrder.TITLE,
    DocumentOrder.DATE,
    DocumentOrder.STATUS,
    DocumentOrder.SPANS,
    DocumentOrder.PENDING,
)
COUNTED = (DocumentOrder.SPANS, DocumentOrder.PENDING)
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
Index = QModelIndex | QPersistentModelIndex


def _published(summary: DocumentSummary) -> datetime | None:
    try:
        return datetime.fromisoformat(summary.published) if summary.published else None
    except ValueError:
        return None


def date_text(summary: DocumentSummary) -> str:
    """The Date column: the publication date when the article has one, else the import date."""
    published = _published(summary)
    if published is not None:
        return published.date().isoformat()
    if summary.published:
        return summary.published  # not ISO: shown as the source wrote it
    if summary.imported_at is not None:
        return summary.imported_at.astimezone().date().isoformat()
    return ""


class DocumentPageModel(QAbstractTableModel):
    """One row per document the query keeps; lines read a page at a time."""

    idsCompleted = Signal()  # every id is read (rows past the first page can be found)

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.query = DocumentQuery()
        self._ids: list[int] = []
        self._total = 0  # rows shown: len(_ids) once every id is read
        self._complete = True  # every id is read (else the first page only)
        self._rows: dict[int, int] | None = None  # id -> row, built when first asked
        self._lines: LinePages[int, DocumentSummary] = LinePages(
            workspace.summaries_for_me, lambda s: s.id, size=PAGE, kept=KEPT_PAGES
        )
        self._current_id: int | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)

    # -- what is shown ----------------------------------------------------------------

    def run(self, query: DocumentQuery | None = None) -> None:
        """Show the documents of a query (None: the current one, read again)."""
        self.beginResetModel()
        if query is not None:
            self.query = query
        # The counts orders compute every document's count even for one page: one query then.
        limit = None if self.query.order in COUNTED else PAGE
        self._ids = self.workspace.document_pages.ids(self.query, limit)
        self._complete = limit is None or len(self._ids) < PAGE
        self._total = (
            len(self._ids) if self._complete else self.workspace.document_pages.count(self.query)
        )
        if not self._complete:
            QTimer.singleShot(0, self.complete_ids)  # after the first screen is painted
        self._rows = None
        self._lines.clear(size=PAGE)
        self.endResetModel()

    def complete_ids(self) -> None:
        """Read every id (the first page was read alone); rows stay unless the list changed."""
        if self._complete:
            return
        ids = self.workspace.document_pages.ids(self.query)
        self._complete = True
        if len(ids) != self._total or ids[: len(self._ids)] != self._ids:
            self.beginResetModel()
            self._ids, self._total = ids, len(ids)
            self._lines.clear()
            self.endResetModel()
        else:
            self._ids = ids
        self._rows = None
        self.idsCompleted.emit()

    def set_title_filter(self, text: str) -> None:
        """Keep the documents whose title contains the text, ignoring case."""
        needle = text.strip()
        if needle != self.query.title:
            self.run(replace(self.query, title=needle))

    def ids(self) -> list[int]:
        """Every shown document's id, in the shown order."""
        self.complete_ids()
        return list(self._ids)

    def id_at(self, row: int) -> int | None:
        if row >= len(self._ids):
            self.complete_ids()
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, doc_id: int) -> int:
        """The row of a document, or -1 (filtered out, or not in the list yet)."""
        if not self._complete and doc_id in self._ids:
            return self._ids.index(doc_id)  # in the first page: no need to read every id yet
        self.complete_ids()
        if self._rows is None:
            self._rows = {doc_id: row for row, doc_id in enumerate(self._ids)}
        return self._rows.get(doc_id, -1)

    def read_row_of(self, doc_id: int) -> int:
        """The row of a document among the ids read so far (no query), or -1."""
        if self._complete:
            return self.row_of(doc_id)
        return self._ids.index(doc_id) if doc_id in self._ids else -1

    def summary(self, row: int) -> DocumentSummary | None:
        """The line of a row, its page read if it was not (None: gone meanwhile)."""
        if row >= len(self._ids):
            self.complete_ids()
        if not 0 <= row < len(self._ids):
            return None
        return self._lines.line(self._ids, row)

    @property
    def pages_read(self) -> int:
        """Page queries run (the tests and the bench read it)."""
        return self._lines.reads

    def loaded_rows(self) -> int:
        """How many lines are held in memory (the tests read it)."""
        return self._lines.held()

    def replace_summary(self, row: int, summary: DocumentSummary) -> None:
        """A document's line read again after an action: it stays in its row until re-sorted."""
        self._lines.replace(row, summary)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    @property
    def current_id(self) -> int | None:
        return self._current_id

    def set_current_id(self, doc_id: int | None) -> None:
        """Show this document's row in bold (the one open in the editor)."""
        previous, self._current_id = self._current_id, doc_id
        for changed in (previous, doc_id):
            row = self.row_of(changed) if changed is not None else -1
            if row >= 0:
                self.dataChanged.emit(
                    self.index(row, 0),
                    self.index(row, len(HEADERS) - 1),
                    [Qt.ItemDataRole.FontRole],
                )

    # -- QAbstractTableModel ------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = (
            orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
        )
        return HEADERS[section] if horizontal and 0 <= section < len(HEADERS) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if role == Qt.ItemDataRole.UserRole:
            return self.id_at(index.row())  # no page read for the id alone
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column in (SPANS, PENDING) else None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.FontRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        row = self.summary(index.row())
        if row is None:
            return "(gone)" if role == Qt.ItemDataRole.DisplayRole and column == TITLE else None
        if role == Qt.ItemDataRole.DisplayRole:
            return _cell(row, column)
        if role == Qt.ItemDataRole.FontRole:
            if row.id == self._current_id:
                return self._bold
            if column == DATE and _published(row) is None and not row.published:
                return self._italic  # an import date, not a publication date
            return None
        return _tooltip(row, column)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A header click: sorted in the database by that column; no column is import order."""
        wanted = ORDERS[column] if 0 <= column < len(ORDERS) else DocumentOrder.IMPORT
        descending = order == Qt.SortOrder.DescendingOrder and wanted != DocumentOrder.IMPORT
        if (wanted, descending) == (self.query.order, self.query.descending):
            return  # QTableView.sortByColumn asks twice (the header's signal, then itself)
        self.run(replace(self.query, order=wanted, descending=descending))


def _cell(row: DocumentSummary, column: int) -> Any:
    if column == TITLE:
        return row.title or "(untitled)"
    if column == DATE:
        return date_text(row)
    if column == STATUS:
        return str(row.status)
    return row.spans if column == SPANS else row.pending_suggestions


def _tooltip(row: DocumentSummary, column: int) -> str:
    if column == DATE:
        return f"Published {row.published}" if row.published else "Imported (no publication date)"
    if column == PENDING:
        return f"{row.pending_suggestions} suggestions waiting for a decision"
    return f"{row.title}\n{row.source}" if row.source else row.title
