"""Universal newlines and offsets: brat reads its ``.txt`` with universal newlines (``\\r\\n``
and a lone ``\\r`` both become ``\\n``: server/src/annotation.py, open_textfile, mode ``rU``), so
its offsets count a CRLF as one character. We keep the original text and map offsets between
the two."""

from __future__ import annotations

from bisect import bisect_left, bisect_right


class NewlineMap:
    """The newline-normalised form of a text, and offsets between it and the original.

    The normalised text is the original with the ``\\n`` of every ``\\r\\n`` dropped and every
    ``\\r`` turned into ``\\n``; ``_dropped`` holds the original positions of the dropped
    ``\\n`` characters, in order."""

    def __init__(self, text: str) -> None:
        self.original = text
        self._dropped: list[int] = []
        if "\r" not in text:
            self.text = text
            return
        pos = text.find("\r\n")
        while pos >= 0:
            self._dropped.append(pos + 1)
            pos = text.find("\r\n", pos + 2)
        self.text = text.replace("\r\n", "\n").replace("\r", "\n")
        # Normalised position of the character after each dropped "\n".
        self._after = [d - k for k, d in enumerate(self._dropped)]

    @property
    def changed(self) -> bool:
        return self.text is not self.original

    def to_normalised(self, offset: int) -> int:
        """The normalised offset of an original one (an offset inside a CRLF goes after it)."""
        if not self._dropped:
            return offset
        return offset - bisect_left(self._dropped, offset)

    def to_original(self, offset: int) -> int:
        """The original offset of a normalised one."""
        if not self._dropped:
            return offset
        return offset + bisect_right(self._after, offset)
