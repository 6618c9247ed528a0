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
from collections.abc import Callable
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


def _tokenizer(texts: list[str], terms: list[str]) -> Callable[[], float] | None:
    """Timing of spaCy's tokenizer alone over ``texts`` (warmed on other articles first)."""
    try:
        import spacy
    except ImportError:
        print("spaCy tokenizer skipped: spaCy is not installed")
        return None
    from rules_speed import make_articles

    warm_texts = make_articles(max(len(texts) // 4, 50), terms, random.Random(1))

    def timed() -> float:
        # A fresh tokenizer each time: a second pass over the same texts would find their own
        # words cached (rules_speed.py's docstring).
        tokenizer = spacy.blank("id").tokenizer
        for _ in tokenizer.pipe(warm_texts):
            pass
        t0 = time.perf_counter()
        for _ in tokenizer.pipe(texts):
            pass
        return time.perf_counter() - t0

    return timed


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
        engine = Engine(rules)
        engine.run(texts[0])

        def engine_alone() -> float:
            t0 = time.perf_counter()
            for text in texts:
                engine.run(text)
            return time.perf_counter() - t0

        def suggest(jobs: int | None) -> Callable[[], float]:
            def timed() -> float:
                db = Path(tmp) / "run.sqlite"
                db.unlink(missing_ok=True)
                _copy(base, db)
                seconds, lines[name_of(jobs)] = _suggest(root, db, jobs)
                return seconds

            return timed

        def name_of(jobs: int | None) -> str:
            return "(no --jobs)" if jobs is None else f"--jobs {jobs}"

        lines: dict[str, str] = {}
        sides: dict[str, Callable[[], float]] = {}
        for jobs in (1, jobs_n) if _knows_jobs(root) else (None,):
            sides[name_of(jobs)] = suggest(jobs)
        sides["engine alone"] = engine_alone
        tokenizer = _tokenizer(texts, terms)
        if tokenizer is not None:
            sides["spaCy tokenizer"] = tokenizer
        # Turn about: forwards, then backwards; the load of the shared machine drifts, and this
        # way it weighs on every side about alike. Each figure is the mean of its two runs.
        seconds: dict[str, list[float]] = {name: [] for name in sides}
        for name in [*sides, *reversed(sides)]:
            seconds[name].append(sides[name]())
    mean = {name: sum(values) / len(values) for name, values in seconds.items()}
    runs = {name: (mean[name], lines[name]) for name in lines}
    engine_s = mean["engine alone"]
    tokenizer_s = mean.get("spaCy tokenizer")

    print(f"whole process, {len(texts)} articles ({mb:.2f} MB), code from {root}")
    print(
        "each the mean of two runs, turn about:",
        ", ".join(
            f"{name} {' / '.join(f'{v:.2f}' for v in values)} s" for name, values in seconds.items()
        ),
    )
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
