"""The Annotate, Edit and View keys and the label keys, pressed through the X server.

Each test starts from a fresh window on the seed article and reads the result back
from the database file with a Workspace of its own (the window commits before it shows).
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from annotator.gui.keymap import BY_ID
from annotator.shipped_data import default_labels

SEED_DOC = 1
# Spots of the seed article (code-point offsets), with their pending suggestions.
OBAMA = (133, 146, "PERSON", "Barrack Obama")  # "Presiden AS Barrack Obama dan Presiden Rusia ..."
PUTIN = (166, 180, "PERSON", "Vladimir Putin")
LAVROV = (311, 324, "PERSON", "Sergey Lavrov")
RUSIA = (28, 33, "LOC", "Rusia")  # the second suggestion; "Rusia" is suggested many times over
LABELS = sorted(default_labels(), key=lambda label: label.order)


def keys_of(action_id):
    """One pytest param per default key of an action ("reject": X and Backspace)."""
    return [pytest.param(i, id=key) for i, key in enumerate(BY_ID[action_id].keys)]


def item_key(item):
    return (item.start, item.end, item.label, item.text)


def select_suggestion(window, keys, read_db, target):
    """Tab (next suggestion) until the suggestion ``target`` is selected; returns the view's
    item."""
    order = read_db(window).pending(SEED_DOC)
    position = [p[:4] for p in order].index(target)
    keys.press(
        *["Tab"] * (position + 1),
        until=lambda: window.view.selected is not None and item_key(window.view.selected) == target,
    )
    assert window.view.selected.kind == "suggestion"
    return window.view.selected


def with_spans(*spans):
    """A ``prepare`` for open_window: spans an analyst made earlier."""

    def prepare(ws):
        for start, end, label, _text in spans:
            ws.add_span(SEED_DOC, start, end, label)

    return prepare


def select_span(window, keys, target):
    """Ctrl+Tab (next span) until the span ``target`` is selected."""
    for _ in range(5):
        before = window.view.selected
        keys.press(
            "ctrl+Tab", until=lambda before=before: window.view.selected not in (None, before)
        )
        if item_key(window.view.selected) == target:
            assert window.view.selected.kind == "span"
            return window.view.selected
    raise AssertionError(f"Ctrl+Tab never selected {target}")


# -- label keys: 1..9 by the schema's order, and each label's letter -------------------------------


@pytest.mark.parametrize(
    "number", range(1, len(LABELS) + 1), ids=[f"key-{n}" for n in range(1, len(LABELS) + 1)]
)
def test_number_key_labels_the_selection(window, keys, read_db, number):
    label = LABELS[number - 1].name
    keys.press("ctrl+shift+Right", until=lambda: window.view.selection_offsets()[1] > 0)  # "Ahad"
    keys.press(str(number), until=lambda: window.view.selected is not None)
    assert (0, 4, label, "Ahad", "manual") in read_db(window).spans[SEED_DOC]


@pytest.mark.parametrize("label", LABELS, ids=[f"letter-{label.hotkey}" for label in LABELS])
def test_letter_key_labels_the_selection(window, keys, read_db, label):
    assert label.hotkey, "every default label has a letter"
    keys.press("ctrl+shift+Right", until=lambda: window.view.selection_offsets()[1] > 0)
    keys.press(label.hotkey.lower(), until=lambda: window.view.selected is not None)
    assert (0, 4, label.name, "Ahad", "manual") in read_db(window).spans[SEED_DOC]


def test_label_key_on_a_suggestion_corrects_its_label(window, keys, read_db):
    item = select_suggestion(window, keys, read_db, RUSIA)
    keys.press(
        "o", until=lambda: window.view.selected is not None and window.view.selected.kind == "span"
    )
    db = read_db(window)
    assert db.state_of(item.id) == "corrected"
    assert (28, 33, "ORG", "Rusia", "rule") in db.spans[SEED_DOC]


# -- suggestions -----------------------------------------------------------------------------------


@pytest.mark.action("next_suggestion")
def test_next_suggestion(window, keys, read_db):
    pending = read_db(window).pending(SEED_DOC)
    keys.press_action("next_suggestion", until=lambda: window.view.selected is not None)
    assert item_key(window.view.selected) == pending[0][:4]
    first = window.view.selected
    keys.press_action("next_suggestion", until=lambda: window.view.selected is not first)
    assert window.view.selected.kind == "suggestion"
    assert item_key(window.view.selected) == pending[1][:4]
    assert QApplication.focusWidget() is window.view


@pytest.mark.action("previous_suggestion")
def test_previous_suggestion(window, keys, read_db):
    pending = read_db(window).pending(SEED_DOC)
    keys.press(
        "Tab",
        "Tab",
        until=lambda: (
            window.view.selected is not None and item_key(window.view.selected) == pending[1][:4]
        ),
    )
    second = window.view.selected
    keys.press_action("previous_suggestion", until=lambda: window.view.selected is not second)
    assert item_key(window.view.selected) == pending[0][:4]
    assert (
        QApplication.focusWidget() is window.view
    )  # Shift+Tab did not move the focus out of the text


@pytest.mark.action("accept")
@pytest.mark.parametrize("key", keys_of("accept"))
def test_accept(window, keys, read_db, key):
    item = select_suggestion(window, keys, read_db, OBAMA)
    keys.press_action(
        "accept",
        index=key,
        until=lambda: window.view.selected is not None and window.view.selected.kind == "span",
    )
    db = read_db(window)
    assert db.state_of(item.id) == "accepted"
    assert (*OBAMA, "rule") in db.spans[SEED_DOC]


@pytest.mark.action("reject")
@pytest.mark.parametrize("key", keys_of("reject"))
def test_reject(window, keys, read_db, key):
    item = select_suggestion(window, keys, read_db, OBAMA)
    keys.press_action("reject", index=key, until=lambda: window.view.selected is None)
    db = read_db(window)
    assert db.state_of(item.id) == "rejected"
    assert db.spans[SEED_DOC] == []
    assert window.view.text == window.workspace.document(SEED_DOC).text  # nothing typed or deleted


@pytest.mark.action("reject_everywhere")
def test_reject_everywhere_adds_an_exception_to_the_rule(window, keys, read_db):
    before = read_db(window)
    rusia = [p for p in before.pending(SEED_DOC) if p[2:4] == ("LOC", "Rusia")]
    assert len(rusia) > 3
    item = select_suggestion(window, keys, read_db, RUSIA)
    rule = before.suggestions["pending"][item.id][5]
    keys.press_action("reject_everywhere", until=lambda: window.view.selected is None)
    db = read_db(window)
    assert db.state_of(item.id) == "rejected"
    assert "Rusia" in db.rules[rule].exceptions
    assert [p for p in db.pending(SEED_DOC) if p[2:4] == ("LOC", "Rusia")] == []
    assert ("LOC", "Rusia") not in {
        (i.label, i.text) for i in window.view.overlay.items() if i.kind == "suggestion"
    }


@pytest.mark.action("accept_all")
def test_accept_all(window, keys, read_db):
    pending = read_db(window).pending(SEED_DOC)
    keys.press_action("accept_all", until=lambda: window.view.overlay.pending_count() == 0)
    db = read_db(window)
    assert db.pending(SEED_DOC) == []
    assert {p[:4] for p in pending} <= {s[:4] for s in db.spans[SEED_DOC]}


@pytest.mark.action("clear_selection")
def test_clear_selection(window, keys, read_db):
    select_suggestion(window, keys, read_db, OBAMA)
    keys.press_action("clear_selection", until=lambda: window.view.selected is None)
    assert not window.view.textCursor().hasSelection()
    assert window.find_bar.isHidden()


# -- spans -----------------------------------------------------------------------------------------


@pytest.mark.action("next_span")
def test_next_span(open_window, seed_template, keys):
    window = open_window(seed_template, prepare=with_spans(OBAMA, PUTIN))
    keys.press_action("next_span", until=lambda: window.view.selected is not None)
    assert window.view.selected.kind == "span" and item_key(window.view.selected) == OBAMA
    first = window.view.selected
    keys.press_action("next_span", until=lambda: window.view.selected is not first)
    assert window.view.selected.kind == "span" and item_key(window.view.selected) == PUTIN
    assert QApplication.focusWidget() is window.view  # Ctrl+Tab did not move the focus


@pytest.mark.action("previous_span")
def test_previous_span(open_window, seed_template, keys):
    window = open_window(seed_template, prepare=with_spans(OBAMA, PUTIN))
    select_span(window, keys, OBAMA)
    select_span(window, keys, PUTIN)
    second = window.view.selected
    keys.press_action("previous_span", until=lambda: window.view.selected is not second)
    assert window.view.selected.kind == "span" and item_key(window.view.selected) == OBAMA
    assert QApplication.focusWidget() is window.view


# "Presiden AS Barrack Obama dan Presiden": one token each way, from either edge.
BOUNDARIES = {
    "start_left": (121 + len("Presiden "), 146, "AS Barrack Obama"),
    "start_right": (141, 146, "Obama"),
    "end_left": (133, 140, "Barrack"),
    "end_right": (133, 150, "Barrack Obama dan"),
}


BOUNDARY_PARAMS = [pytest.param(a, marks=pytest.mark.action(a), id=a) for a in BOUNDARIES]


@pytest.mark.parametrize("action_id", BOUNDARY_PARAMS)
def test_boundary_key_on_a_suggestion(window, keys, read_db, action_id):
    item = select_suggestion(window, keys, read_db, OBAMA)
    keys.press_action(
        action_id,
        until=lambda: window.view.selected is not None and window.view.selected.kind == "span",
    )
    start, end, text = BOUNDARIES[action_id]
    db = read_db(window)
    assert db.state_of(item.id) == "corrected"
    assert db.spans[SEED_DOC] == [(start, end, "PERSON", text, "rule")]
    assert (window.view.selected.start, window.view.selected.end) == (start, end)


@pytest.mark.parametrize("action_id", BOUNDARY_PARAMS)
def test_boundary_key_on_a_span(open_window, seed_template, keys, read_db, action_id):
    window = open_window(seed_template, prepare=with_spans(OBAMA))
    select_span(window, keys, OBAMA)
    start, end, text = BOUNDARIES[action_id]
    keys.press_action(
        action_id,
        until=lambda: (
            window.view.selected is not None
            and (window.view.selected.start, window.view.selected.end) == (start, end)
        ),
    )
    assert read_db(window).spans[SEED_DOC] == [(start, end, "PERSON", text, "manual")]


@pytest.mark.action("delete_span")
def test_delete_span(open_window, seed_template, keys, read_db):
    window = open_window(seed_template, prepare=with_spans(OBAMA, PUTIN))
    select_span(window, keys, OBAMA)
    keys.press_action("delete_span", until=lambda: window.view.selected is None)
    assert read_db(window).spans[SEED_DOC] == [(*PUTIN, "manual")]
    assert window.view.text == window.workspace.document(SEED_DOC).text


@pytest.mark.action("remember")
def test_remember_makes_a_learned_term(open_window, seed_template, keys, read_db):
    window = open_window(seed_template, prepare=with_spans(LAVROV))
    select_span(window, keys, LAVROV)
    keys.press_action("remember", until=lambda: "Remembered" in window.statusBar().currentMessage())
    rule = read_db(window).rules.get("learned-PERSON")
    assert rule is not None, "R made no learned-PERSON rule"
    assert "Sergey Lavrov" in [t if isinstance(t, str) else t[0] for t in rule.pattern["terms"]]


# -- undo, redo ------------------------------------------------------------------------------------


@pytest.mark.action("undo")
def test_undo(window, keys, read_db):
    item = select_suggestion(window, keys, read_db, OBAMA)
    keys.press(
        "Return",
        until=lambda: window.view.selected is not None and window.view.selected.kind == "span",
    )
    assert read_db(window).state_of(item.id) == "accepted"
    keys.press_action("undo", until=lambda: "Undone" in window.statusBar().currentMessage())
    db = read_db(window)
    assert db.state_of(item.id) == "pending"
    assert db.spans[SEED_DOC] == []


@pytest.mark.action("redo")
@pytest.mark.parametrize("key", keys_of("redo"))
def test_redo(window, keys, read_db, key):
    item = select_suggestion(window, keys, read_db, OBAMA)
    keys.press(
        "Return",
        until=lambda: window.view.selected is not None and window.view.selected.kind == "span",
    )
    keys.press("ctrl+z", until=lambda: "Undone" in window.statusBar().currentMessage())
    assert read_db(window).state_of(item.id) == "pending"
    keys.press_action(
        "redo", index=key, until=lambda: "Redone" in window.statusBar().currentMessage()
    )
    db = read_db(window)
    assert db.state_of(item.id) == "accepted"
    assert db.spans[SEED_DOC] == [(*OBAMA, "rule")]


# -- view ------------------------------------------------------------------------------------------


@pytest.mark.action("toggle_label_tags")
def test_toggle_label_tags(window, keys):
    if not hasattr(window.view, "label_tags"):
        pytest.xfail("label tags not landed")
    shown = window.view.label_tags
    keys.press_action("toggle_label_tags", until=lambda: window.view.label_tags is not shown)
    keys.press_action("toggle_label_tags", until=lambda: window.view.label_tags is shown)
    assert QApplication.focusWidget() is window.view
