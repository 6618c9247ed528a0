"""The rule engine: load and validate rules, match a document, resolve conflicts.

Pure: text in, matches out. No database, no Qt; the workspace wires it to the store.
"""

from annotator.rules.engine import Engine, compile_rule, preview, resolve
from annotator.rules.load import dump_rule, load_pack, parse_rule, read_terms, save_pack
from annotator.rules.model import Match, Rule, RuleError, RuleFailure, RunResult
from annotator.rules.stats import RuleStats, rule_stats, rule_stats_from_counts

__all__ = [
    "Engine",
    "Match",
    "Rule",
    "RuleError",
    "RuleFailure",
    "RuleStats",
    "RunResult",
    "compile_rule",
    "dump_rule",
    "load_pack",
    "parse_rule",
    "preview",
    "read_terms",
    "resolve",
    "rule_stats",
    "rule_stats_from_counts",
    "save_pack",
]
