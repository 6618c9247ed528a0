"""A small database that holds what makes export hard, and the exports made of it.

Shared by the golden-file tests (tests/io/test_export_golden.py) and the script that wrote the
golden files with the export code as it was before the bulk export path (issue 13):
    PYTHONPATH=. python tests/io/export_fixture.py tests/data/export-golden
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from annotator.workspace import Workspace

# Line breaks of every kind, CRLF, a tab, emoji outside the BMP (UTF-16 offsets in XMI), a
# combining mark, a character XML 1.0 cannot hold, closing quotes after a full stop.
TRICKY = (
    "Presiden 😀 Joko Widodo bertemu\r\nPutin di Moskow.\u2028Kata\u0085dia\u2029: "
    '"siap." Lalu e\u0301x\tdan 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \x01 pergi (ke Jakarta). Kelompok-kelompok 1.500,00 24/10'
)


def _span(text: str, part: str, label: str, **extra: object) -> dict[str, object]:
    start = text.index(part)
    return {"start": start, "end": start + len(part), "label": label, **extra}


def records() -> list[dict[str, object]]:
    t = TRICKY
    joko = t.index("Joko")
    tricky = {
        "id": "tricky/1",
        "title": "Rusia 😀 \u2028 judul",
        "text": t,
        "status": "in progress",
        "language": "id",
        "meta": {"url": "http://x/é", "tags": ["a", "b"], "nested": {"n": 1.5, "t": True}},
        "spans": [
            # the same range under two labels: ZED is created first (lower id), ALPHA sorts first
            _span(t, "Joko Widodo", "ZED"),
            _span(t, "Joko Widodo", "ALPHA"),
            _span(t, "Presiden 😀 Joko Widodo", "ROLE", note="panjang\nsekali\u2028x"),
            _span(t, "Putin", "PERSON", origin="rule", rule="names", rule_version=3),
            _span(t, "Moskow.\u2028Kata", "LOC", annotator="budi"),
            _span(t, "e\u0301x", "MY_LABEL", attributes={"b": True, "k": "v w", "n": 3}),
            _span(t, "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ORG", attributes={"l": [1, 2], "off": False, "e": ""}),
            # starts inside a token, ends inside one
            {"start": joko + 2, "end": joko + 3, "label": "PERSON"},
            {"start": t.index("Kelompok") + 3, "end": t.index("1.500") + 2, "label": "ORG"},
            _span(t, "\x01", "ALPHA"),
            # outermost for CoNLL among equals: the first in store order (label id) is kept
            _span(t, "pergi", "ZED"),
            _span(t, "pergi", "ALPHA"),
        ],
        "suggestions": [
            {**_span(t, "Jakarta", "LOC"), "rule": "places", "status": "pending"},
            {**_span(t, "Putin", "PERSON"), "rule": "names", "status": "rejected"},
        ],
    }
    plain = {
        "id": "plain",
        "title": "",
        "text": "Tanpa anotasi sama sekali.\n\nParagraf kedua!",
        "status": "done",
        "meta": {},
        "spans": [],
    }
    rng = random.Random(13)
    words = ["pemerintah", "Jakarta", "mengatakan", "bahwa", "PBB", "di", "Surabaya", "yang"]
    generated = []
    for i in range(8):
        text = " ".join(rng.choice(words) for _ in range(40)) + "."
        spans = []
        for _ in range(rng.randint(0, 6)):
            start = rng.randrange(0, len(text) - 10)
            spans.append({"start": start, "end": start + rng.randint(1, 9), "label": "LOC"})
        spans = list({(s["start"], s["end"]): s for s in spans}.values())
        generated.append({"id": f"gen-{i}", "text": text, "spans": spans, "status": "new"})
    return [tricky, plain, *generated]


def build(db: Path, work: Path) -> None:
    """The fixture database at ``db`` (``work`` holds the JSONL file imported)."""
    source = work / "fixture.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=True) + "\n" for r in records()), "utf-8")
    with Workspace.open(db, annotator="tester") as ws:
        ws.add_label("ZED")  # before ALPHA: label ids differ from the names' order
        report = ws.import_paths([source])
        assert not report.refused, report.refused


# (name, format, export options): every export the golden files hold.
EXPORTS = [
    ("all.jsonl", "jsonl", {}),
    ("suggestions.jsonl", "jsonl", {"include_suggestions": True}),
    ("filtered.jsonl", "jsonl", {"labels": ["PERSON", "ORG"], "statuses": ["in progress"]}),
    ("all.conll", "conll", {}),
    ("all.csv", "csv", {}),
    ("brat", "brat", {}),
    ("xmi", "xmi", {}),
    ("rule-origin.jsonl", "jsonl", {"origins": ["rule"]}),
    ("budi.conll", "conll", {"annotators": ["budi"], "include_suggestions": True}),
    ("done-and-new.conll", "conll", {"statuses": ["done", "new"], "labels": ["LOC"]}),
    ("tester-loc-xmi", "xmi", {"annotators": ["tester"], "labels": ["LOC", "ALPHA"]}),
]


def export_all(db: Path, out: Path) -> dict[str, list[str]]:
    """Every export of ``EXPORTS`` into ``out``; the warnings of each."""
    warnings: dict[str, list[str]] = {}
    with Workspace.open(db, annotator="tester") as ws:
        for name, fmt, options in EXPORTS:
            warnings[name] = ws.export(fmt, out / name, **options).warnings  # type: ignore[arg-type]
    return warnings


if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp) / "fixture.sqlite", Path(tmp))
        found = export_all(Path(tmp) / "fixture.sqlite", target)
    (target / "warnings.json").write_text(json.dumps(found, indent=1) + "\n", "utf-8")
