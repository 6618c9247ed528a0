"""Suggestions made off the GUI thread: the text shows at once, its suggestions when they are ready.

The rules on a long article take seconds; the window never waits for them. A worker thread with
its own Workspace (an SQLite connection belongs to one thread) runs ``Workspace.suggest`` for the
documents asked for, newest request first, and reports each one. The store writes a document's
suggestions in one transaction that reads the decisions and spans as they are at that moment,
so an edit the analyst made meanwhile always wins over what the rules proposed before it.
"""

from __future__ import annotations

import atexit
import threading
import weakref

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from annotator.core.errors import AnnotatorError
from annotator.suggesting import SuggestReport
from annotator.workspace import Workspace


class SuggestionMaker(QObject):
    """Ask with ``request(doc_id)``; ``made(doc_id, outcome)`` says when (a SuggestReport, or an
    error message)."""

    made = Signal(int, object)
    _wake = Signal()

    def __init__(self, location: str, annotator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._queue: list[int] = []  # requested and not started, oldest first
        self._started: list[int] = []  # taken by the worker, not yet reported on the GUI thread
        self._worker = _Worker(location, annotator, self._next)
        self._thread = QThread(self)
        self._thread.setObjectName("suggestion-maker")
        self._worker.moveToThread(self._thread)
        self._wake.connect(self._worker.work)
        self._worker.done.connect(self._done)
        self._thread.finished.connect(self._worker.close)
        self._thread.start()
        # A window that is never closed (a script, a test) must not leave its thread running when
        # Qt or Python shuts down: Qt aborts on a QThread destroyed while it runs.
        _RUNNING.add(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    def request(self, doc_id: int) -> None:
        """Make this document's suggestions (again if asked again); the newest request goes first."""
        with self._lock:
            if doc_id in self._queue:
                self._queue.remove(doc_id)
            self._queue.append(doc_id)
        self._wake.emit()

    def busy_with(self, doc_id: int) -> bool:
        """True while this document's suggestions are asked for or being made."""
        with self._lock:
            return doc_id in self._started or doc_id in self._queue

    def idle(self) -> bool:
        with self._lock:
            return not self._started and not self._queue

    def stop(self) -> None:
        """Forget what is queued, let the document being worked on finish, end the thread."""
        with self._lock:
            self._queue.clear()
        _RUNNING.discard(self)
        self._thread.quit()
        self._thread.wait()

    def _next(self) -> int | None:
        # Called on the worker thread: the newest request is the one the analyst looks at.
        with self._lock:
            if not self._queue:
                return None
            doc_id = self._queue.pop()
            self._started.append(doc_id)
            return doc_id

    @Slot(int, object)
    def _done(self, doc_id: int, outcome: object) -> None:
        with self._lock:
            if doc_id in self._started:
                self._started.remove(doc_id)
        self.made.emit(doc_id, outcome)


class _Worker(QObject):
    done = Signal(int, object)

    def __init__(self, location: str, annotator: str, take) -> None:
        super().__init__()
        self._location, self._annotator, self._take = location, annotator, take
        self._workspace: Workspace | None = None

    @Slot()
    def work(self) -> None:
        doc_id = self._take()
        while doc_id is not None:
            self.done.emit(doc_id, self._make(doc_id))
            doc_id = self._take()

    def _make(self, doc_id: int) -> object:
        try:
            if self._workspace is None:
                self._workspace = Workspace.open(self._location, annotator=self._annotator, upgrade=False)
            workspace = self._workspace
            if not workspace.needs_suggest(doc_id):
                return SuggestReport()  # made meanwhile (another request, another window)
            return workspace.suggest(doc_id)
        except AnnotatorError as exc:
            return str(exc)
        except Exception as exc:  # noqa: BLE001  # shown in the status bar; a dead worker would stall every document
            return f"{type(exc).__name__}: {exc}"

    @Slot()
    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None


_RUNNING: weakref.WeakSet[SuggestionMaker] = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    for maker in list(_RUNNING):
        try:
            maker.stop()
        except RuntimeError:  # its Qt object is already gone
            pass
