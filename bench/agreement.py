"""Benchmark: agreement over a generated team corpus (not a test; prints figures).

Builds N articles of ~4 KB, each assigned to three annotators whose own layers hold ~20 spans
each (most shared, some shifted, relabelled or missing), written as rows the way migration 0009
lays them out. Then times the store read (store/agreement_rows.py, a chunk of documents per two
queries), the figures (core/agreement.py, tokenizing every document) and the whole
``ws.agreement()``, and prints the overall figures as a sanity check.

    .venv/bin/python bench/agreement.py [--docs 2000] [--spans-per-doc 20]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from annotator.core.agreement import OVERALL, compute_agreement, fmt
from annotator.core.model import Document
from annotator.store import agreement_rows
from annotator.store.schema import AssignmentRow, LabelRow, SpanRow
from annotator.workspace import Workspace

WORDS = ["Presiden", "Joko", "Widodo", "Menteri", "Prabowo", "Istana", "Merdeka", "Jakarta"]
WORDS += ["Senin", "kerja", "sama", "Rusia", "pertahanan", "anggaran", "dan", "di", "pada"]
NAMES = ("ana", "budi", "citra")
LABELS = ("PERSON", "ORG", "LOC")


def build(path: Path, docs: int, per_doc: int, rng: random.Random) -> None:
    with Workspace.open(path, annotator="bench") as ws:
        texts = [" ".join(rng.choice(WORDS) for _ in range(550)) for _ in range(docs)]
        ids = ws.store.documents.insert(
            [Document(text=t, title=f"berita {i}") for i, t in enumerate(texts)],
            annotator="bench",
        )
        db = ws.store.database
        with db.transaction() as session:
            label_ids = dict(session.query(LabelRow.name, LabelRow.id).all())
            people = {name: db.annotator_id(session, name) for name in NAMES}
            rows: list[dict] = []
            assigned: list[dict] = []
            for doc_id, text in zip(ids, texts, strict=True):
                starts = sorted(rng.sample(range(0, len(text) - 40, 40), per_doc))
                gold = []
                for s in starts:
                    s = text.rfind(" ", 0, s) + 1
                    e = text.find(" ", s + 1)
                    gold.append((s, e, rng.choice(LABELS)))
                for layer in people.values():
                    assigned.append({"document_id": doc_id, "annotator_id": layer})
                    seen = set()
                    for s, e, label in gold:
                        roll = rng.random()
                        if roll < 0.05:
                            continue  # missed
                        if roll < 0.10:
                            label = rng.choice(LABELS)  # relabelled
                        elif roll < 0.15:
                            e = text.find(" ", e + 1) if text.find(" ", e + 1) > 0 else e
                        if (s, e, label) in seen:
                            continue
                        seen.add((s, e, label))
                        rows.append(
                            {
                                "document_id": doc_id,
                                "layer": layer,
                                "start": s,
                                "end": e,
                                "label_id": label_ids[label],
                                "text": text[s:e],
                                "annotator_id": layer,
                            }
                        )
            session.bulk_insert_mappings(AssignmentRow, assigned)
            session.bulk_insert_mappings(SpanRow, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--spans-per-doc", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "team.sqlite"
        t0 = time.perf_counter()
        build(path, args.docs, args.spans_per_doc, random.Random(7))
        print(f"built {args.docs} documents x 3 layers in {time.perf_counter() - t0:.1f} s")
        with Workspace.open(path, annotator="bench") as ws:
            t0 = time.perf_counter()
            documents = list(agreement_rows.agreement_documents(ws.store.database, NAMES))
            read = time.perf_counter() - t0
            spans = sum(len(layer) for d in documents for layer in d.layers.values())
            t0 = time.perf_counter()
            report = compute_agreement(documents, NAMES)
            figures = time.perf_counter() - t0
            t0 = time.perf_counter()
            ws.agreement()
            whole = time.perf_counter() - t0
        print(f"store read: {read:.2f} s for {len(documents)} documents, {spans} spans")
        print(f"figures:    {figures:.2f} s ({len(report.rows)} rows)")
        print(f"ws.agreement(): {whole:.2f} s; {len(report.disagreements)} disagreements")
        for row in report.rows_for(OVERALL):
            print(
                f"  {row.pair:<14} exact F1 {fmt(row.exact.f1 if row.exact else None)}"
                f"  kappa {fmt(row.cohen)}  fleiss {fmt(row.fleiss)}  alpha {fmt(row.alpha)}"
            )


if __name__ == "__main__":
    main()
