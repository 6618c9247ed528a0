"""The room label tags need in the article's layout, and the gutter for tags of spans that start a
line.

``LabelTags`` (label_tags.py) says which tags go where and paints them; this module makes the
article view give them room: it sets each block's tag spacing and lays out again only the
blocks that changed, repainting only the lines that moved (Qt's plain-text layout repaints the
whole view for any change). Blocks on screen get their room at once, the others a chunk at a
time while the event loop is idle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, QRectF, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QTextBlock
from PySide6.QtWidgets import QWidget

from annotator.gui.label_tags import LabelTags
from annotator.gui.overlay import Item

if TYPE_CHECKING:
    from annotator.gui.article_view import ArticleView

TAG_CHUNK = 40  # blocks given room for their tags per turn of the event loop


class TagRoom(QObject):
    """Owned by the article view: its tags, their gutter, and the blocks still waiting for room."""

    def __init__(self, view: ArticleView) -> None:
        super().__init__(view)
        self.view = view
        self.tags = LabelTags(view.font())
        self.gutter = TagGutter(view)
        view.updateRequest.connect(self.gutter.follow)
        self._queue: list[int] = []  # blocks whose tags get their room when the loop is idle
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._format_chunk)
        view.verticalScrollBar().valueChanged.connect(self._format_on_screen)

    # -- what the view tells it ---------------------------------------------------------

    def new_text(self) -> None:
        """A document was shown: every block gets room anew."""
        self.tags.forget_layout()
        self.format_all()

    def set_shown(self, spans: bool, suggestions: bool | None, colours: Iterable[str]) -> None:
        self.tags.spans = spans
        if suggestions is not None:
            self.tags.suggestions = suggestions
        self.fit_gutter(colours)
        self.format_all()

    def font_changed(self, font: QFont, colours: Iterable[str]) -> None:
        self.tags.set_font(font)
        self.fit_gutter(colours)
        self.format_all()

    def fit_gutter(self, labels: Iterable[str]) -> None:
        width = self.tags.gutter_width(labels)
        if width != self.view.viewportMargins().left():
            self.view.setViewportMargins(width, 0, 0, 0)
            self.gutter.place()

    def edited(self, items: Sequence[Item]) -> None:
        """These items came or went: their blocks get room at once, their gutter strips
        repainted."""
        if not (self.tags.on and any(self.tags.tagged(item) for item in items)):
            return
        blocks = {self.view.overlay.block_of(item) for item in items}
        self._queue = [n for n in self._queue if n not in blocks]
        # Where each block's tags changed first: the lines above it keep their layout.
        earliest: dict[int, int] = {}
        for item in items:
            number = self.view.overlay.block_of(item)
            earliest[number] = min(earliest.get(number, item.qt_start), item.qt_start)
        self._format(sorted(earliest), earliest)
        self.gutter.update_blocks(blocks)

    def format_all(self) -> None:
        """Room for every block's tags: those on screen now, the others while the loop is idle."""
        self.tags.forget_groups()
        numbers = set(self.view.overlay.blocks_with_items()) | self.tags.formatted_blocks()
        on_screen = self._blocks_on_screen()
        self._queue = sorted(numbers - on_screen, reverse=True)  # popped from the end: top first
        self._format(sorted(numbers & on_screen))
        if self._queue:
            self._timer.start()

    # -- making room --------------------------------------------------------------------

    def _format(
        self,
        numbers: Sequence[int],
        earliest: Mapping[int, int] | None = None,
        *,
        off_screen: bool = False,
    ) -> None:
        if not numbers:
            return
        document = self.view.document()
        blocks = [block for block in map(document.findBlockByNumber, numbers) if block.isValid()]
        changed = self.tags.format_blocks(self.view.overlay, blocks)
        if not changed:
            return
        if off_screen:
            # Blocks nobody sees: laid out again when they are, and no repaint of the view (Qt
            # repaints all of it for a range); only the scroll bar hears of new heights.
            layout = document.documentLayout()
            layout.blockSignals(True)
            try:
                for block in changed:
                    document.markContentsDirty(block.position(), block.length())
            finally:
                layout.blockSignals(False)
            layout.documentSizeChanged.emit(layout.documentSize())
        elif len(changed) > 8:  # one relayout of the range, not one call per block
            first, last = changed[0], changed[-1]
            document.markContentsDirty(
                first.position(), last.position() + last.length() - first.position()
            )
        else:
            for block in changed:
                self._relayout(block, (earliest or {}).get(block.blockNumber(), block.position()))

    def _relayout(self, block: QTextBlock, changed_from: int) -> None:
        """Lay out one block again and repaint only what moved: its lines from the one holding Qt
        position ``changed_from``, and what lies below when its height changed."""
        view = self.view
        document, layout = view.document(), view.document().documentLayout()
        offset = view.contentOffset()
        before = view.blockBoundingGeometry(block).translated(offset)
        layout.blockSignals(True)
        try:
            document.markContentsDirty(block.position(), block.length())
            after = view.blockBoundingGeometry(block).translated(offset)  # lays it out now
        finally:
            layout.blockSignals(False)
        line = block.layout().lineForTextPosition(max(0, changed_from - block.position() - 1))
        top = after.top() + (line.y() if line.isValid() else 0.0)
        if after.height() == before.height():
            view.viewport().update(
                QRectF(after.left(), top, after.width(), after.bottom() - top)
                .toAlignedRect()
                .adjusted(-4, -4, 4, 4)
            )
            return
        viewport = view.viewport().rect()
        view.viewport().update(QRect(0, int(top) - 4, viewport.width(), viewport.height()))
        layout.documentSizeChanged.emit(
            layout.documentSize()
        )  # the scroll bar follows the new height

    def _format_chunk(self) -> None:
        queue = self._queue
        chunk = [queue.pop() for _ in range(min(TAG_CHUNK, len(queue)))]
        on_screen = self._blocks_on_screen(extra=0)
        self._format([n for n in chunk if n in on_screen])  # scrolled to meanwhile
        self._format([n for n in chunk if n not in on_screen], off_screen=True)
        if queue:
            self._timer.start()

    def _blocks_on_screen(self, extra: int = 40) -> set[int]:
        view = self.view
        first = view.firstVisibleBlock().blockNumber()
        count = max(1, view.viewport().height() // max(1, view.fontMetrics().height()))
        return set(range(max(0, first - extra), first + count + extra))

    def _format_on_screen(self) -> None:
        # Scrolled to blocks whose tags have no room yet: make it before they are painted.
        if not self._queue:
            return
        on_screen = self._blocks_on_screen()
        wanted = [n for n in self._queue if n in on_screen]
        if wanted:
            self._queue = [n for n in self._queue if n not in on_screen]
            self._format(sorted(wanted))

    # -- the gutter ----------------------------------------------------------------------

    def paint_gutter(self, painter: QPainter, rect: QRect, colours: Mapping[str, QColor]) -> None:
        """The tags of spans that start a line, in the gutter left of the text."""
        if not self.tags.on:
            return
        painter.setFont(self.tags.font)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        right = float(self.gutter.width() - 2)
        view = self.view
        for block, top in view.visible_blocks(rect.top(), rect.bottom()):
            self.tags.paint_gutter(painter, view.overlay, block, top, right, colours, view.selected)


class TagGutter(QWidget):
    """The strip left of the text where tags of spans that start a line are drawn."""

    def __init__(self, view: ArticleView) -> None:
        super().__init__(view)
        self.view = view

    def place(self) -> None:
        rect = self.view.contentsRect()
        self.setGeometry(
            QRect(rect.left(), rect.top(), self.view.viewportMargins().left(), rect.height())
        )

    def update_blocks(self, numbers: set[int]) -> None:
        if not self.width():
            return
        document, offset = self.view.document(), self.view.contentOffset()
        for number in numbers:
            block = document.findBlockByNumber(number)
            if block.isValid():
                rect = self.view.blockBoundingGeometry(block).translated(offset).toAlignedRect()
                self.update(0, rect.top(), self.width(), rect.height())

    def follow(self, rect: QRect, dy: int) -> None:
        """Scroll and repaint with the text (the view's updateRequest)."""
        if not self.width():
            return
        if dy:
            self.scroll(0, dy)
        else:
            self.update(0, rect.y(), self.width(), rect.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.view.palette().base())
        self.view.tag_room.paint_gutter(painter, event.rect(), self.view.colours)
        painter.end()
