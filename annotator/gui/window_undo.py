"""What the article shows after an undo or a redo: the one span and suggestion it touched."""

from __future__ import annotations

from annotator.gui.annotating import show_resolved
from annotator.gui.article_view import ArticleView
from annotator.gui.overlay import SPAN, SUGGESTION
from annotator.workspace import Change


def apply_replay(view: ArticleView, change: Change) -> None:
    """Show what one undone or redone action did, touching only its span and suggestion."""
    overlay = view.overlay
    view.select_item(None)
    if change.before is not None and change.before.id is not None:
        overlay.remove(SPAN, change.before.id)
    if change.span is not None and change.span.id is not None:
        overlay.add_span(change.span)
    suggestion = change.suggestion
    if suggestion is not None and suggestion.id is not None:
        if suggestion.state == "pending":
            overlay.add_suggestion(suggestion)
        else:
            overlay.remove(SUGGESTION, suggestion.id)
    show_resolved(view, change)
    view.refresh()


def select_changed(view: ArticleView, change: Change) -> None:
    """Select what the change made or touched; else put the caret where the span was."""
    span = change.span
    if span is not None and span.id is not None:
        item = view.overlay.get(SPAN, span.id)
        if item is not None:
            view.select_item(item)
            return
    suggestion = change.suggestion
    if suggestion is not None and suggestion.id is not None:
        item = view.overlay.get(SUGGESTION, suggestion.id)
        if item is not None:
            view.select_item(item)
            return
    before = change.before
    if before is not None:
        view.select_offsets(before.start, before.start)
