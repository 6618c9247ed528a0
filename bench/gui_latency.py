"""How fast the window opens a big article and answers a key, offscreen.

A ~1 MB article with 20,000 spans and 2,000 pending suggestions: time from
create_main_window to the first paint (database read included); then a label
key, an accept (Enter) and an undo (Ctrl+Z), each from key press to repaint with
the database committed, at 200, 2,000 and 20,000 spans; and in the same run a
bare QPlainTextEdit loading and painting the same text.

    python bench/gui_latency.py [--repeat 25]

Each action's time runs from the key press until the event loop has painted the change
(a paint event on the article is required). Last line: RESULT gui_latency open_ms=... action_ms_median=... action_ms_max=... bare_open_ms=...
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

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from annotator.core.model import Document, Span, Suggestion
from annotator.gui import create_main_window
from annotator.workspace import Workspace

WORDS = ["pemerintah", "menyatakan", "bahwa", "rencana", "kerja", "sama", "ekonomi", "antara", "kedua", "negara", "akan", "dibahas", "dalam", "pertemuan", "tingkat", "menteri", "pekan", "depan", "di", "ibu", "kota", "sementara", "para", "pengamat", "menilai", "langkah", "itu", "penting", "bagi", "stabilitas", "kawasan"]
NAMES = ("Jakarta", "Surabaya", "Moskow", "Putin", "Jokowi", "Kerry", "Lavrov", "Suriah", "Mesir", "Bandung")
LABELS = ("PERSON", "ORG", "LOC", "DATE", "ROLE")


class PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def build_text(size: int, rng: random.Random) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        sentence = " ".join(rng.choice(NAMES) if rng.random() < 0.12 else rng.choice(WORDS)
                            for _ in range(rng.randint(12, 24))).capitalize() + ". "
        if rng.random() < 0.15:
            sentence += "\n"
        parts.append(sentence)
        length += len(sentence)
    return "".join(parts)


def word_ranges(text: str) -> list[tuple[int, int]]:
    ranges, start = [], None
    for i, ch in enumerate(text):
        if ch.isalpha():
            if start is None:
                start = i
        elif start is not None:
            ranges.append((start, i))
            start = None
    return ranges


def make_database(folder: Path, text: str, spans: int, pending: int, rng: random.Random) -> tuple[Path, set]:
    """A database with one article: ``spans`` spans and ``pending`` suggestions on distinct words."""
    db = folder / f"bench-{spans}.sqlite"
    words = word_ranges(text)
    chosen = rng.sample(range(len(words)), spans + pending + 400)
    span_words = sorted(chosen[:spans])
    suggestion_words = sorted(chosen[spans:spans + pending])
    free = set(chosen[spans + pending:])
    with Workspace.open(db, annotator="bench") as ws:
        doc = Document(text=text, title="Bench article", source="bench",
                       spans=tuple(Span(words[i][0], words[i][1], LABELS[i % len(LABELS)],
                                        text[words[i][0]:words[i][1]]) for i in span_words))
        ws.store.insert_documents([doc], annotator="bench")
        doc_id = ws.documents()[0].id
        proposed = [Suggestion(words[i][0], words[i][1], "LOC", text[words[i][0]:words[i][1]], "bench-rule", 1,
                               "a benchmark suggestion") for i in suggestion_words]
        fingerprint = ws.store.rules_fingerprint()
        ws.store.replace_suggestions(doc_id, proposed, {"bench-rule": 1}, fingerprint, annotator="bench")
    return db, {words[i] for i in free}


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
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "settings"))

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
            counter = PaintCounter()
            started = time.perf_counter()
            window = create_main_window(str(db))
            window.view.viewport().installEventFilter(counter)
            window.show()
            app.processEvents()
            if counter.count == 0:
                window.view.viewport().repaint()
            opened = (time.perf_counter() - started) * 1000
            if spans == 20_000:
                open_ms = opened
            view = window.view
            view.setFocus()
            free_words = sorted(free)
            label_times, accept_times, undo_times = [], [], []
            for n in range(args.repeat):
                start, end = free_words[n]
                view.select_offsets(start, end)
                label_times.append(timed(app, counter, lambda view=view: QTest.keyClick(view, Qt.Key.Key_1)))
                view.select_offsets(start, start)
                QTest.keyClick(view, Qt.Key.Key_Tab)
                assert view.selected is not None and view.selected.kind == "suggestion"
                accept_times.append(timed(app, counter, lambda view=view: QTest.keyClick(view, Qt.Key.Key_Return)))
                undo_times.append(timed(app, counter, lambda view=view: QTest.keyClick(
                    view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)))
            window.close()
            window.deleteLater()
            app.processEvents()
            for name, values in (("label key", label_times), ("accept", accept_times), ("undo", undo_times)):
                all_actions += values
                print(f"{spans:>6} spans, {pending:>5} pending: {name:<9} median {statistics.median(values):6.1f} ms"
                      f"  max {max(values):6.1f} ms")
            print(f"{spans:>6} spans: open to first paint {opened:.0f} ms")
    median = statistics.median(all_actions)
    print(f"RESULT gui_latency open_ms={open_ms:.0f} action_ms_median={median:.1f} "
          f"action_ms_max={max(all_actions):.1f} bare_open_ms={bare_ms:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
