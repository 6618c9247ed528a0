"""The article: read-only text with a keyboard caret, spans and suggestions drawn over it.

Only the blocks on screen are painted (the overlay indexes items by block), so
opening and every action cost the same at 200 or 20,000 spans. Accepted spans
get a tint and a solid underline (one underline row per overlapping span);
pending suggestions a dashed outline and no tint, so the two never look alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import NamedTuple

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from annotator.gui.overlay import SPAN, SUGGESTION, Item, Overlay, SpanRecord, SuggestionRecord
from annotator.gui.tag_room import TagRoom

LANE_STEP = 3.0  # pixels between stacked underlines


class ArticleView(QPlainTextEdit):
    """The centre of the window. Offsets in and out are code points (the store's)."""

    itemSelected = Signal(str, int)  # kind, id; ("", 0) when nothing is selected
    painted = Signal()  # the text was painted (the window holds back work until a document shows)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        # Read-only, yet with a visible caret the arrows move and Shift extends.
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.setCursorWidth(2)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.25)
        self.setFont(font)
        self.document().setDocumentMargin(14)
        self.viewport().setMouseTracking(True)
        self.overlay = Overlay("")
        self.colours: dict[str, QColor] = {}
        self.selected: Item | None = None
        self.preview = Overlay("")  # what a rule being edited would match (nothing stored)
        self.hide_covered = (
            False  # suggestions covered by a span of their label: dimmed, or not drawn
        )
        self.tag_room = TagRoom(
            self
        )  # each span's label in a small tag at its start, and room for it
        self.tags, self.gutter = self.tag_room.tags, self.tag_room.gutter
        self.selectionChanged.connect(self._drop_stale_selection)

    # -- content ---------------------------------------------------------------

    def show_document(
        self,
        text: str,
        spans: Sequence[SpanRecord],
        suggestions: Sequence[SuggestionRecord],
        colours: Mapping[str, str],
    ) -> None:
        self.selected = None
        self.set_colours(colours)
        self.overlay = Overlay(text)
        self.overlay.load(spans, suggestions)
        self.overlay.drain_view_journal()  # everything is new: painted and given room below
        self.preview = Overlay(text)
        self.setPlainText(self.overlay.map.display_text)
        self.tag_room.new_text()
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def set_preview(self, matches: Sequence[tuple[int, int, str]]) -> None:
        """Show (start, end, label) matches of a rule being edited, drawn apart from spans and
        suggestions; an empty list clears them."""
        preview = Overlay(self.text)
        preview.load(
            [],
            [
                _PreviewMatch(n + 1, start, end, label, self.text[start:end])
                for n, (start, end, label) in enumerate(matches)
            ],
        )
        self.preview = preview
        self.viewport().update()

    def set_colours(self, colours: Mapping[str, str]) -> None:
        self.colours = {name: QColor(value) for name, value in colours.items()}
        self.tag_room.fit_gutter(self.colours)

    # -- label tags ----------------------------------------------------------------

    @property
    def label_tags(self) -> bool:
        """Whether accepted spans show their label in a tag at their start."""
        return self.tags.spans

    def set_label_tags(self, on: bool, *, suggestions: bool | None = None) -> None:
        """Tags on spans (and, when ``suggestions`` says so, on pending suggestions) on or off."""
        self.tag_room.set_shown(on, suggestions, self.colours)
        self.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(
            self, "tag_room"
        ):  # not while __init__ sets it
            self.tag_room.font_changed(self.font(), self.colours)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.gutter.place()

    @property
    def text(self) -> str:
        return self.overlay.map.text

    def refresh(self) -> None:
        """Repaint what changed since the last refresh (the overlay's view journal): the rectangles
        of the spans and suggestions added or removed (a frame of a few lines, not the whole
        view)."""
        journal = self.overlay.drain_view_journal()
        if not journal:
            return
        if len(journal) > 50 or any(op == "reset" for op, _ in journal):
            if self.tags.on:
                self.tag_room.format_all()
            self.viewport().update()
            self.gutter.update()
            return
        items = [item for _, item in journal if item is not None]
        self.tag_room.edited(items)
        self.update_items(items)

    def update_items(self, items: Sequence[Item | None]) -> None:
        """Schedule a repaint of where these items are drawn (the whole view if any spans many
        lines)."""
        region = QRectF()
        offset = self.contentOffset()
        for item in items:
            if item is None:
                continue
            block = self.document().findBlock(item.qt_start)
            blocks = 0
            while block.isValid() and block.position() <= item.qt_end:
                blocks += 1
                if blocks > 20:
                    self.viewport().update()
                    return
                top = self.blockBoundingGeometry(block).translated(offset).top()
                for rect in self._item_rects(block, top, item):
                    region = region.united(rect)
                block = block.next()
        if not region.isNull():
            # Underline rows and outlines reach a few pixels past the text line.
            self.viewport().update(region.adjusted(-4, -4, 4, 4).toAlignedRect())

    # -- positions and selection -------------------------------------------------

    def caret_offset(self) -> int:
        return self.overlay.map.to_offset(self.textCursor().position())

    def selection_offsets(self) -> tuple[int, int]:
        """The selected text as code-point [start, end); empty when nothing is selected."""
        cursor = self.textCursor()
        to_offset = self.overlay.map.to_offset
        return to_offset(cursor.selectionStart()), to_offset(cursor.selectionEnd())

    def select_offsets(self, start: int, end: int) -> None:
        """Select code points [start, end), caret at the end, scrolled into view."""
        to_qt = self.overlay.map.to_qt
        if self.selected is not None and (self.selected.start, self.selected.end) != (start, end):
            self.select_item(None)
        cursor = self.textCursor()
        cursor.setPosition(to_qt(start))
        cursor.setPosition(to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self._set_cursor_keeping_item(cursor)
        self.ensureCursorVisible()

    def select_item(self, item: Item | None) -> None:
        """Make a span or suggestion the selected one (its text selected too); None clears."""
        previous = self.selected
        self.selected = item
        if item is not None:
            cursor = self.textCursor()
            cursor.setPosition(item.qt_start)
            cursor.setPosition(item.qt_end, QTextCursor.MoveMode.KeepAnchor)
            self._set_cursor_keeping_item(cursor)
            self.centerCursor() if not self._cursor_on_screen() else self.ensureCursorVisible()
        if previous is not item:
            self.itemSelected.emit(item.kind if item else "", item.id if item else 0)
        self.update_items([previous, item])

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)
        self.select_item(None)

    def _set_cursor_keeping_item(self, cursor: QTextCursor) -> None:
        self._setting_cursor = True
        try:
            self.setTextCursor(cursor)
        finally:
            self._setting_cursor = False

    def _cursor_on_screen(self) -> bool:
        return self.viewport().rect().contains(self.cursorRect().center())

    def _drop_stale_selection(self) -> None:
        # Moving the caret or selecting other text deselects the item.
        if getattr(self, "_setting_cursor", False) or self.selected is None:
            return
        cursor = self.textCursor()
        if (cursor.selectionStart(), cursor.selectionEnd()) != (
            self.selected.qt_start,
            self.selected.qt_end,
        ):
            self.select_item(None)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            # A click on highlighted text selects the innermost span or suggestion there.
            found = self.overlay.items_at(
                self.cursorForPosition(event.position().toPoint()).position()
            )
            if found:
                self.select_item(found[0])

    # -- painting ------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        area = QRectF(event.rect())
        visible = list(self.visible_blocks(event.rect().top(), event.rect().bottom()))
        # Each item's rectangles once per paint, only those in the repainted area.
        drawn = []
        for block, top in visible:
            for item in self.overlay.block_items(block.blockNumber()):
                if item.covered and self.hide_covered and item is not self.selected:
                    continue
                rects = [r for r in self._item_rects(block, top, item) if r.intersects(area)]
                if rects:
                    drawn.append((item, rects))
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for item, rects in drawn:
            if item.kind == SPAN:
                self._paint_item(painter, rects, item, under_text=True)
        painter.end()
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        left = self.contentOffset().x()
        painter.setFont(self.tags.font)
        for item, rects in drawn:
            self._paint_item(painter, rects, item, under_text=False)
        for block, top in visible:
            for item in self.preview.block_items(block.blockNumber()):
                self._paint_preview(painter, block, top, item)
        if self.tags.on:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            for block, top in visible:
                self.tags.paint_block(
                    painter, self.overlay, block, top, left, self.colours, self.selected, area
                )
        painter.end()
        self.painted.emit()

    def visible_blocks(self, top_limit: int, bottom_limit: int):
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > bottom_limit:
                break
            if block.isVisible() and geometry.bottom() >= top_limit:
                yield block, geometry.top()
            block = block.next()

    def _item_rects(self, block, top: float, item: Item) -> list[QRectF]:
        layout = block.layout()
        block_start = block.position()
        start = max(item.qt_start, block_start) - block_start
        end = min(item.qt_end, block_start + block.length() - 1) - block_start
        if end <= start:
            return []
        rects = []
        left = self.contentOffset().x()
        first = layout.lineForTextPosition(start).lineNumber()
        last = layout.lineForTextPosition(end).lineNumber()
        if first < 0 or last < 0:
            first, last = 0, layout.lineCount() - 1
        for n in range(first, last + 1):
            line = layout.lineAt(n)
            line_start, line_end = line.textStart(), line.textStart() + line.textLength()
            if line_end <= start or line_start >= end:
                continue
            x1 = line.cursorToX(max(start, line_start))[0]
            x2 = line.cursorToX(min(end, line_end))[0]
            rects.append(QRectF(left + x1, top + line.y(), max(x2 - x1, 2.0), line.height()))
        return rects

    def _paint_item(
        self, painter: QPainter, rects: list[QRectF], item: Item, *, under_text: bool
    ) -> None:
        colour = self.colours.get(item.label, QColor("#888888"))
        selected = item is self.selected
        for rect in rects:
            if item.kind == SPAN:
                if under_text:
                    tint = QColor(colour)
                    tint.setAlpha(95 if selected else 55)
                    painter.fillRect(rect, tint)
                    continue
                y = rect.bottom() - 1.0 - item.lane * LANE_STEP
                painter.fillRect(QRectF(rect.left(), y - 1.0, rect.width(), 2.0), colour)
                if selected:
                    painter.setPen(QPen(colour.darker(130), 2.0))
                    painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
            elif item.covered and not selected:
                # Already covered by a span of its label: faint dots, so it never looks like work.
                faint = QColor(colour)
                faint.setAlpha(120)
                painter.setPen(QPen(faint, 1.0, Qt.PenStyle.DotLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(rect.adjusted(1.5, 1.5, -1.5, -1.5))
            else:
                pen = QPen(
                    colour,
                    2.5 if selected else 1.5,
                    Qt.PenStyle.SolidLine if selected else Qt.PenStyle.DashLine,
                )
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(rect.adjusted(1.0, 1.0, -1.0, -1.0))

    def _paint_preview(self, painter: QPainter, block, top: float, item: Item) -> None:
        # A rule preview: a thick dotted bar above the text, so it reads as "would match", not as a
        # mark.
        colour = self.colours.get(item.label, QColor("#888888"))
        for rect in self._item_rects(block, top, item):
            painter.setPen(QPen(colour, 3.0, Qt.PenStyle.DotLine))
            painter.drawLine(
                QPointF(rect.left(), rect.top() + 1.5), QPointF(rect.right(), rect.top() + 1.5)
            )

    # -- tooltips ------------------------------------------------------------------

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            position = self.cursorForPosition(event.pos()).position()
            found = [
                i
                for i in self.overlay.items_at(position)
                if self._over_item(i, QPointF(event.pos()))
            ]
            if found:
                QToolTip.showText(event.globalPos(), tooltip_text(found), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def _over_item(self, item: Item, point: QPointF) -> bool:
        block = self.document().findBlock(item.qt_start)
        while block.isValid() and block.position() < item.qt_end:
            top = self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
            if any(rect.contains(point) for rect in self._item_rects(block, top, item)):
                return True
            block = block.next()
        return False


class _PreviewMatch(NamedTuple):
    id: int
    start: int
    end: int
    label: str
    text: str
    rule: str = "preview"
    explanation: str = "what the edited rule would match"


def tooltip_text(items: Sequence[Item]) -> str:
    """Label, origin, rule and explanation of each item under the mouse, innermost first."""
    parts = []
    for item in items:
        kind = (
            "suggestion covered by a span of this label (not counted as work)"
            if item.covered
            else "pending suggestion"
        )
        head = f"<b>{item.label}</b> &nbsp;{kind if item.kind == SUGGESTION else item.origin}"
        lines = [head]
        if item.rule:
            lines.append(f"rule: {item.rule}")
        if item.explanation:
            lines.append(escape(item.explanation))
        parts.append("<br>".join(lines))
    return "<hr>".join(parts)
