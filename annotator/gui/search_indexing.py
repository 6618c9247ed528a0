"""The full-text index caught up off the GUI thread.

A big import from the command line (or from another program) leaves the index behind; indexing
100,000 articles takes seconds the window must not wait for. The window starts this when it opens
and when a corpus search finds a backlog. Its searches never index on the GUI thread: until the
index is whole they read the documents it lacks from the table, a range of ids at a time.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from annotator.gui.background import IsCancelled, Progress, Task
from annotator.workspace import Workspace


class SearchIndexing(QObject):
    """At most one catch-up of the index at a time, in a thread with its own workspace."""

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self.task: Task | None = None
        self.indexed = 0  # documents indexed by the catch-ups this window ran

    @property
    def running(self) -> bool:
        return self.task is not None

    def start(self) -> bool:
        """Catch the index up in the background when it lacks documents; whether one runs."""
        if self.task is not None:
            return True
        if self._workspace.search_backlog() == 0:
            return False
        location, annotator = self._workspace.location, self._workspace.annotator

        def work(_progress: Progress, cancelled: IsCancelled) -> int:
            with Workspace.open(location, annotator=annotator, upgrade=False) as workspace:
                return workspace.index_for_search(cancelled=cancelled)

        self.task = Task(work, self)
        self.task.finished.connect(self._ended)
        self.task.start()
        return True

    def stop(self) -> None:
        """Stop after the transaction being written (the rest waits for the next start)."""
        if self.task is not None:
            self.task.stop_and_wait()
            self.task = None

    def _ended(self, outcome: object) -> None:
        self.task = None
        if isinstance(outcome, int):
            self.indexed += outcome
