"""Learning from corrections, as visible rules: a learned term list per label.

"Remember" adds the text of a span the analyst made by hand to the phrase rule
``learned-<LABEL>``, so the same text is suggested in every other document (the way
INCEpTION's string matcher learns) and the analyst can see, edit or disable it.
"Reject everywhere" is ``Rule.with_exception``.
"""

from __future__ import annotations

from annotator.rules.load import edit_rule, parse_rule
from annotator.rules.model import Rule

LEARNED_PREFIX = "learned-"
# Above the shipped gazetteers (ORG names are 12 in id-news) and the generic head-word rules:
# the analyst's own decision wins.
LEARNED_PRIORITY = 13


def learned_rule_name(label: str) -> str:
    return f"{LEARNED_PREFIX}{label}"


def new_learned_rule(label: str) -> Rule:
    """An empty learned-term rule for ``label`` (case-sensitive, token boundaries)."""
    return parse_rule(
        {
            "name": learned_rule_name(label),
            "label": label,
            "kind": "phrase",
            "priority": LEARNED_PRIORITY,
            "description": f"Terms analysts marked as {label} by hand",
            "pattern": {"terms": []},
        },
        source="learned",
    )


def add_learned_term(rule: Rule, text: str) -> Rule:
    """``rule`` with ``text`` added (a new version), or ``rule`` itself if it has it already."""
    text = text.strip()
    terms = list(rule.pattern.get("terms", ()))
    known = any((t if isinstance(t, str) else t[0]) == text for t in terms)
    if not text or (known and text not in rule.exceptions):
        return rule
    # A term the analyst rejected before and now marks by hand is wanted after all.
    exceptions = [e for e in rule.exceptions if e != text]
    return edit_rule(
        rule,
        {
            "pattern": {**rule.pattern, "terms": terms if known else [*terms, text]},
            "exceptions": exceptions,
        },
    )


def remove_learned_term(rule: Rule, text: str) -> Rule:
    terms = [
        t for t in rule.pattern.get("terms", ()) if (t if isinstance(t, str) else t[0]) != text
    ]
    if len(terms) == len(rule.pattern.get("terms", ())):
        return rule
    return edit_rule(rule, {"pattern": {**rule.pattern, "terms": terms}})
