"""The corpus rule run (chunks, one transaction each) writes exactly what suggesting each
document in turn writes: the same suggestion rows, the same change log, the same fingerprints,
on a first run and on a re-run after decisions, spans and rule edits."""

from __future__ import annotations

import dataclasses
import json
import random
import re
from pathlib import Path

import pytest

from annotator.workspace import Workspace
from tests.pg_cluster import peek_workspace


def make_corpus(path: Path, seed_path: Path, documents: int) -> Path:
    """JSONL of ``documents`` articles, each a shuffle of the seed article's paragraphs."""
    paragraphs = [p for p in seed_path.read_text(encoding="utf-8").split("\n") if p.strip()]
    rng = random.Random(13)
    with path.open("w", encoding="utf-8") as out:
        for i in range(documents):
            picked = rng.sample(paragraphs, k=min(8, len(paragraphs)))
            out.write(json.dumps({"title": f"article {i}", "text": "\n".join(picked)}) + "\n")
    return path


def table(ws: Workspace, sql: str) -> list[tuple[object, ...]]:
    with peek_workspace(ws) as connection:
        rows = connection.execute(sql).fetchall()
    # The decisions' log entries carry the time of the span they made.
    return [tuple(_STAMP.sub("", v) if isinstance(v, str) else v for v in row) for row in rows]


_STAMP = re.compile(r'"created_at": "[^"]*"')


def written(path: Workspace) -> dict[str, list[tuple[object, ...]]]:
    """Everything a rule run writes, without ids of its own rows and without timestamps."""
    return {
        "suggestions": table(
            path,
            'SELECT document_id, start, "end", label_id, text, rule, rule_version, explanation, '
            "state, decided_by FROM suggestions ORDER BY id",
        ),
        "log": table(
            path,
            "SELECT action, entity, entity_id, document_id, annotator_id, before, after, "
            "step_id IS NULL FROM change_log ORDER BY id",
        ),
        "documents": table(path, "SELECT id, status, suggested_with FROM documents ORDER BY id"),
    }


def suggest_log(rows: dict[str, list[tuple[object, ...]]]) -> list[tuple[object, ...]]:
    return [row for row in rows["log"] if row[0] == "suggest"]


@pytest.fixture
def twins(tmp_path, db_path, fresh_db, seed_path):
    """Two identical databases with 130 articles (more than one chunk of the corpus run)."""
    corpus = make_corpus(tmp_path / "corpus.jsonl", seed_path, 130)
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([corpus])
    other = fresh_db("other", copy_of=db_path)
    one, bulk = (
        Workspace.open(db_path, annotator="tester"),
        Workspace.open(other, annotator="tester"),
    )
    yield one, bulk
    one.close()
    bulk.close()


def one_by_one(ws: Workspace) -> None:
    for doc in ws.documents():
        ws.suggest(doc.id)


def decide_the_same(ws: Workspace) -> None:
    """Accept, reject, correct and annotate by hand in the first documents, then edit the rules:
    the re-run must keep, renew, drop and add."""
    docs = [d.id for d in ws.documents()][:3]
    for doc_id in docs:
        pending = ws.suggestions(doc_id)
        ws.accept(pending[0][1].id)
        ws.reject(pending[1][1].id)
        ws.correct(pending[2][1].id, label="ORG")
    ws.add_span(docs[0], 0, 4, "ORG")
    first = ws.rules()[0]
    ws.save_rule(dataclasses.replace(first, description=first.description + " (edited)"))
    ws.set_rule_enabled(ws.rules()[1].name, False)
    ws.save_rule(
        ws.parse_rule(
            {"name": "new-one", "label": "ORG", "kind": "phrase", "pattern": {"terms": ["AS"]}}
        )
    )


def test_a_corpus_run_writes_what_suggesting_each_document_writes(twins):
    one, bulk = twins
    one_by_one(one)
    report = bulk.suggest_corpus()
    assert report.documents == 130 and report.added > 1000 and not report.cancelled
    first = written(one)
    assert written(bulk) == first
    assert len(suggest_log(first)) == 130

    for ws in twins:
        decide_the_same(ws)
    one_by_one(one)
    report = bulk.suggest_corpus()
    assert report.kept > 0 and report.dropped > 0 and report.added > 0
    again = written(one)
    assert written(bulk) == again
    # The re-run did renew versions (the edited rule) and changed the log, so the comparison
    # above covers those paths too.
    assert again["suggestions"] != first["suggestions"] and len(again["log"]) > len(first["log"])


def test_a_cancelled_corpus_run_keeps_whole_documents_and_touches_no_other(twins):
    _, bulk = twins
    asked = iter(range(1000))
    report = bulk.suggest_corpus(cancelled=lambda: next(asked) >= 70)
    assert report.cancelled and report.documents == 70
    rows = written(bulk)
    stamped = [doc_id for doc_id, _, fingerprint in rows["documents"] if fingerprint]
    with_suggestions = {row[0] for row in rows["suggestions"]}
    logged = [row[3] for row in suggest_log(rows)]
    assert stamped == logged == sorted(with_suggestions) == list(range(1, 71))
    # The next run does the rest, as if the first had never stopped (the 70 done keep theirs:
    # nothing changes there, so nothing is logged).
    report = bulk.suggest_corpus()
    assert report.documents == 130 and report.dropped == 0
    assert len(suggest_log(written(bulk))) == 130


def test_a_document_removed_meanwhile_is_left_out(twins):
    _, bulk = twins
    batch = [(1, [(0, 4, "ORG", "Ahad", "r", 1, "")]), (99999, [(0, 4, "ORG", "Ahad", "r", 1, "")])]
    outcomes = bulk.store.suggestions.replace_many(batch, {"r": 1}, "fp", annotator="tester")
    assert outcomes[1] is None and outcomes[0] is not None and outcomes[0].added == 1
    assert table(bulk, "SELECT document_id FROM suggestions") == [(1,)]


def test_worker_processes_by_default_only_for_a_big_corpus_and_idle_cores(monkeypatch):
    from annotator.workspace import corpus_suggest

    monkeypatch.setattr(corpus_suggest.os, "cpu_count", lambda: 4)
    monkeypatch.setattr(corpus_suggest.os, "getloadavg", lambda: (0.2, 0.0, 0.0))
    assert corpus_suggest.default_jobs(corpus_suggest.PARALLEL_FROM - 1) == 1
    assert corpus_suggest.default_jobs(corpus_suggest.PARALLEL_FROM) == 4
    monkeypatch.setattr(corpus_suggest.os, "getloadavg", lambda: (2.6, 0.0, 0.0))
    assert corpus_suggest.default_jobs(5000) == 1
    monkeypatch.setattr(corpus_suggest.os, "getloadavg", lambda: (9.0, 0.0, 0.0))
    assert corpus_suggest.default_jobs(5000) == 1
