"""The engine's shared gazetteer scan and clustered resolve give exactly the per-rule results."""

from __future__ import annotations

import bisect
import random

from annotator.rules.doc import Doc
from annotator.rules.engine import resolve
from annotator.rules.kinds.phrase import Gazetteer, PhraseSet
from annotator.rules.model import Match

TEXT = (
    "Presiden AS Barack Obama bertemu Presiden Rusia di Moskow, MOSKOW.\n"
    "Kemarin Menteri Luar Negeri AS bertemu menteri luar negeri Rusia; Iranian bukan Iran."
)


def test_phrase_set_gives_each_gazetteer_its_own_matches() -> None:
    gazetteers = [
        Gazetteer([("Presiden", None), ("Presiden AS", None), ("AS", None)]),
        Gazetteer([("AS", "Amerika Serikat"), ("Rusia", None), ("Iran", None)]),
        Gazetteer([("menteri luar negeri", None), ("kemarin", None)], case_sensitive=False),
        Gazetteer([("Moskow", None)], also_upper=True),
        Gazetteer([("Luar Negeri", None), ("negeri", None)], case_sensitive=False),
    ]
    shared = PhraseSet(gazetteers).find(TEXT, lambda: Doc(TEXT).folded)
    for g in gazetteers:
        assert shared[g] == g.find(TEXT), g.masked_keys
    doc = Doc(TEXT, PhraseSet(gazetteers))
    assert [doc.find(g) for g in gazetteers] == [g.find(TEXT) for g in gazetteers]
    outside = Gazetteer([("Obama", None)])
    assert doc.find(outside) == outside.find(TEXT)


def _resolve_reference(matches: list[Match]) -> list[Match]:
    """The ranking over all matches at once (the engine's former implementation)."""
    ordered = sorted(matches, key=lambda m: (-m.priority, m.start - m.end, m.start, m.rule))
    kept_starts: list[int] = []
    kept: list[Match] = []
    longest = 0
    for m in ordered:
        lo = bisect.bisect_left(kept_starts, m.start - longest)
        hi = bisect.bisect_left(kept_starts, m.end)
        clash = any(
            not (o.end <= m.start or o.start >= m.end)
            and not (o.label != m.label and (o.allow_overlap or m.allow_overlap))
            for o in kept[lo:hi]
        )
        if not clash:
            at = bisect.bisect_right(kept_starts, m.start)
            kept_starts.insert(at, m.start)
            kept.insert(at, m)
            longest = max(longest, m.end - m.start)
    return sorted(kept)


def test_clustered_resolve_equals_global_ranking() -> None:
    rng = random.Random(3)
    for n in range(2000):
        matches = []
        for _ in range(rng.randint(0, 25)):
            start = rng.randint(0, 60)
            end = start + rng.randint(0, 12) if n % 10 else start + rng.randint(-3, 12)
            matches.append(
                Match(
                    start,
                    end,
                    rng.choice("ABC"),
                    "t",
                    rng.choice(("r1", "r2")),
                    1,
                    rng.choice(("x", "y")),
                    rng.randint(0, 3),
                    rng.random() < 0.2,
                )
            )
        assert resolve(matches) == _resolve_reference(matches)
