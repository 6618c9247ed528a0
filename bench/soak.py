"""Several analysts at once on one database: N processes label, delete, accept (one and many),
reject, undo and redo on the SAME few documents, while a reader checks it never sees half a step
and a watcher measures how soon a change is seen by another connection (the window's feed).

    python bench/soak.py --minutes 5 --processes 8 [--db PATH | --url postgresql://...]

prints actions/s, actions refused (a clash with another analyst: nothing changed, a message),
undo and redo set aside (the analyst's history goes on without them), p95 latency of an action,
and the time until another connection's feed sees a change. It ends with what the final check found
(nothing lost: each analyst's spans and undo history are what its own completed actions say they
must be, the change log has every step, no half step was ever seen); exit 1 when it found anything.

tests/workspace/test_soak.py runs the same, bounded for CI.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text

from annotator.core.errors import AnnotatorError
from annotator.core.model import Document
from annotator.workspace import Change, Workspace

SENTENCE = "Joko bertemu Budi di Jakarta pada hari ke-{i} dan Budi pulang ke Bandung."
DOCUMENTS = 4
SENTENCES = 40  # a document: 80 suggestions (Joko PERSON, Jakarta LOC), 80 places for Budi ORG
MANUAL_LABEL = "ORG"  # hand-made spans ("Budi"): never a suggestion's label, so no interplay
WEIGHTS = {
    "add": 5,
    "delete": 3,
    "accept": 3,
    "accept_many": 2,
    "reject": 2,
    "undo": 3,
    "redo": 2,
}

# Half a step, seen by a reader in one statement (one snapshot): an accepted suggestion without
# its span in the main layer, or a span made by accepting without an accepted suggestion under it.
HALF_STEP = text(
    """
    SELECT
      (SELECT count(*) FROM suggestions s WHERE s.state = 'accepted' AND NOT EXISTS (
         SELECT 1 FROM spans p WHERE p.document_id = s.document_id AND p.layer = 0
           AND p.start = s.start AND p."end" = s."end" AND p.label_id = s.label_id)),
      (SELECT count(*) FROM spans p WHERE p.origin = 'rule' AND NOT EXISTS (
         SELECT 1 FROM suggestions s WHERE s.document_id = p.document_id AND s.state = 'accepted'
           AND p.start = s.start AND p."end" = s."end" AND p.label_id = s.label_id))
    """
)


def prepare(target: str | Path) -> list[int]:
    """The corpus every analyst works on: a few documents full of suggestions."""
    with Workspace.open(target, annotator="setup") as ws:
        ids = ws.store.documents.insert(
            [
                Document(
                    text=" ".join(SENTENCE.format(i=d * 1000 + i) for i in range(SENTENCES)),
                    title=f"soak {d}",
                )
                for d in range(DOCUMENTS)
            ],
            annotator="setup",
        )
        ws.learn_term("PERSON", "Joko")
        ws.learn_term("LOC", "Jakarta")
        for doc_id in ids:
            ws.suggest(doc_id)
        return list(ids)


@dataclass
class Analyst:
    """One analyst's record of what it did, and what its completed actions say must be true."""

    name: str
    counts: dict[str, int] = field(default_factory=dict)
    refused: int = 0  # a clash with another's action: nothing changed, a message
    set_aside: int = 0  # a conflicting undo or redo, left out of the history
    latencies: list[float] = field(default_factory=list)
    spans: set[int] = field(default_factory=set)  # this analyst's spans, as its Changes say
    done: int = 0  # steps undo would take, oldest first (a count: their ids are the database's)
    undone: int = 0
    steps: int = 0  # undo steps its completed actions made
    messages: list[str] = field(default_factory=list)

    def follow(self, change: Change) -> None:
        for span in change.removed_spans:
            self.spans.discard(span.id or -1)
        for span in change.spans:
            if span.id is not None and span.annotator == self.name:
                self.spans.add(span.id)


def _act(ws: Workspace, me: Analyst, kind: str, docs: list[int], rng: random.Random) -> None:
    doc_id = rng.choice(docs)
    change: Change | None
    if kind == "add":
        text_ = ws.document(doc_id).text
        places = [i for i in range(len(text_)) if text_.startswith("Budi", i)]
        start = rng.choice(places)
        change = ws.add_span(doc_id, start, start + 4, MANUAL_LABEL)
    elif kind == "delete":
        mine = [
            s.id for s in ws.document(doc_id).spans if s.id in me.spans and s.origin == "manual"
        ]
        if not mine:
            return
        change = ws.delete_span(rng.choice(mine))
    elif kind in ("accept", "accept_many", "reject"):
        pending = [s.id for _, s in ws.suggestions(doc_id) if s.id is not None]
        if not pending:
            return
        if kind == "accept":
            change = ws.accept(rng.choice(pending))
        elif kind == "reject":
            change = ws.reject(rng.choice(pending))
        else:
            change = ws.accept_many(rng.sample(pending, min(len(pending), rng.randint(2, 6))))
    else:
        redo = kind == "redo"
        try:
            change = ws.redo() if redo else ws.undo()
        except AnnotatorError as exc:
            # Set aside: the step leaves this analyst's history (its state: discarded).
            if redo:
                me.undone -= 1
            else:
                me.done -= 1
            me.set_aside += 1
            me.messages.append(str(exc)[:200])
            return
        if change is None:
            assert (me.undone if redo else me.done) == 0, f"nothing to {kind}, yet steps remain"
            return
        me.follow(change)
        me.done, me.undone = (me.done + 1, me.undone - 1) if redo else (me.done - 1, me.undone + 1)
        return
    me.follow(change)
    me.steps += 1
    me.done, me.undone = me.done + 1, 0  # a new action ends what could be redone


def analyst(target: str, name: str, seconds: float, seed: int, out: str) -> None:
    """One process: random actions for ``seconds``, its record written to ``out`` as JSON."""
    me = Analyst(name)
    error = ""
    try:
        rng = random.Random(seed)
        kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
        with Workspace.open(target, annotator=name) as ws:
            docs = [d.id for d in ws.documents()]
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                kind = rng.choices(kinds, weights)[0]
                began = time.perf_counter()
                try:
                    _act(ws, me, kind, docs, rng)
                except AnnotatorError as exc:
                    me.refused += 1  # nothing changed (the workspace's promise); the message:
                    me.messages.append(str(exc)[:200])
                    continue
                me.latencies.append(time.perf_counter() - began)
                me.counts[kind] = me.counts.get(kind, 0) + 1
    except BaseException:  # noqa: BLE001 (any death is recorded for the parent's check)
        error = traceback.format_exc()
    record = {**me.__dict__, "spans": sorted(me.spans), "error": error}
    record["messages"] = me.messages[:20]
    Path(out).write_text(json.dumps(record), encoding="utf-8")
    if error:
        raise SystemExit(1)


def reader(target: str, seconds: float, out: str) -> None:
    """Reads over and over: never half a step (one statement, so one snapshot)."""
    looks = halves = 0
    error = ""
    try:
        with Workspace.open(target, annotator="reader") as ws:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                with ws.store.engine.connect() as connection:
                    missing, orphan = connection.execute(HALF_STEP).one()
                looks += 1
                halves += int(missing or orphan)
                time.sleep(0.01)
    except BaseException:  # noqa: BLE001 (any death is recorded for the parent's check)
        error = traceback.format_exc()
    Path(out).write_text(json.dumps({"looks": looks, "halves": halves, "error": error}))


def watcher(target: str, seconds: float, out: str) -> None:
    """The window's feed, polled as the window polls it: how long after a change was written
    another connection sees it (from the change-log row's time)."""
    delays: list[float] = []
    error = ""
    try:
        with Workspace.open(target, annotator="watcher") as ws:
            mark, _ = ws.changes_since(None)
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                time.sleep(0.5)
                new_mark, changed = ws.changes_since(mark)
                if not changed.empty:
                    now = time.time()
                    with ws.store.engine.connect() as connection:
                        times = connection.execute(
                            text("SELECT at FROM change_log WHERE id > :a AND id <= :b"),
                            {"a": mark, "b": new_mark},
                        ).scalars()
                        delays.extend(now - _epoch(at) for at in times)
                mark = new_mark
    except BaseException:  # noqa: BLE001 (any death is recorded for the parent's check)
        error = traceback.format_exc()
    Path(out).write_text(json.dumps({"delays": delays, "error": error}))


def _epoch(at: object) -> float:
    from datetime import UTC, datetime

    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    assert isinstance(at, datetime)
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp()


@dataclass
class SoakReport:
    analysts: list[dict[str, object]]
    reader: dict[str, object]
    watcher: dict[str, object]
    seconds: float
    problems: list[str]
    exit_codes: list[int | None]

    def figures(self) -> dict[str, float]:
        latencies = sorted(x for a in self.analysts for x in a.get("latencies", []))  # type: ignore[attr-defined]
        actions = len(latencies)
        delays = sorted(self.watcher.get("delays", []))  # type: ignore[call-overload]
        return {
            "actions": actions,
            "actions_per_s": actions / self.seconds,
            "refused": sum(a.get("refused", 0) for a in self.analysts),  # type: ignore[misc]
            "set_aside": sum(a.get("set_aside", 0) for a in self.analysts),  # type: ignore[misc]
            "p95_action_ms": 1000 * _p95(latencies),
            "median_action_ms": 1000 * statistics.median(latencies) if latencies else 0.0,
            "p95_seen_s": _p95(delays),
            "max_seen_s": max(delays, default=0.0),
            "reader_looks": self.reader.get("looks", 0),  # type: ignore[dict-item]
            "half_steps_seen": self.reader.get("halves", 0),  # type: ignore[dict-item]
        }


def _p95(values: list[float]) -> float:
    return values[int(0.95 * (len(values) - 1))] if values else 0.0


def run_soak(target: str, *, processes: int, seconds: float, workdir: Path) -> SoakReport:
    """Spawn the analysts, the reader and the watcher on ``target`` (prepared), wait, check."""
    context = multiprocessing.get_context("spawn")
    outs = [workdir / f"analyst-{n}.json" for n in range(processes)]
    jobs = [
        context.Process(target=analyst, args=(target, f"analyst{n}", seconds, n, str(out)))
        for n, out in enumerate(outs)
    ]
    jobs.append(context.Process(target=reader, args=(target, seconds, str(workdir / "r.json"))))
    jobs.append(context.Process(target=watcher, args=(target, seconds, str(workdir / "w.json"))))
    for job in jobs:
        job.start()
    for job in jobs:
        job.join(timeout=seconds + 300)
    analysts = [json.loads(out.read_text()) if out.exists() else {} for out in outs]
    side = [workdir / "r.json", workdir / "w.json"]
    read, watch = (json.loads(p.read_text()) if p.exists() else {"error": "died"} for p in side)
    problems = check(target, analysts)
    for record in (*analysts, read, watch):
        if not record:
            problems.append("a process wrote no record (it died)")
        elif record.get("error"):
            problems.append(f"a process died: {record['error']}")
    if read.get("halves"):
        problems.append(f"the reader saw half a step {read['halves']} times")
    codes = [job.exitcode for job in jobs]
    if any(code != 0 for code in codes):
        problems.append(f"exit codes {codes}")
    return SoakReport(analysts, read, watch, seconds, problems, codes)


def check(target: str, analysts: list[dict[str, object]]) -> list[str]:
    """Nothing lost: each analyst's spans and undo history are what its completed actions say."""
    problems: list[str] = []
    with Workspace.open(target, annotator="checker") as ws, ws.store.engine.connect() as conn:
        for record in analysts:
            if not record:
                continue
            name = record["name"]
            spans = set(
                conn.execute(
                    text(
                        "SELECT s.id FROM spans s JOIN annotators a ON a.id = s.annotator_id "
                        "WHERE a.name = :n"
                    ),
                    {"n": name},
                ).scalars()
            )
            expected = set(record["spans"])  # type: ignore[call-overload]
            if spans != expected:
                problems.append(
                    f"{name}: spans lost {sorted(expected - spans)[:10]}, "
                    f"unexpected {sorted(spans - expected)[:10]}"
                )
            states = dict(
                conn.execute(
                    text(
                        "SELECT u.state, count(*) FROM undo_steps u JOIN annotators a "
                        "ON a.id = u.annotator_id WHERE a.name = :n GROUP BY u.state"
                    ),
                    {"n": name},
                ).all()
            )
            if sum(states.values()) != record["steps"]:
                problems.append(f"{name}: {record['steps']} steps done, the log has {states}")
            if (
                states.get("done", 0) != record["done"]
                or states.get("undone", 0) != record["undone"]
            ):
                problems.append(
                    f"{name}: undo stack {record['done']} done {record['undone']} undone, "
                    f"the database says {states}"
                )
            empty = conn.execute(
                text(
                    "SELECT count(*) FROM undo_steps u JOIN annotators a ON a.id = u.annotator_id "
                    "WHERE a.name = :n AND NOT EXISTS "
                    "(SELECT 1 FROM change_log c WHERE c.step_id = u.id)"
                ),
                {"n": name},
            ).scalar()
            if empty:
                problems.append(f"{name}: {empty} steps without their change-log rows")
        missing, orphan = conn.execute(HALF_STEP).one()
        if missing or orphan:
            problems.append(f"at the end: {missing} accepted without span, {orphan} orphan spans")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--db", help="a SQLite file to create (default: a temporary one)")
    parser.add_argument("--url", help="an empty PostgreSQL database URL instead of SQLite")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        target = args.url or args.db or str(Path(tmp) / "soak.sqlite")
        prepare(target)
        began = time.monotonic()
        report = run_soak(
            target, processes=args.processes, seconds=args.minutes * 60, workdir=Path(tmp)
        )
        wall = time.monotonic() - began
        for key, value in report.figures().items():
            print(f"{key:>18}: {value:.3f}" if isinstance(value, float) else f"{key:>18}: {value}")
        print(f"{'wall_s':>18}: {wall:.1f}")
        for problem in report.problems:
            print("PROBLEM:", problem)
        print("nothing lost" if not report.problems else f"{len(report.problems)} problems")
        return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
