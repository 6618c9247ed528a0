"""Another window or process changed the database: this window follows within a second.

A timer asks the workspace every half second whether anyone else committed (one ``PRAGMA
data_version``, or a look at PostgreSQL's notifications: no query of the tables when nothing
happened), and only then which documents and kinds of thing the new change-log rows touched. The
window's own actions are not news (the workspace leaves them out): they were drawn by
``apply_change`` already.

What follows a change by someone else:
- the open document's spans and suggestions are read again in place: the text is not laid out
  again, so the caret, the scroll position and the selected item stay (a selected item someone
  removed is let go);
- its status in the status bar, and the navigator's rows (status, counts) of the documents touched;
- the label keys and palette when labels changed, the rule table when rules changed (and the open
  document's suggestions are made again, as after a rule edit here).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from annotator.core.errors import AnnotatorError
from annotator.workspace import ChangedDocuments

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

POLL_MS = 500
# More documents than this touched at once (an import, a corpus-wide run): the navigator reads its
# page again instead of row by row.
ROWS_ONE_BY_ONE = 30


class LiveRefresh(QObject):
    """Polls the workspace's change feed and brings the window up to date."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.applied = 0  # others' changes brought to the screen (for tests and the status line)
        try:
            self._mark: int | None = window.workspace.changes_since(None)[0]
        except AnnotatorError:
            self._mark = None  # tried again at the next tick
        self.timer = QTimer(self, interval=POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> None:
        try:
            mark, changed = self.window.workspace.changes_since(self._mark)
        except AnnotatorError:
            return  # the database is busy or gone for a moment: the next tick asks again
        self._mark = mark
        if not changed.empty:
            self.follow(changed)

    def follow(self, changed: ChangedDocuments) -> None:
        window = self.window
        self.applied += 1
        doc_id = window.doc.id if window.doc is not None else None
        if "label" in changed.entities:
            window.build_label_actions()
            if doc_id is not None:
                window.open_document(doc_id)  # colours and names: drawn again
        elif doc_id is not None and doc_id in changed.documents:
            # The selected item is selected again (which would scroll it into view): the reader
            # stays where they were reading.
            bar = window.view.verticalScrollBar()
            scrolled = bar.value()
            window.annotating.reload()  # the text is not laid out again: the caret stays
            bar.setValue(scrolled)
        if doc_id is not None and doc_id in changed.documents:
            window.doc = window.reread_head(doc_id)
        if "rule" in changed.entities:
            window.rule_actions.editor.rules_changed(
                tuple(rule.name for rule in window.workspace.rules())
            )
            if doc_id is not None:
                window.request_suggestions(doc_id)
        if len(changed.documents) > ROWS_ONE_BY_ONE:
            window.navigator.refresh()
        else:
            for touched in sorted(changed.documents):
                window.navigator.update_document(touched)
        window.refresh_panel()
        window.refresh_status(position=False)


def install_live_refresh(window: MainWindow) -> LiveRefresh:
    """Start following others' changes in ``window`` (stopped with the window)."""
    return LiveRefresh(window)
