"""Per-rule statistics from the analysts' decisions on suggestions.

Precision counts a corrected suggestion as not accepted: the rule proposed the
wrong label or the wrong boundaries, and the analyst had to fix it. So
precision = accepted / (accepted + rejected + corrected); pending ones do not count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from annotator.core.model import Suggestion, SuggestionState

THRESHOLD = 0.5
MIN_DECISIONS = 20


@dataclass(frozen=True)
class RuleStats:
    rule: str
    suggested: int = 0
    pending: int = 0
    accepted: int = 0
    rejected: int = 0
    corrected: int = 0
    flagged: bool = False

    @property
    def decisions(self) -> int:
        return self.accepted + self.rejected + self.corrected

    @property
    def precision(self) -> float | None:
        """None until at least one decision was made."""
        return self.accepted / self.decisions if self.decisions else None


Decision = Suggestion | tuple[str, SuggestionState | str]


def rule_stats(
    decisions: Iterable[Decision],
    *,
    threshold: float = THRESHOLD,
    min_decisions: int = MIN_DECISIONS,
) -> dict[str, RuleStats]:
    """Count suggestions by rule and state; flag rules under ``threshold`` after ``min_decisions``.

    Accepts Suggestion objects or ``(rule name, state)`` pairs, so the store can
    feed either rows or a light query.
    """
    counts: dict[tuple[str, str], int] = {}
    for item in decisions:
        rule, state = (item.rule, item.state) if isinstance(item, Suggestion) else item
        key = (rule, str(state))
        counts[key] = counts.get(key, 0) + 1
    return rule_stats_from_counts(
        ((rule, state, n) for (rule, state), n in counts.items()),
        threshold=threshold,
        min_decisions=min_decisions,
    )


def rule_stats_from_counts(
    counts: Iterable[tuple[str, SuggestionState | str, int]],
    *,
    threshold: float = THRESHOLD,
    min_decisions: int = MIN_DECISIONS,
) -> dict[str, RuleStats]:
    """``rule_stats`` from (rule, state, how many) triples, as a GROUP BY query gives them."""
    per_rule: dict[str, dict[SuggestionState, int]] = {}
    for rule, state, count in counts:
        per = per_rule.setdefault(rule, {s: 0 for s in SuggestionState})
        per[SuggestionState(state)] += count
    out: dict[str, RuleStats] = {}
    for rule, per in sorted(per_rule.items()):
        stats = RuleStats(
            rule=rule,
            suggested=sum(per.values()),
            pending=per[SuggestionState.PENDING],
            accepted=per[SuggestionState.ACCEPTED],
            rejected=per[SuggestionState.REJECTED],
            corrected=per[SuggestionState.CORRECTED],
        )
        precision = stats.precision
        flagged = (
            stats.decisions >= min_decisions and precision is not None and precision < threshold
        )
        out[rule] = RuleStats(**{**stats.__dict__, "flagged": flagged})
    return out
