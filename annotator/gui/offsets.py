"""The one place that converts between store offsets and Qt positions.

The store counts code points into the text exactly as imported. Qt counts
UTF-16 code units in its own copy, in which every line break is one block
separator: an astral character (emoji, rare CJK) takes two Qt positions, and a
CRLF pair (or a lone CR) becomes one. Nothing else in the GUI does this sum.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_ASTRAL_OR_CR = re.compile("[\U00010000-\U0010ffff]|\r\n?")


class OffsetMap:
    """Maps code-point offsets of ``text`` to positions in ``display_text`` (what Qt shows) and
    back."""

    __slots__ = ("_cp_delta", "_cp_marks", "_qt_delta", "_qt_marks", "display_text", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        # Sorted change points: from code point _cp_marks[i] on, qt = cp + _cp_delta[i].
        cp_marks: list[int] = []
        qt_marks: list[int] = []
        cp_delta: list[int] = []
        qt_delta: list[int] = []
        delta = 0
        for match in _ASTRAL_OR_CR.finditer(text):
            start = match.start()
            token = match.group()
            if token[0] == "\r":
                if len(token) == 2:
                    # Both characters of CRLF map to the one block break; what follows shifts by -1.
                    delta -= 1
                    cp_marks.append(start + 2)
                    cp_delta.append(delta)
                    qt_marks.append(start + 2 + delta)
                    qt_delta.append(-delta)
            else:
                delta += 1
                cp_marks.append(start + 1)
                cp_delta.append(delta)
                qt_marks.append(start + 1 + delta)
                qt_delta.append(-delta)
        self._cp_marks, self._cp_delta = cp_marks, cp_delta
        self._qt_marks, self._qt_delta = qt_marks, qt_delta
        self.display_text = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text

    @property
    def identity(self) -> bool:
        return not self._cp_marks

    def to_qt(self, offset: int) -> int:
        """Qt position of a code-point offset (0..len(text))."""
        if not self._cp_marks:
            return offset
        i = bisect_right(self._cp_marks, offset)
        return offset + self._cp_delta[i - 1] if i else offset

    def to_offset(self, position: int) -> int:
        """Code-point offset of a Qt position (Qt's cursor never stops inside a surrogate pair)."""
        if not self._qt_marks:
            return position
        i = bisect_right(self._qt_marks, position)
        return position + self._qt_delta[i - 1] if i else position
