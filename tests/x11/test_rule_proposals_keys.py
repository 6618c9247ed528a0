"""Under a real X server: Ctrl+Shift+I shows the rule proposals learned from the done documents;
Enter accepts the selected one (its rule is saved and suggests), x turns the next one down."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

FRIENDS = [
    "Ia bertemu sahabat Wiryo di pasar bersama Wiryo.",
    "Kami menyapa sahabat Darsono pagi itu. Darsono tersenyum.",
    "Mereka menunggu sahabat Kartolo sejak siang.",
]


def _done_friends(ws) -> None:
    from annotator.core.model import Document, DocumentStatus

    docs = [Document(text=t, title=f"friend {i}") for i, t in enumerate(FRIENDS)]
    for doc_id, text in zip(ws.store.documents.insert(docs, annotator="x"), FRIENDS, strict=True):
        name = text.split("sahabat ")[1].split()[0]
        at = -1
        while (at := text.find(name, at + 1)) >= 0:
            ws.add_span(doc_id, at, at + len(name), "PERSON")
        ws.set_status(doc_id, DocumentStatus.DONE)


@pytest.mark.action("rule_proposals")
def test_proposals_are_accepted_with_enter_and_turned_down_with_x(
    open_window, seed_template, keys, qtbot, read_db
):
    window = open_window(seed_template, _done_friends)
    widget = window.rule_proposals.widget
    keys.press_action("rule_proposals", until=lambda: window.rule_proposals.dock.isVisible())
    qtbot.waitUntil(lambda: widget.task is None and bool(widget.model.rows), timeout=30000)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget.table)
    names = [p.rule.name for p in widget.model.rows]
    assert "induced-person-after-sahabat" in names and "induced-terms-person" in names

    first = names[0]  # selected when they arrive
    keys.press("Return", until=lambda: first in read_db(window).rules)
    assert read_db(window).rules[first].enabled
    assert first not in {p.rule.name for p in widget.model.rows}

    second = widget.model.rows[0].rule.name
    # A turned-down rule is kept switched off; turned-down terms go to a "-declined" term list.
    kept = f"{second}-declined" if second.startswith("induced-terms-") else second
    keys.press("x", until=lambda: kept in read_db(window).rules)
    assert not read_db(window).rules[kept].enabled
    assert window.statusBar().currentMessage().startswith(f"Turned down {second}")
