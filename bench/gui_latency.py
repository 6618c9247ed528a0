"""How fast the window opens a big article and answers a key, offscreen.

A ~1 MB article with 20,000 spans and 2,000 pending suggestions: time from
create_main_window to the first paint of the article (database read included); then
a label key, an accept (Enter) and an undo (Ctrl+Z), each from key press to repaint
with the database committed, at 200, 2,000 and 20,000 spans; and in the same run a
bare QPlainTextEdit loading and painting the same text.

The fresh case: the same article with ~15,000 spans, just imported, its suggestions
not made yet. The text must show within 300 ms while the rules run off the GUI
thread; label keys pressed meanwhile are timed too, and the time until the
suggestions are drawn is printed.

    python bench/gui_latency.py [--repeat 25]

Each action's time runs from the key press until the event loop has painted the change
(a paint event on the article is required). Last line: RESULT gui_latency open_ms=...
action_ms_median=... action_ms_max=... bare_open_ms=... fresh_open_ms=... fresh_suggested_ms=...
fresh_action_ms_median=... fresh_action_ms_max=...
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

from article_data import build_text, labelled_article, word_ranges
from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from annotator.core.model import Suggestion
from annotator.gui import create_main_window
from annotator.workspace import Workspace


class PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.first_at: float | None = None  # perf_counter() of the first paint

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
            if self.first_at is None:
                self.first_at = time.perf_counter()
        return False


def make_database(
    folder: Path, text: str, spans: int, pending: int, rng: random.Random
) -> tuple[Path, set]:
    """A database with one article: ``spans`` spans and ``pending`` suggestions on distinct
    words."""
    db = folder / f"bench-{spans}.sqlite"
    words = word_ranges(text)
    chosen = rng.sample(range(len(words)), spans + pending + 400)
    span_words = sorted(chosen[:spans])
    suggestion_words = sorted(chosen[spans : spans + pending])
    free = set(chosen[spans + pending :])
    with Workspace.open(db, annotator="bench") as ws:
        doc = labelled_article(text, "Bench article", words, span_words)
        ws.store.documents.insert([doc], annotator="bench")
        doc_id = ws.documents()[0].id
        proposed = [
            Suggestion(
                words[i][0],
                words[i][1],
                "LOC",
                text[words[i][0] : words[i][1]],
                "bench-rule",
                1,
                "a benchmark suggestion",
            )
            for i in suggestion_words
        ]
        fingerprint = ws.store.rules.fingerprint()
        ws.store.suggestions.replace(
            doc_id, proposed, {"bench-rule": 1}, fingerprint, annotator="bench"
        )
    return db, {words[i] for i in free}


def make_fresh_database(
    folder: Path, text: str, spans: int, rng: random.Random
) -> tuple[Path, list]:
    """One just-imported article with ``spans`` spans and no suggestions made yet; free words
    returned."""
    db = folder / "bench-fresh.sqlite"
    words = word_ranges(text)
    chosen = rng.sample(range(len(words)), spans + 400)
    with Workspace.open(db, annotator="bench") as ws:
        doc = labelled_article(text, "Fresh article", words, chosen[:spans])
        ws.store.documents.insert([doc], annotator="bench")
        assert ws.needs_suggest(ws.documents()[0].id)
    return db, sorted(words[i] for i in chosen[spans:])


def open_window(app: QApplication, db: Path) -> tuple[object, PaintCounter, float, float]:
    """The window on ``db``: (window, paint counter, ms to the article's first paint, ms until
    idle)."""
    counter = PaintCounter()
    started = time.perf_counter()
    window = create_main_window(str(db))
    window.view.viewport().installEventFilter(counter)
    window.show()
    app.processEvents()
    if counter.count == 0:
        window.view.viewport().repaint()
    # Settled: what waits for the text's first paint (the side table of a big document, the
    # statements' warm-up) has run too. Keys are timed from here.
    while window.after_paint.pending():
        app.processEvents()
    idle = (time.perf_counter() - started) * 1000
    first = ((counter.first_at or time.perf_counter()) - started) * 1000
    return window, counter, first, idle


def fresh_case(
    app: QApplication, folder: Path, text: str, rng: random.Random, repeat: int
) -> tuple[float, float, list[float]]:
    """Open a just-imported article: ms to first paint, ms until its suggestions are drawn, and
    label keys pressed while the rules run."""
    db, free = make_fresh_database(folder, text, 15_000, rng)
    started = time.perf_counter()
    window, counter, first, _idle = open_window(app, db)
    shown: list[float] = []
    window.suggestionsShown.connect(lambda _doc: shown.append(time.perf_counter()))
    view = window.view
    view.setFocus()
    keys = []
    for start, end in free[:repeat]:
        if shown:
            break
        view.select_offsets(start, end)
        keys.append(timed(app, counter, lambda: QTest.keyClick(view, Qt.Key.Key_1)))
    while not shown and time.perf_counter() - started < 120:
        app.processEvents()
        time.sleep(0.005)
    suggested = ((shown[0] if shown else time.perf_counter()) - started) * 1000
    pending = view.overlay.pending_count()
    after = []
    for start, end in free[repeat : 2 * repeat]:
        view.select_offsets(start, end)
        after.append(timed(app, counter, lambda: QTest.keyClick(view, Qt.Key.Key_1)))
    window.close()
    window.deleteLater()
    app.processEvents()
    print(
        f"fresh 1 MB article, 15,000 spans: first paint {first:.0f} ms; suggestions drawn after "
        f"{suggested:.0f} ms ({pending} pending); {len(keys)} label keys while the rules ran"
        + (f": median {statistics.median(keys):.1f} ms, max {max(keys):.1f} ms" if keys else "")
    )
    print(
        f"fresh, after the suggestions: label key median {statistics.median(after):.1f} ms, "
        f"max {max(after):.1f} ms"
    )
    return first, suggested, keys + after


def timed(app: QApplication, counter: PaintCounter, action) -> float:
    """Key press to the repaint that shows it: the action, then the event loop runs the paint it
    scheduled (the window repaints only the lines that changed)."""
    painted = counter.count
    started = time.perf_counter()
    action()
    app.processEvents()
    elapsed = (time.perf_counter() - started) * 1000
    assert counter.count > painted, "the action scheduled no repaint"
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--size", type=int, default=1_000_000, help="article size in characters")
    args = parser.parse_args()
    rng = random.Random(7)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    text = build_text(args.size, rng)
    print(f"article: {len(text):,} characters, {text.count(chr(10)):,} paragraphs")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        QSettings.setPath(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings")
        )

        # Bare editor: the floor for loading and painting this text.
        started = time.perf_counter()
        bare = QPlainTextEdit()
        bare.setPlainText(text)
        bare.resize(1280, 820)
        bare.show()
        app.processEvents()
        bare.viewport().repaint()
        bare_ms = (time.perf_counter() - started) * 1000
        bare.close()
        print(f"bare QPlainTextEdit open+paint: {bare_ms:.0f} ms")

        all_actions: list[float] = []
        open_ms = 0.0
        for spans in (200, 2_000, 20_000):
            pending = max(spans // 10, 20)
            db, free = make_database(folder, text, spans, pending, rng)
            window, counter, opened, idle = open_window(app, db)
            if spans == 20_000:
                open_ms = opened
            view = window.view
            view.setFocus()
            free_words = sorted(free)
            label_times, accept_times, undo_times = [], [], []
            for n in range(args.repeat):
                start, end = free_words[n]
                view.select_offsets(start, end)
                label_times.append(
                    timed(app, counter, lambda view=view: QTest.keyClick(view, Qt.Key.Key_1))
                )
                view.select_offsets(start, start)
                QTest.keyClick(view, Qt.Key.Key_Tab)
                assert view.selected is not None and view.selected.kind == "suggestion"
                accept_times.append(
                    timed(app, counter, lambda view=view: QTest.keyClick(view, Qt.Key.Key_Return))
                )
                undo_times.append(
                    timed(
                        app,
                        counter,
                        lambda view=view: QTest.keyClick(
                            view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                        ),
                    )
                )
            window.close()
            window.deleteLater()
            app.processEvents()
            for name, values in (
                ("label key", label_times),
                ("accept", accept_times),
                ("undo", undo_times),
            ):
                all_actions += values
                print(
                    f"{spans:>6} spans, {pending:>5} pending: {name:<9} "
                    f"median {statistics.median(values):6.1f} ms"
                    f"  max {max(values):6.1f} ms"
                )
            print(
                f"{spans:>6} spans: open to first paint {opened:.0f} ms "
                f"(everything settled: {idle:.0f} ms)"
            )
        fresh_open, fresh_suggested, fresh_keys = fresh_case(app, folder, text, rng, args.repeat)
    median = statistics.median(all_actions)
    print(
        f"RESULT gui_latency open_ms={open_ms:.0f} action_ms_median={median:.1f} "
        f"action_ms_max={max(all_actions):.1f} bare_open_ms={bare_ms:.0f} "
        f"fresh_open_ms={fresh_open:.0f} fresh_suggested_ms={fresh_suggested:.0f} "
        f"fresh_action_ms_median={statistics.median(fresh_keys):.1f} "
        f"fresh_action_ms_max={max(fresh_keys):.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
