"""Benchmark: import 10,000 generated news articles with 200,000 spans, then export them.

Not a test. Prints docs/s, MB/s and peak RSS for each phase; each phase runs in its own
process so its peak memory is its own. Goals (issue 2): import >= 2,000 docs/s,
jsonl export of the 200,000 spans <= 2 s, peak RSS <= 400 MB.

Issue 13: the import as a user runs it (`annotator import`, a whole process) against a floor in
the same run: a whole process that reads the same JSONL and writes the documents and spans into
bare tables with plain sqlite3 executemany, one commit. Goal: ratio <= 3x.

    .venv/bin/python bench/import_export.py [--docs 10000] [--spans-per-doc 20]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = [
    "pemerintah",
    "kementerian",
    "mengatakan",
    "bahwa",
    "kerja",
    "sama",
    "dengan",
    "negara",
    "lain",
    "akan",
    "terus",
    "ditingkatkan",
    "dalam",
    "rangka",
    "menjaga",
    "stabilitas",
    "keamanan",
    "kawasan",
    "serta",
    "mendorong",
    "pertumbuhan",
    "ekonomi",
    "nasional",
    "yang",
    "lebih",
    "baik",
    "menurut",
    "juru",
    "bicara",
    "presiden",
    "kepada",
    "wartawan",
    "di",
    "istana",
]
NAMES = [
    "Joko Widodo",
    "Sergey Lavrov",
    "John Kerry",
    "Retno Marsudi",
    "Vladimir Putin",
    "Barack Obama",
]
PLACES = ["Jakarta", "Moskow", "Suriah", "Amerika Serikat", "Surabaya", "Timur Tengah", "Mesir"]
ORGS = ["Kementerian Luar Negeri", "PBB", "ASEAN", "Tentara Pembebasan Suriah", "ISIS", "DPR"]
DATES = ["Sabtu (24/10)", "Ahad (25/10)", "3 November 2015", "sejak 2011", "Senin (2/11)"]


def generate(path: Path, docs: int, spans_per_doc: int, seed: int = 7) -> int:
    """Write ``docs`` JSONL records of about 4 KB with ``spans_per_doc`` spans each.

    Return bytes written.
    """
    rng = random.Random(seed)
    pools = [("PERSON", NAMES), ("LOC", PLACES), ("ORG", ORGS), ("DATE", DATES)]
    size = 0
    with open(path, "w", encoding="utf-8") as f:
        for i in range(docs):
            parts: list[str] = [f"Berita nomor {i}: laporan harian\n\n"]
            length = len(parts[0])
            spans = []
            for _ in range(spans_per_doc):
                filler = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 28))) + " "
                parts.append(filler)
                length += len(filler)
                label, pool = rng.choice(pools)
                entity = rng.choice(pool)
                spans.append({"start": length, "end": length + len(entity), "label": label})
                parts.append(entity)
                length += len(entity)
                parts.append(". ")
                length += 2
            record = {"text": "".join(parts), "spans": spans, "meta": {"n": i}}
            line = json.dumps(record, ensure_ascii=False) + "\n"
            size += len(line.encode("utf-8"))
            f.write(line)
    return size


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


FLOOR_SCRIPT = """
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[2])
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT, text TEXT, meta TEXT)")
conn.execute("CREATE TABLE spans (doc INTEGER, start INTEGER, \\"end\\" INTEGER, label TEXT)")
docs, spans = [], []
with open(sys.argv[1], encoding="utf-8") as f:
    for i, line in enumerate(f, 1):
        record = json.loads(line)
        docs.append((i, record.get("title", ""), record["text"], json.dumps(record.get("meta"))))
        spans.extend((i, s["start"], s["end"], s["label"]) for s in record["spans"])
with conn:
    conn.executemany("INSERT INTO documents VALUES (?, ?, ?, ?)", docs)
    conn.executemany("INSERT INTO spans VALUES (?, ?, ?, ?)", spans)
conn.close()
"""


def whole_process(argv: list[str], cwd: Path) -> float:
    """Wall-clock seconds of a whole process, as a user waits for it."""
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, cwd=cwd)
    return time.perf_counter() - started


def import_against_floor(work: Path) -> tuple[float, float]:
    """`annotator import` of the articles into a fresh database, and the floor, same run."""
    articles = work / "articles.jsonl"
    floor_db, cli_db = work / "floor.sqlite", work / "cli.sqlite"
    for path in (floor_db, cli_db):
        path.unlink(missing_ok=True)
    # Run in ``work``: `python -m annotator` imports the package from the current folder first,
    # so PYTHONPATH (or the installed one) decides which code is measured, not where this runs.
    floor = whole_process(
        [sys.executable, "-c", FLOOR_SCRIPT, str(articles), str(floor_db)], cwd=work
    )
    # A fresh database is made (migrated) first: the import alone is what is compared.
    subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(cli_db), "stats"],
        check=True,
        capture_output=True,
        cwd=work,
    )
    seconds = whole_process(
        [sys.executable, "-m", "annotator", "--db", str(cli_db), "import", str(articles)],
        cwd=work,
    )
    return seconds, floor


def print_import_ratio(work: Path, runs: int = 2) -> None:
    """The import against its floor, measured ``runs`` times (the machine is shared: noisy)."""
    for _ in range(runs):
        seconds, floor = import_against_floor(work)
        print(
            f"import: {seconds:.2f} s, floor {floor:.2f} s, ratio {seconds / floor:.1f} "
            "(goal <= 3x)"
        )


def phase(name: str, work: Path) -> None:
    """Run one phase in this process and print one JSON line of figures."""
    from annotator.workspace import Workspace

    db = work / "bench.sqlite"
    with Workspace.open(db, annotator="bench") as ws:
        started = time.perf_counter()
        if name == "import":
            report = ws.import_paths([work / "articles.jsonl"])
            assert not report.refused, report.refused[:3]
            docs, spans, size = (
                report.imported,
                report.spans,
                (work / "articles.jsonl").stat().st_size,
            )
        else:
            out = work / f"out.{name}"
            result = ws.export(name, out)
            docs, spans = result.documents, result.spans
            size = (
                sum(p.stat().st_size for p in out.rglob("*"))
                if out.is_dir()
                else out.stat().st_size
            )
        seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "phase": name,
                "seconds": seconds,
                "docs": docs,
                "spans": spans,
                "bytes": size,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--spans-per-doc", type=int, default=20)
    parser.add_argument(
        "--import-only", action="store_true", help="only the import against its floor"
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        phase(args.phase, Path(args.work))
        return 0
    with tempfile.TemporaryDirectory(prefix="annotator-bench-") as tmp:
        work = Path(tmp)
        size = generate(work / "articles.jsonl", args.docs, args.spans_per_doc)
        print(
            f"generated {args.docs} articles, {args.docs * args.spans_per_doc} spans, "
            f"{size / 1e6:.1f} MB"
        )
        if args.import_only:
            print_import_ratio(work)
            return 0
        figures = {}
        for name in ("import", "jsonl", "brat", "conll"):
            result = subprocess.run(
                [sys.executable, __file__, "--phase", name, "--work", str(work)],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                print(result.stderr, file=sys.stderr)
                return 1
            fig = json.loads(result.stdout.strip().splitlines()[-1])
            figures[name] = fig
            print(
                f"{name:7s} {fig['seconds']:7.2f} s  {fig['docs'] / fig['seconds']:8.0f} docs/s  "
                f"{fig['bytes'] / 1e6 / fig['seconds']:6.1f} MB/s  {fig['spans']} spans  "
                f"peak RSS {fig['peak_rss_mb']:.0f} MB"
            )
        print_import_ratio(work)
        imp, jl = figures["import"], figures["jsonl"]
        print(
            f"RESULT import_export import_docs_s={imp['docs'] / imp['seconds']:.0f} "
            f"jsonl_export_s={jl['seconds']:.2f} "
            f"peak_rss_mb={max(f['peak_rss_mb'] for f in figures.values()):.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
