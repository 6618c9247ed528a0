"""Rules > Train the tagger on my spans: the training runs in a background Task on its own
Workspace (an SQLite connection belongs to one thread); the trained rule is saved here, in the
window's thread, as one undo step, and the window follows the Change like after any rule save.
The status bar says when it starts and when it is done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal

from annotator.core.errors import AnnotatorError
from annotator.gui.background import IsCancelled, Progress, Task
from annotator.workspace import TaggerTraining, Workspace

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow


class TaggerTrainer(QObject):
    """Starts a training, saves what it learned, says so."""

    trained = Signal(object)  # the Change saved, or why there is none (a message)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.task: Task | None = None
        # A training cannot be cut short (CRFsuite has no cancel): quitting waits for it.
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop_and_wait)

    def start(self) -> None:
        if self.task is not None:
            self.window.notify("The tagger is already training")
            return
        workspace = self.window.workspace
        location, annotator = workspace.location, workspace.annotator

        def work(progress: Progress, cancelled: IsCancelled) -> TaggerTraining:
            with Workspace.open(location, annotator=annotator) as own:
                return own.train_tagger()

        self.task = Task(work, self)
        self.task.finished.connect(self._done)
        self.window.statusBar().showMessage("Training the tagger on your spans…")
        self.task.start()

    def _done(self, outcome: object) -> None:
        if self.task is not None:
            self.task.deleteLater()  # its thread is over: finished comes after it ended
            self.task = None
        window = self.window
        if not isinstance(outcome, TaggerTraining):
            window.notify(f"The tagger was not trained: {outcome or 'stopped'}")
            self.trained.emit(str(outcome))
            return
        try:
            change = window.workspace.save_tagger(outcome)
        except AnnotatorError as exc:
            window.notify(f"The tagger was not saved: {exc}")
            self.trained.emit(str(exc))
            return
        window.apply_change(change)
        window.notify(
            f"Tagger trained on {outcome.spans} spans in {outcome.documents} documents "
            f"({', '.join(outcome.labels)}), {outcome.seconds:.1f} s"
        )
        self.trained.emit(change)

    def stop_and_wait(self) -> None:
        if self.task is not None:
            self.task.stop_and_wait()
