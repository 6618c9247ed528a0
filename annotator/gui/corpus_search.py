"""Corpus search: a dialog that searches every document as you type and opens the chosen hit."""

from __future__ import annotations

import re
from typing import Any, Protocol

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError
from annotator.gui.tables import RowTableModel
from annotator.workspace import Workspace

DEBOUNCE_MS = 150
LIMIT = 200
HIT_ROLE = Qt.ItemDataRole.UserRole
WHITE_SPACE = re.compile(r"\s+")
MOVE_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)


class Hit(Protocol):
    """What ``Workspace.search`` returns per match (code-point offsets)."""

    @property
    def document_id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def before(self) -> str: ...
    @property
    def match(self) -> str: ...
    @property
    def after(self) -> str: ...


def _flat(text: str) -> str:
    """One line: each run of white space (line breaks too) becomes one space, even at the ends."""
    return WHITE_SPACE.sub(" ", text)


class HitModel(RowTableModel[Hit]):
    """One row per hit; the delegate draws it, DisplayRole is its plain text."""

    headers = ("Result",)

    def cell(self, row: Hit, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.title}: {_flat(row.before)}{_flat(row.match)}{_flat(row.after)}"
        if role == HIT_ROLE:
            return row
        return None


class HitDelegate(QStyledItemDelegate):
    """Draws a hit as two lines: the document title, then the context with the match in bold."""

    PAD = 6

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = QFontMetrics(option.font).height()
        return QSize(200, 2 * line + 2 * self.PAD + 2)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        hit = index.data(HIT_ROLE)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        if hit is None:
            return
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette: QPalette = opt.palette
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        rect: QRect = opt.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        normal = QFont(opt.font)
        bold = QFont(normal)
        bold.setBold(True)
        line = QFontMetrics(normal).height()
        painter.save()
        painter.setPen(palette.color(role))
        # Title: bold, elided at the right.
        painter.setFont(bold)
        title = QFontMetrics(bold).elidedText(
            hit.title or "(untitled)", Qt.TextElideMode.ElideRight, rect.width()
        )
        painter.drawText(
            QRect(rect.left(), rect.top(), rect.width(), line), Qt.AlignmentFlag.AlignVCenter, title
        )
        self._draw_context(
            painter,
            hit,
            QRect(rect.left(), rect.top() + line + 2, rect.width(), line),
            normal,
            bold,
            palette.color(role if selected else QPalette.ColorRole.PlaceholderText),
        )
        painter.restore()

    @staticmethod
    def _draw_context(
        painter: QPainter, hit: Hit, rect: QRect, normal: QFont, bold: QFont, muted: Any
    ) -> None:
        """before … **match** … after, elided so the match stays in view."""
        plain, strong = QFontMetrics(normal), QFontMetrics(bold)
        match = strong.elidedText(
            _flat(hit.match), Qt.TextElideMode.ElideRight, int(rect.width() * 0.6)
        )
        match_width = strong.horizontalAdvance(match)
        room = max(0, rect.width() - match_width)
        before = plain.elidedText(_flat(hit.before), Qt.TextElideMode.ElideLeft, int(room * 0.4))
        before_width = plain.horizontalAdvance(before)
        after = plain.elidedText(_flat(hit.after), Qt.TextElideMode.ElideRight, room - before_width)
        x = rect.left()
        text_colour = painter.pen().color()
        for text, font, width, pen in (
            (before, normal, before_width, muted),
            (match, bold, match_width, text_colour),
            (after, normal, plain.horizontalAdvance(after), muted),
        ):
            painter.setFont(font)
            painter.setPen(pen)
            painter.drawText(
                QRect(x, rect.top(), width + 1, rect.height()), Qt.AlignmentFlag.AlignVCenter, text
            )
            x += width


class CorpusSearchDialog(QDialog):
    """Type to search the corpus; Up/Down pick a hit, Enter opens it, Esc closes."""

    hitActivated = Signal(int, int, int)  # document id, start, end
    concordanceRequested = Signal(str)  # the query: its suggestions and spans in the concordance

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Search the corpus")
        self._workspace = workspace
        self.query = QLineEdit(self)
        self.query.setPlaceholderText("Search every document…")
        self.query.setClearButtonEnabled(True)
        self.query.installEventFilter(self)
        self.status = QLabel("Type to search every document.", self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.model = HitModel(self)
        self.results = QListView(self)
        self.results.setModel(self.model)
        self.results.setItemDelegate(HitDelegate(self.results))
        self.results.setUniformItemSizes(True)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays in the query
        self.results.doubleClicked.connect(lambda index: self._open(index.row()))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        self.query.textChanged.connect(lambda _text: self._timer.start())
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        self.concordance_button = QPushButton("Show in concordance", self)
        self.concordance_button.setToolTip(
            "Every suggestion and span whose text contains the query"
        )
        self.concordance_button.setAutoDefault(False)
        self.concordance_button.clicked.connect(self._to_concordance)
        layout.addWidget(self.status)
        layout.addWidget(self.concordance_button, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(720, 480)

    def _to_concordance(self) -> None:
        self.concordanceRequested.emit(self.query.text().strip())
        self.accept()

    def search_now(self) -> None:
        """Run the query at once (the timer calls this after a pause in typing)."""
        self._timer.stop()
        text = self.query.text().strip()
        hits: list[Hit] = []
        if not text:
            self.status.setText("Type to search every document.")
        else:
            try:
                # Never indexing here: the window catches the index up in the background.
                hits = list(self._workspace.search(text, limit=LIMIT, catch_up=False))
            except AnnotatorError as error:
                self.status.setText(str(error))
            else:
                self.status.setText(self._count_text(len(hits)))
        self.model.set_rows(hits)
        if hits:
            self.results.setCurrentIndex(self.model.index(0, 0))

    @staticmethod
    def _count_text(count: int) -> str:
        if count == 0:
            return "No matches."
        if count >= LIMIT:
            return f"The first {LIMIT} matches; type more to narrow the search."
        return "1 match." if count == 1 else f"{count} matches."

    def _open(self, row: int) -> None:
        if not 0 <= row < self.model.rowCount():
            return
        hit = self.model.row_at(row)
        self.hitActivated.emit(hit.document_id, hit.start, hit.end)
        self.accept()

    def _open_current(self) -> None:
        if self._timer.isActive() or not self.model.rowCount():
            self.search_now()  # Enter typed before the pause: search first
        current = self.results.currentIndex()
        self._open(current.row() if current.isValid() else 0)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.query.setFocus()
        self.query.selectAll()  # typing replaces the last query

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.query and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in MOVE_KEYS:
                if self._timer.isActive():
                    self.search_now()
                QApplication.sendEvent(self.results, event)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._open_current()
                return True
        return super().eventFilter(watched, event)
