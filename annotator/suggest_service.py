"""A process that makes documents' suggestions for a window, so the rules never hold its thread.

The rule engine is Python: in a thread of the window's process it would hold the interpreter
lock and every key press would wait for it. In a process of its own (on another core) it does
not. The window writes document ids to this process's standard input, one a line; it opens its
own Workspace on the same database, makes each document's suggestions (written in one
transaction that reads the decisions as they are then, so the analyst's newer edits win) and
answers one JSON line per request: ``{"doc": id, "added": n, "kept": n, "dropped": n,
"failures": [...]}`` or ``{"doc": id, "error": "..."}``. End of input ends it.

    python -m annotator.suggest_service DATABASE ANNOTATOR
"""

from __future__ import annotations

import json
import sys
from typing import IO

from annotator.core.errors import AnnotatorError
from annotator.workspace import SuggestReport, Workspace


def serve(location: str, annotator: str, requests: IO[str], answers: IO[str]) -> None:
    """Answer each document id read from ``requests`` until its end."""
    workspace: Workspace | None = None
    try:
        for line in requests:
            if not line.strip():
                continue
            try:
                doc_id = int(line)
            except ValueError:
                answers.write(
                    json.dumps({"doc": None, "error": f"not a document id: {line.strip()!r}"})
                    + "\n"
                )
                answers.flush()
                continue
            try:
                if workspace is None:
                    workspace = Workspace.open(location, annotator=annotator, upgrade=False)
                answer = make(workspace, doc_id)
            except AnnotatorError as exc:
                answer = {"doc": doc_id, "error": str(exc)}
            answers.write(json.dumps(answer) + "\n")
            answers.flush()
    finally:
        if workspace is not None:
            workspace.close()


def make(workspace: Workspace, doc_id: int) -> dict[str, object]:
    """One document's suggestions when the rules changed since they were made, as an answer."""
    try:
        report = workspace.suggest(doc_id) if workspace.needs_suggest(doc_id) else SuggestReport()
    except AnnotatorError as exc:
        return {"doc": doc_id, "error": str(exc)}
    except Exception as exc:  # noqa: BLE001  # reported in the window; a dead service would stall every document
        return {"doc": doc_id, "error": f"{type(exc).__name__}: {exc}"}
    return {
        "doc": doc_id,
        "added": report.added,
        "kept": report.kept,
        "dropped": report.dropped,
        "failures": report.failures,
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m annotator.suggest_service DATABASE ANNOTATOR", file=sys.stderr)
        return 2
    serve(args[0], args[1], sys.stdin, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
