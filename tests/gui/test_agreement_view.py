"""Team > Agreement…: the table, the pair matrix and the disagreements on screen; Enter on a
disagreement opens the document at its range; Export CSV writes the table."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from annotator.workspace import Workspace
from tests.gui.conftest import opened
from tests.workspace.agreement_corpus import team_corpus


def _team_window(qtbot, db_path):
    with Workspace.open(db_path, annotator="tester") as ws:
        ids = team_corpus(ws)
    return opened(qtbot, db_path), ids


def _team_menu(window):
    titles = {a.menu().title(): a.menu() for a in window.menuBar().actions() if a.menu()}
    return titles["&Team"]


def test_agreement_window_shows_the_report_and_opens_a_disagreement(qtbot, db_path, tmp_path):
    window, ids = _team_window(qtbot, db_path)
    menu = _team_menu(window)
    agreement = next(a for a in menu.actions() if a.text() == "&Agreement…")
    agreement.trigger()
    dialog = window.agreement.dialog
    qtbot.waitExposed(dialog)
    assert dialog.computing()  # off the GUI thread
    qtbot.waitUntil(lambda: not dialog.computing())
    table = dialog.table_model.rows()
    overall = next(r for r in table if r[0] == "overall" and r[1] == "ana / budi")
    assert overall[4] == "0.727"  # exact F1, as the CLI prints it
    assert dialog.matrix_model.headers == ("", "ana", "budi", "citra")
    assert dialog.matrix_model.rows()[0][:3] == ("ana", "-", "0.73 / 0.76")
    assert dialog.disagreement_model.rowCount() == 6
    assert "6 disagreements" in dialog.status.text()
    # The keys are in the disagreements: Down, Enter opens the second one (Joko Widodo).
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.disagreements)
    qtbot.keyClick(dialog.disagreements, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.disagreements, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.doc is not None and window.doc.id == ids[0])
    assert window.view.selection_offsets() == (0, 11)

    out = tmp_path / "table.csv"
    dialog.export_csv(out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert ("overall", "all") in {(r["label"], r["pair"]) for r in rows}
    assert "Wrote the table" in dialog.status.text()


def test_filters_and_a_refusal_shown_in_the_window(qtbot, db_path):
    window, _ids = _team_window(qtbot, db_path)
    dialog = window.agreement.show()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.disagreements)
    dialog.labels_edit.setText("PERSON")
    dialog.annotators_edit.setText("ana, budi")
    dialog.annotators_edit.setFocus()
    qtbot.keyClick(dialog.annotators_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.computing())
    assert {r[0] for r in dialog.table_model.rows()} == {"PERSON", "overall"}
    assert {r[1] for r in dialog.table_model.rows()} == {"ana / budi"}
    dialog.annotators_edit.setText("ana, zed")
    dialog.compute()
    qtbot.waitUntil(lambda: not dialog.computing())
    assert dialog.status.text() == "no annotator zed"
    assert dialog.table_model.rowCount() == 0 and not dialog.export_button.isEnabled()


def test_no_team_says_why(qtbot, db_path):
    window = opened(qtbot, db_path)
    dialog = window.agreement.show()
    qtbot.waitUntil(lambda: not dialog.computing())
    assert "agreement needs two annotators" in dialog.status.text()
    assert dialog.table_model.rowCount() == 0


def test_closing_the_window_waits_for_a_computation(qtbot, db_path):
    window, _ids = _team_window(qtbot, db_path)
    dialog = window.agreement.show()
    assert dialog.computing()
    window.close()  # a thread destroyed while running would abort the process
    assert not dialog.task.isRunning() if dialog.task is not None else True
