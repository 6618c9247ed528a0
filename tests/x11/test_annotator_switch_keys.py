"""Under a real X server: File > Switch annotator… (Ctrl+Alt+A). Typing a name and Enter switches
to it: on a document assigned to that annotator the window shows their own layer only (blind),
the navigator their documents; Esc switches nothing."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from annotator.gui.annotator_switch import AnnotatorDialog


def _team(ws):
    """ana and budi both have the seed article; budi marked a span in his own layer."""
    doc = ws.documents()[0].id
    ws.add_annotator("ana", "Ana Suryani")
    ws.add_annotator("budi")
    ws.assign([doc], ["ana", "budi"])
    ws.annotator = "budi"
    ws.add_span(doc, 0, 6, "PERSON")


def _dialog():
    found = QApplication.activeModalWidget()
    return found if isinstance(found, AnnotatorDialog) and found.isVisible() else None


@pytest.mark.action("switch_annotator")
def test_typing_a_name_and_enter_switch_to_that_annotators_own_layer(
    open_window, three_docs_template, keys
):
    window = open_window(three_docs_template, _team)
    doc = window.doc.id
    assert window.navigator.model.rowCount() == 3
    keys.press_action("switch_annotator", until=_dialog)
    dialog = _dialog()
    keys.focus(dialog, focus_widget=dialog.name_edit)
    keys.type("ana")
    keys.press("Return", until=lambda: window.workspace.annotator == "ana")
    assert window.doc.id == doc
    assert "Ana Suryani, own layer" in window.windowTitle()
    # Blind: budi's span is in his layer, not hers; the navigator shows her one document.
    assert window.view.overlay.span_count() == 0
    assert window.navigator.only_mine.isVisible()
    assert window.navigator.ordered_ids() == [doc]


def test_esc_switches_nothing(open_window, three_docs_template, keys):
    window = open_window(three_docs_template, _team)
    before = window.workspace.annotator
    keys.press_action("switch_annotator", until=_dialog)
    dialog = _dialog()
    keys.focus(dialog, focus_widget=dialog.name_edit)
    keys.type("budi")
    keys.press("Escape", until=lambda: _dialog() is None)
    assert window.workspace.annotator == before
