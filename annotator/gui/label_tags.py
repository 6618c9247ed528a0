"""Label tags: each span's label written in a small tag just before it, as brat and INCEpTION show
it.

The tag needs room the text does not have. Inside a paragraph it is made in the layout: the
character before the span gets extra letter spacing exactly as wide as its tags (a layout format,
so the text, the offsets and the selection are untouched), and the tag is painted in that gap.
A span that starts a line (a paragraph, or a wrapped line) has its tag in a gutter left of
the text instead. Room is made by tag_room.py, block by block.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QTextBlock,
    QTextCharFormat,
    QTextLayout,
)

from annotator.gui.overlay import SPAN, Item, Overlay

MAX_CHARS = 12  # a longer label name is cut in its tag (the tooltip has it whole)
PAD = 3.0  # inside a tag, left and right
GAP = 3.0  # between a tag and the text after it


def tag_text(label: str) -> str:
    return label if len(label) <= MAX_CHARS else label[: MAX_CHARS - 1] + "…"


def text_colour(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background`` (WCAG relative luminance)."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = (
        0.2126 * channel(background.redF())
        + 0.7152 * channel(background.greenF())
        + 0.0722 * channel(background.blueF())
    )
    return QColor("#000000") if luminance > 0.36 else QColor("#ffffff")


class LabelTags:
    """Which items get a tag, the layout room for them, and their painting, for one article view."""

    def __init__(self, base_font: QFont) -> None:
        self.spans = True  # tags on accepted spans
        self.suggestions = False  # and on pending suggestions
        self.set_font(base_font)
        self._formatted: dict[
            int, tuple[tuple[int, int, float], ...]
        ] = {}  # block -> the gaps it has now
        self._formats: dict[float, QTextCharFormat] = {}
        self._groups: dict[
            int, dict[int, list[Item]]
        ] = {}  # by block number, until its items change

    def set_font(self, base_font: QFont) -> None:
        self.font = QFont(base_font)
        self.font.setPointSizeF(max(6.5, base_font.pointSizeF() * 0.62))
        self.font.setBold(True)
        self.metrics = QFontMetricsF(self.font)
        self._widths: dict[str, float] = {}

    @property
    def on(self) -> bool:
        return self.spans or self.suggestions

    def tagged(self, item: Item) -> bool:
        return self.spans if item.kind == SPAN else self.suggestions

    def width(self, label: str) -> float:
        """A tag's width with the gap after it."""
        found = self._widths.get(label)
        if found is None:
            found = self._widths[label] = (
                self.metrics.horizontalAdvance(tag_text(label)) + 2 * PAD + GAP
            )
        return found

    def gutter_width(self, labels: Iterable[str]) -> int:
        """Room left of the text for the tags of spans that start a paragraph."""
        widest = max((self.width(label) for label in labels), default=0.0)
        return int(widest + 6) if self.on and widest else 0

    # -- which tags go where -----------------------------------------------------------

    def groups(self, overlay: Overlay, block: QTextBlock) -> dict[int, list[Item]]:
        """Tagged items of a block by the Qt position they start at, the longest first."""
        number = block.blockNumber()
        cached = self._groups.get(number)
        if cached is None:
            cached = self._groups[number] = self._group(overlay, block)
        return cached

    def _group(self, overlay: Overlay, block: QTextBlock) -> dict[int, list[Item]]:
        found: dict[int, list[Item]] = defaultdict(list)
        first, end = block.position(), block.position() + block.length()
        for item in overlay.block_items(block.blockNumber()):
            if first <= item.qt_start < end and self.tagged(item):
                found[item.qt_start].append(item)
        for items in found.values():
            items.sort(key=lambda i: (i.start - i.end, i.kind != SPAN, i.id))
        return found

    # -- layout room -------------------------------------------------------------------

    def format_blocks(self, overlay: Overlay, blocks: Iterable[QTextBlock]) -> list[QTextBlock]:
        """Give these blocks the spacing their tags need; returns the blocks whose layout changed
        (a block whose gaps are what they were is left alone: no new layout, no repaint)."""
        changed = []
        for block in blocks:
            number = block.blockNumber()
            self._groups.pop(number, None)
            gaps = self._gaps(overlay, block) if self.on else ()
            if gaps == self._formatted.get(number, ()):
                continue
            block.layout().setFormats(
                [self._range(start, length, width) for start, length, width in gaps]
            )
            if gaps:
                self._formatted[number] = gaps
            else:
                self._formatted.pop(number, None)
            changed.append(block)
        return changed

    def _gaps(self, overlay: Overlay, block: QTextBlock) -> tuple[tuple[int, int, float], ...]:
        """(start, length, width) in the block of each character that makes room for tags after
        it."""
        position, text = block.position(), block.text()
        gaps = []
        for qt_start, items in sorted(self.groups(overlay, block).items()):
            at = qt_start - position
            if at <= 0:
                continue  # starts the paragraph: its tag is in the gutter
            before = at - 1
            if before > 0 and "\udc00" <= text[before] <= "\udfff":
                before -= 1  # the character before is a surrogate pair: space it as one
            gaps.append((before, at - before, sum(self.width(item.label) for item in items)))
        return tuple(gaps)

    def _range(self, start: int, length: int, width: float) -> QTextLayout.FormatRange:
        spaced = QTextLayout.FormatRange()
        spaced.start, spaced.length, spaced.format = start, length, self._format(width)
        return spaced

    def _format(self, width: float) -> QTextCharFormat:
        found = self._formats.get(width)
        if found is None:
            found = QTextCharFormat()
            found.setFontLetterSpacingType(QFont.SpacingType.AbsoluteSpacing)
            found.setFontLetterSpacing(width)
            self._formats[width] = found
        return found

    def formatted_blocks(self) -> set[int]:
        return set(self._formatted)

    def forget_layout(self) -> None:
        """A new text (or new items everywhere): no block carries spacing, nothing is grouped."""
        self._formatted.clear()
        self._groups.clear()

    def forget_groups(self) -> None:
        self._groups.clear()

    # -- painting ----------------------------------------------------------------------

    def paint_block(
        self,
        painter: QPainter,
        overlay: Overlay,
        block: QTextBlock,
        top: float,
        left: float,
        colours: Mapping[str, QColor],
        selected: Item | None,
        area: QRectF,
    ) -> None:
        """The tags inside one block that fall in ``area``, each in the gap made before its span."""
        layout, position = block.layout(), block.position()
        for qt_start, items in self.groups(overlay, block).items():
            at = qt_start - position
            line = layout.lineForTextPosition(at - 1) if at > 0 else None
            if line is None or not line.isValid() or _starts_line(layout, at):
                continue  # in the gutter
            if top + line.y() > area.bottom() or top + line.y() + line.height() < area.top():
                continue
            # PySide6 stubs type cursorToX as object; it returns (x, the position it moved to).
            right = left + line.cursorToX(at)[0]  # type: ignore[index]
            x = right - sum(self.width(item.label) for item in items)
            for item in items:
                width = self.width(item.label)
                self._paint_tag(
                    painter,
                    QRectF(x, top + line.y(), width - GAP, line.height()),
                    item,
                    colours,
                    item is selected,
                )
                x += width

    def paint_gutter(
        self,
        painter: QPainter,
        overlay: Overlay,
        block: QTextBlock,
        top: float,
        right: float,
        colours: Mapping[str, QColor],
        selected: Item | None,
    ) -> None:
        """The tags of spans that start a line of this block (a paragraph, or a wrapped line: the
        gap before them is at the end of the line above), right-aligned against the text."""
        layout, position = block.layout(), block.position()
        for qt_start, items in self.groups(overlay, block).items():
            at = qt_start - position
            if not _starts_line(layout, at):
                continue
            line = layout.lineForTextPosition(at)
            x = right
            for item in reversed(items):
                width = self.width(item.label)
                x -= width
                if x < 0:
                    break
                self._paint_tag(
                    painter,
                    QRectF(x, top + line.y(), width - GAP, line.height()),
                    item,
                    colours,
                    item is selected,
                )

    def _paint_tag(
        self,
        painter: QPainter,
        line_box: QRectF,
        item: Item,
        colours: Mapping[str, QColor],
        selected: bool,
    ) -> None:
        height = min(line_box.height() - 2.0, self.metrics.height() + 3.0)
        box = QRectF(line_box.left(), line_box.center().y() - height / 2, line_box.width(), height)
        colour = colours.get(item.label, QColor("#888888"))
        if item.kind == SPAN:
            painter.setPen(QPen(colour.darker(140), 1.5) if selected else Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            ink = text_colour(colour)
        else:  # a suggestion's tag: outlined, like the suggestion itself
            painter.setPen(
                QPen(colour, 1.2, Qt.PenStyle.SolidLine if selected else Qt.PenStyle.DashLine)
            )
            painter.setBrush(Qt.BrushStyle.NoBrush)
            ink = colour.darker(130)
        painter.drawRoundedRect(box, 3.0, 3.0)
        painter.setPen(ink)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, tag_text(item.label))


def _starts_line(layout: QTextLayout, at: int) -> bool:
    """True when block position ``at`` is the first character of a line of the layout."""
    if at <= 0:
        return True
    line = layout.lineForTextPosition(at)
    return line.isValid() and line.textStart() == at
