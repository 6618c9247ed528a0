"""Work that waits until the article's text is on screen: a document shows first, the rest
follows."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

WAIT_MS = 200  # what waits for a paint runs anyway after this (a hidden window paints nothing)


class AfterPaint(QObject):
    """``add(work)``; the work runs right after the view's next paint has reached the screen."""

    def __init__(
        self, painted, parent: QObject | None = None
    ) -> None:  # painted: the view's signal
        super().__init__(parent)
        self._waiting: list[Callable[[], object]] = []
        self._timer = QTimer(self, singleShot=True, interval=WAIT_MS)
        self._timer.timeout.connect(self.run)
        painted.connect(self._painted)

    def add(self, work: Callable[[], object]) -> None:
        self._waiting.append(work)
        self._timer.start()

    def pending(self) -> bool:
        """True while some work still waits."""
        return bool(self._waiting)

    def run(self) -> None:
        """Run what waits, now."""
        self._timer.stop()
        waiting, self._waiting = self._waiting, []
        for work in waiting:
            work()

    def _painted(self) -> None:
        if self._waiting:
            QTimer.singleShot(0, self.run)  # after this paint has reached the screen
