"""Benchmark: `annotator import` of 10,000 generated articles on SQLite and on PostgreSQL.

Not a test. Each import is a whole process, as a user runs it, into a new database; then two
searches over the corpus (in this process). PostgreSQL is a throwaway cluster
(tests/pg_cluster.py) unless --pg gives an empty database's URL.
Prints seconds and docs/s per engine.

    .venv/bin/python bench/pg_import.py [--docs 10000] [--spans-per-doc 20] [--pg URL]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from import_export import generate


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "annotator", *argv], check=True, capture_output=True, text=True
    )
    return time.perf_counter() - start


def run(engine: str, db: str, articles: Path, docs: int) -> None:
    timed(["--db", db, "db", "upgrade"])
    seconds = timed(["--db", db, "import", str(articles)])
    from annotator.workspace import Workspace

    with Workspace.open(db, annotator="bench") as ws:
        start = time.perf_counter()
        first = ws.search("pemerintah")  # on SQLite: catches the index up first
        first_s = time.perf_counter() - start
        start = time.perf_counter()
        again = ws.search("kementerian dalam", limit=200)
        again_s = time.perf_counter() - start
    print(
        f"{engine:<10} import {docs} docs: {seconds:6.1f} s  {docs / seconds:7.0f} docs/s;"
        f"  first search {first_s:.2f} s ({len(first)} hits), next {again_s * 1000:.0f} ms"
        f" ({len(again)} hits)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--spans-per-doc", type=int, default=20)
    parser.add_argument("--pg", help="an empty PostgreSQL database (default: a throwaway cluster)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="annotator-pg-bench-") as folder:
        work = Path(folder)
        articles = work / "articles.jsonl"
        generate(articles, args.docs, args.spans_per_doc)
        mb = articles.stat().st_size / 1e6
        print(f"{args.docs} articles, {args.docs * args.spans_per_doc} spans, {mb:.0f} MB JSONL")
        run("sqlite", str(work / "bench.sqlite"), articles, args.docs)
        if args.pg:
            run("postgresql", args.pg, articles, args.docs)
            return 0
        from tests.pg_cluster import Cluster

        cluster = Cluster()
        try:
            cluster.admin("CREATE DATABASE bench")
            run("postgresql", cluster.url("bench"), articles, args.docs)
        finally:
            cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
