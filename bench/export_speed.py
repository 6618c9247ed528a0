"""Benchmark: export 10,000 generated articles / 200,000 spans, each format a whole process.

Not a test. Builds the database with bench/import_export.py's generator (imported), then runs
``annotator export`` once per format as a user would (a new process each, so start-up and peak
RSS are its own) and a floor in the same run: plain sqlite3 reading the same documents and
spans + json.dumps a line each, also a whole process. Prints each time, the ratios against
the goals of issue 13 (jsonl <= 1.5x the floor; conll and xmi <= 3x jsonl) and peak RSS.
Each is the best of ``--repeat`` runs, wall time and CPU time (user + system, from wait4): on
a shared machine CPU time is the steadier figure.

    .venv/bin/python bench/export_speed.py [--docs 10000] [--spans-per-doc 20] [--xmi-docs N]
        [--also FORMAT ...]   (default: conllu webanno brat doccano labelstudio, against jsonl)

XMI is measured on its own database of the first ``--xmi-docs`` articles (default: all).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from import_export import generate  # the bench folder is not a package

FLOOR = """
import json, sqlite3, sys
db, out = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
labels = dict(con.execute("SELECT id, name FROM labels"))
names = dict(con.execute("SELECT id, name FROM annotators"))
with open(out, "w", encoding="utf-8") as f:
    last = 0
    while True:
        docs = con.execute(
            "SELECT id, uid, title, text, metadata, status, language FROM documents"
            " WHERE id > ? ORDER BY id LIMIT 500", (last,)).fetchall()
        if not docs:
            break
        spans = {}
        for row in con.execute(
            "SELECT document_id, start, \\"end\\", label_id, text, origin, rule, rule_version,"
            " annotator_id, note, attributes FROM spans WHERE document_id BETWEEN ? AND ?"
            " ORDER BY document_id, start, \\"end\\" DESC, label_id", (docs[0][0], docs[-1][0])):
            spans.setdefault(row[0], []).append({
                "start": row[1], "end": row[2], "label": labels[row[3]], "text": row[4],
                "origin": row[5], "rule": row[6], "rule_version": row[7],
                "annotator": names.get(row[8]), "note": row[9],
                "attributes": {} if row[10] == "{}" else json.loads(row[10])})
        for d in docs:
            f.write(json.dumps({"id": d[1], "title": d[2], "text": d[3], "meta": json.loads(d[4]),
                "status": d[5], "language": d[6], "spans": spans.get(d[0], [])},
                ensure_ascii=False) + "\\n")
        last = docs[-1][0]
"""


class Figure:
    """One measured process: wall seconds, CPU seconds (user + system) and peak RSS (MB)."""

    def __init__(self, wall: float, cpu: float, rss: float) -> None:
        self.wall, self.cpu, self.rss = wall, cpu, rss

    def __str__(self) -> str:
        return f"{self.wall:.2f} s ({self.cpu:.2f} s CPU)"


# What every `annotator export` pays before it reads a row.
STARTUP = """
import sys
import annotator.cli
from annotator.workspace import Workspace
with Workspace.open(sys.argv[1]):
    pass
"""


def run(args: list[str], code: Path | None = None, repeat: int = 1) -> Figure:
    """Run a whole process ``repeat`` times (with the annotator of the checkout ``code``, else
    this one's); the best wall and CPU time (the machine is shared: the best run is the one
    least disturbed) and the peak RSS, from wait4."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(code or Path(__file__).resolve().parents[1])
    figures = []
    for _ in range(repeat):
        started = time.perf_counter()
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        assert process.stderr is not None
        errors = process.stderr.read()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        # 3: an export that warned about spans its format cannot hold (it was written).
        if os.waitstatus_to_exitcode(status) not in (0, 3):
            raise SystemExit(f"{' '.join(args)} failed:\n{errors.decode(errors='replace')}")
        figures.append(Figure(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024))
    return Figure(
        min(f.wall for f in figures), min(f.cpu for f in figures), max(f.rss for f in figures)
    )


def export(db: Path, fmt: str, out: Path, code: Path | None = None, repeat: int = 1) -> Figure:
    cli = [sys.executable, "-m", "annotator", "--db", str(db), "export", "--format", fmt]
    return run([*cli, "--out", str(out)], code, repeat)


def ratio(a: Figure, b: Figure) -> str:
    return f"{a.wall / b.wall:.2f}x wall, {a.cpu / b.cpu:.2f}x CPU"


def build(work: Path, name: str, docs: int, spans_per_doc: int) -> Path:
    source = work / f"{name}.jsonl"
    generate(source, docs, spans_per_doc)
    db = work / f"{name}.sqlite"
    cli = [sys.executable, "-m", "annotator", "--db", str(db), "import", str(source)]
    subprocess.run(cli, check=True, capture_output=True)
    return db


def count(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as con:
        docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        spans = con.execute("SELECT count(*) FROM spans").fetchone()[0]
    return docs, spans


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--spans-per-doc", type=int, default=20)
    parser.add_argument("--xmi-docs", type=int, default=0, help="0: as many as --docs")
    parser.add_argument("--db", type=Path, help="export this database instead of generating one")
    parser.add_argument(
        "--before",
        type=Path,
        metavar="CHECKOUT",
        help="also time jsonl and conll with the annotator of this checkout (e.g. the code "
        "before a change), in the same run",
    )
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best counts")
    parser.add_argument(
        "--also",
        nargs="*",
        default=["conllu", "webanno", "brat", "doccano", "labelstudio"],
        metavar="FORMAT",
        help="more formats timed against jsonl (default: conllu webanno brat doccano labelstudio)",
    )
    parser.add_argument(
        "--before-xmi", action="store_true", help="with --before: XMI too (slow before)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="annotator-export-bench-") as tmp:
        work = Path(tmp)
        db = args.db or build(work, "articles", args.docs, args.spans_per_doc)
        docs, spans = count(db)
        print(f"{docs} documents, {spans} spans ({db.stat().st_size / 1e6:.0f} MB database)")
        r = args.repeat
        floor = run([sys.executable, "-c", FLOOR, str(db), str(work / "floor.jsonl")], None, r)
        jsonl = export(db, "jsonl", work / "out.jsonl", None, r)
        conll = export(db, "conll", work / "out.conll", None, r)
        startup = run([sys.executable, "-c", STARTUP, str(db)], None, r)
        print(
            f"jsonl: {jsonl}; floor (sqlite3 read + json.dumps) {floor}; ratio "
            f"{ratio(jsonl, floor)} (goal <= 1.5x); peak RSS {jsonl.rss:.0f} MB "
            f"(floor {floor.rss:.0f} MB)"
        )
        print(
            f"  of which start-up (imports + Workspace.open, no export) {startup}; jsonl less "
            f"start-up {jsonl.wall - startup.wall:.2f} s ({jsonl.cpu - startup.cpu:.2f} s CPU), "
            f"{(jsonl.wall - startup.wall) / floor.wall:.2f}x the floor"
        )
        print(
            f"conll: {conll}; ratio to jsonl {ratio(conll, jsonl)} (goal <= 3x); "
            f"peak RSS {conll.rss:.0f} MB"
        )
        if args.before:
            old_jsonl = export(db, "jsonl", work / "before.jsonl", args.before, r)
            old_conll = export(db, "conll", work / "before.conll", args.before, r)
            same = (work / "before.jsonl").read_bytes() == (work / "out.jsonl").read_bytes()
            same_conll = (work / "before.conll").read_bytes() == (work / "out.conll").read_bytes()
            print(
                f"before ({args.before}): jsonl {old_jsonl} ({ratio(old_jsonl, floor)} the "
                f"floor), conll {old_conll} ({ratio(old_conll, old_jsonl)} its jsonl); "
                f"same bytes: jsonl {same}, conll {same_conll}"
            )
        xmi_db = db
        if args.xmi_docs and args.xmi_docs < docs and not args.db:
            xmi_db = build(work, "xmi", args.xmi_docs, args.spans_per_doc)
        xmi_docs = count(xmi_db)[0]
        xmi = export(xmi_db, "xmi", work / "out-xmi", None, r)
        same_jsonl = jsonl if xmi_db == db else export(xmi_db, "jsonl", work / "x.jsonl", None, r)
        print(
            f"xmi: {xmi} for {xmi_docs} documents; ratio to jsonl of the same documents "
            f"({same_jsonl}) {ratio(xmi, same_jsonl)} (goal <= 3x); peak RSS {xmi.rss:.0f} MB"
        )
        also = {}
        for fmt in args.also:
            folder = fmt in ("brat", "webanno", "xmi")
            also[fmt] = export(db, fmt, work / (f"out-{fmt}" if folder else f"out.{fmt}"), None, r)
            print(
                f"{fmt}: {also[fmt]}; ratio to jsonl {ratio(also[fmt], jsonl)}; "
                f"peak RSS {also[fmt].rss:.0f} MB"
            )
        if args.before and args.before_xmi:
            old_xmi = export(xmi_db, "xmi", work / "before-xmi", args.before, 1)
            print(f"before: xmi {old_xmi} for {xmi_docs} documents")
        print(
            "RESULT export_speed "
            + json.dumps(
                {
                    "jsonl_s": round(jsonl.wall, 2),
                    "jsonl_cpu_s": round(jsonl.cpu, 2),
                    "floor_s": round(floor.wall, 2),
                    "floor_cpu_s": round(floor.cpu, 2),
                    "startup_s": round(startup.wall, 2),
                    "conll_s": round(conll.wall, 2),
                    "xmi_s": round(xmi.wall, 2),
                    "xmi_docs": xmi_docs,
                    **{f"{fmt}_s": round(t.wall, 2) for fmt, t in also.items()},
                    "peak_rss_mb": round(max(jsonl.rss, conll.rss, xmi.rss)),
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
