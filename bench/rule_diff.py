"""Benchmark: the corpus diff of a rule edit on 10,000 generated news articles (~4 KB each).

Not a test. Builds a database of generated articles (the rules_speed generator: filler
sentences with made-up names, the seed article's entities, dates, acronyms and quotes), then
times ``Workspace.corpus_diff`` for a few edits of the default pack, from a narrow one (an
exception) to broad ones (a gazetteer's priority, a context rule's reach), and, in the same
run, the brute force for one of them: both full engines on every document, compared. Goal
(issue 12): the diff arrives within 10 s on 10,000 articles.

The last line is ``RESULT rule_diff docs=… <edit>_s=… … brute_s=…``.

    .venv/bin/python bench/rule_diff.py [--docs 10000] [--no-brute] [--workers N]

``--workers 0`` keeps the work in this process; by default a corpus of 2,000 documents or more
is spread over the machine's cores (rules/corpus_diff_pool.py).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from rules_speed import FIXED, make_articles, make_terms

from annotator.rules import dump_rule, parse_rule
from annotator.rules.corpus_diff import DocumentDiffer, compare
from annotator.rules.load import edit_rule
from annotator.workspace import Workspace

EXTRA = [
    "Presiden Joko Widodo mengatakan",
    "di Jakarta",
    "Komisi Pemberantasan Korupsi (KPK)",
    "Kabupaten Klaten",
    "kata Budi Santoso",
    "Menteri Keuangan Sri Mulyani",
]


def generate(path: Path, docs: int, seed: int = 12) -> int:
    rng = random.Random(seed)
    terms = make_terms(400, rng) + FIXED + EXTRA
    size = 0
    with open(path, "w", encoding="utf-8") as f:
        for i in range(0, docs, 500):
            for k, text in enumerate(make_articles(min(500, docs - i), terms, rng, size=4000)):
                record = {"text": text, "title": f"Artikel {i + k}"}
                line = json.dumps(record, ensure_ascii=False) + "\n"
                size += len(line)
                f.write(line)
    return size


def _by(rules, name):
    return next(r for r in rules if r.name == name)


def _swap(rules, new):
    return [new if r.name == new.name else r for r in rules]


def _pattern(rule, **changes):
    pattern = dump_rule(rule, inline_terms=True)["pattern"]
    pattern.update(changes)
    return edit_rule(rule, {"pattern": pattern})


def edits(rules):
    """name -> the rule set after the edit."""
    one_term = parse_rule(
        {
            "name": "kpk",
            "label": "ORG",
            "kind": "phrase",
            "pattern": {"terms": ["KPK"]},
            "priority": 30,
        }
    )
    return {
        "exception": _swap(rules, _by(rules, "media-id").with_exception("Reuters")),
        "new_term_rule": [*rules, one_term],
        "roles_priority": _swap(rules, _by(rules, "roles-id").edited(priority=0)),
        "after_title_reach": _swap(rules, _pattern(_by(rules, "person-after-title"), max_tokens=1)),
    }


def brute(ws: Workspace, before, after) -> tuple[float, int]:
    """Both full engines on every document, compared; (seconds, differences)."""
    from annotator.store.corpus_reading import texts_in_chunks

    started = time.perf_counter()
    differ = DocumentDiffer(before, after)
    found = 0
    for chunk in texts_in_chunks(ws.store.database):
        for _, _, text in chunk:
            found += len(compare(differ.before.run(text).matches, differ.after.run(text).matches))
    return time.perf_counter() - started, found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--no-brute", action="store_true")
    parser.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: as suits the corpus)"
    )
    args = parser.parse_args()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        size = generate(work / "articles.jsonl", args.docs)
        with Workspace.open(work / "bench.sqlite", annotator="bench") as ws:
            started = time.perf_counter()
            report = ws.import_paths([work / "articles.jsonl"])
            print(
                f"imported {report.imported:,} articles ({size / 1e6:.1f} MB) "
                f"in {time.perf_counter() - started:.1f} s"
            )
            rules = ws.rules()
            after_sets = edits(rules)
            for name, after in after_sets.items():
                cpu = time.process_time()
                diff = ws.corpus_diff(rules, after, workers=args.workers)
                cpu = time.process_time() - cpu
                figures[f"{name}_s"] = diff.seconds
                print(
                    f"{name:18} {diff.seconds:6.2f} s (this process's CPU {cpu:5.2f} s)  ran full "
                    f"engines on {diff.ran:6,} of {diff.checked:,} documents; {diff.summary()}"
                )
            if not args.no_brute:
                name = "roles_priority"
                diff = ws.corpus_diff(rules, after_sets[name], workers=args.workers)
                seconds, found = brute(ws, rules, after_sets[name])
                figures["brute_s"] = seconds
                same = found == diff.appeared + diff.disappeared + diff.changed
                print(
                    f"brute force ({name}): {seconds:.2f} s, {found:,} differences "
                    f"({'the same count' if same else 'A DIFFERENT COUNT'} as the diff)"
                )
    print(
        "RESULT rule_diff docs="
        + str(args.docs)
        + " "
        + " ".join(f"{k}={v:.2f}" for k, v in figures.items())
    )


if __name__ == "__main__":
    main()
