"""The statistics of inter-annotator agreement, on plain values (no documents, no database).

Every figure that can be undefined is ``None`` (a kappa when chance agreement is already total,
an F1 when neither side has a span): the report shows "n/a", never a NaN.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from typing import NamedTuple

OUTSIDE = "O"  # the token label for "no span covers it"


class Score(NamedTuple):
    """Precision, recall and F1 of ``b`` against ``a`` taken as the reference (F1 is symmetric)."""

    matched: int
    a_count: int
    b_count: int

    @property
    def precision(self) -> float | None:
        return self.matched / self.b_count if self.b_count else None

    @property
    def recall(self) -> float | None:
        return self.matched / self.a_count if self.a_count else None

    @property
    def f1(self) -> float | None:
        total = self.a_count + self.b_count
        return 2 * self.matched / total if total else None

    def __add__(self, other: object) -> Score:
        if not isinstance(other, Score):
            return NotImplemented
        return Score(
            self.matched + other.matched,
            self.a_count + other.a_count,
            self.b_count + other.b_count,
        )


Range = tuple[int, int]


def exact_matches(a: Sequence[Range], b: Sequence[Range]) -> int:
    """How many ranges the two sides share exactly (each side's ranges are distinct)."""
    return len(set(a) & set(b))


def overlap_matches(a: Sequence[Range], b: Sequence[Range]) -> int:
    """The most pairs of overlapping ranges that can be matched one to one (Kuhn's matching).

    Exact matches are paired first: they are in every maximum matching worth reporting, and
    they leave the augmenting search only the few ranges the two sides drew differently.
    """
    shared = set(a) & set(b)
    rest_a = sorted(r for r in set(a) if r not in shared)
    rest_b = sorted(r for r in set(b) if r not in shared)
    edges: list[list[int]] = []
    for start, end in rest_a:
        edges.append([j for j, (s, e) in enumerate(rest_b) if s < end and start < e])
    owner: dict[int, int] = {}  # index in rest_b -> index in rest_a

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    matched = sum(1 for i in range(len(rest_a)) if edges[i] and augment(i, set()))
    return len(shared) + matched


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two raters over the same items; None when chance agreement is total."""
    n = len(a)
    if n == 0 or n != len(b):
        return None
    observed = sum(1 for x, y in zip(a, b, strict=True) if x == y) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[k] * count_b[k] for k in count_a) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def fleiss_kappa(items: Sequence[Sequence[Hashable]]) -> float | None:
    """Fleiss' kappa: each item is the categories its (equally many, >= 2) raters gave."""
    if not items:
        return None
    raters = len(items[0])
    if raters < 2 or any(len(item) != raters for item in items):
        return None
    totals: Counter[Hashable] = Counter()
    agreement = 0.0
    for item in items:
        counts = Counter(item)
        totals.update(counts)
        agreement += (sum(c * c for c in counts.values()) - raters) / (raters * (raters - 1))
    observed = agreement / len(items)
    all_ratings = len(items) * raters
    expected = sum((c / all_ratings) ** 2 for c in totals.values())
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha(items: Sequence[Sequence[Hashable]]) -> float | None:
    """Krippendorff's alpha (nominal) from the `krippendorff` package; None when undefined.

    The one place the core reaches past the standard library (the brief allows numpy here): the
    package is imported when an alpha is asked for, so the rest of the core stays importable
    without it.
    """
    import krippendorff
    import numpy as np

    if not items or len(items[0]) < 2:
        return None
    codes: dict[Hashable, int] = {}
    table = np.array(
        [[codes.setdefault(value, len(codes)) for value in item] for item in items], dtype=float
    ).T  # raters x units
    if len(codes) < 2:
        return None  # one value in the whole domain: alpha is undefined
    value = float(krippendorff.alpha(reliability_data=table, level_of_measurement="nominal"))
    return None if math.isnan(value) else value
