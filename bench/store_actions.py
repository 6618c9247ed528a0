"""What one analyst action costs in the store: the database half of a key press.

A database with one ~1 MB article holding 15,000 spans and 2,000 pending suggestions (as
bench/gui_latency.py builds it); each action is timed through the Workspace as the window calls
it, with its commit (synchronous=FULL: an fsync each): add a span, accept a suggestion, move a
span's end, delete a span, undo.

    python bench/store_actions.py [--repeat 200]

Last line: RESULT store_actions add_ms=... accept_ms=... edit_ms=... delete_ms=... undo_ms=... (medians)
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

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gui_latency import build_text, make_database  # noqa: E402  (the same article and database)

from annotator.workspace import Workspace  # noqa: E402


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(11)
    text = build_text(1_000_000, rng)
    with tempfile.TemporaryDirectory() as tmp:
        db, free = make_database(Path(tmp), text, 15_000, 2_000, rng)
        free_words = sorted(free)[: args.repeat]
        with Workspace.open(db, annotator="bench") as ws:
            doc_id = ws.documents()[0].id
            ws.warm_up(doc_id)
            pending = [s.id for _, s in ws.suggestions(doc_id)][: args.repeat]
            times: dict[str, list[float]] = {"add": [], "accept": [], "edit": [], "delete": [], "undo": []}
            added = []
            for start, end in free_words:
                times["add"].append(timed(lambda s=start, e=end: added.append(ws.add_span(doc_id, s, e, "PERSON"))))
            for suggestion_id in pending:
                times["accept"].append(timed(lambda i=suggestion_id: ws.accept(i)))
            for change in added:
                span = change.span
                times["edit"].append(timed(lambda s=span: ws.update_span(s.id, label="ORG")))
            for change in added:
                times["delete"].append(timed(lambda s=change.span: ws.delete_span(s.id)))
            for _ in range(min(args.repeat, 200)):
                times["undo"].append(timed(ws.undo))
    for name, values in times.items():
        print(f"{name:<7} median {statistics.median(values):6.2f} ms   max {max(values):6.2f} ms")
    print("RESULT store_actions " + " ".join(f"{name}_ms={statistics.median(values):.2f}"
                                             for name, values in times.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
