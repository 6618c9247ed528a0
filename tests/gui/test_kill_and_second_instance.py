"""Nothing shown is lost when the process is killed; a second window on the same database works."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.gui import create_main_window
from annotator.workspace import Workspace

TEXT = "Presiden Joko Widodo tiba di Surabaya pada Senin pagi bersama Menteri Luar Negeri.\n"

CHILD = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from annotator.gui import create_main_window

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[2])
    app = QApplication([])
    win = create_main_window(sys.argv[1])
    win.show()
    app.processEvents()
    view = win.view
    at = view.text.index("Surabaya")
    view.select_offsets(at, at + len("Surabaya"))
    QTest.keyClick(view, Qt.Key.Key_3)
    app.processEvents()
    shown = [i.text for i in view.overlay.items() if i.kind == "span"]
    print("SHOWN", ",".join(shown), flush=True)
    while True:
        time.sleep(1)
""")


@pytest.fixture
def one_doc_db(tmp_path, db_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([path])
    return db_path


def test_sigkill_after_an_action_loses_nothing_shown(tmp_path, one_doc_db):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(one_doc_db), str(tmp_path / "child-settings")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = child.stdout.readline()
        assert line.startswith("SHOWN"), child.stderr.read() if child.poll() is not None else line
        assert "Surabaya" in line
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    assert child.returncode == -signal.SIGKILL
    with Workspace.open(one_doc_db, annotator="tester") as ws:
        doc = ws.document(ws.documents()[0].id)
        assert ("Surabaya", "LOC") in {(s.text, s.label) for s in doc.spans}


def test_second_window_on_the_same_database_sees_changes_on_reload(qtbot, one_doc_db):
    first = create_main_window(str(one_doc_db))
    second = create_main_window(str(one_doc_db))
    for win in (first, second):
        qtbot.addWidget(win)
        win.show()

    def label(win, text, key):
        at = TEXT.index(text)
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow)
        win.view.setFocus()
        win.view.select_offsets(at, at + len(text))
        qtbot.keyClick(win.view, key)

    label(first, "Surabaya", Qt.Key.Key_3)
    assert ("Surabaya", "LOC") in {
        (i.text, i.label) for i in first.view.overlay.items() if i.kind == "span"
    }
    # The second window writes too (busy timeout, no lock error) ...
    label(second, "Joko Widodo", Qt.Key.Key_1)
    # ... and reloading the document shows the other window's span.
    second.open_document(second.doc.id)
    labels = {(i.text, i.label) for i in second.view.overlay.items() if i.kind == "span"}
    assert {("Surabaya", "LOC"), ("Joko Widodo", "PERSON")} <= labels
    assert QApplication.instance() is not None
