"""Worker processes (suggest, corpus diff) get their rules from a file of their own, gone once
the pool is closed."""

from __future__ import annotations

import os
import subprocess
import sys

from annotator.rules.corpus_diff import DocumentDiffer
from annotator.rules.corpus_diff_pool import DiffPool, diff_chunk
from annotator.rules.engine import Engine
from annotator.rules.load import parse_rule
from annotator.rules.suggest_pool import SuggestPool, run_chunk


def test_workers_propose_what_this_process_proposes_and_the_rules_file_goes() -> None:
    # 60,000 terms: their definitions (over 1 MB) no longer fit the pipe that starts a worker.
    terms = [f"Nama{i:05d} Orang" for i in range(60_000)] + [["Jakarta", "DKI Jakarta"]]
    rules = [
        parse_rule(
            {"name": "names", "label": "PERSON", "kind": "phrase", "pattern": {"terms": terms}}
        ),
        parse_rule(
            {"name": "year", "label": "DATE", "kind": "regex", "pattern": {"regex": r"\b20\d\d\b"}}
        ),
    ]
    texts = [(i, f"Kemarin Nama{i:05d} Orang tiba di Jakarta pada 20{i:02d}.") for i in range(40)]
    pool = SuggestPool(rules, 2)
    path = pool._definitions
    try:
        assert os.stat(path).st_mode & 0o077 == 0  # only its user may read it
        chunks = [pool.submit(texts[:20]), pool.submit(texts[20:])]
        results = [r for chunk in chunks for r in chunk.result()]
    finally:
        pool.close()
    assert results == run_chunk(Engine(rules), texts)
    assert [len(proposals) for _, proposals, _ in results] == [3] * 40
    assert not os.path.exists(path)


def test_a_worker_imports_only_the_engine() -> None:
    # What a spawned worker imports before its first chunk: the pool's module (unpickling its
    # initializer). Neither the database, nor the CLI, nor what only some rule kinds use.
    code = (
        "import sys, annotator.rules.suggest_pool as p; p._start; "
        "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'sqlalchemy', 'pycrfsuite', 'PySide6', 'spacy'} "
        "or m.startswith(('annotator.workspace', 'annotator.store', 'annotator.cli')))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
    )
    assert done.stdout.strip() == ""


def test_diff_workers_find_what_this_process_finds_and_the_rules_file_goes() -> None:
    terms = [f"Nama{i:05d} Orang" for i in range(60_000)]
    before = [
        parse_rule(
            {"name": "names", "label": "PERSON", "kind": "phrase", "pattern": {"terms": terms}}
        )
    ]
    after = [
        parse_rule(
            {"name": "names", "label": "PERSON", "kind": "phrase", "pattern": {"terms": terms[::2]}}
        )
    ]
    texts = [(i, f"Kemarin Nama{i:05d} Orang tiba.") for i in range(40)]
    pool = DiffPool(before, after, 2)
    path = pool._definitions
    try:
        chunks = [pool.submit(texts[:20]), pool.submit(texts[20:])]
        ran = [chunk.result() for chunk in chunks]
    finally:
        pool.close()
    here = diff_chunk(DocumentDiffer(before, after), texts)
    assert (sum(r for r, _ in ran), [d for _, found in ran for d in found]) == here
    assert len(here[1]) == 20  # the odd names are gone
    assert not os.path.exists(path)
