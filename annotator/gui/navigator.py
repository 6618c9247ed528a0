"""The document navigator: a filterable, sortable list of every document with its status and
counts; the list itself is a virtual model over the database (navigator_model.py)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCheckBox, QLineEdit, QVBoxLayout, QWidget

from annotator.core.errors import UsageError
from annotator.core.model import DocumentStatus
from annotator.gui.navigator_model import (
    DATE,
    PENDING,
    SPANS,
    STATUS,
    TITLE,
    DocumentPageModel,
    date_text,
)
from annotator.gui.tables import KeyTableView, is_plain_enter
from annotator.workspace import DocumentQuery, Workspace

__all__ = ["DATE", "PENDING", "SPANS", "STATUS", "TITLE", "DocumentNavigator", "date_text"]
FIT_ROWS = 60  # rows measured to fit the columns after a reset: about a screen
NOT_DONE = (DocumentStatus.NEW.value, DocumentStatus.IN_PROGRESS.value)


class DocumentNavigator(QWidget):
    """A title filter over a table of documents; Enter or double-click opens one."""

    documentActivated = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self.model = DocumentPageModel(workspace, self)

        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter by title…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        self.filter.installEventFilter(self)
        # On a team's database, an annotator's own documents (with their own status) first.
        self.only_mine = QCheckBox("Only my documents", self)
        self.only_mine.setObjectName("only-my-documents")
        self.only_mine.setChecked(True)
        self.only_mine.toggled.connect(lambda _on: self.refresh())

        self.table = KeyTableView(self)
        self.table.setModel(self.model)
        # A new filter or sort is a model reset: the selection follows its document (connected
        # after the view's own handlers, which clear the selection on a reset).
        self._keep: int | None = None
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)
        self.model.idsCompleted.connect(lambda: self._restore_selection(top=False))
        # Columns fitted to the first screen's lines: measuring rows spread over 100,000 would
        # read a page for each (and measuring costs ~0.1 ms a cell at each new sort or filter).
        self.table.fit_columns(TITLE, (DATE, STATUS, SPANS, PENDING), sample_first=FIT_ROWS)
        self.table.sort_from_model_order()  # at first: import order
        self.table.rowActivated.connect(self._activate_row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter)
        layout.addWidget(self.only_mine)
        layout.addWidget(self.table)
        self.setFocusProxy(self.filter)
        self.refresh()

    # -- API ---------------------------------------------------------------

    def refresh(self) -> None:
        """Read the list again from the workspace; the selected document stays selected."""
        selected = self._selected_id()
        mine = self._workspace.my_documents()
        self.only_mine.setVisible(bool(mine))
        assigned_to = self._workspace.me().id if mine and self.only_mine.isChecked() else None
        if assigned_to != self.model.query.assigned_to:
            self.model.query = replace(self.model.query, assigned_to=assigned_to)
        self.model.run()
        if selected is not None:
            self.set_current(selected)

    def update_document(self, doc_id: int) -> None:
        """Refresh one document's status and counts in place (no reset: selection and scroll
        stay)."""
        row = self.model.row_of(doc_id)
        if row < 0:
            if not self._filtered():
                self.refresh()  # a document this list has not seen yet
            return  # else the filter hides it: it shows as it is when the filter changes
        try:
            summary = self._workspace.document_summary(doc_id)
        except UsageError:
            self.refresh()
            return
        self.model.replace_summary(row, summary)

    def ordered_ids(self) -> list[int]:
        """Document ids in the view's order; when the filter hides everything, every id in sort
        order."""
        if self.model.rowCount() == 0 and self._filtered():
            return self._workspace.document_pages.ids(self._unfiltered())
        return self.model.ids()

    def position(self, doc_id: int | None) -> tuple[int, int]:
        """(1-based place of the document in ``ordered_ids``, 0 when absent; how many)."""
        if self.model.rowCount() == 0:
            order = self.ordered_ids()
            return (order.index(doc_id) + 1 if doc_id in order else 0), len(order)
        row = self.model.row_of(doc_id) if doc_id is not None else -1
        return row + 1, self.model.rowCount()

    def next_not_done(self, doc_id: int | None) -> int | None:
        """The first document after ``doc_id`` in the view's order (wrapping round) that is not
        done; None when every one is."""
        order = self.ordered_ids()
        own = self._workspace.my_documents()
        waiting = set(self._workspace.document_pages.ids(DocumentQuery(statuses=NOT_DONE)))
        if own:  # an annotator's own status decides on their documents
            waiting = (waiting - set(own)) | {d for d, s in own.items() if s != DocumentStatus.DONE}
        at = order.index(doc_id) if doc_id in order else -1
        return next((i for i in order[at + 1 :] + order[: at + 1] if i in waiting), None)

    def set_current(self, doc_id: int) -> None:
        """Select and show a document's row (in bold) without emitting documentActivated.

        A row the filter hides is not selected; it is bold once the filter shows it.
        """
        self.model.set_current_id(doc_id)
        row = self.model.row_of(doc_id)
        if row >= 0:
            self.table.select_row(row)
        else:
            self.table.clearSelection()

    def focus_filter(self) -> None:
        """Put the keyboard in the filter box, its text selected for retyping."""
        self.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter.selectAll()

    # -- internals ---------------------------------------------------------

    def _filtered(self) -> bool:
        return bool(self.model.query.title or self.model.query.statuses)

    def _unfiltered(self) -> DocumentQuery:
        return replace(self.model.query, title="", statuses=())

    def _filter_changed(self, text: str) -> None:
        self.model.set_title_filter(text)

    def _remember_selection(self) -> None:
        self._keep = self._selected_id() or self.model.current_id or self._keep

    def _restore_selection(self, *, top: bool = True) -> None:
        """Select the remembered document again once its row is known (the first page, or every
        id once read: looking further at once would read every id at each key typed); until
        then a new list shows its top."""
        row = self.model.read_row_of(self._keep) if self._keep is not None else -1
        if row >= 0:
            self.table.select_row(row)
            self._keep = None
        elif top:
            self.table.scrollToTop()

    def _selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(Qt.ItemDataRole.UserRole) if rows else None

    def _activate_row(self, row: int) -> None:
        doc_id = self.model.id_at(row)
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
        if not self.model.rowCount():
            return
        if event.key() == Qt.Key.Key_Down:
            if not self.table.selectionModel().selectedRows():
                self.table.select_row(0)
            self.table.setFocus(Qt.FocusReason.TabFocusReason)
        else:
            self._activate_row(0)
