"""What reading the plots' data costs (Workspace.progress_report) on a big database.

Not a test. ``--docs`` (1,000) generated documents with ``--per-doc`` (100) suggestions each,
100,000 in all, from ``--rules`` (30) rules; about 60% decided: the accepted ones through
Workspace.accept_many (one step per document: their spans and change-log rows are real), the
rejected and corrected ones by one SQL update with spread-out times (the plots read only the
suggestions' state and time; the bench would otherwise spend minutes on single rejections);
a quarter of the documents marked done and a quarter in progress through the workspace. Then
``progress_report()`` is timed ``--repeat`` (5) times (median and max), with each of its parts
apart, the timelines thinned as the window reads them (``MOST_POINTS`` a rule) and the window's
whole read, and opening a second Workspace on the database (what the background read pays).

    .venv/bin/python bench/plots_data.py [--docs 1000] [--per-doc 100] [--rules 30]

Last line: RESULT plots_data suggestions=… decisions=… report_ms=… report_max_ms=…
timelines_ms=… thinned_ms=… window_report_ms=… tallies_ms=… labels_ms=… documents_ms=… open_ms=…
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from article_data import LABELS, build_text, word_ranges

from annotator.core.model import Document, DocumentStatus, Suggestion
from annotator.gui.plot_charts import MOST_POINTS
from annotator.workspace import Workspace
from annotator.workspace.progress import ProgressReader


def build(db: Path, docs: int, per_doc: int, rules: int, rng: random.Random) -> None:
    with Workspace.open(db, annotator="bench") as ws:
        batch = []
        for number in range(docs):
            text = f"Dokumen {number}. " + build_text(per_doc * 40, rng)
            words = word_ranges(text)
            chosen = sorted(rng.sample(range(len(words)), per_doc))
            suggestions = tuple(
                Suggestion(
                    words[i][0],
                    words[i][1],
                    rng.choice(LABELS),
                    text[words[i][0] : words[i][1]],
                    f"rule-{min(int(rng.expovariate(0.15)), rules - 1):02d}",
                )
                for i in chosen
            )
            batch.append(Document(text=text, title=f"doc {number}", suggestions=suggestions))
        ws.store.documents.insert(batch, annotator="bench")
        doc_ids = [d.id for d in ws.documents()]
        for doc_id in doc_ids:
            pending = [s.id for _, s in ws.suggestions(doc_id) if s.id is not None]
            ws.accept_many([i for i in pending if rng.random() < 0.4])
        for doc_id in doc_ids[: docs // 4]:
            ws.set_status(doc_id, DocumentStatus.DONE)
    _decide_the_rest(db, rng)


def _decide_the_rest(db: Path, rng: random.Random) -> None:
    """A third of the pending suggestions rejected, a tenth corrected, at spread-out times."""
    start = datetime.now(UTC) - timedelta(days=30)
    with sqlite3.connect(db) as connection:
        ids = [
            row[0] for row in connection.execute("SELECT id FROM suggestions WHERE state='pending'")
        ]
        updates = []
        for suggestion_id in ids:
            roll = rng.random()
            state = "rejected" if roll < 0.33 else "corrected" if roll < 0.43 else None
            if state:
                at = start + timedelta(seconds=rng.uniform(0, 30 * 86400))
                updates.append((state, at.strftime("%Y-%m-%d %H:%M:%S.%f"), suggestion_id))
        connection.executemany("UPDATE suggestions SET state=?, decided_at=? WHERE id=?", updates)


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--per-doc", type=int, default=100)
    parser.add_argument("--rules", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(12)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "plots.sqlite"
        started = time.perf_counter()
        build(db, args.docs, args.per_doc, args.rules, rng)
        print(f"built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        with Workspace.open(db, annotator="bench") as ws:
            report = ws.progress_report()
            counts = ws.store.counts()
            reader = ProgressReader(ws._actor)
            figures = {
                "report": timed(ws.progress_report, args.repeat),
                "timelines": timed(reader.rule_timelines, args.repeat),
                "thinned": timed(lambda: reader.rule_timelines(MOST_POINTS), args.repeat),
                "window_report": timed(
                    lambda: ws.progress_report(most_points=MOST_POINTS), args.repeat
                ),
                "tallies": timed(reader.rule_tallies, args.repeat),
                "labels": timed(reader.label_progress, args.repeat),
                "documents": timed(reader.document_progress, args.repeat),
                "open": timed(lambda: Workspace.open(db, annotator="bench").close(), args.repeat),
            }
        for name, (median, most) in figures.items():
            print(f"{name:10} median {median:8.1f} ms   max {most:8.1f} ms")
        print(
            f"RESULT plots_data suggestions={counts['suggestions']} decisions={report.decisions} "
            f"changes={counts['changes']} report_ms={figures['report'][0]:.0f} "
            f"report_max_ms={figures['report'][1]:.0f} "
            + " ".join(f"{name}_ms={figures[name][0]:.0f}" for name in list(figures)[1:])
        )


if __name__ == "__main__":
    main()
