"""The statistics of inter-annotator agreement, on plain values (no documents, no database).

Every figure that can be undefined is ``None`` (a kappa when chance agreement is already total,
an F1 when neither side has a span): the report shows "n/a", never a NaN.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
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


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Cohen's kappa of two raters over the same items; None when chance agreement is total."""
    if len(a) != len(b):
        return None
    return cohen_kappa_of(Counter(zip(a, b, strict=True)))


def cohen_kappa_of(pairs: Mapping[tuple[str, ...], int]) -> float | None:
    """Cohen's kappa from how many items got each (rater A's, rater B's) pair of categories."""
    n = sum(pairs.values())
    if n == 0:
        return None
    count_a: Counter[str] = Counter()
    count_b: Counter[str] = Counter()
    observed = 0
    for (x, y), count in pairs.items():
        count_a[x] += count
        count_b[y] += count
        if x == y:
            observed += count
    expected = sum(count_a[k] * count_b[k] for k in count_a) / (n * n)
    if expected >= 1.0:
        return None
    return (observed / n - expected) / (1.0 - expected)


def fleiss_kappa(patterns: Mapping[tuple[str, ...], int]) -> float | None:
    """Fleiss' kappa from how many items got each pattern of categories (one per rater, >= 2).

    Counted by pattern, not by item: a corpus of a million tokens has a few dozen patterns
    (most are all "O"), so the cost is the counting, done in C by ``Counter``.
    """
    items = sum(patterns.values())
    if items == 0:
        return None
    raters = len(next(iter(patterns)))
    if raters < 2 or any(len(pattern) != raters for pattern in patterns):
        return None
    totals: Counter[str] = Counter()
    agreement = 0.0
    for pattern, weight in patterns.items():
        counts = Counter(pattern)
        for category, count in counts.items():
            totals[category] += count * weight
        agreement += weight * (sum(c * c for c in counts.values()) - raters)
    observed = agreement / (items * raters * (raters - 1))
    all_ratings = items * raters
    expected = sum((c / all_ratings) ** 2 for c in totals.values())
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)


def krippendorff_alpha(patterns: Mapping[tuple[str, ...], int]) -> float | None:
    """Krippendorff's alpha (nominal) from the `krippendorff` package; None when undefined.

    The package is given the value counts (a row a unit, a column a category), each pattern's
    row repeated as many times as units have it. The one place the core reaches past the
    standard library (the brief allows numpy here): imported when an alpha is asked for, so the
    rest of the core stays importable without it.
    """
    import krippendorff
    import numpy as np

    if not patterns or len(next(iter(patterns))) < 2:
        return None
    categories = sorted({str(value) for pattern in patterns for value in pattern})
    if len(categories) < 2:
        return None  # one value in the whole domain: alpha is undefined
    column = {value: i for i, value in enumerate(categories)}
    rows = np.zeros((len(patterns), len(categories)), dtype=np.int64)
    for r, pattern in enumerate(patterns):
        for category in pattern:
            rows[r, column[str(category)]] += 1
    weights = np.fromiter(patterns.values(), dtype=np.int64, count=len(patterns))
    value_counts = np.repeat(rows, weights, axis=0)
    alpha = float(krippendorff.alpha(value_counts=value_counts, level_of_measurement="nominal"))
    return None if math.isnan(alpha) else alpha
