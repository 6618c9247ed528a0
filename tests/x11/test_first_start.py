"""The first time a window opens a database whose suggestions are not made yet.

A data person imported the articles (`annotator import`); an analyst opens the file: the
rules run off the GUI thread while the window warms its first key press up. Both write to the
database at once; neither may lose. It is a race, so the window is opened three times.
"""

from __future__ import annotations


def test_suggestions_appear_on_first_open(open_window, imported_template, qtbot, read_db):
    for _attempt in range(3):
        window = open_window(imported_template)
        qtbot.waitUntil(lambda: window.view.overlay.pending_count() > 0, timeout=10000)  # noqa: B023
        message = window.statusBar().currentMessage()
        assert "could not run" not in message, message
        db = read_db(window)
        assert window.view.overlay.pending_count() == len(db.pending(window.doc.id))
        window.close()
