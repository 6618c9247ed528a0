"""The one place a workspace Change reaches the screen (as Anki fans out its OpChanges).

Each view follows what the Change lists, and only that: the article draws and removes the listed
spans and suggestions, the selection goes to ``focus``, the header and the document list follow
``statuses``, the label keys and palette follow ``labels``, and a change of ``rules`` makes the
open document's suggestions again. No view guesses from empty fields, and no other place decides
to suggest again after a rule edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.model import Span, Suggestion, SuggestionState
from annotator.gui.article_view import ArticleView
from annotator.gui.overlay import SPAN, SUGGESTION
from annotator.workspace import Change, Operation

if TYPE_CHECKING:
    from annotator.gui.main_window import MainWindow

# More items than this in one change (accept all, a big undo): re-read the document at once
# instead of drawing item by item.
BULK = 300


def apply_change(window: MainWindow, change: Change) -> None:
    """Bring every view up to date with what ``change`` did."""
    doc_id = window.doc.id if window.doc is not None else None
    replayed = change.operation in (Operation.UNDO, Operation.REDO)
    target = change.documents[0] if change.documents else None
    if replayed and target is not None and target != doc_id:
        window.open_document(target)  # undo works across documents: show where it happened
        doc_id, drawn = target, True  # opening read it as it is now
    else:
        drawn = False
    if change.added_documents:
        window.navigator.refresh()
        if doc_id is None:
            window.open_document(change.added_documents[0])
            doc_id, drawn = change.added_documents[0], True
    if change.labels:
        window.build_label_actions()  # the label keys and the palette
        if doc_id is not None and _shows_any(window.view, change.labels):
            window.open_document(doc_id)  # its colours and names: read it again
            drawn = True
    here = doc_id is not None and not drawn and doc_id in change.documents
    if here and not draw(window.view, change):
        window.annotating.reload()
    elif here and change.rules:
        # A reject everywhere (or its undo) dropped (or brought back) suggestions here too.
        window.annotating.reload_suggestions()
    if doc_id is not None and change.rules:
        window.request_suggestions(doc_id)  # the rules changed: this document's are made again
    select_focus(window.view, change)
    window.view.refresh()
    if doc_id is not None and doc_id in change.statuses:
        window.doc = window.reread_head(doc_id)  # the status bar says "in progress" at once
    if change.rules:
        window.rule_actions.editor.rules_changed(change.rules)
    window.concordance.follow(change)
    # The article is painted first; the side table and the counts follow a moment later
    # (coalesced when keys come fast): repainting the table took half of each key's frame.
    window.schedule_refreshes(
        position=(bool(change.statuses) and replayed) or bool(change.added_documents)
    )


def _shows_any(view: ArticleView, labels: tuple[str, ...]) -> bool:
    names = set(labels)
    return any(item.label in names for item in view.overlay.items())


def draw(view: ArticleView, change: Change) -> bool:
    """Draw and remove what the change lists in the open document; False when it is too much to
    draw item by item (the caller re-reads the document)."""
    if len(change.spans) + len(change.removed_spans) + len(change.suggestions) > BULK:
        return False
    if len(change.documents) > 1:
        return False  # a span does not say its document: read the open one again
    overlay = view.overlay
    for removed in change.removed_spans:
        if removed.id is not None:
            overlay.remove(SPAN, removed.id)
    for span in change.spans:
        if span.id is not None:
            overlay.add_span(span)
    for suggestion in change.suggestions:
        if suggestion.id is None:
            continue
        if suggestion.state == SuggestionState.PENDING:
            overlay.add_suggestion(suggestion)
        else:
            overlay.remove(SUGGESTION, suggestion.id)
    return True


def select_focus(view: ArticleView, change: Change) -> None:
    """Select what the change made or touched; a thing it removed leaves the caret in its place.

    A change without a focus keeps the selection when its item is still there."""
    focus = change.focus
    overlay = view.overlay
    if focus is not None and focus.id is not None:
        kind = SPAN if isinstance(focus, Span) else SUGGESTION
        item = overlay.get(kind, focus.id)
        if item is not None:
            view.select_item(item)
            return
        if isinstance(focus, Span | Suggestion):
            view.select_item(None)
            view.select_offsets(focus.start, focus.start)
            return
    selected = view.selected
    if selected is not None and overlay.get(selected.kind, selected.id) is None:
        view.select_item(None)
