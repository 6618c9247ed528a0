"""What the concordance costs on 100,000 lines: the store's queries and the dock's first page.

Not a test. A generated database of ``--docs`` (5,000) news-like articles of ~3 KB, each with
``--per-doc`` (20) lines: 16 suggestions of four rules on names (most pending, some accepted,
rejected or corrected) and 4 spans made by hand, inserted with the import's bulk path. Then,
each the median of ``--repeat`` (5) runs:

- count + first page (corpus order), a page at the end (LIMIT/OFFSET and by keys);
- every key sorted by the left context (what the dock reads on a header click), and the first
  page so sorted through LIMIT/OFFSET;
- a text filter ("jak": count + keys + first page), a rule filter (count + keys);
- bulk decisions on 1,000 pending lines (accept, reject, relabel) and an undo of one, once each;
- the dock offscreen: the first screen of rows shown (count, a page of keys, a page of lines),
  every key read after it, a click on the left context's header (every key sorted, and the
  first screen), and a row at the end (one more page of lines).

    .venv/bin/python bench/concordance.py [--docs 5000] [--per-doc 20] [--repeat 5]

Last line: RESULT concordance lines=… count_first_page_ms=… last_page_offset_ms=…
last_page_keys_ms=… left_sort_keys_ms=… left_sort_page_ms=… text_filter_ms=…
rule_filter_ms=… model_first_screen_ms=… model_all_keys_ms=… model_left_sort_click_ms=…
model_row_at_end_ms=… accept_1000_ms=… reject_1000_ms=… relabel_1000_ms=…
undo_relabel_1000_ms=…
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from article_data import NAMES, WORDS, build_text, word_ranges

from annotator.core.model import Document, Span, Suggestion, SuggestionState
from annotator.workspace import ConcordanceFilter, SortKey, Workspace

RULES = ("people", "places", "groups", "dates")
LABELS = ("PERSON", "LOC", "ORG", "DATE")
STATES = [SuggestionState.PENDING] * 7 + [
    SuggestionState.ACCEPTED,
    SuggestionState.REJECTED,
    SuggestionState.CORRECTED,
]
BATCH = 500


def make_db(db: Path, docs: int, per_doc: int, rng: random.Random) -> int:
    """The corpus; returns how many lines it has."""
    manual = per_doc // 5
    names = set(NAMES)
    with Workspace.open(db, annotator="bench") as ws:
        batch: list[Document] = []
        for n in range(docs):
            text = build_text(3000, rng)
            words = word_ranges(text)
            # build_text capitalises sentences, so names are mostly lower case in it.
            named = [w for w in words if text[w[0] : w[1]].capitalize() in names]
            plain = [w for w in words if text[w[0] : w[1]] in WORDS]
            picked = rng.sample(named, min(per_doc - manual, len(named)))
            suggestions = tuple(
                Suggestion(
                    s,
                    e,
                    LABELS[k % 4],
                    text[s:e],
                    RULES[k % 4],
                    state=rng.choice(STATES),
                )
                for k, (s, e) in enumerate(sorted(picked))
            )
            spans = tuple(
                Span(s, e, "ROLE", text[s:e]) for s, e in sorted(rng.sample(plain, manual))
            )
            batch.append(
                Document(
                    text=text,
                    title=f"Artikel {n:05d}",
                    source="bench",
                    spans=spans,
                    suggestions=suggestions,
                )
            )
            if len(batch) == BATCH:
                ws.store.documents.insert(batch, annotator="bench")
                batch = []
        if batch:
            ws.store.documents.insert(batch, annotator="bench")
        return ws.concordance.count(ConcordanceFilter())


def median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def store_figures(ws: Workspace, repeat: int) -> dict[str, float]:
    concordance = ws.concordance
    everything = ConcordanceFilter()
    total = concordance.count(everything)
    figures = {
        "count_first_page_ms": median_ms(
            lambda: (concordance.count(everything), concordance.page(everything, limit=100)),
            repeat,
        ),
        "last_page_offset_ms": median_ms(
            lambda: concordance.page(everything, offset=total - 100, limit=100), repeat
        ),
    }
    keys = concordance.keys(everything)
    figures["last_page_keys_ms"] = median_ms(lambda: concordance.lines(keys[-100:]), repeat)
    figures["left_sort_keys_ms"] = median_ms(
        lambda: concordance.keys(everything, SortKey.LEFT), repeat
    )
    figures["left_sort_page_ms"] = median_ms(
        lambda: concordance.page(everything, SortKey.LEFT, limit=100), repeat
    )
    text = ConcordanceFilter(text="jak")
    figures["text_filter_ms"] = median_ms(
        lambda: (concordance.count(text), concordance.lines(concordance.keys(text)[:100])),
        repeat,
    )
    rule = ConcordanceFilter(rule="places")
    figures["rule_filter_ms"] = median_ms(
        lambda: (concordance.count(rule), concordance.keys(rule)), repeat
    )
    return figures


def decision_figures(ws: Workspace) -> dict[str, float]:
    """Bulk decisions on 1,000 pending lines of many documents, and their undo (once each: they
    change the database)."""
    concordance = ws.concordance
    pending = concordance.keys(ConcordanceFilter(states=("pending",)), SortKey.MATCH)
    chunks = [pending[i * 1000 : (i + 1) * 1000] for i in range(3)]
    figures = {}
    for name, run in (
        ("accept_1000_ms", lambda: concordance.accept(chunks[0])),
        ("reject_1000_ms", lambda: concordance.reject(chunks[1])),
        ("relabel_1000_ms", lambda: concordance.relabel(chunks[2], "ORG")),
        ("undo_relabel_1000_ms", ws.undo),
    ):
        figures[name] = median_ms(run, 1)
    return figures


def model_figures(ws: Workspace, repeat: int) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from annotator.gui.concordance_model import LEFT, MATCH
    from annotator.gui.concordance_view import ConcordanceView

    app = QApplication.instance() or QApplication([])
    view = ConcordanceView(ws)
    view.resize(1400, 400)
    view.show()
    app.processEvents()

    def first_screen() -> None:
        view.show_filter(ConcordanceFilter())
        view.table.viewport().repaint()  # what the screen shows: one page of lines read

    def all_keys() -> None:
        view.show_filter(ConcordanceFilter())
        view.model.complete_keys()  # what follows the first screen

    orders = itertools.cycle((Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder))

    def left_sorted() -> None:  # each click the other way, as a user re-clicking the header
        view.table.sortByColumn(LEFT, next(orders))
        view.table.viewport().repaint()

    def row_at_end() -> None:
        view.model.reread()
        last = view.model.rowCount() - 1
        view.model.index(last, MATCH).data()

    figures = {
        "model_first_screen_ms": median_ms(first_screen, repeat),
        "model_all_keys_ms": median_ms(all_keys, repeat),
        "model_left_sort_click_ms": median_ms(left_sorted, repeat),
    }
    view.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    figures |= {
        "model_row_at_end_ms": median_ms(row_at_end, repeat),
    }
    view.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--per-doc", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "concordance.sqlite"
        started = time.perf_counter()
        lines = make_db(db, args.docs, args.per_doc, random.Random(7))
        print(f"built {lines} lines in {time.perf_counter() - started:.1f} s", flush=True)
        with Workspace.open(db, annotator="bench") as ws:
            figures = store_figures(ws, args.repeat)
            figures |= model_figures(ws, args.repeat)
            figures |= decision_figures(ws)
    for name, value in figures.items():
        print(f"{name:24} {value:8.1f} ms")
    print(
        f"RESULT concordance lines={lines} "
        + " ".join(f"{name}={value:.1f}" for name, value in figures.items())
    )


if __name__ == "__main__":
    main()
