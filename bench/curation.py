"""What curating a big team document costs: reading its layers into regions, pre-merging the
agreements, and one decision (take a version, reject), as the curation view calls them.

Not a test. One article of ``--words`` words (default 40,000, ~250 KB) annotated by ``--team``
(3) annotators in their own layers: every 4th word a span, each annotator keeping it with
probability 0.9 and otherwise leaving it out or giving it another label (so about a quarter of
the regions are disagreements). Times, medians of ``--repeat`` (20): ``regions`` (core, pure),
``curation`` (the workspace read: every layer's spans, then regions), ``premerge`` (once: copying
every agreed region into the curated layer, one undo step), ``take`` and ``reject`` (one region,
one undo step each, and the view's read of that region again after it).

    .venv/bin/python bench/curation.py [--words 40000] [--team 3] [--repeat 20]

Last line: RESULT curation spans=… regions=… disagreements=… regions_ms=… curation_ms=…
premerge_ms=… take_ms=… reject_ms=…
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import update

from annotator.core.curation import regions
from annotator.core.model import Document
from annotator.store.schema import AssignmentRow, SpanRow
from annotator.workspace import Workspace

LABELS = ("PERSON", "ORG", "LOC", "DATE")


def build(db: Path, words: int, team: int, rng: random.Random) -> int:
    vocabulary = ["kata", "Jakarta", "presiden", "Putin", "menteri", "Suriah", "kemarin"]
    text = " ".join(rng.choice(vocabulary) for _ in range(words))
    starts, at = [], 0
    for word in text.split(" "):
        starts.append((at, at + len(word)))
        at += len(word) + 1
    marked = starts[::4]
    with Workspace.open(db, annotator="lead") as ws:
        (doc_id,) = ws.store.documents.insert([Document(text, title="team")], annotator="lead")
        database = ws.store.database
        for n in range(team):
            name = f"annotator{n + 1}"
            with database.transaction() as session:
                layer = database.annotator_id(session, name)
                session.add(AssignmentRow(document_id=doc_id, annotator_id=layer))
                ids = []
                for index, (start, end) in enumerate(marked):
                    label = LABELS[index % len(LABELS)]
                    roll = rng.random()
                    if roll > 0.95:
                        continue  # left out
                    if roll > 0.9:
                        label = LABELS[(index + 1) % len(LABELS)]
                    ids.append(ws.store.spans.add(doc_id, start, end, label, annotator=name).id)
                session.execute(update(SpanRow).where(SpanRow.id.in_(ids)).values(layer=layer))
    return doc_id


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=40_000)
    parser.add_argument("--team", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(15)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "team.sqlite"
        doc_id = build(db, args.words, args.team, rng)
        with Workspace.open(db, annotator="curator") as ws:
            first = ws.curation(doc_id)
            layers = {name: [] for name in first.annotators}
            for region in first.regions:
                for name, spans in region.versions.items():
                    layers[name].extend(spans)
            spans = sum(len(v) for v in layers.values())
            regions_s, curation_s = [], []
            for _ in range(args.repeat):
                began = time.perf_counter()
                regions(layers, first.curated)
                regions_s.append(time.perf_counter() - began)
                began = time.perf_counter()
                ws.curation(doc_id)
                curation_s.append(time.perf_counter() - began)
            began = time.perf_counter()
            merged = ws.premerge_agreements(doc_id)
            premerge_s = time.perf_counter() - began
            left = list(ws.curation(doc_id).unsettled)
            take_s, reject_s = [], []
            for n in range(min(args.repeat, len(left) // 2)):
                began = time.perf_counter()
                region = left[2 * n]
                ws.take_version(doc_id, region, first.annotators[0])
                ws.curation_region(doc_id, region.start, region.end)
                take_s.append(time.perf_counter() - began)
                began = time.perf_counter()
                region = left[2 * n + 1]
                ws.reject_region(doc_id, region)
                ws.curation_region(doc_id, region.start, region.end)
                reject_s.append(time.perf_counter() - began)
        print(
            f"{spans} spans in {args.team} layers, {len(first.regions)} regions, "
            f"{len(first.disagreements)} disagreements; pre-merge wrote {len(merged.spans)}"
        )
        print(
            f"RESULT curation spans={spans} regions={len(first.regions)} "
            f"disagreements={len(first.disagreements)} regions_ms={median_ms(regions_s)} "
            f"curation_ms={median_ms(curation_s)} premerge_ms={round(premerge_s * 1000, 1)} "
            f"take_ms={median_ms(take_s)} reject_ms={median_ms(reject_s)}"
        )


if __name__ == "__main__":
    main()
