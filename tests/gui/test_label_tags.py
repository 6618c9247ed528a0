"""Label tags: each span's label drawn in a small tag at its start, toggled with Ctrl+T."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QTextCursor

from annotator.gui.label_tags import text_colour
from annotator.gui.main_window import app_settings
from annotator.gui.preferences import LABEL_TAGS_KEY
from annotator.workspace import Workspace
from tests.gui.conftest import opened

CTRL = Qt.KeyboardModifier.ControlModifier
TEXT = "Kemarin Presiden Joko Widodo tiba di Surabaya.\nJokowi lalu bertemu warga.\n"


@pytest.fixture
def db(tmp_path, db_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([path])
    return db_path


def open_window(qtbot, db):
    return opened(qtbot, db, size=(1200, 700))


def x_of(view, offset: int) -> int:
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.overlay.map.to_qt(offset))
    return view.cursorRect(cursor).left()


def label(qtbot, win, start: int, end: int, key) -> None:
    win.view.select_offsets(start, end)
    qtbot.keyClick(win.view, key)


def test_a_span_gets_room_for_its_tag_and_ctrl_t_takes_it_away(qtbot, db):
    win = open_window(qtbot, db)
    view = win.view
    start = TEXT.index("Joko Widodo")
    before = x_of(view, start)
    label(qtbot, win, start, start + len("Joko Widodo"), Qt.Key.Key_1)
    assert view.label_tags
    tag = view.tags.width("PERSON")
    assert x_of(view, start) - before == pytest.approx(tag, abs=1.5)  # the text after the gap moved
    # The tag is painted in the gap, in the label's colour.
    image = view.viewport().grab().toImage()
    y = view.cursorRect(_cursor_at(view, start)).center().y()
    gap = range(int(x_of(view, start) - tag), x_of(view, start))
    assert "#d55e00" in {image.pixelColor(x, y).name() for x in gap}

    qtbot.keyClick(view, Qt.Key.Key_T, CTRL)
    assert not view.label_tags
    assert x_of(view, start) == before
    assert view.viewportMargins().left() == 0  # no gutter either
    assert "hidden" in win.statusBar().currentMessage()
    assert app_settings().value(LABEL_TAGS_KEY) in (False, "false")
    win.close()

    again = open_window(qtbot, db)  # the choice is kept
    assert not again.view.label_tags
    qtbot.keyClick(again.view, Qt.Key.Key_T, CTRL)
    assert again.view.label_tags and x_of(again.view, start) > before


def test_a_span_that_starts_a_paragraph_has_its_tag_in_the_gutter(qtbot, db):
    win = open_window(qtbot, db)
    view = win.view
    second = TEXT.index("Jokowi")
    left_before = x_of(view, second)
    label(qtbot, win, second, second + len("Jokowi"), Qt.Key.Key_1)
    assert x_of(view, second) == left_before  # no gap: nothing before it in its paragraph
    assert view.viewportMargins().left() >= view.tags.width("PERSON")
    gutter = view.gutter.grab().toImage()
    y = view.cursorRect(_cursor_at(view, second)).center().y()
    colours = {gutter.pixelColor(x, y).name() for x in range(gutter.width())}
    assert "#d55e00" in colours


def test_undo_removes_the_room_again(qtbot, db):
    win = open_window(qtbot, db)
    view = win.view
    start = TEXT.index("tiba")
    before = x_of(view, start)
    label(qtbot, win, start, start + len("tiba"), Qt.Key.Key_3)
    assert x_of(view, start) > before
    qtbot.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert x_of(view, start) == before


def test_suggestion_tags_are_off_unless_asked_for(qtbot, db):
    settings = app_settings()
    win = open_window(qtbot, db)
    suggestion = next(
        i
        for i in win.view.overlay.items()
        if i.kind == "suggestion" and i.start > 0 and TEXT[i.start - 1] != "\n"
    )
    before = x_of(win.view, suggestion.start)
    win.set_label_tags(True, suggestions=True)
    assert x_of(win.view, suggestion.start) > before
    win.set_label_tags(True, suggestions=False)
    assert x_of(win.view, suggestion.start) == before
    assert isinstance(settings, QSettings)


def test_tag_text_is_black_or_white_whichever_reads(qtbot):
    assert text_colour(QColor("#E69F00")).name() == "#000000"  # orange: dark text
    assert text_colour(QColor("#0072B2")).name() == "#ffffff"  # blue: light text


def _cursor_at(view, offset):
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.overlay.map.to_qt(offset))
    return cursor
