"""What the Plots dock costs the window's keys, offscreen, on the big database of
bench/plots_data.py (1,000 documents, 100,000 suggestions, ~65,000 decisions).

Not a test. An accept (Tab to the next suggestion, then Enter) and its undo (Ctrl+Z), each timed
from key press to repaint (bench/gui_latency.py's ``timed``): ``--repeat`` (20) of each with the
dock hidden, then as many with the dock shown and a read of the report running in the background
when the key is pressed (the worst case: the analyst resumes typing just as a pause ended). Also
the GUI thread's share of a refresh: drawing a report into the three charts.

    .venv/bin/python bench/plots_latency.py [--repeat 20] [--docs 1000]

Last line: RESULT plots_latency hidden_ms=… hidden_max_ms=… reading_ms=… reading_max_ms=…
draw_ms=… draw_max_ms=… read_ms=…
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gui_latency import PaintCounter, timed
from plots_data import build
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotator.gui import create_main_window


def keys(app: QApplication, window, counter: PaintCounter, before=None) -> list[float]:
    """An accept and its undo, each timed; ``before`` runs before each key."""
    view = window.view
    times = []
    for key, modifier in (
        (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier),
    ):
        if key == Qt.Key.Key_Return:
            view.select_offsets(0, 0)
            QTest.keyClick(view, Qt.Key.Key_Tab)
            assert view.selected is not None and view.selected.kind == "suggestion"
        if before is not None:
            before()
        times.append(timed(app, counter, lambda k=key, m=modifier: QTest.keyClick(view, k, m)))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--docs", type=int, default=1000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        db = Path(folder) / "plots.sqlite"
        build(db, args.docs, 100, 30, random.Random(12))
        window = create_main_window(str(db))
        counter = PaintCounter()
        window.view.viewport().installEventFilter(counter)
        window.resize(1400, 900)
        window.show()
        while window.after_paint.pending() or window.making_suggestions():
            app.processEvents()
        window.view.setFocus()
        hidden = [t for _ in range(args.repeat) for t in keys(app, window, counter)]

        panel = window.plots.panel
        window.plots.show()
        started = time.perf_counter()
        while panel.report is None:
            app.processEvents()
            time.sleep(0.002)
        read_ms = (time.perf_counter() - started) * 1000
        window.view.setFocus()

        def start_reading() -> None:
            panel.refresh()
            assert panel.task is not None and panel.task.isRunning()

        reading = [t for _ in range(args.repeat) for t in keys(app, window, counter, start_reading)]
        while panel.task is not None:
            app.processEvents()
        report = panel.report
        draws = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            panel.over_time.show_report(report)  # the chart shown when the report arrives
            app.processEvents()
            draws.append((time.perf_counter() - started) * 1000)
        window.close()
        app.processEvents()
    figures = {"hidden": hidden, "reading": reading, "draw": draws}
    for name, values in figures.items():
        print(f"{name:8} median {statistics.median(values):7.1f} ms   max {max(values):7.1f} ms")
    print(f"first report read and drawn {read_ms:.0f} ms after Ctrl+Shift+G")
    print(
        "RESULT plots_latency "
        + " ".join(
            f"{name}_ms={statistics.median(v):.1f} {name}_max_ms={max(v):.1f}"
            for name, v in figures.items()
        )
        + f" read_ms={read_ms:.0f}"
    )


if __name__ == "__main__":
    main()
