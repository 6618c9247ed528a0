"""Benchmark: the rule engine on one 1 MB article against the same text in 5 KB pieces.

Not a test. Every rule kind should be linear in the text length, so the whole article should
cost about what its pieces cost together (goal: within 1.5x). Two texts, default id-news pack,
default time limit:
- generated: 200 articles of ~5 KB from bench/rules_speed.py's generator (names from a list of
  50,000, so a few thousand distinct people, quotes, dates, acronyms), joined by blank lines;
- samples: the annotated sample articles (tests/data/id-news-samples) glued until ~1 MB.

Each text is timed whole and in its pieces, in turn, ``--rounds`` times (the machine is shared:
the two sides of a ratio are taken in the same round, every round is printed, and the median
ratio is the figure). Then the
time of each rule on the whole text against its time over the pieces, the worst first, and
the number of matches each way (a whole article has more: an acronym defined in one piece is
found in all, a name seen after a title is looked for everywhere).

The last line is ``RESULT rules_big_doc whole_s=… pieces_s=… ratio=… samples_ratio=…``
(the round with the median ratio of the generated text; the samples' median ratio).

    .venv/bin/python bench/rules_big_doc.py [--rounds 5] [--top 8] [--megabytes 1]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from rules_speed import make_articles, make_terms

from annotator.rules import Engine, load_pack

SEP = "\n\n"
SAMPLES = ROOT / "tests" / "data" / "id-news-samples"


def generated_pieces(megabytes: float) -> list[str]:
    rng = random.Random(20151025)
    terms = make_terms(50_000, rng)
    return make_articles(int(200 * megabytes), terms, rng, size=5000)


def sample_pieces(megabytes: float) -> list[str]:
    texts = [
        json.loads(line)["text"]
        for name in ("articles.jsonl", "held-out.jsonl")
        for line in (SAMPLES / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    pieces: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        for text in texts:
            pieces.append(text)
            size += len(text.encode("utf-8")) + len(SEP)
    return pieces


def timed(run: Callable[[], int]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of this process, what ``run`` returned)."""
    t0, c0 = time.perf_counter(), time.process_time()
    n = run()
    return time.perf_counter() - t0, time.process_time() - c0, n


def time_rules(engine: Engine, times: Counter[str]) -> None:
    """Make ``engine`` add each rule's time to ``times`` (a bench-only wrapper per matcher)."""
    for pairs in (engine._first, engine._second):
        for k, (rule, matcher) in enumerate(pairs):

            def timed_matcher(doc, deadline, matcher=matcher, name=rule.name):
                t0 = time.perf_counter()
                try:
                    return matcher(doc, deadline)
                finally:
                    times[name] += time.perf_counter() - t0

            pairs[k] = (rule, timed_matcher)


def measure(
    name: str, pieces: list[str], pack: list, rounds: int, top: int
) -> tuple[float, float, float]:
    """(ratio, whole s, pieces s) of the median round, after printing every round and the
    rules."""
    whole = SEP.join(pieces)
    mb = len(whole.encode("utf-8")) / 1e6
    kb = mb * 1000 / len(pieces)
    print(f"\n{name}: {mb:.2f} MB in {len(pieces)} pieces of ~{kb:.1f} KB")
    engine = Engine(pack)
    engine.run(pieces[0])  # builds the automata
    failures: set[str] = set()

    def run_whole() -> int:
        result = engine.run(whole)
        failures.update(f"{f.rule} ({f.reason})" for f in result.failures)
        return len(result.matches)

    def run_pieces() -> int:
        return sum(len(engine.run(p).matches) for p in pieces)

    ratios = []
    for k in range(rounds):
        # Alternate which side goes first, so a burst of load weighs on both alike.
        if k % 2:
            whole_s, whole_cpu, whole_n = timed(run_whole)
            pieces_s, pieces_cpu, pieces_n = timed(run_pieces)
        else:
            pieces_s, pieces_cpu, pieces_n = timed(run_pieces)
            whole_s, whole_cpu, whole_n = timed(run_whole)
        ratios.append((whole_s / pieces_s, whole_s, pieces_s))
        # CPU time too: other work on a shared machine stretches wall time, hardly this.
        print(
            f"  round {k + 1}: {mb:.0f} MB article: {whole_s:.3f} s; "
            f"same text in {kb:.0f} KB pieces: "
            f"{pieces_s:.3f} s; ratio {whole_s / pieces_s:.2f}x (goal <= 1.5x); "
            f"CPU {whole_cpu:.3f} s / {pieces_cpu:.3f} s = {whole_cpu / pieces_cpu:.2f}x"
        )
    print(
        f"  matches: whole {whole_n}, pieces {pieces_n}; "
        f"rules failed on the whole: {', '.join(sorted(failures)) or 'none'}"
    )

    times: Counter[str] = Counter()
    time_rules(engine, times)
    engine.run(whole)
    on_whole = times.copy()
    times.clear()
    for p in pieces:
        engine.run(p)
    print("  worst rules on the whole article (s, whole vs pieces):")
    for rule, seconds in on_whole.most_common(top):
        spent = times[rule]
        print(
            f"    {rule:<36} {seconds:7.3f}  {spent:7.3f}  {seconds / spent if spent else 0:5.2f}x"
        )
    ratios.sort()
    median = ratios[len(ratios) // 2]
    print(f"  median ratio {median[0]:.2f}x, best {ratios[0][0]:.2f}x, worst {ratios[-1][0]:.2f}x")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--megabytes", type=float, default=1.0)
    args = parser.parse_args()
    pack, problems = load_pack(ROOT / "resources" / "rules" / "id-news")
    assert not problems, problems
    ratio, whole_s, pieces_s = measure(
        "generated", generated_pieces(args.megabytes), pack, args.rounds, args.top
    )
    samples = measure("samples", sample_pieces(args.megabytes), pack, args.rounds, args.top)[0]
    print(
        f"RESULT rules_big_doc whole_s={whole_s:.3f} pieces_s={pieces_s:.3f} ratio={ratio:.2f} "
        f"samples_ratio={samples:.2f}"
    )


if __name__ == "__main__":
    main()
