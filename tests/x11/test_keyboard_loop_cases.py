"""The keyboard loop's cases on a real X server: no duplicate work, existing spans by keyboard,
a status bar that is never stale, label tags. Keys through xdotool, results from the database."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor

SEED_DOC = 1
RUSIA = (28, 33, "LOC", "Rusia")  # the first word of the title line
AS = (61, 63, "LOC", "AS")
PUTIN = (166, 180, "PERSON", "Vladimir Putin")


def at_key(item):
    return (item.start, item.end, item.label, item.text)


def x_of(view, offset):
    """Where a character is drawn, from the view's left edge (the tag gutter included)."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.overlay.map.to_qt(offset))
    return view.viewport().mapTo(view, view.cursorRect(cursor).topLeft()).x()


def select_title_word(window, keys):
    """Ctrl+Home, Down, Down, then Ctrl+Shift+Right: "Rusia" (with the space after it) selected by
    keys."""
    keys.press("ctrl+Home", "Down", "Down", until=lambda: window.view.caret_offset() == RUSIA[0])
    keys.press("ctrl+shift+Right", until=lambda: window.view.selection_offsets()[1] > RUSIA[0])


def test_labelling_what_a_rule_proposed_accepts_it_and_tab_never_visits_it(window, keys, read_db):
    suggestion = next(
        i for i in window.view.overlay.items() if i.kind == "suggestion" and at_key(i) == RUSIA
    )
    pending = window.view.overlay.pending_count()
    select_title_word(window, keys)
    keys.press("3", until=lambda: window.view.selected is not None)  # LOC, as the rule proposed
    db = read_db(window)
    assert (*RUSIA, "manual") in db.spans[SEED_DOC]
    assert db.state_of(suggestion.id) == "accepted"
    assert window.view.overlay.pending_count() == pending - 1
    keys.press("ctrl+Home")
    for _ in range(4):
        keys.press(
            "Tab",
            until=lambda: (
                window.view.selected is not None and window.view.selected.kind == "suggestion"
            ),
        )
        assert at_key(window.view.selected) != RUSIA


def test_a_new_span_is_selected_so_a_brace_fixes_it_at_once(window, keys, read_db):
    keys.press(
        "ctrl+Home", "ctrl+shift+Right", until=lambda: window.view.selection_offsets()[1] > 0
    )  # "Ahad"
    keys.press(
        "d", until=lambda: window.view.selected is not None and window.view.selected.kind == "span"
    )
    keys.press(
        "braceright",
        until=lambda: window.view.selected is not None and window.view.selected.end > 4,
    )
    assert (0, 7, "DATE", "Ahad 25", "manual") in read_db(window).spans[SEED_DOC]


def test_a_found_text_that_is_exactly_a_span_selects_it_and_delete_removes_it(
    window, keys, read_db
):
    select_title_word(window, keys)
    keys.press("1", until=lambda: window.view.selected is not None)  # PERSON "Rusia": a span now
    keys.press("Escape", "ctrl+Home", until=lambda: window.view.selected is None)
    keys.press("ctrl+f", until=lambda: window.find_bar.isVisible())
    # The first "Rusia" from the top is the span's text: found, it is the span that is selected.
    keys.type("rusia", until=lambda: window.view.selection_offsets() == RUSIA[:2])
    keys.press("Escape", until=lambda: not window.find_bar.isVisible())
    assert window.view.selected is not None and window.view.selected.kind == "span"
    assert at_key(window.view.selected)[:2] == RUSIA[:2]
    keys.press("Delete", until=lambda: window.view.selected is None)
    assert (RUSIA[0], RUSIA[1], "PERSON", "Rusia", "manual") not in read_db(window).spans[SEED_DOC]


def test_rejecting_as_everywhere_leaves_barrack_obama_as_he_was(window, keys, read_db, qtbot):
    keys.press("ctrl+Home")
    for _ in range(8):
        keys.press("Tab", until=lambda: window.view.selected is not None)
        if at_key(window.view.selected) == AS:
            break
    assert at_key(window.view.selected) == AS
    keys.press("shift+x", until=lambda: window.view.selected is None)
    qtbot.waitUntil(lambda: not window.making_suggestions(), timeout=20000)
    pending = read_db(window).pending(SEED_DOC)
    people = {p[3] for p in pending if p[2] == "PERSON" and "Obama" in p[3]}
    assert people == {"Barrack Obama"}
    assert not [p for p in pending if p[3] == "AS" and p[2] == "LOC"]


def test_a_span_covering_a_suggestion_of_its_label_takes_it_off_the_work(window, keys, read_db):
    suggestion = next(
        i for i in window.view.overlay.items() if i.kind == "suggestion" and at_key(i) == PUTIN
    )
    pending = window.view.overlay.pending_count()
    window.view.select_offsets(PUTIN[0] + len("Vladimir "), PUTIN[0] + len("Vladimir "))
    keys.press("ctrl+shift+Right", until=lambda: window.view.selection_offsets()[1] > PUTIN[0] + 9)
    keys.press(
        "p", until=lambda: window.view.selected is not None and window.view.selected.kind == "span"
    )
    assert window.view.overlay.get("suggestion", suggestion.id).covered
    assert f"{pending - 1} pending (+1 covered)" in window.position_label.text()
    assert read_db(window).documents[0].pending_suggestions == pending - 1


def test_the_status_bar_says_done_when_the_only_document_is_marked_done(window, keys, read_db):
    keys.press("ctrl+Return", until=lambda: "done" in window.statusBar().currentMessage())
    assert read_db(window).status[SEED_DOC] == "done"
    assert "  done  " in window.position_label.text()


def test_the_position_follows_the_list_filter(three_docs, keys):
    keys.press("ctrl+l", until=lambda: three_docs.navigator.filter.hasFocus())
    keys.type("zzzz", until=lambda: three_docs.navigator.model.rowCount() == 0)
    keys.press("ctrl+a", "BackSpace", until=lambda: three_docs.navigator.model.rowCount() == 3)
    keys.press("Escape")
    assert "Document 1 of 3" in three_docs.position_label.text()


def test_ctrl_t_takes_the_tags_and_their_room_away(window, keys):
    select_title_word(window, keys)
    keys.press("3", until=lambda: window.view.selected is not None)
    tawarkan = RUSIA[1] + 1
    with_tags = x_of(window.view, tawarkan)
    keys.press("ctrl+t", until=lambda: not window.view.label_tags)
    # A span that starts its line has its tag in the margin: the text moves left with it.
    assert x_of(window.view, tawarkan) < with_tags
    keys.press("ctrl+t", until=lambda: window.view.label_tags)
    assert x_of(window.view, tawarkan) == with_tags
