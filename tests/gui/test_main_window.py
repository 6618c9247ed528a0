"""The real window driven with the keyboard, as an analyst would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.gui import create_main_window
from annotator.workspace import Workspace
from tests.gui.conftest import settled

TEXT_A = (
    "Presiden Rusia Vladimir Putin bertemu Menteri Luar Negeri Amerika Serikat John Kerry "
    "di Moskow pada Sabtu (24/10). Putin mengatakan Rusia siap bekerja sama.\n"
)
TEXT_B = "Jokowi berkunjung ke Surabaya. Gubernur Jawa Timur menyambutnya di Surabaya.\n"


@pytest.fixture
def corpus_db(tmp_path, db_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (folder / "b.txt").write_text(TEXT_B, encoding="utf-8")
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([folder / "a.txt"])
        ws.import_paths([folder / "b.txt"])
    return db_path


@pytest.fixture
def window(qtbot, corpus_db):
    win = create_main_window(str(corpus_db))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.view)
    return settled(qtbot, win)


def spans_in_db(db, doc_index=0):
    with Workspace.open(db, annotator="tester") as ws:
        doc_id = ws.documents()[doc_index].id
        return sorted((s.start, s.end, s.label, s.text) for s in ws.document(doc_id).spans)


def pending_in_db(db, doc_index=0):
    with Workspace.open(db, annotator="tester") as ws:
        doc_id = ws.documents()[doc_index].id
        return sorted((s.start, s.end, s.label, s.text) for _, s in ws.suggestions(doc_id))


def find(qtbot, win, query):
    qtbot.keyClick(win.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert win.find_bar.isVisible()
    qtbot.keyClicks(QApplication.focusWidget(), query)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is win.view


def test_opens_first_document_with_focus_on_the_text(window):
    assert window.view.text == TEXT_A
    assert window.doc.title
    assert "Document 1 of 2" in window.position_label.text()


def test_the_document_list_counts_the_suggestions_made_on_opening(qtbot, window, corpus_db):
    def listed_pending(doc_index):
        model = window.navigator.model
        return model.index(model.row_of(window.workspace.documents()[doc_index].id), 4).data()

    assert (
        listed_pending(0)
        == window.view.overlay.pending_count()
        == len(pending_in_db(corpus_db))
        > 0
    )
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.view.text == TEXT_B
    settled(qtbot, window)  # the suggestions are made off the GUI thread
    assert (
        listed_pending(1)
        == window.view.overlay.pending_count()
        == len(pending_in_db(corpus_db, 1))
        > 0
    )


def test_tag_by_find_and_number_key_then_undo_redo(qtbot, window, corpus_db):
    find(qtbot, window, "john ker")  # partial word: snapped to "John Kerry"
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    start = TEXT_A.index("John Kerry")
    assert (start, start + len("John Kerry"), "PERSON", "John Kerry") in spans_in_db(corpus_db)
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert (start, start + 10, "PERSON", "John Kerry") not in spans_in_db(corpus_db)
    qtbot.keyClick(
        window.view,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert (start, start + 10, "PERSON", "John Kerry") in spans_in_db(corpus_db)


def test_letter_hotkey_applies_its_label(qtbot, window, corpus_db):
    find(qtbot, window, "Moskow")
    qtbot.keyClick(window.view, Qt.Key.Key_L)
    start = TEXT_A.index("Moskow")
    assert (start, start + 6, "LOC", "Moskow") in spans_in_db(corpus_db)


def test_tab_enter_accepts_and_tab_x_rejects(qtbot, window, corpus_db):
    pending = pending_in_db(corpus_db)
    assert len(pending) >= 2, "the default rules suggest on open"
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    first = window.view.selected
    assert first is not None and first.kind == "suggestion"
    assert (first.start, first.end) == pending[0][:2]
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    assert (first.start, first.end, first.label, first.text) in spans_in_db(corpus_db)
    assert (first.start, first.end, first.label, first.text) not in pending_in_db(corpus_db)
    assert QApplication.focusWidget() is window.view

    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    second = window.view.selected
    assert second is not None and second.kind == "suggestion" and second.id != first.id
    qtbot.keyClick(window.view, Qt.Key.Key_X)
    assert (second.start, second.end, second.label, second.text) not in pending_in_db(corpus_db)
    assert (second.start, second.end, second.label, second.text) not in spans_in_db(corpus_db)
    with Workspace.open(corpus_db, annotator="tester") as ws:
        states = {s.id: s.state for _, s in ws.suggestions(states=("accepted", "rejected"))}
    assert states[first.id] == "accepted" and states[second.id] == "rejected"


def tab_to(qtbot, win, text):
    for _ in range(30):
        qtbot.keyClick(win.view, Qt.Key.Key_Tab)
        if win.view.selected is not None and win.view.selected.text == text:
            return win.view.selected
    raise AssertionError(f"no suggestion {text!r}")


def test_boundary_keys_correct_a_suggestion(qtbot, window, corpus_db):
    item = tab_to(qtbot, window, "Vladimir Putin")
    qtbot.keyClick(window.view, Qt.Key.Key_BracketRight)  # start one token right: a corrected span
    putin = TEXT_A.index("Putin")
    assert (putin, putin + 5, "PERSON", "Putin") in spans_in_db(corpus_db)
    with Workspace.open(corpus_db, annotator="tester") as ws:
        assert ws.suggestions(states=("corrected",))[0][1].id == item.id
    qtbot.keyClick(window.view, Qt.Key.Key_BracketLeft)  # and back: the span itself moves
    assert spans_in_db(corpus_db) == [(item.start, item.end, "PERSON", "Vladimir Putin")]
    # Offscreen, Qt knows no keyboard layout: "}" arrives as the bare key. The real path (Shift
    # held, through X11 and xkb) is tests/x11's.
    qtbot.keyClick(window.view, Qt.Key.Key_BraceRight)  # end one token right
    assert spans_in_db(corpus_db) == [
        (item.start, item.end + len(" bertemu"), "PERSON", "Vladimir Putin bertemu")
    ]
    qtbot.keyClick(window.view, Qt.Key.Key_BraceLeft)
    assert spans_in_db(corpus_db) == [(item.start, item.end, "PERSON", "Vladimir Putin")]


def test_delete_and_relabel_a_span(qtbot, window, corpus_db):
    tab_to(qtbot, window, "Moskow")
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    at = TEXT_A.index("Moskow")
    qtbot.keyClick(window.view, Qt.Key.Key_2)  # the accepted span is selected: relabel it ORG
    assert spans_in_db(corpus_db) == [(at, at + 6, "ORG", "Moskow")]
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    assert spans_in_db(corpus_db) == []
    assert not [i for i in window.view.overlay.items() if i.kind == "span"]


def test_reject_everywhere_and_accept_all(qtbot, window, corpus_db):
    tab_to(qtbot, window, "Rusia")
    qtbot.keyClick(window.view, Qt.Key.Key_X, Qt.KeyboardModifier.ShiftModifier)
    assert "Rusia" not in {p[3] for p in pending_in_db(corpus_db)}
    assert "Rusia" not in {i.text for i in window.view.overlay.items()}
    settled(qtbot, window)  # the rule changed: this document's suggestions are made again
    remaining = pending_in_db(corpus_db)
    qtbot.keyClick(
        window.view,
        Qt.Key.Key_A,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert pending_in_db(corpus_db) == []
    assert set(remaining) <= set(spans_in_db(corpus_db))
    assert f"Accepted {len(remaining)}" in window.statusBar().currentMessage()


def test_next_document_and_mark_done(qtbot, window, corpus_db):
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.view.text == TEXT_B
    qtbot.keyClick(window.view, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.view.text == TEXT_A
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.view.text == TEXT_B
    with Workspace.open(corpus_db, annotator="tester") as ws:
        assert ws.documents()[0].status == "done"


def test_restart_keeps_spans_and_undo_history(qtbot, corpus_db):
    win = create_main_window(str(corpus_db))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.view)
    find(qtbot, win, "Moskow")
    qtbot.keyClick(win.view, Qt.Key.Key_3)
    win.close()
    start = TEXT_A.index("Moskow")
    span = (start, start + 6, "LOC", "Moskow")

    again = create_main_window(str(corpus_db))
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is again.view)
    shown = {(i.start, i.end, i.label) for i in again.view.overlay.items() if i.kind == "span"}
    assert span[:3] in shown
    qtbot.keyClick(again.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert span not in spans_in_db(corpus_db)
    shown = {(i.start, i.end, i.label) for i in again.view.overlay.items() if i.kind == "span"}
    assert span[:3] not in shown


def test_label_key_without_selection_changes_nothing(qtbot, window, corpus_db):
    before = spans_in_db(corpus_db)
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    assert spans_in_db(corpus_db) == before
    assert "Select" in window.statusBar().currentMessage()


def test_spans_land_on_the_right_characters_after_emoji_and_crlf(qtbot, tmp_path, db_path):
    import json

    text = "Halo 😀👍🏽 semua.\r\nMenurut e\u0301tienne, Jakarta 𝔘 ramai.\r\nLalu Bandung."
    path = tmp_path / "odd.jsonl"
    start = text.index("e\u0301tienne")
    path.write_text(
        json.dumps({"text": text, "spans": [{"start": start, "end": start + 8, "label": "PERSON"}]})
        + "\n",
        encoding="utf-8",
    )
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([path])
    win = create_main_window(str(db_path))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.view)
    assert win.view.text == text  # the store's text, CRLF kept
    # The imported span is drawn on exactly its characters in Qt's copy.
    item = next(i for i in win.view.overlay.items() if i.kind == "span")
    cursor = win.view.textCursor()
    cursor.setPosition(item.qt_start)
    cursor.setPosition(item.qt_end, cursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == "e\u0301tienne"
    for word, key, label in (("Bandung", Qt.Key.Key_3, "LOC"), ("Jakarta", Qt.Key.Key_L, "LOC")):
        find(qtbot, win, word)
        qtbot.keyClick(win.view, key)
        at = text.index(word)
        assert (at, at + len(word), label, word) in spans_in_db(db_path)


def test_shift_tab_goes_back_and_esc_clears(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    first = window.view.selected
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    assert window.view.selected.id != first.id
    qtbot.keyClick(window.view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert window.view.selected.id == first.id
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert window.view.selected is None
    assert not window.view.textCursor().hasSelection()


def test_painting_thousands_of_highlighted_blocks(qtbot, tmp_path, db_path):
    # PySide6 6.12.0 crashed after a few thousand QSyntaxHighlighter.setFormat calls; we paint
    # highlights ourselves, block by block: scroll through 3,000 of them, every one drawn.
    import json

    paragraphs = [f"Paragraf {n}: Presiden Joko Widodo tiba di Surabaya." for n in range(3000)]
    text = "\n".join(paragraphs)
    spans, at = [], 0
    for paragraph in paragraphs:
        start = at + paragraph.index("Joko")
        spans.append({"start": start, "end": start + len("Joko Widodo"), "label": "PERSON"})
        at += len(paragraph) + 1
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"text": text, "spans": spans}) + "\n", encoding="utf-8")
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([path])
    win = create_main_window(str(db_path))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    bar = win.view.verticalScrollBar()
    painted_blocks = set()
    while True:
        win.view.viewport().repaint()
        block = win.view.firstVisibleBlock()
        painted_blocks.add(block.blockNumber())
        if bar.value() >= bar.maximum():
            break
        bar.setValue(bar.value() + bar.pageStep())
    assert max(painted_blocks) > 2900
    assert win.view.overlay.span_count() == 3000
    assert win.view.overlay.block_items(2999)[0].text == "Joko Widodo"


def overlay_state(win):
    return sorted((i.kind, i.id, i.start, i.end, i.label) for i in win.view.overlay.items())


def fresh_state(win):
    _, spans, pending = win.workspace.document_for_view(win.doc.id)
    return sorted(
        [("span", s.id, s.start, s.end, s.label) for s in spans]
        + [("suggestion", s.id, s.start, s.end, s.label) for s in pending]
    )


CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.mark.parametrize(
    "keys",
    [
        [(Qt.Key.Key_Return, None)],  # accept
        [(Qt.Key.Key_2, None)],  # correct the label
        [(Qt.Key.Key_X, None)],  # reject
        [(Qt.Key.Key_BracketRight, None)],  # correct the start
        [(Qt.Key.Key_Return, None), (Qt.Key.Key_2, None)],  # accept, then relabel the span
        [(Qt.Key.Key_Return, None), (Qt.Key.Key_Delete, None)],  # accept, then delete the span
        [(Qt.Key.Key_X, SHIFT)],  # reject everywhere
    ],
)
def test_undo_and_redo_show_exactly_what_the_database_has(qtbot, window, keys):
    tab_to(qtbot, window, "Vladimir Putin")
    states = [fresh_state(window)]
    for key, modifier in keys:
        if modifier is None:
            qtbot.keyClick(window.view, key)
        else:
            qtbot.keyClick(window.view, key, modifier)
        settled(qtbot, window)  # a rule change makes the suggestions again, off the GUI thread
        assert overlay_state(window) == fresh_state(window)
        states.append(fresh_state(window))
    assert states[-1] != states[0]
    for expected in reversed(states[:-1]):
        qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
        settled(qtbot, window)
        assert overlay_state(window) == fresh_state(window) == expected
    for expected in states[1:]:
        qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL | SHIFT)
        settled(qtbot, window)
        assert overlay_state(window) == fresh_state(window)
        assert [s for s in fresh_state(window) if s[0] == "span"] == [
            s for s in expected if s[0] == "span"
        ]
    # The side table follows the article a moment later.
    qtbot.waitUntil(lambda: window.panel.model.rowCount() == len(fresh_state(window)))


def test_undo_in_another_document_opens_it(qtbot, window, corpus_db):
    find(qtbot, window, "Moskow")
    qtbot.keyClick(window.view, Qt.Key.Key_3)
    qtbot.keyClick(window.view, Qt.Key.Key_PageDown, CTRL)
    assert window.view.text == TEXT_B
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert window.view.text == TEXT_A
    assert "Moskow" not in {s[3] for s in spans_in_db(corpus_db)}
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    assert "Nothing to undo" in window.statusBar().currentMessage()


def test_corpus_search_opens_the_document_at_the_match(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_F, CTRL | SHIFT)
    dialog = window._search_dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.query, "Surabaya")
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=10000)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert window.view.text == TEXT_B
    start, end = window.view.selection_offsets()
    assert TEXT_B[start:end] == "Surabaya"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)


def test_f1_sheet_lists_the_keys_and_preferences_rebinding_takes_effect(qtbot, window, corpus_db):
    qtbot.keyClick(window.view, Qt.Key.Key_F1)
    sheet = window._sheet
    qtbot.waitUntil(sheet.isVisible)
    html = sheet.browser.toPlainText()
    assert "Accept suggestion" in html and "Reject everywhere" in html and "PERSON" in html
    qtbot.waitUntil(sheet.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not sheet.isVisible()
    # Rebind "reject" to K (as the preferences dialog saves it) and use it.
    from annotator.gui.keymap_settings import load_bindings, save_bindings

    bindings = load_bindings(window.settings)
    bindings["reject"] = ("K",)
    save_bindings(window.settings, bindings)
    window._preferences_saved()
    assert window.actions_by_id["reject"].shortcut().toString() == "K"
    assert "(K)" in window.actions_by_id["reject"].toolTip()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)  # back from the sheet
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    rejected = window.view.selected
    qtbot.keyClick(window.view, Qt.Key.Key_K)
    assert (rejected.start, rejected.end, rejected.label, rejected.text) not in pending_in_db(
        corpus_db
    )


def test_tooltip_names_label_origin_rule_and_explanation(window):
    from annotator.gui.article_view import tooltip_text

    item = window.view.overlay.next_pending(0)
    text = tooltip_text([item])
    assert item.label in text and "pending suggestion" in text and item.rule in text
    assert item.explanation.replace('"', "") in text.replace("&quot;", "").replace('"', "")


def test_layout_and_geometry_persist(qtbot, corpus_db):
    win = create_main_window(str(corpus_db))
    qtbot.addWidget(win)
    win.show()
    win.resize(701, 503)  # within the offscreen screen, which restoreGeometry clamps to
    win.docks["labels"].hide()
    win.close()
    again = create_main_window(str(corpus_db))
    qtbot.addWidget(again)
    again.show()
    assert (again.size().width(), again.size().height()) == (701, 503)
    assert not again.docks["labels"].isVisible()


def test_undo_menu_names_the_action(qtbot, window):
    find(qtbot, window, "Moskow")
    qtbot.keyClick(window.view, Qt.Key.Key_3)
    window.menus["Edit"].aboutToShow.emit()  # what opening the menu does
    assert "Moskow" in window.actions_by_id["undo"].text()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, CTRL)
    window.menus["Edit"].aboutToShow.emit()
    assert "Moskow" in window.actions_by_id["redo"].text()


def test_backspace_rejects_and_r_remembers(qtbot, window, corpus_db):
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    item = window.view.selected
    qtbot.keyClick(window.view, Qt.Key.Key_Backspace)
    assert (item.start, item.end, item.label, item.text) not in pending_in_db(corpus_db)
    assert window.view.text == TEXT_A  # nothing typed into the article
    # R on a hand-made span: its text becomes a learned term, suggested in the other document too.
    find(qtbot, window, "bekerja sama")
    qtbot.keyClick(window.view, Qt.Key.Key_O)
    qtbot.keyClick(window.view, Qt.Key.Key_R)
    with Workspace.open(corpus_db, annotator="tester") as ws:
        assert any(r.name.startswith("learned") for r in ws.rules())
        assert "bekerja sama" in str(
            ws.rule(next(r.name for r in ws.rules() if r.name.startswith("learned")))
        )


def test_rule_preview_is_drawn_apart_and_cleared(qtbot, window):
    at = TEXT_A.index("Moskow")
    window.view.set_preview([(at, at + 6, "LOC")])
    assert [(i.start, i.end, i.text) for i in window.view.preview.items()] == [
        (at, at + 6, "Moskow")
    ]
    assert (at, at + 6) not in {
        (i.start, i.end) for i in window.view.overlay.items() if i.kind == "span"
    }
    before = window.view.grab().toImage()
    window.view.set_preview([])
    assert window.view.preview.items() == []
    assert window.view.grab().toImage() != before  # the dotted bar was painted, and is gone


def test_preferences_new_label_gets_its_key_in_the_window(qtbot, window, corpus_db):
    qtbot.keyClick(window.view, Qt.Key.Key_Comma, CTRL)
    dialog = window._preferences_dialog
    qtbot.waitUntil(dialog.isVisible)
    page = dialog.labels_page
    page.new_label()
    qtbot.keyClicks(page.name_edit, "EVENT")
    page.hotkey_edit.setText("e")
    assert page.apply_form()
    dialog.theme_box.setCurrentIndex(dialog.theme_box.findText("dark", Qt.MatchFlag.MatchContains))
    dialog.accept()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)
    assert window.settings.value("appearance/theme") == "dark"
    find(qtbot, window, "Moskow")
    qtbot.keyClick(window.view, Qt.Key.Key_7)  # the seventh label
    at = TEXT_A.index("Moskow")
    assert (at, at + 6, "EVENT", "Moskow") in spans_in_db(corpus_db)
    assert "EVENT" in {a.text() for a in window._label_actions}


def test_file_keys_open_the_dialogs_and_are_in_the_key_map(qtbot, window):
    qtbot.keyClick(window.view, Qt.Key.Key_I, CTRL)
    qtbot.waitUntil(
        lambda: (
            getattr(window, "import_dialog", None) is not None and window.import_dialog.isVisible()
        )
    )
    window.import_dialog.reject()
    assert window.actions_by_id["export"].shortcut().toString() == "Ctrl+E"
    assert "Ctrl+E" in window.actions_by_id["export"].toolTip()


def test_a_first_start_shows_only_the_annotating_docks(window):
    """The rule editor, rule proposals, concordance and plots open when asked for, not before."""
    shown = {name for name, dock in window.docks.items() if dock.isVisible()}
    assert shown == {"navigator", "labels", "annotations"}
