"""Benchmark: the hot matchers alone, best of several runs, and a digest of what they found.

Not a test. The texts and pack of ``rules_speed.py`` (without spaCy and the database), timed
per rule kind: the time each kind's matchers take over all texts (their ``Doc`` already
built), and the whole ``Engine.run``. CPU time of this process, best of ``--repeat``
runs, since this machine is shared (wall time would count the other jobs). The digest (a
hash of every match) must not change when the code is only reshaped.

    .venv/bin/python bench/rules_hot.py [--docs 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from rules_speed import make_articles, make_terms

from annotator.rules import Engine, load_pack
from annotator.rules.doc import Deadline, Doc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(20151025)
    terms = make_terms(5000, rng)
    texts = make_articles(args.docs, terms, rng)
    pack, problems = load_pack(ROOT / "resources" / "rules" / "id-news")
    assert not problems, problems
    engine = Engine(pack)
    digest = hashlib.sha256()
    for text in texts:
        digest.update(repr(engine.run(text).matches).encode())
    best: dict[str, float] = defaultdict(lambda: float("inf"))
    for _ in range(args.repeat):
        t0 = time.process_time()
        for text in texts:
            engine.run(text)
        best["Engine.run"] = min(best["Engine.run"], time.process_time() - t0)
        spent: dict[str, float] = defaultdict(float)
        for text in texts:
            doc = Doc(text, engine._phrases, engine._anchors)
            t0 = time.process_time()
            _ = doc._scan  # PhraseSet.scan
            spent["shared scan"] += time.process_time() - t0
            t0 = time.process_time()
            _ = doc.words, doc.break_before
            spent["tokens"] += time.process_time() - t0
            first = engine.resolver(engine._apply(engine._first, doc, []))
            doc.set_earlier(first)
            for rule, matcher in engine._first + engine._second:
                t0 = time.process_time()
                matcher(doc, Deadline(1.0))
                key = rule.kind if rule.kind != "context" else rule.pattern["type"]
                spent[key] += time.process_time() - t0
        for key, value in spent.items():
            best[key] = min(best[key], value)
    mb = sum(len(t.encode()) for t in texts) / 1e6
    print(f"{len(texts)} articles, {mb:.2f} MB, default pack ({len(pack)} rules)")
    for key, value in sorted(best.items()):
        print(f"  {key:<16} {value * 1000:8.1f} ms")
    print(f"digest {digest.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
