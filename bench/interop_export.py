"""Benchmark: the doccano and Label Studio exports against jsonl, and the .spacy import.

Not a test. Builds 10,000 generated articles / 200,000 spans (bench/import_export.py's
generator, via bench/export_speed.py), runs ``annotator export`` once per format in a new
process each (best of ``--repeat``), prints wall and CPU time, the ratio to jsonl and peak
RSS; then writes the database as a DocBin (``--format spacy``) and times ``annotator
import`` of that ``.spacy`` file into a new database.

    .venv/bin/python bench/interop_export.py [--docs 10000] [--spans-per-doc 20] [--repeat 2]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from export_speed import build, count, export, ratio, run  # the bench folder is not a package

FORMATS = (("doccano", "out.doccano.jsonl"), ("doccano-relations", "out.rel.jsonl"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--spans-per-doc", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="annotator-interop-bench-") as tmp:
        work = Path(tmp)
        db = build(work, "articles", args.docs, args.spans_per_doc)
        docs, spans = count(db)
        print(f"{docs} documents, {spans} spans")
        r = args.repeat
        jsonl = export(db, "jsonl", work / "out.jsonl", None, r)
        print(f"jsonl: {jsonl}; peak RSS {jsonl.rss:.0f} MB")
        for fmt, name in (*FORMATS, ("labelstudio", "out.json")):
            figure = export(db, fmt, work / name, None, r)
            size = (work / name).stat().st_size / 1e6
            print(
                f"{fmt}: {figure}; ratio to jsonl {ratio(figure, jsonl)}; "
                f"peak RSS {figure.rss:.0f} MB; {size:.0f} MB"
            )
        docbin = work / "out.spacy"
        spacy_export = export(db, "spacy", docbin, None, 1)
        print(f"spacy export (to build the DocBin): {spacy_export}")
        target = work / "from-docbin.sqlite"
        cli = [sys.executable, "-m", "annotator", "--db", str(target), "import", str(docbin)]
        spacy_import = run(cli, None, 1)
        docs, spans = count(target)
        print(
            f"spacy import of {docbin.stat().st_size / 1e6:.0f} MB .spacy: {spacy_import} "
            f"({docs} documents, {spans} spans); peak RSS {spacy_import.rss:.0f} MB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
