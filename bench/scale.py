"""Benchmark: the corpus at scale, 100,000 generated articles (~490 MB of JSONL), as a user runs it.

Not a test. Each phase is its own process (its time and peak RSS are its own): `annotator
import`, `annotator suggest`, `annotator export --format jsonl`, and the window offscreen: open
the database until the navigator shows its first rows, scroll it to the end, filter it by a
title word, sort it by each column, run a corpus search to its first results, open a document.
A smaller run (10,000 by default) in the same invocation gives the per-document cost ratios
(big / small: import and suggest should scale linearly, goal <= 1.2x).

    .venv/bin/python bench/scale.py [--docs 100000] [--small 10000] [--work DIR]
        [--reuse DB] [--reuse-small DB] [--skip suggest --skip export ...]

Generating and importing 100,000 articles takes minutes: the articles stay in --work (default
/tmp/annotator-scale) and are not generated again; --reuse DB skips the big import (its DB is
used as it is; suggest then runs over what is there). Last line: RESULT scale ...
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_export import generate

PHASES = ("import", "suggest", "export", "window")
GOALS_MS = {"shown": 1000, "scroll": 100, "filter": 100, "sort": 100, "search": 200}
RSS_GOAL_MB = 500
SCALING_GOAL = 1.2
SEARCHES = ("presiden", "Sergey Lavrov", "ker")  # common, a name, a prefix of many words


def run_cli(args: list[str]) -> dict[str, float]:
    """Run ``annotator ARGS`` in its own process: wall seconds and that process's peak RSS."""
    cli = Path(sys.executable).with_name("annotator")
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(cli), *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"annotator {' '.join(args)} failed:\n{stderr[-2000:]}")
    return {"seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024}


def run_window(db: Path) -> dict[str, object]:
    """The window phase in a child process (QT_QPA_PLATFORM=offscreen); its JSON figures."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, __file__, "--window-phase", str(db)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"window phase failed:\n{result.stderr[-3000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def window_phase(db: Path) -> None:
    """Run in the child: time the navigator, the corpus search and opening a document."""
    started = time.perf_counter()
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    import annotator.gui.main_window  # noqa: F401 (its imports timed apart: start-up, not the list)
    from annotator.gui import create_main_window
    from annotator.gui.corpus_search import CorpusSearchDialog

    app = QApplication.instance() or QApplication(sys.argv[:1])
    settings = db.parent / "scale-settings"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings))
    imported = time.perf_counter()
    window = create_main_window(str(db))
    window.show()
    table = window.navigator.table
    model = table.model()
    table.viewport().repaint()
    figures: dict[str, object] = {"rows": model.rowCount()}
    figures["startup_ms"] = (time.perf_counter() - started) * 1000
    figures["shown_ms"] = (time.perf_counter() - imported) * 1000
    app.processEvents()  # what waits for the first paint (the rest of the ids, the warm-up)
    figures["settled_ms"] = (time.perf_counter() - imported) * 1000

    def timed(action, settle: bool = True) -> float:
        """ms from the action until the table is painted again (and, settled, until the events
        it queued ran too)."""
        begin = time.perf_counter()
        action()
        table.viewport().repaint()
        first = (time.perf_counter() - begin) * 1000
        if settle:
            app.processEvents()
        return first

    figures["scroll_ms"] = timed(table.scrollToBottom)
    figures["scroll_top_ms"] = timed(table.scrollToTop)
    word = "nomor 4242"
    figures["filter_ms"] = timed(lambda: window.navigator.filter.setText(word))
    figures["filter_rows"] = model.rowCount()
    figures["unfilter_ms"] = timed(window.navigator.filter.clear)
    sorts = {}
    for column in range(model.columnCount()):
        name = str(model.headerData(column, Qt.Orientation.Horizontal)).lower()
        for order, suffix in (
            (Qt.SortOrder.AscendingOrder, ""),
            (Qt.SortOrder.DescendingOrder, "-"),
        ):
            begin = time.perf_counter()
            first = timed(lambda c=column, o=order: table.sortByColumn(c, o))
            sorts[suffix + name] = (first, (time.perf_counter() - begin) * 1000)
    figures["sorts_ms"] = sorts
    table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    app.processEvents()
    dialog = CorpusSearchDialog(window.workspace, window)
    dialog.show()
    searches = {}
    for query in SEARCHES:
        dialog.query.setText(query)
        begin = time.perf_counter()
        dialog.search_now()
        dialog.results.viewport().repaint()
        searches[query] = ((time.perf_counter() - begin) * 1000, dialog.model.rowCount())
    figures["search_ms"] = searches
    dialog.close()
    last = window.navigator.ordered_ids()[-1]
    begin = time.perf_counter()
    window.open_document(last)
    window.view.viewport().repaint()
    figures["open_ms"] = (time.perf_counter() - begin) * 1000
    app.processEvents()
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))
    window.close()


def corpus_run(docs: int, work: Path, reuse: Path | None, skip: set[str]) -> dict[str, object]:
    """Every phase on ``docs`` articles; the figures by phase."""
    figures: dict[str, object] = {"docs": docs}
    articles = work / f"articles-{docs}.jsonl"
    db = reuse or work / f"db-{docs}.sqlite"
    if reuse is None and "import" not in skip:
        if not articles.exists():
            begin = time.perf_counter()
            size = generate(articles, docs, 20)
            print(
                f"  generated {docs:,} articles, {size / 1e6:.0f} MB in "
                f"{time.perf_counter() - begin:.0f} s",
                flush=True,
            )
        for path in work.glob(f"db-{docs}.sqlite*"):
            path.unlink()
        figures["import"] = run_cli(["--db", str(db), "import", str(articles)])
        report("import", figures["import"], docs)
    if not db.exists():
        raise SystemExit(f"no database {db}: run without --skip import or --reuse")
    if "suggest" not in skip:
        figures["suggest"] = run_cli(["--db", str(db), "suggest"])
        report("suggest", figures["suggest"], docs)
    if "export" not in skip:
        out = work / f"out-{docs}.jsonl"
        figures["export"] = run_cli(
            ["--db", str(db), "export", "--format", "jsonl", "--out", str(out)]
        )
        report("export jsonl", figures["export"], docs)
    if "window" not in skip:
        figures["window"] = window = run_window(db)
        print_window(window)
    return figures


def report(name: str, figure: object, docs: int) -> None:
    assert isinstance(figure, dict)
    seconds = figure["seconds"]
    print(
        f"  {name:13s} {seconds:8.1f} s  {docs / seconds:7.0f} docs/s  "
        f"{1e6 * seconds / docs:7.0f} µs/doc  peak RSS {figure['peak_rss_mb']:.0f} MB",
        flush=True,
    )


def verdict(value: float, goal: float) -> str:
    return f"(goal <= {goal:g}: {'ok' if value <= goal else 'OVER'})"


def print_window(w: dict[str, object]) -> None:
    ms = {key: float(value) for key, value in w.items() if isinstance(value, (int, float))}
    print(f"  window on {int(ms['rows']):,} documents:")
    print(
        f"    navigator shown      {ms['shown_ms']:7.0f} ms {verdict(ms['shown_ms'], 1000)}"
        f"  (settled {ms['settled_ms']:.0f} ms; from process start, imports included: "
        f"{ms['startup_ms']:.0f} ms)"
    )
    print(f"    scroll to the end    {ms['scroll_ms']:7.1f} ms {verdict(ms['scroll_ms'], 100)}")
    print(
        f"    filter by title      {ms['filter_ms']:7.1f} ms {verdict(ms['filter_ms'], 100)}"
        f"  ({int(ms['filter_rows'])} rows; clearing it {ms['unfilter_ms']:.0f} ms)"
    )
    sorts = w["sorts_ms"]
    assert isinstance(sorts, dict)
    for name, (first, settled) in sorts.items():
        print(
            f"    sort {name:15s} {first:7.1f} ms {verdict(first, 100)}"
            f"  (every id read: {settled:.0f} ms)"
        )
    searches = w["search_ms"]
    assert isinstance(searches, dict)
    for query, (took, hits) in searches.items():
        print(f"    search {query!r:14s} {took:6.1f} ms {verdict(took, 200)}  ({hits} hits)")
    print(f"    open a document      {ms['open_ms']:7.1f} ms")
    print(f"    peak RSS             {ms['peak_rss_mb']:7.0f} MB {verdict(ms['peak_rss_mb'], 500)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000, help="0: no scaling comparison")
    parser.add_argument("--work", type=Path, default=Path("/tmp/annotator-scale"))
    parser.add_argument("--reuse", type=Path, help="the big run's database, already imported")
    parser.add_argument("--reuse-small", type=Path, help="the small run's database")
    parser.add_argument("--skip", action="append", default=[], choices=PHASES)
    parser.add_argument("--window-phase", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.window_phase:
        window_phase(args.window_phase)
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    skip = set(args.skip)
    runs = {}
    for docs, reuse in ((args.small, args.reuse_small), (args.docs, args.reuse)):
        if docs:
            print(f"{docs:,} articles (work folder {args.work}):", flush=True)
            runs[docs] = corpus_run(docs, args.work, reuse, skip)
    result = [f"docs={args.docs}"]
    big = runs[args.docs]
    if args.small and args.small != args.docs:
        small = runs[args.small]
        for phase in ("import", "suggest", "export"):
            if phase in big and phase in small:
                per_big = big[phase]["seconds"] / args.docs  # type: ignore[index]
                per_small = small[phase]["seconds"] / args.small  # type: ignore[index]
                ratio = per_big / per_small
                print(
                    f"per-document cost {phase:8s} {args.docs:,} / {args.small:,}: "
                    f"{ratio:.2f}x {verdict(ratio, SCALING_GOAL)}"
                )
                result.append(f"{phase}_scaling={ratio:.2f}")
    window = big.get("window")
    if isinstance(window, dict):
        sorts = window["sorts_ms"]
        result += [
            f"shown_ms={window['shown_ms']:.0f}",
            f"scroll_ms={window['scroll_ms']:.0f}",
            f"filter_ms={window['filter_ms']:.0f}",
            f"sort_max_ms={max(first for first, _ in sorts.values()):.0f}",
            f"search_max_ms={max(t for t, _ in window['search_ms'].values()):.0f}",
            f"window_rss_mb={window['peak_rss_mb']:.0f}",
        ]
    for phase in ("import", "suggest", "export"):
        if phase in big:
            result.append(f"{phase}_s={big[phase]['seconds']:.1f}")  # type: ignore[index]
    print("RESULT scale " + " ".join(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
