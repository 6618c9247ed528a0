"""Benchmark: the tagger rule (rules/kinds/tagger.py) trained on 200 pseudo-documents of each
gold corpus: training time, model size in the rule's definition, matching time per document,
and its exact P/R/F1 on the next 60 documents (PERSON, ORG, LOC; for information, the
simulated analyst's figures are bench/rules_quality.py's).

    .venv/bin/python bench/tagger_train.py [--corpora DIR] [--train 200] [--test 60]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import rules_quality as rq

from annotator.rules import Engine
from annotator.rules.tagger_training import train_tagger


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    ap.add_argument("--train", type=int, default=200)
    ap.add_argument("--test", type=int, default=60)
    args = ap.parse_args()
    if not args.corpora.is_dir():
        print(f"no gold corpora at {args.corpora}: nothing to measure")
        return 0
    for spec in rq.CORPORA:
        folder = args.corpora / spec.folder
        if not folder.is_dir():
            continue
        docs = [
            d
            for split in spec.splits
            if (folder / split).is_file()
            for d in rq.build_docs(spec, folder, split, 10, Counter())
        ]
        train, test = docs[: args.train], docs[args.train : args.train + args.test]
        t0 = time.perf_counter()
        rule = train_tagger([(d.text, d.gold) for d in train], rq.SCORED)
        trained = time.perf_counter() - t0
        engine = Engine([rule])
        engine.run(test[0].text)  # the model is opened once, on the first document
        t0 = time.perf_counter()
        counts = rq.score(engine, test)
        matching = (time.perf_counter() - t0) / max(len(test), 1) * 1000
        print(
            f"\n== {spec.name}: trained on {len(train)} documents "
            f"({sum(len(d.gold) for d in train)} spans) in {trained:.1f} s; model "
            f"{len(rule.pattern['model']) / 1000:.0f} kB in the definition; "
            f"{matching:.1f} ms a document to match; scores on the next {len(test)} documents:"
        )
        rq.print_scores(counts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
