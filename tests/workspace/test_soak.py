"""Eight analysts at once on one SQLite file (bench/soak.py, bounded for CI): labelling, deleting,
accepting one and many, rejecting, undoing and redoing on the same four documents. Nothing is lost,
no process dies, a reader never sees half a step, and another connection's feed sees each change
within 2 s. ``python bench/soak.py --minutes 5 --processes 8`` runs the full five minutes."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bench.soak import HALF_STEP, check, prepare, run_soak
from tests.pg_cluster import ON_POSTGRESQL

SECONDS = 15


@pytest.fixture
def corpus(tmp_path, request):
    """The soak's documents in a fresh database: a SQLite file, or (ANNOTATOR_TEST_ENGINE=
    postgresql) a database of the test cluster."""
    target = str(request.getfixturevalue("db_path") if ON_POSTGRESQL else tmp_path / "soak.sqlite")
    prepare(target)
    return target


def test_eight_analysts_at_once_lose_nothing(corpus, tmp_path):
    report = run_soak(corpus, processes=8, seconds=SECONDS, workdir=tmp_path)
    figures = report.figures()
    print(figures)  # shown with -s: the soak's own figures
    assert report.problems == []
    done = {kind for record in report.analysts for kind in record["counts"]}
    assert done == {"add", "delete", "accept", "accept_many", "reject", "undo", "redo"}
    assert figures["reader_looks"] > 50
    assert figures["half_steps_seen"] == 0
    assert 0 < figures["max_seen_s"] < 2.0


def test_the_check_finds_a_lost_span_and_half_a_step(corpus, tmp_path):
    """The soak's checks bite: a span its analyst's Changes say exists, removed behind its back,
    and an accepted suggestion without its span."""
    from annotator.workspace import Workspace

    with Workspace.open(corpus, annotator="analyst0") as ws:
        doc_id = ws.documents()[0].id
        (_, suggestion), *_ = ws.suggestions(doc_id)
        span = ws.accept(suggestion.id).spans[0]
    record = {
        "name": "analyst0",
        "spans": [span.id],
        "steps": 1,
        "done": 1,
        "undone": 0,
    }
    assert check(corpus, [record]) == []
    with Workspace.open(corpus) as ws, ws.store.engine.begin() as raw:
        raw.execute(text("DELETE FROM spans WHERE id = :id"), {"id": span.id})
        missing, orphan = raw.execute(HALF_STEP).one()
    assert (missing, orphan) == (1, 0)
    problems = check(corpus, [record])
    assert any("spans lost" in p for p in problems)
    assert any("accepted without span" in p for p in problems)
