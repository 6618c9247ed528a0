"""The document navigator: a filterable, sortable list of every document with its status and
counts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from annotator.core.errors import UsageError
from annotator.core.model import DocumentStatus
from annotator.gui.tables import KeyTableView, RowTableModel, SortKey, is_plain_enter
from annotator.workspace import DocumentSummary, Workspace

TITLE, DATE, STATUS, SPANS, PENDING = range(5)
STATUS_ORDER = {DocumentStatus.NEW: 0, DocumentStatus.IN_PROGRESS: 1, DocumentStatus.DONE: 2}
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


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


def date_key(summary: DocumentSummary) -> str:
    """Sorts dates in time order: ISO text compares like the dates it spells."""
    published = _published(summary)
    if published is not None:
        return published.isoformat()
    if summary.imported_at is not None:
        return summary.imported_at.astimezone().isoformat()
    return summary.published or ""


class DocumentListModel(RowTableModel[DocumentSummary]):
    """One row per DocumentSummary, in import order until sorted."""

    headers = ("Title", "Date", "Status", "Spans", "Pending")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._current_id: int | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        self._italic = QFont()
        self._italic.setItalic(True)

    def sort_key(self, column: int) -> SortKey | None:
        return {
            TITLE: lambda s: s.title.casefold(),
            DATE: date_key,
            STATUS: lambda s: STATUS_ORDER.get(s.status, 0),
            SPANS: lambda s: s.spans,
            PENDING: lambda s: s.pending_suggestions,
        }.get(column)

    def cell(self, row: DocumentSummary, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TITLE:
                return row.title or "(untitled)"
            if column == DATE:
                return date_text(row)
            if column == STATUS:
                return str(row.status)
            return row.spans if column == SPANS else row.pending_suggestions
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (SPANS, PENDING):
            return RIGHT
        if role == Qt.ItemDataRole.FontRole:
            if row.id == self._current_id:
                return self._bold
            if column == DATE and _published(row) is None and not row.published:
                return self._italic  # an import date, not a publication date
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    @staticmethod
    def _tooltip(row: DocumentSummary, column: int) -> str:
        if column == DATE:
            if row.published:
                return f"Published {row.published}"
            return "Imported (no publication date)"
        if column == PENDING:
            return f"{row.pending_suggestions} suggestions waiting for a decision"
        return f"{row.title}\n{row.source}" if row.source else row.title

    def row_of(self, doc_id: int) -> int:
        """The display row of a document, or -1."""
        for row, summary in enumerate(self._rows):
            if summary.id == doc_id:
                return row
        return -1

    def set_current_id(self, doc_id: int | None) -> None:
        """Show this document's row in bold (the one open in the editor)."""
        changed = [self.row_of(i) for i in (self._current_id, doc_id) if i is not None]
        self._current_id = doc_id
        for row in changed:
            if row >= 0:
                self.dataChanged.emit(
                    self.index(row, 0),
                    self.index(row, self.columnCount() - 1),
                    [Qt.ItemDataRole.FontRole],
                )


class SourceSortingProxy(QSortFilterProxyModel):
    """Filters on the title here, but hands sorting to the source model (Python keys, one call per
    row)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._needle = ""

    def set_title_filter(self, text: str) -> None:
        """Keep the rows whose title contains the text, ignoring case."""
        needle = text.strip().casefold()
        if needle == self._needle:
            return
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            self._needle = needle
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._needle = needle
            self.invalidateRowsFilter()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        # In Python on the summary itself: going through data() costs six times as much per row.
        if not self._needle:
            return True
        source = self.sourceModel()
        assert isinstance(source, DocumentListModel)
        return self._needle in source.row_at(source_row).title.casefold()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)


class DocumentNavigator(QWidget):
    """A title filter over a table of documents; Enter or double-click opens one."""

    documentActivated = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self.model = DocumentListModel(self)
        self.proxy = SourceSortingProxy(self)
        self.proxy.setSourceModel(self.model)

        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter by title…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.set_title_filter)
        self.filter.installEventFilter(self)

        self.table = KeyTableView(self)
        self.table.setModel(self.proxy)
        self.table.fit_columns(TITLE, (DATE, STATUS, SPANS, PENDING))
        self.table.sort_from_model_order()  # at first: import order
        self.table.rowActivated.connect(self._activate_row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        self.setFocusProxy(self.filter)
        self.refresh()

    # -- API ---------------------------------------------------------------

    def refresh(self) -> None:
        """Reload every summary from the workspace; the selected document stays selected."""
        selected = self._selected_id()
        self.model.set_rows(self._workspace.documents())
        if selected is not None:
            self.set_current(selected)

    def update_document(self, doc_id: int) -> None:
        """Refresh one document's status and counts in place (no reset: selection and scroll
        stay)."""
        row = self.model.row_of(doc_id)
        if row < 0:
            self.refresh()  # a document this list has not seen yet
            return
        try:
            summary = self._workspace.document_summary(doc_id)
        except UsageError:
            self.refresh()
            return
        self.model.replace_row(row, summary)

    def ordered_ids(self) -> list[int]:
        """Document ids in the view's order; when the filter hides everything, every id in sort
        order."""
        if self.proxy.rowCount() == 0:
            return [summary.id for summary in self.model.rows()]
        return [
            self.proxy.index(row, 0).data(Qt.ItemDataRole.UserRole)
            for row in range(self.proxy.rowCount())
        ]

    def set_current(self, doc_id: int) -> None:
        """Select and show a document's row (in bold) without emitting documentActivated.

        A row the filter hides is not selected; it is bold once the filter shows it.
        """
        self.model.set_current_id(doc_id)
        source_row = self.model.row_of(doc_id)
        proxy_index = (
            self.proxy.mapFromSource(self.model.index(source_row, 0))
            if source_row >= 0
            else QModelIndex()
        )
        if proxy_index.isValid():
            self.table.select_row(proxy_index.row())
        else:
            self.table.clearSelection()

    def focus_filter(self) -> None:
        """Put the keyboard in the filter box, its text selected for retyping."""
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    # -- internals ---------------------------------------------------------

    def _selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(Qt.ItemDataRole.UserRole) if rows else None

    def _activate_row(self, proxy_row: int) -> None:
        doc_id = self.proxy.index(proxy_row, 0).data(Qt.ItemDataRole.UserRole)
        if doc_id is not None:
            self.documentActivated.emit(int(doc_id))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter and isinstance(event, QKeyEvent):
            wanted = is_plain_enter(event) or event.key() == Qt.Key.Key_Down
            if event.type() == QEvent.Type.ShortcutOverride and wanted:
                event.accept()  # ours, even where the window binds Return to an action
                return True
            if event.type() == QEvent.Type.KeyPress and wanted:
                self._filter_key(event)
                return True
        return super().eventFilter(watched, event)

    def _filter_key(self, event: QKeyEvent) -> None:
        """Down goes into the table; Enter opens the first row."""
        if not self.proxy.rowCount():
            return
        if event.key() == Qt.Key.Key_Down:
            if not self.table.selectionModel().selectedRows():
                self.table.select_row(0)
            self.table.setFocus(Qt.FocusReason.TabFocusReason)
        else:
            self._activate_row(0)
