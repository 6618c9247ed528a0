"""What taking SQLite's write lock up front costs an action, and how soon a waiting change goes
through once another program lets the lock go.

    python bench/write_lock.py [--actions 400]

prints the median and p95 of a label action (add a span, one undo step) with the write-lock
listener (store/sqlite_access.py: BEGIN IMMEDIATE before the first write, the read-only check)
and without it, in the same run on the same database, and their ratio; then the delay between
another process releasing the lock and a waiting change being committed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.core.model import Document
from annotator.store.engine import lock_wait
from annotator.workspace import Workspace
from tests.sqlite_holders import LockHolder

TEXT = "Presiden Rusia Vladimir Putin bertemu John Kerry di Moskow pada Sabtu (24/10). " * 40


def _timed(ws: Workspace, doc_id: int, count: int, label: str = "LOC") -> list[float]:
    times = []
    for i in range(count):
        start = i * 7
        began = time.perf_counter()
        ws.add_span(doc_id, start, start + 5, label)
        times.append(time.perf_counter() - began)
    return times


def _figures(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"median {statistics.median(times) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=400)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-lock-"))
    db = folder / "bench.sqlite"
    with Workspace.open(db, annotator="bench") as ws:
        docs = [Document(text=f"{n}. {TEXT}", title=f"d{n}", source="bench") for n in range(2)]
        first, second = ws.store.documents.insert(docs, annotator="bench")
        _timed(ws, first, 20, "DATE")  # warm
        with_lock = _timed(ws, first, args.actions)
        wait = lock_wait(ws.store.engine)
        assert wait is not None and wait.listener is not None
        event.remove(ws.store.engine, "before_cursor_execute", wait.listener)
        without = _timed(ws, second, args.actions)
        event.listen(ws.store.engine, "before_cursor_execute", wait.listener)
    print(f"label action, write lock taken up front: {_figures(with_lock)}")
    print(f"label action, SQLite's own locking:     {_figures(without)}")
    ratio = statistics.median(with_lock) / statistics.median(without)
    print(f"ratio (median, up front / own): {ratio:.2f}")

    delays = []
    with Workspace.open(db, annotator="bench") as ws:
        doc_id = ws.documents()[0].id
        for n in range(10):
            holder = LockHolder(db)
            released: list[float] = []

            def release(holder: LockHolder = holder, released: list[float] = released) -> None:
                time.sleep(0.5)
                released.append(time.perf_counter())
                holder.release()

            thread = threading.Thread(target=release)
            thread.start()
            ws.add_span(doc_id, n, n + 3, "ORG")
            done = time.perf_counter()
            thread.join()
            delays.append(done - released[0])
    print(
        f"a waiting change committed after the lock is let go: median "
        f"{statistics.median(delays) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms "
        f"(SQLite retries within each 200 ms slice)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
