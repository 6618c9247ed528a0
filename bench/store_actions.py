"""What one analyst action costs in the store (the database half of a key press), and what the
document list's counts cost.

Not a test. Two parts.

Actions: one ~1 MB article with 15,000 spans and 2,000 pending suggestions on distinct words (the
article and database bench/gui_latency.py builds, made here without Qt). The workspace is warmed
up as the window does; then ``--repeat`` (200) of each action through the Workspace, as the
window calls it, each timed alone with its commit (synchronous=FULL: an fsync each), in this
order: add_span on a free word, add_span exactly on a pending suggestion (the duplicate-work
query finds it and accepts it), accept, update_span (a relabel), delete_span, undo. After each
add and accept, ``document_summary`` of the article is timed apart ("row": the window refreshes
the document's list line after an action). Goal: each action <= 3 ms median.

Summaries: ``--docs`` (10,000) generated articles with 20 spans and 10 pending suggestions each,
5 of them covered (overlapping a span of their label); ``document_summaries()`` of the whole
list and ``document_summary`` of one, median of 5.

    .venv/bin/python bench/store_actions.py [--repeat 200] [--docs 10000]

Last line: RESULT store_actions add_ms=… add_resolving_ms=… accept_ms=… update_ms=… delete_ms=…
undo_ms=… (medians, each followed by its _max_ms) row_ms=… summaries_ms=… summary_one_ms=…
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from article_data import LABELS, WORDS, build_text, labelled_article, word_ranges

from annotator.core.model import Document, Span, Suggestion
from annotator.workspace import Workspace

ACTIONS = ("add", "add_resolving", "accept", "update", "delete", "undo")


def make_article_db(
    db: Path, spans: int, pending: int, free: int, rng: random.Random
) -> list[tuple[int, int]]:
    """One article with ``spans`` spans and ``pending`` LOC suggestions on distinct words; returns
    the ranges of ``free`` other words."""
    text = build_text(1_000_000, rng)
    words = word_ranges(text)
    chosen = rng.sample(range(len(words)), spans + pending + free)
    with Workspace.open(db, annotator="bench") as ws:
        doc = labelled_article(text, "Bench article", words, chosen[:spans])
        ws.store.documents.insert([doc], annotator="bench")
        doc_id = ws.documents()[0].id
        proposed = [
            Suggestion(
                words[i][0],
                words[i][1],
                "LOC",
                text[words[i][0] : words[i][1]],
                "bench-rule",
                1,
                "a benchmark suggestion",
            )
            for i in sorted(chosen[spans : spans + pending])
        ]
        ws.store.suggestions.replace(
            doc_id, proposed, {"bench-rule": 1}, ws.store.rules.fingerprint(), annotator="bench"
        )
    return [words[i] for i in chosen[spans + pending :]]


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def actions(folder: Path, repeat: int) -> dict[str, list[float]]:
    rng = random.Random(11)
    db = folder / "article.sqlite"
    free = make_article_db(db, 15_000, 2_000, repeat, rng)
    times: dict[str, list[float]] = {name: [] for name in (*ACTIONS, "row")}
    with Workspace.open(db, annotator="bench") as ws:
        doc_id = ws.documents()[0].id
        suggestions = [s for _, s in ws.suggestions(doc_id)]
        ws.warm_up(doc_id, suggestions[0].id)
        rng.shuffle(suggestions)
        made: list[Span] = []

        def then_row(name: str, action: Callable[[], object]) -> None:
            times[name].append(timed(action))
            times["row"].append(timed(lambda: ws.document_summary(doc_id)))

        for start, end in free:
            then_row(
                "add",
                lambda s=start, e=end: made.append(ws.add_span(doc_id, s, e, "PERSON").spans[0]),
            )
        for sug in suggestions[:repeat]:
            then_row("add_resolving", lambda s=sug: ws.add_span(doc_id, s.start, s.end, s.label))
        for sug in suggestions[repeat : 2 * repeat]:
            then_row("accept", lambda s=sug: ws.accept(s.id))
        for span in made:
            times["update"].append(timed(lambda s=span: ws.update_span(s.id, label="ORG")))
        for span in made:
            times["delete"].append(timed(lambda s=span: ws.delete_span(s.id)))
        for _ in made:
            times["undo"].append(timed(ws.undo))
        summary = ws.document_summary(doc_id)
        assert summary.spans == 15_000 + 3 * repeat, summary
        assert summary.pending_suggestions == 2_000 - 2 * repeat, summary
    return times


def make_corpus_db(db: Path, docs: int, rng: random.Random) -> None:
    """``docs`` articles of ~4 KB with 20 spans each and 10 pending suggestions: 5 overlapping a
    span of their label (that span and the next word), 5 on other words."""
    with Workspace.open(db, annotator="bench") as ws:
        batch: list[Document] = []
        for n in range(docs):
            text = " ".join(rng.choice(WORDS) for _ in range(560))
            words = word_ranges(text)
            picked = sorted(rng.sample(range(len(words) - 1), 30))
            spans = [
                Span(words[i][0], words[i][1], LABELS[k % 5], text[words[i][0] : words[i][1]])
                for k, i in enumerate(picked[:20])
            ]
            wider = [
                (words[i][0], words[i + 1][1], LABELS[k % 5]) for k, i in enumerate(picked[:5])
            ]
            elsewhere = [(words[i][0], words[i][1], "LOC") for i in picked[20:25]]
            batch.append(
                Document(
                    text=text,
                    title=f"Berita {n}",
                    source="bench",
                    spans=tuple(spans),
                    suggestions=tuple(
                        Suggestion(start, end, label, text[start:end], "bench-rule")
                        for start, end, label in wider + elsewhere
                    ),
                )
            )
            if len(batch) == 500:
                ws.store.documents.insert(batch, annotator="bench")
                batch = []
        ws.store.documents.insert(batch, annotator="bench")


def summaries(folder: Path, docs: int) -> dict[str, list[float]]:
    db = folder / "corpus.sqlite"
    make_corpus_db(db, docs, random.Random(5))
    times: dict[str, list[float]] = {"summaries": [], "summary_one": []}
    with Workspace.open(db, annotator="bench") as ws:
        listed = ws.documents()
        assert len(listed) == docs
        assert (listed[0].pending_suggestions, listed[0].covered_suggestions) == (5, 5), listed[0]
        for _ in range(5):
            times["summaries"].append(timed(ws.documents))
            times["summary_one"].append(timed(lambda: ws.document_summary(listed[docs // 2].id)))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--docs", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        times = actions(Path(tmp), args.repeat)
        times.update(summaries(Path(tmp), args.docs))
    figures: list[str] = []
    for name, values in times.items():
        median, worst = statistics.median(values), max(values)
        print(f"{name:>14}: median {median:7.2f} ms   max {worst:7.2f} ms   (n={len(values)})")
        figures.append(f"{name}_ms={median:.2f}")
        if name in ACTIONS:
            figures.append(f"{name}_max_ms={worst:.2f}")
    print("RESULT store_actions " + " ".join(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
