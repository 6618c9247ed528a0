"""Benchmark: the default ``id-news`` pack on our own annotated Indonesian news articles.

Not a test: a script that prints figures. ``tests/data/id-news-samples/articles.jsonl`` holds
short news articles written for this project (see ``tests/data/PROVENANCE.md``), annotated by
hand for all six labels of the pack: PERSON, ORG, LOC, DATE, ROLE and QUOTE. Unlike the gold
corpora of ``bench/rules_quality.py`` they score DATE, ROLE and QUOTE too.

    .venv/bin/python bench/pack_samples.py [--errors] [--pack DIR] [--samples FILE]

Scores are exact span matches (start, end and label), per label and micro-averaged. With
``--errors`` every missed gold span and every wrong suggestion is listed, per article.

The last line is ``RESULT pack_samples f1_micro=… f1_min=…`` (one line).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.rules import Engine, load_pack

PACK = ROOT / "resources" / "rules" / "id-news"
SAMPLES = ROOT / "tests" / "data" / "id-news-samples" / "articles.jsonl"
LABELS = ("PERSON", "ORG", "LOC", "DATE", "ROLE", "QUOTE")

Span = tuple[int, int, str]


def read_samples(path: Path) -> list[tuple[str, str, set[Span]]]:
    """(id, text, gold spans) of each article."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc = json.loads(line)
            gold = {(s["start"], s["end"], s["label"]) for s in doc["spans"]}
            out.append((doc["id"], doc["text"], gold))
    return out


def prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def row(label: str, c: Counter) -> float:
    """Print one line of the table; return its F1."""
    p, r, f = prf(c["tp"], c["pred"], c["gold"])
    print(f"    {label:8} {c['gold']:5} {c['pred']:5} {c['tp']:5} {p:6.3f} {r:6.3f} {f:6.3f}")
    return f


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pack", type=Path, default=PACK)
    ap.add_argument("--samples", type=Path, default=SAMPLES)
    ap.add_argument("--errors", action="store_true", help="list misses and wrong suggestions")
    args = ap.parse_args()
    rules, problems = load_pack(args.pack, known_labels=set(LABELS))
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    engine = Engine(rules)
    counts = {label: Counter() for label in LABELS}
    articles = read_samples(args.samples)
    for name, text, gold in articles:
        pred = {(m.start, m.end, m.label) for m in engine.run(text).matches}
        for label in LABELS:
            g = {s for s in gold if s[2] == label}
            p = {s for s in pred if s[2] == label}
            counts[label].update(gold=len(g), pred=len(p), tp=len(g & p))
        if args.errors:
            print(f"-- {name}")
            for s, e, label in sorted(gold - pred):
                print(f"   missed {label:7} {text[s:e]!r}")
            for s, e, label in sorted(pred - gold):
                print(f"   wrong  {label:7} {text[s:e]!r}")
    print(f"pack {args.pack.name} on {args.samples.name}: {len(articles)} articles")
    print(f"    {'label':8} {'gold':>5} {'pred':>5} {'tp':>5} {'P':>6} {'R':>6} {'F1':>6}")
    total: Counter = Counter()
    f1s = []
    for label in LABELS:
        c = counts[label]
        total.update(c)
        f1s.append(row(label, c))
    f = row("micro", total)
    print(f"RESULT pack_samples f1_micro={f:.3f} f1_min={min(f1s):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
