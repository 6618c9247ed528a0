from annotator.core.model import Suggestion, SuggestionState
from annotator.rules import rule_stats


def test_counts_precision_and_flag():
    decisions = (
        [("good", "accepted")] * 18
        + [("good", "rejected")] * 2
        + [("bad", "accepted")] * 5
        + [("bad", "rejected")] * 10
        + [("bad", "corrected")] * 5
        + [("bad", "pending")] * 3
    )
    stats = rule_stats(decisions)
    good, bad = stats["good"], stats["bad"]
    assert (good.suggested, good.accepted, good.rejected, good.precision, good.flagged) == (
        20,
        18,
        2,
        0.9,
        False,
    )
    assert (bad.suggested, bad.pending, bad.corrected, bad.decisions) == (23, 3, 5, 20)
    assert bad.precision == 0.25 and bad.flagged


def test_not_flagged_before_enough_decisions_and_accepts_suggestions():
    rows = [Suggestion(0, 1, "LOC", "x", "young", state=SuggestionState.REJECTED)] * 19
    stats = rule_stats(rows)["young"]
    assert stats.precision == 0.0 and not stats.flagged
    assert rule_stats(rows, min_decisions=10)["young"].flagged
    assert rule_stats([("new", "pending")])["new"].precision is None
