"""Labels added by imports get colours no other label has, however many there are."""

from __future__ import annotations

import itertools
import json

from annotator.ingest import _distance, _rgb, pick_colour


def test_forty_imported_labels_all_get_their_own_colour(workspace, tmp_path):
    names = [f"TYPE_{n}" for n in range(40)]
    records = [
        {
            "text": f"kata {name} di sini",
            "spans": [{"start": 5, "end": 5 + len(name), "label": name}],
        }
        for name in names
    ]
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    report = workspace.import_paths([path])
    assert sorted(report.new_labels) == sorted(names)
    colours = [label.colour.lower() for label in workspace.labels()]
    assert len(colours) == 46 and len(set(colours)) == 46
    # Not only different strings: far enough apart to tell on screen.
    closest = min(_distance(_rgb(a), _rgb(b)) for a, b in itertools.combinations(colours, 2))
    assert closest > 20


def test_past_the_palette_the_colour_is_far_from_every_colour_in_use():
    taken = ["#D55E00", "#0072B2", "#009E73", "#E69F00"]
    chosen = pick_colour(["#D55E00"], taken)
    assert chosen.lower() not in {c.lower() for c in taken}
    assert min(_distance(_rgb(chosen), _rgb(c)) for c in taken) >= 60
