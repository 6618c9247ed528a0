"""The annotation actions of the window: each calls the workspace, then updates the view.

The database is written (and committed) by the workspace call before the screen
changes, so what the analyst sees done is done.
"""

from __future__ import annotations

from collections.abc import Callable

from annotator.core.errors import AnnotatorError
from annotator.core.model import DocumentStatus
from annotator.core.text import one_line
from annotator.core.tokenize import snap_to_tokens, token_step
from annotator.gui.article_view import ArticleView
from annotator.gui.overlay import SPAN, SUGGESTION, Item
from annotator.workspace import Change, Operation, Workspace

Notify = Callable[[str], None]


class Annotating:
    """Span and suggestion actions on the open document."""

    def __init__(
        self,
        workspace: Workspace,
        view: ArticleView,
        notify: Notify,
        changed: Callable[[Change], None],
    ) -> None:
        self.workspace = workspace
        self.view = view
        self.notify = notify  # a short message in the status bar
        self.changed = changed  # the window refreshes counts, panel and navigator
        self.doc_id: int | None = None
        self.snap_to_tokens = True

    # -- labels ------------------------------------------------------------------

    def apply_label(self, label: str) -> None:
        """Label the selection; relabel a selected span; correct a selected suggestion's label."""
        if self.doc_id is None:
            return
        item = self.view.selected
        if item is not None and item.kind == SPAN:
            if item.label != label:
                self._run(lambda: self.workspace.update_span(item.id, label=label), _span_made)
            return
        if item is not None and item.kind == SUGGESTION:
            if item.label == label:
                self.accept()
            else:
                self._run(lambda: self.workspace.correct(item.id, label=label), _decided)
            return
        start, end = self.view.selection_offsets()
        if start == end:
            self.notify("Select some text first (Shift+arrows, or Ctrl+F to find it)")
            return
        if self.snap_to_tokens:
            start, end = snap_to_tokens(self.view.text, start, end)
        doc_id = self.doc_id
        self._run(lambda: self.workspace.add_span(doc_id, start, end, label), _span_made)

    # -- suggestions ---------------------------------------------------------------

    def select_next_suggestion(self, *, backwards: bool = False) -> None:
        current = self.view.selected
        offset = current.start if current is not None else self.view.caret_offset()
        found = self.view.overlay.next_pending(offset, current, backwards=backwards)
        if found is None:
            self.notify("No pending suggestions in this document")
            return
        self.view.select_item(found)

    def select_next_span(self, *, backwards: bool = False) -> None:
        """Select the next (previous) span after (before) the caret or the selected span; wraps."""
        current = self.view.selected
        offset = current.start if current is not None else self.view.caret_offset()
        found = self.view.overlay.next_span(offset, current, backwards=backwards)
        if found is None:
            self.notify("No spans in this document yet")
            return
        self.view.select_item(found)
        self.notify(f"{found.label} ‘{one_line(found.text, 60)}’")

    def accept(self) -> None:
        item = self._selected(SUGGESTION, "Select a suggestion first (Tab)")
        if item is not None:
            self._run(lambda: self.workspace.accept(item.id), _decided)

    def reject(self, *, everywhere: bool = False) -> None:
        item = self._selected(SUGGESTION, "Select a suggestion first (Tab)")
        if item is None:
            return
        where = " everywhere" if everywhere else ""
        self._run(
            lambda: self.workspace.reject(item.id, everywhere=everywhere),
            lambda _change: f"Rejected {item.label} ‘{item.text}’{where}",
        )

    def accept_all(self) -> None:
        if self.doc_id is None:
            return
        ids = self.view.overlay.pending_ids()
        if not ids:
            self.notify("No pending suggestions to accept")
            return
        self._run(
            lambda: self.workspace.accept_many(ids),
            lambda _change: f"Accepted {len(ids)} suggestion{'s' if len(ids) != 1 else ''}",
        )

    # -- spans ---------------------------------------------------------------------

    def move_boundary(self, edge: str, direction: int) -> None:
        """Move the start or end of the selected span or suggestion one token."""
        item = self._selected(None, "Select a span or suggestion first (Tab, or click it)")
        if item is None:
            return
        text = self.view.text
        start, end = item.start, item.end
        if edge == "start":
            start = token_step(text, start, direction, edge="start")
        else:
            end = token_step(text, end, direction, edge="end")
        if start >= end or (start, end) == (item.start, item.end):
            self.notify(
                "The span cannot shrink to nothing" if start >= end else "No token further that way"
            )
            return
        if item.kind == SPAN:
            self._run(lambda: self.workspace.update_span(item.id, start=start, end=end), _span_made)
        else:
            self._run(lambda: self.workspace.correct(item.id, start=start, end=end), _decided)

    def delete_span(self) -> None:
        item = self._selected(SPAN, "Select a span first (click it, or Tab then Enter)")
        if item is not None:
            self._run(
                lambda: self.workspace.delete_span(item.id),
                lambda _change: f"Deleted {item.label} ‘{item.text}’",
            )

    def remember(self) -> None:
        item = self._selected(SPAN, "Select a span to remember (click it)")
        if item is not None:
            # The window then makes this document's suggestions (the rules changed).
            self._run(
                lambda: self.workspace.remember(item.id),
                lambda _change: (
                    f"Remembered ‘{item.text}’ as {item.label}: suggested in every document"
                ),
            )

    def set_done(self) -> Change | None:
        if self.doc_id is None:
            return None
        doc_id = self.doc_id
        return self._run(lambda: self.workspace.set_status(doc_id, DocumentStatus.DONE))

    # -- undo ----------------------------------------------------------------------

    def undo(self, *, redo: bool = False) -> Change | None | AnnotatorError:
        """Undo (or redo) in the database; the window shows the result. An error comes back as a
        value."""
        try:
            return self.workspace.redo() if redo else self.workspace.undo()
        except AnnotatorError as exc:
            return exc

    # -- helpers -------------------------------------------------------------------

    def reload(self) -> None:
        """Re-read this document's spans and suggestions (after bulk changes)."""
        if self.doc_id is None:
            return
        _, spans, pending = self.workspace.document_for_view(self.doc_id)
        selected = self.view.selected
        self.view.overlay.load(spans, pending)
        self.view.selected = None
        if selected is not None:
            again = self.view.overlay.get(selected.kind, selected.id)
            if again is not None:
                self.view.select_item(again)
        self.view.refresh()

    def reload_suggestions(self) -> None:
        """Re-read this document's pending suggestions (made anew); spans and the selection stay."""
        if self.doc_id is None:
            return
        _, _, pending = self.workspace.document_for_view(self.doc_id)
        selected = self.view.selected
        self.view.overlay.replace_suggestions(pending)
        if selected is not None and self.view.overlay.get(selected.kind, selected.id) is None:
            self.view.select_item(None)
        self.view.refresh()

    def _selected(self, kind: str | None, hint: str) -> Item | None:
        item = self.view.selected
        if item is None or (kind is not None and item.kind != kind):
            self.notify(hint)
            return None
        return item

    def _run(
        self, action: Callable[[], Change], message: Callable[[Change], str] | None = None
    ) -> Change | None:
        """Run one workspace operation; the window shows what it changed, then the message."""
        try:
            change = action()
        except AnnotatorError as exc:
            self.notify(str(exc))
            return None
        self.changed(change)
        if message is not None:
            self.notify(message(change))
        return change


def _span_made(change: Change) -> str:
    span = change.spans[0]
    return f"{span.label} ‘{one_line(span.text, 60)}’"


def _decided(change: Change) -> str:
    if not change.spans:
        return "Accepted: the same span was already there"
    span = change.spans[0]
    verb = "Accepted" if change.operation == Operation.ACCEPT else "Corrected to"
    return f"{verb} {span.label} ‘{one_line(span.text, 60)}’"
