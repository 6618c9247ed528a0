"""The lines of a long ordered list of keys, read a page at a time when first shown.

The navigator (documents) and the concordance (KWIC lines) both hold every key of their list, in
order, but read a line's contents only when it is shown: one query per page of keys.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
L = TypeVar("L")


class LinePages(Generic[K, L]):
    """Lines by row, ``size`` a query; past ``kept`` pages the oldest read is dropped."""

    def __init__(
        self,
        read: Callable[[list[K]], Iterable[L]],
        key_of: Callable[[L], K],
        *,
        size: int = 200,
        kept: int | None = None,
    ) -> None:
        self._read, self._key_of = read, key_of
        self.size, self.kept = size, kept
        self._pages: dict[int, list[L | None]] = {}
        self.reads = 0  # page queries run (the tests and the benches read it)

    def clear(self, size: int | None = None) -> None:
        """Drop every page held; ``size``: a new list's page size (its first read had as many)."""
        self._pages = {}
        if size is not None:
            self.size = size

    def line(self, keys: Sequence[K], row: int) -> L | None:
        """The line of ``keys[row]`` (0 <= row < len(keys)), its page read if it was not; None
        when the store no longer has it."""
        page, at = divmod(row, self.size)
        lines = self._pages.get(page)
        if lines is None:
            wanted = list(keys[page * self.size : (page + 1) * self.size])
            found = {self._key_of(line): line for line in self._read(wanted)}
            lines = self._pages[page] = [found.get(key) for key in wanted]
            self.reads += 1
            if self.kept is not None and len(self._pages) > self.kept:
                del self._pages[next(iter(self._pages))]  # the oldest read
        return lines[at]

    def replace(self, row: int, line: L) -> None:
        """Put a line read again alone in its page, when that page is held."""
        lines = self._pages.get(row // self.size)
        if lines is not None:
            lines[row % self.size] = line

    def held(self) -> int:
        """How many lines are held in memory."""
        return sum(len(lines) for lines in self._pages.values())
