"""The "Rule proposals" dock on a real database, driven with the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.core.model import Document, DocumentStatus
from annotator.workspace import Workspace
from tests.gui.conftest import opened, settled

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
LATER = "Kemarin sahabat Sumirah datang bersama rekan."
FRIENDS = [
    "Ia bertemu sahabat Wiryo di pasar bersama Wiryo.",
    "Kami menyapa sahabat Darsono pagi itu. Darsono tersenyum.",
    "Mereka menunggu sahabat Kartolo sejak siang.",
]


@pytest.fixture
def friends_db(db_path):
    with Workspace.open(db_path, annotator="tester") as ws:
        docs = [Document(text=t, title=f"t{i}") for i, t in enumerate([LATER, *FRIENDS])]
        ids = ws.store.documents.insert(docs, annotator="x")
        for doc_id, text in zip(ids[1:], FRIENDS, strict=True):
            name = text.split("sahabat ")[1].split()[0]
            at = -1
            while (at := text.find(name, at + 1)) >= 0:
                ws.add_span(doc_id, at, at + len(name), "PERSON")
            ws.set_status(doc_id, DocumentStatus.DONE)
    return db_path


@pytest.fixture
def window(qtbot, friends_db):
    win = opened(qtbot, friends_db)
    yield win
    win.rule_proposals.widget.stop()


def _shown(qtbot, window):
    """Ctrl+Shift+I from the article; waits for the proposals to be computed."""
    widget = window.rule_proposals.widget
    with qtbot.waitSignal(widget.computed, timeout=30000):
        qtbot.keyClick(window.view, Qt.Key.Key_I, CTRL_SHIFT)
    assert window.rule_proposals.dock.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget.table)
    return widget


def _select(widget, needle: str) -> str:
    row = next(i for i, p in enumerate(widget.model.rows) if needle in p.summary)
    widget.table.selectRow(row)
    return widget.model.rows[row].rule.name


def _pending(window, doc_id: int) -> set[tuple[str, str]]:
    return {(s.text, s.label) for _, s in window.workspace.suggestions(doc_id)}


def test_the_dock_lists_proposals_with_their_figures(qtbot, window):
    widget = _shown(qtbot, window)
    model = widget.model
    assert model.columnCount() == 7
    row = next(i for i, p in enumerate(model.rows) if '"sahabat"' in p.summary)
    cells = [model.index(row, c).data() for c in range(7)]
    assert cells[:2] == ["context", "PERSON"]
    assert cells[3:] == ["100%", 3, 3, 4]  # 3 of 3 on the done documents, 4 in the corpus
    terms = next(p for p in model.rows if p.kind == "terms")
    assert {"Wiryo", "Darsono"} <= set(terms.rule.pattern["terms"])


def test_enter_accepts_and_the_open_document_gets_its_suggestion_then_undo(qtbot, window):
    later = window.doc.id
    assert ("Sumirah", "PERSON") not in _pending(window, later)
    widget = _shown(qtbot, window)
    name = _select(widget, '"sahabat"')
    rows = len(widget.model.rows)
    qtbot.keyClick(widget.table, Qt.Key.Key_Return)
    assert len(widget.model.rows) == rows - 1
    assert window.workspace.rule(name).enabled
    settled(qtbot, window)
    qtbot.waitUntil(lambda: ("Sumirah", "PERSON") in _pending(window, later), timeout=20000)

    window.undo()
    assert name not in {r.name for r in window.workspace.rules()}
    settled(qtbot, window)
    qtbot.waitUntil(lambda: ("Sumirah", "PERSON") not in _pending(window, later), timeout=20000)


def test_x_turns_down_and_it_is_not_proposed_again(qtbot, window):
    widget = _shown(qtbot, window)
    name = _select(widget, '"sahabat"')
    qtbot.keyClick(widget.table, Qt.Key.Key_X)
    assert not window.workspace.rule(name).enabled
    assert name not in {p.rule.name for p in widget.model.rows}
    with qtbot.waitSignal(widget.computed, timeout=30000):
        widget.refresh()
    assert name not in {p.rule.name for p in widget.model.rows}


def test_e_opens_the_proposal_switched_off_in_the_rule_editor(qtbot, window):
    widget = _shown(qtbot, window)
    name = _select(widget, '"sahabat"')
    qtbot.keyClick(widget.table, Qt.Key.Key_E)
    editor = window.rule_actions.editor
    assert window.rule_actions.dock.isVisible()
    assert editor.stored is not None and editor.stored.name == name
    assert not window.workspace.rule(name).enabled
