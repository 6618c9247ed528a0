"""Benchmark: export 10,000 generated articles / 200,000 spans, each format a whole process.

Not a test. Builds the database with bench/import_export.py's generator (imported), then runs
``annotator export`` once per format as a user would (a new process each, so start-up and peak
RSS are its own) and a floor in the same run: plain sqlite3 reading the same documents and
spans + json.dumps a line each, also a whole process. Prints each time, the ratios against
the goals of issue 13 (jsonl <= 1.5x the floor; conll and xmi <= 3x jsonl) and peak RSS.

    .venv/bin/python bench/export_speed.py [--docs 10000] [--spans-per-doc 20] [--xmi-docs N]

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


def run(args: list[str], code: Path | None = None) -> tuple[float, float]:
    """Run a whole process (with the annotator of the checkout ``code``, else this one's);
    its wall time and its own peak RSS (MB, from wait4)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(code or Path(__file__).resolve().parents[1])
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{errors.decode(errors='replace')}")
    return seconds, usage.ru_maxrss / 1024


def export(db: Path, fmt: str, out: Path, code: Path | None = None) -> tuple[float, float]:
    cli = [sys.executable, "-m", "annotator", "--db", str(db), "export", "--format", fmt]
    return run([*cli, "--out", str(out)], code)


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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="annotator-export-bench-") as tmp:
        work = Path(tmp)
        db = args.db or build(work, "articles", args.docs, args.spans_per_doc)
        docs, spans = count(db)
        print(f"{docs} documents, {spans} spans ({db.stat().st_size / 1e6:.0f} MB database)")
        floor, floor_rss = run([sys.executable, "-c", FLOOR, str(db), str(work / "floor.jsonl")])
        jsonl, jsonl_rss = export(db, "jsonl", work / "out.jsonl")
        conll, conll_rss = export(db, "conll", work / "out.conll")
        print(
            f"jsonl: {jsonl:.2f} s; floor (sqlite3 read + json.dumps) {floor:.2f} s; "
            f"ratio {jsonl / floor:.2f}x (goal <= 1.5x); peak RSS {jsonl_rss:.0f} MB "
            f"(floor {floor_rss:.0f} MB)"
        )
        print(
            f"conll: {conll:.2f} s; ratio to jsonl {conll / jsonl:.2f}x (goal <= 3x); "
            f"peak RSS {conll_rss:.0f} MB"
        )
        if args.before:
            old_jsonl, _ = export(db, "jsonl", work / "before.jsonl", args.before)
            old_conll, _ = export(db, "conll", work / "before.conll", args.before)
            same = (work / "before.jsonl").read_bytes() == (work / "out.jsonl").read_bytes()
            same_conll = (work / "before.conll").read_bytes() == (work / "out.conll").read_bytes()
            print(
                f"before ({args.before}): jsonl {old_jsonl:.2f} s ({old_jsonl / floor:.2f}x the "
                f"floor), conll {old_conll:.2f} s; same bytes: jsonl {same}, conll {same_conll}"
            )
        xmi_db = db
        if args.xmi_docs and args.xmi_docs < docs and not args.db:
            xmi_db = build(work, "xmi", args.xmi_docs, args.spans_per_doc)
        xmi_docs = count(xmi_db)[0]
        xmi, xmi_rss = export(xmi_db, "xmi", work / "out-xmi")
        same_jsonl = jsonl * xmi_docs / docs
        print(
            f"xmi: {xmi:.2f} s for {xmi_docs} documents; ratio to jsonl "
            f"{xmi / same_jsonl:.2f}x (goal <= 3x; jsonl of as many documents {same_jsonl:.2f} s, "
            f"pro rata); peak RSS {xmi_rss:.0f} MB"
        )
        print(
            "RESULT export_speed "
            + json.dumps(
                {
                    "jsonl_s": round(jsonl, 2),
                    "floor_s": round(floor, 2),
                    "conll_s": round(conll, 2),
                    "xmi_s": round(xmi, 2),
                    "xmi_docs": xmi_docs,
                    "peak_rss_mb": round(max(jsonl_rss, conll_rss, xmi_rss)),
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
