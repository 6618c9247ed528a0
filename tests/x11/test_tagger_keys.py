"""Under a real X server: Ctrl+Shift+T trains the tagger on the analyst's spans in the
background, the status bar says when it is done, and Ctrl+Z takes the trained rule back."""

from __future__ import annotations

import pytest

from annotator.workspace import TAGGER_RULE


def _accept_the_seeds_suggestions(ws) -> None:
    doc_id = ws.documents()[0].id
    ws.accept_many([s.id for _, s in ws.suggestions(doc_id) if s.label in ("PERSON", "LOC")])
    ws.set_status(doc_id, "done")


def _rules(window) -> set[str]:
    return {rule.name for rule in window.workspace.rules()}


@pytest.mark.action("train_tagger")
def test_the_tagger_is_trained_by_its_key_and_undone(open_window, seed_template, keys, qtbot):
    window = open_window(seed_template, _accept_the_seeds_suggestions)
    trainer = window.rule_actions.tagger
    keys.press_action("train_tagger", until=lambda: TAGGER_RULE in _rules(window), timeout=30000)
    assert window.statusBar().currentMessage().startswith("Tagger trained on ")
    qtbot.waitUntil(lambda: trainer.task is None)
    keys.press_action("undo", until=lambda: TAGGER_RULE not in _rules(window))
    assert window.statusBar().currentMessage().startswith("Undone: Train the tagger on ")
