"""What the automatic daily backup costs: the check every write pays, and the day's first
write, which copies the database (store/daily_backup.py).

Not a test. A database of ``--docs`` (10,000) generated articles with 20 spans each is imported
(bench/import_export.generate, `annotator import` in a process of its own, as a user runs it).
Then, in this process:
- check: ``DailyBackup.before_write()`` on a day already backed up (the real clock),
  ``--repeat`` (100,000) times: what every write transaction pays (a clock read, a comparison);
- first write: one label added on a new day, which makes the copy (SQLite's backup API) and
  rotates; timed whole, and the copy alone (``write_backup``);
- a label added on the same day again, for comparison;
- a restore of that copy (``backup --restore``: the replaced state copied first, then the pages).

    .venv/bin/python bench/daily_backup.py [--docs 10000] [--repeat 100000]

Last line: RESULT daily_backup check_us=… first_write_s=… copy_s=… next_write_ms=… restore_s=…
db_mb=…
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from import_export import generate

from annotator.store.daily_backup import DAILY, write_backup
from annotator.workspace import Workspace


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="annotator-backup-bench-") as folder:
        work = Path(folder)
        os.environ["ANNOTATOR_CONFIG_DIR"] = str(work / "config")
        articles = work / "articles.jsonl"
        generate(articles, args.docs, 20)
        db = work / "bench.sqlite"
        subprocess.run(
            [sys.executable, "-m", "annotator", "--db", str(db), "import", str(articles)],
            check=True,
            capture_output=True,
        )
        mb = db.stat().st_size / 1e6
        with Workspace.open(db, annotator="bench") as ws:
            daily = ws.store.daily_backup
            assert daily is not None
            ws.add_label("WARM")  # today's backup made: from now on only the check
            start = time.perf_counter()
            for _ in range(args.repeat):
                daily.before_write()
            check_us = (time.perf_counter() - start) / args.repeat * 1e6

            moment = datetime(2030, 1, 1, 9, 0)  # a new day
            daily.now = lambda: moment
            start = time.perf_counter()
            ws.add_label("NEWDAY")
            first_s = time.perf_counter() - start
            start = time.perf_counter()
            ws.add_label("SAMEDAY")
            next_ms = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            copy = write_backup(db, DAILY, moment + timedelta(hours=1))
            copy_s = time.perf_counter() - start
            start = time.perf_counter()
            ws.restore_backup(str(copy))  # a copy of the state before first, then the pages
            restore_s = time.perf_counter() - start
        print(f"{args.docs} articles, database {mb:.0f} MB")
        print(f"check on a write (day already backed up): {check_us:.2f} µs")
        print(f"first write of a day (copy + rotation + the write): {first_s:.2f} s")
        print(f"the copy alone (SQLite backup API): {copy_s:.2f} s")
        print(f"a later write the same day: {next_ms:.1f} ms")
        print(f"backup --restore of that copy (saving the replaced state first): {restore_s:.2f} s")
        print(
            f"RESULT daily_backup check_us={check_us:.2f} first_write_s={first_s:.2f} "
            f"copy_s={copy_s:.2f} next_write_ms={next_ms:.1f} restore_s={restore_s:.2f} "
            f"db_mb={mb:.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
