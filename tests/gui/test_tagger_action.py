"""Rules > Train the tagger on my spans (Ctrl+Shift+T): trained in the background, saved as one
undo step, the status bar says when it is done, the open document gets the tagger's suggestions."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.model import Document
from annotator.gui import create_main_window
from annotator.workspace import TAGGER_RULE, Workspace
from tests.gui.conftest import settled

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
NAMES = ["Ahmad", "Siti", "Rudi", "Dewi", "Hendra", "Rina", "Agus", "Wati"]
UNSEEN = "Menurut Bambang , harga beras naik lagi .\nKemarin Bambang berkata begitu .\n"


def database(db_path, *, annotated: bool):
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.store.documents.insert([Document(text=UNSEEN, title="a new one")], annotator="x")
        for d, name in enumerate(NAMES if annotated else ()):
            text = f"Menurut {name} , harga beras naik lagi .\nKemarin {name} berkata begitu ."
            (doc_id,) = ws.store.documents.insert(
                [Document(text=text, title=f"d{d}")], annotator="x"
            )
            for at in (text.find(name), text.rfind(name)):
                ws.add_span(doc_id, at, at + len(name), "PERSON")
            ws.set_status(doc_id, "done")
    return db_path


def open_window(qtbot, db):
    win = create_main_window(str(db))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.view)
    return settled(qtbot, win)


def shown_suggestions(win) -> set[tuple[str, str | None]]:
    doc = win.workspace.document_for_view(win.doc.id)
    return {(s.text, s.rule) for s in doc[2]}


@pytest.fixture
def window(qtbot, db_path):
    win = open_window(qtbot, database(db_path, annotated=True))
    yield win
    trainer = win.rule_actions.tagger
    qtbot.waitUntil(lambda: trainer.task is None, timeout=30000)  # no thread left behind


def test_the_key_trains_in_the_background_and_the_status_bar_says_it_is_done(qtbot, window):
    win = window
    assert win.doc.title == "a new one"
    action = win.rule_actions.actions["train_tagger"]
    assert action in win.rule_actions.menu.actions() and "Ctrl+Shift+T" in action.toolTip()
    with qtbot.waitSignal(win.rule_actions.tagger.trained, timeout=30000) as done:
        qtbot.keyClick(win.view, Qt.Key.Key_T, CTRL_SHIFT)
        assert win.statusBar().currentMessage() == "Training the tagger on your spans…"
    assert done.args[0].rules == (TAGGER_RULE,)
    message = win.statusBar().currentMessage()
    assert message.startswith("Tagger trained on 16 spans in 8 documents (PERSON)")
    assert TAGGER_RULE in {r.name for r in win.workspace.rules()}
    settled(qtbot, win)
    qtbot.waitUntil(lambda: ("Bambang", TAGGER_RULE) in shown_suggestions(win), timeout=10000)
    win.undo()  # one undo step takes the rule back, and its suggestions with it
    assert TAGGER_RULE not in {r.name for r in win.workspace.rules()}
    settled(qtbot, win)
    qtbot.waitUntil(lambda: ("Bambang", TAGGER_RULE) not in shown_suggestions(win))


def test_the_menu_action_with_nothing_to_learn_says_why_and_changes_nothing(qtbot, db_path):
    win = open_window(qtbot, database(db_path, annotated=False))
    before = win.workspace.rules()
    with qtbot.waitSignal(win.rule_actions.tagger.trained, timeout=30000) as done:
        win.rule_actions.actions["train_tagger"].trigger()
    assert "no document is done or has spans yet" in done.args[0]
    assert win.statusBar().currentMessage().startswith("The tagger was not trained: no document")
    assert win.workspace.rules() == before
    qtbot.waitUntil(lambda: win.rule_actions.tagger.task is None)
