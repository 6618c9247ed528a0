"""A small database for the doccano and Label Studio export tests: overlaps, emoji, CRLF,
a note, attributes, pending and decided suggestions, a document without spans."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotator.workspace import Workspace

TEXT = "Presiden 😀 Joko Widodo bertemu\r\nPutin di Moskow.\u2028Kata\u0085dia: e\u0301x."


def at(text: str, part: str, label: str, **extra: Any) -> dict[str, Any]:
    start = text.index(part)
    return {"start": start, "end": start + len(part), "label": label, **extra}


def records() -> list[dict[str, Any]]:
    return [
        {
            "id": "tricky/1",
            "title": "Judul 😀",
            "text": TEXT,
            "status": "in progress",
            "language": "id",
            "meta": {"url": "http://x/é", "tags": ["a", "b"], "nested": {"n": 1.5}},
            "spans": [
                at(TEXT, "Presiden 😀 Joko Widodo", "ROLE", note="panjang\nsekali"),
                at(TEXT, "Joko Widodo", "PERSON"),
                at(TEXT, "Joko Widodo", "ALIAS"),
                at(TEXT, "Moskow.\u2028Kata", "LOC", attributes={"k": "v"}),
                at(TEXT, "e\u0301x", "MISC"),
            ],
            "suggestions": [
                {**at(TEXT, "Putin", "PERSON"), "rule": "names", "status": "pending"},
                {**at(TEXT, "Moskow", "LOC"), "rule": "places", "status": "pending"},
                {**at(TEXT, "Kata", "MISC"), "rule": "names", "status": "rejected"},
            ],
        },
        {"id": "plain", "title": "Polos", "text": "Tanpa anotasi.", "status": "new"},
        {
            "id": "done-empty",
            "title": "Selesai",
            "text": "Tidak ada entitas.",
            "status": "done",
            "meta": {},
        },
        {
            "id": "jakarta",
            "text": "Jakarta dan Surabaya.",
            "spans": [at("Jakarta dan Surabaya.", "Surabaya", "LOC")],
        },
    ]


def build(db: Path, work: Path) -> None:
    """The fixture database at ``db``."""
    source = work / "interop.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records()), "utf-8")
    with Workspace.open(db, annotator="tester") as ws:
        report = ws.import_paths([source])
        assert not report.refused, report.refused


def spans_by_uid(path: Path) -> dict[str, set[tuple[int, int, str, str]]]:
    """Every span of every document of our JSONL export, by document id."""
    found = {}
    for line in path.read_text("utf-8").splitlines():
        record = json.loads(line)
        found[record["id"]] = {
            (s["start"], s["end"], s["label"], s["text"]) for s in record["spans"]
        }
    return found
