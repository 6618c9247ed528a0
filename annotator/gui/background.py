"""The window's one way to run long work off the GUI thread: a Task, with progress, cancel and
signals (file import, export and backup; the rules over the corpus).

The work gets its own workspace on the same database, opened in the worker thread: an SQLite
connection belongs to the thread that made it. Errors a user can cause come back as a message;
anything else is printed to stderr and shown as one line, never as a traceback in the window.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

from annotator.core.errors import AnnotatorError

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]
Work = Callable[[Progress, IsCancelled], object]
# At most 20 progress signals a second: a 10,000-file import must not flood the event loop.
PROGRESS_INTERVAL_S = 0.05


class TaskCancelled(Exception):
    """Raised from a progress callback to stop work that has no cancel hook of its own.

    Safe for exports: writers write to a temporary that is removed on any exception.
    """


class _Runner(QThread):
    def __init__(self, run: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._run = run

    def run(self) -> None:
        self._run()


class Task(QObject):
    """Runs ``work(progress, is_cancelled)`` in a thread and reports through signals.

    Each run ends with ``succeeded``, ``failed`` or ``stopped``, then ``finished`` once the
    thread is over, with the outcome: the result, the failure's message, or None when stopped.
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    stopped = Signal()  # cancelled before a result
    finished = Signal(object)

    def __init__(
        self, work: Work, parent: QObject | None = None, *, raise_on_cancel: bool = False
    ) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._raise_on_cancel = raise_on_cancel
        self._last_emit = 0.0
        self._outcome: object = None
        self._thread = _Runner(self._run, self)
        self._thread.finished.connect(self._ended)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        """Ask the work to stop (callable from the GUI thread)."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def isRunning(self) -> bool:
        return self._thread.isRunning()

    def wait(self) -> None:
        """Until the thread has ended."""
        self._thread.wait()

    def stop_and_wait(self) -> None:
        """Cancel and wait for the thread to end (its owner is going away)."""
        if self._thread.isRunning():
            self.cancel()
            self._thread.wait()

    def _progress(self, done: int, total: int) -> None:
        if self._raise_on_cancel and self._cancel.is_set():
            raise TaskCancelled
        now = time.monotonic()
        if done >= total or now - self._last_emit >= PROGRESS_INTERVAL_S:
            self._last_emit = now
            self.progressed.emit(done, total)

    def _run(self) -> None:  # in the worker thread
        try:
            result = self._work(self._progress, self._cancel.is_set)
        except TaskCancelled:
            self._outcome = None
            self.stopped.emit()
        except AnnotatorError as exc:
            self._outcome = str(exc)
            self.failed.emit(self._outcome)
        except Exception as exc:  # noqa: BLE001  a bug, not the user's doing: keep the trace
            traceback.print_exc(file=sys.stderr)
            self._outcome = f"Unexpected error ({type(exc).__name__}): {exc}"
            self.failed.emit(self._outcome)
        else:
            self._outcome = result
            self.succeeded.emit(result)

    def _ended(self) -> None:  # in the GUI thread, after the run's other signals
        self._thread.wait()
        self.finished.emit(self._outcome)
