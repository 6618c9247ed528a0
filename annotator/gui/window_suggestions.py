"""The window's side of making suggestions: the one place that decides when the rules run on a
document, at once for a short one, in the suggestion process for a long one, shown when made."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from annotator.core.errors import AnnotatorError
from annotator.gui.suggestion_maker import SuggestionMaker

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

# Rules on a text up to this long run at once (~10 ms); a longer one's run off the GUI's process.
SUGGEST_HERE_CHARS = 30_000


class WindowSuggestions(QObject):
    """Owned by the window; tells it through ``window.suggestionsShown`` when new ones are shown."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.maker = SuggestionMaker(window.workspace.location, window.workspace.annotator, self)
        self.maker.made.connect(self._made)
        self._deferred: int | None = (
            None  # a document whose suggestions are asked for after its paint
        )

    def request(self, doc_id: int) -> None:
        """Make a document's suggestions when the rules changed since they were made. A short open
        document gets them at once; a long one (or one not open) off the GUI's process."""
        window = self.window
        try:
            if not window.workspace.needs_suggest(doc_id):
                return
            open_doc = window.doc is not None and window.doc.id == doc_id
            if open_doc and self.suggest_here(doc_id, len(window.view.text)):
                self._show(doc_id)
                return
        except AnnotatorError as exc:
            window.notify(str(exc))
            return
        self.maker.request(doc_id)
        window.refresh_status(position=False)

    def suggest_here(self, doc_id: int, length: int) -> bool:
        """Make a short document's stale suggestions now (about 10 ms); True when it did."""
        workspace = self.window.workspace
        if length > SUGGEST_HERE_CHARS or not workspace.needs_suggest(doc_id):
            return False
        report = workspace.suggest(doc_id)
        if report.failures:
            self.window.notify("; ".join(report.failures))
        return True

    def request_after_paint(self, doc_id: int) -> None:
        """A document just opened: ask for its suggestions once its text is on screen."""
        self._deferred = doc_id
        self.window.after_paint.add(lambda: self._request_deferred(doc_id))

    def making(self, doc_id: int) -> bool:
        """True while this document's suggestions are asked for or being made."""
        return self.maker.busy_with(doc_id) or (
            self._deferred == doc_id and self.window.workspace.needs_suggest(doc_id)
        )

    def stop(self) -> None:
        self.maker.stop()

    def _request_deferred(self, doc_id: int) -> None:
        if self._deferred == doc_id:
            self._deferred = None
        self.request(doc_id)

    def _made(self, doc_id: int, outcome: object) -> None:
        window = self.window
        answer = outcome if isinstance(outcome, dict) else {}
        if answer.get("error"):
            window.notify(f"The rules could not run on document {doc_id}: {answer['error']}")
        elif answer.get("failures"):
            window.notify("; ".join(answer["failures"]))
        if window.doc is None or window.doc.id != doc_id or self.maker.busy_with(doc_id):
            # Not shown (or asked again meanwhile: the newer run shows): its list row says so.
            window.navigator.update_document(doc_id)
            return
        self._show(doc_id)

    def _show(self, doc_id: int) -> None:
        window = self.window
        window.annotating.reload_suggestions()
        window.navigator.update_document(doc_id)  # its Pending column counts the new suggestions
        window.refresh_panel()
        window.refresh_status(position=False)
        window.suggestionsShown.emit(doc_id)
