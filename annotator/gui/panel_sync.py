"""The annotation table follows the article: what the overlay's journal says changed, and the
selection."""

from __future__ import annotations

from annotator.gui.annotation_panel import AnnotationPanel
from annotator.gui.article_view import ArticleView
from annotator.gui.overlay import SPAN, SUGGESTION


def follow_view(panel: AnnotationPanel, view: ArticleView) -> None:
    """Bring the table in line with the view, touching only the rows that changed."""
    overlay = view.overlay
    changes = overlay.drain_journal()
    hidden = view.hide_covered
    if changes and changes[0][0] == "reset":
        items = overlay.items()
        panel.set_items(
            [i for i in items if i.kind == SPAN],
            [i for i in items if i.kind == SUGGESTION and not (hidden and i.covered)],
            {name: colour.name() for name, colour in view.colours.items()},
        )
        changes = changes[1:]
    for op, item in changes:
        if item is None:
            continue
        if op == "add":
            if not (hidden and item.covered):
                panel.add_item(item)
        else:
            panel.remove_item(item.kind, item.id)
    if view.selected is not None:
        panel.select_item(view.selected.kind, view.selected.id)
