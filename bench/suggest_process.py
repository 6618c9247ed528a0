"""The whole-process figure of bench/rules_speed.py: `annotator suggest` as a user runs it.

The texts go into a fresh database (the shipped rules plus the 50,000-term gazetteer), copied
once per run; ``annotator suggest --jobs 1`` and ``--jobs N`` (N: the cores) run as subprocesses
and are timed whole (start-up, reading and compiling the rules, the engine, every write). In the
same run, their floors: the engine alone in this process over the same texts (compiled
beforehand, nothing stored) and spaCy's ``blank("id")`` tokenizer alone (warmed on other
articles, as in rules_speed.py). Printed:

    suggest --jobs 1: X s; --jobs N: Y s; engine alone Z s; ratio Y/Z; spaCy tokenizer W s;
    ratio W/Y (throughput of suggest over the tokenizer's)

and a ``RESULT suggest_process ...`` line.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from annotator.rules import Engine, Rule, dump_rule


def _copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def _suggest(root: Path, db: Path, jobs: int | None) -> tuple[float, str]:
    """Seconds of one `annotator suggest` process, and its summary line."""
    command = [sys.executable, "-m", "annotator", "--db", str(db), "suggest"]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    env = {**os.environ, "PYTHONPATH": str(root), "ANNOTATOR_NAME": "bench"}
    t0 = time.perf_counter()
    # cwd: `python -m` puts it first on sys.path, so it decides which checkout runs.
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True, cwd=root)
    return time.perf_counter() - t0, done.stdout.strip()


def _knows_jobs(root: Path) -> bool:
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "annotator", "suggest", "--help"]
    done = subprocess.run(command, check=False, capture_output=True, text=True, env=env, cwd=root)
    return "--jobs" in done.stdout


def _tokenizer_seconds(texts: list[str], terms: list[str]) -> float | None:
    try:
        import spacy
    except ImportError:
        print("spaCy tokenizer skipped: spaCy is not installed")
        return None
    from rules_speed import make_articles

    tokenizer = spacy.blank("id").tokenizer
    for _ in tokenizer.pipe(make_articles(max(len(texts) // 4, 50), terms, random.Random(1))):
        pass
    t0 = time.perf_counter()
    for _ in tokenizer.pipe(texts):
        pass
    return time.perf_counter() - t0


def whole_process(texts: list[str], big: Rule, terms: list[str], root: Path) -> None:
    from annotator.workspace import Workspace

    jobs_n = os.cpu_count() or 1
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    with tempfile.TemporaryDirectory(prefix="annotator-suggest-process-") as tmp:
        base = Path(tmp) / "base.sqlite"
        corpus = Path(tmp) / "articles.jsonl"
        corpus.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
        with Workspace.open(base, annotator="bench") as ws:
            ws.import_paths([corpus])
            ws.store.rules.save([dump_rule(big, inline_terms=True)])
            rules = ws.rules()
        runs: dict[str, tuple[float, str]] = {}
        if _knows_jobs(root):
            for jobs in (1, jobs_n):
                db = Path(tmp) / f"jobs{jobs}.sqlite"
                _copy(base, db)
                runs[f"--jobs {jobs}"] = _suggest(root, db, jobs)
        else:
            db = Path(tmp) / "plain.sqlite"
            _copy(base, db)
            runs["(no --jobs)"] = _suggest(root, db, None)

    engine = Engine(rules)
    engine.run(texts[0])
    t0 = time.perf_counter()
    for text in texts:
        engine.run(text)
    engine_s = time.perf_counter() - t0
    tokenizer_s = _tokenizer_seconds(texts, terms)

    print(f"whole process, {len(texts)} articles ({mb:.2f} MB), code from {root}:")
    for name, (seconds, line) in runs.items():
        print(f"  annotator suggest {name:<12} {seconds:7.2f} s   {line}")
    print(f"  {'engine alone, in process':<30} {engine_s:7.2f} s")
    if tokenizer_s is not None:
        print(f"  {'spaCy blank(id) tokenizer, warm':<30} {tokenizer_s:7.2f} s")
    last = list(runs)[-1]
    best = runs[last][0]
    ratio = best / engine_s
    parts = [f"suggest {k}: {v[0]:.2f} s" for k, v in runs.items()]
    summary = "; ".join(parts) + f"; engine alone {engine_s:.2f} s; ratio {ratio:.2f} (goal <= 1.3)"
    speed_ratio = float("nan")
    if tokenizer_s is not None:
        speed_ratio = tokenizer_s / best
        summary += (
            f"; spaCy tokenizer {tokenizer_s:.2f} s; suggest {last} throughput "
            f"{speed_ratio:.2f}x the tokenizer's (goal >= 0.8)"
        )
    print(summary)
    first = runs[next(iter(runs))][0]
    print(
        f"RESULT suggest_process jobs={jobs_n} first_s={first:.2f} last_s={best:.2f} "
        f"engine_s={engine_s:.2f} ratio={ratio:.2f} tokenizer_ratio={speed_ratio:.2f}"
    )
