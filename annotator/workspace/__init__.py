"""The workspace: the one door the CLI and the GUI use to reach a database.

What they may use besides the Workspace is re-exported here, so neither needs to import the
store, the rule engine or the readers and writers (the import contracts in pyproject.toml check).
"""

from annotator.core.change import Change, Operation
from annotator.core.curation import Curation, Region
from annotator.core.formats import EXPORT_FORMATS, IMPORT_FORMATS
from annotator.ingest import ImportReport
from annotator.io.base import DEFAULT_READ_OPTIONS, ExportResult, ReadOptions
from annotator.rules import Match, Rule, RuleError, RuleStats, dump_rule, parse_rule
from annotator.rules.induce import Proposal, ProposalKind
from annotator.rules.learn import learned_rule_name
from annotator.store.change_feed import ChangedDocuments
from annotator.store.concordance import (
    ConcordanceFilter,
    ConcordanceLine,
    LineKey,
    LineKind,
    SortKey,
)
from annotator.store.document_pages import DocumentOrder, DocumentQuery
from annotator.store.documents import DocumentSummary
from annotator.store.engine import head_revision
from annotator.store.search import SearchHit
from annotator.store.server_url import probe_server, server_url, shown_url
from annotator.workspace.actor import default_annotator
from annotator.workspace.agreement_commands import TooFewAnnotators
from annotator.workspace.backups import BackupFile, backups_kept, set_backups_kept
from annotator.workspace.concordance import ConcordanceReview
from annotator.workspace.facade import Workspace
from annotator.workspace.induction import RuleProposal
from annotator.workspace.label_mapping import (
    IncomingLabels,
    read_incoming_labels,
    suggested_target,
)
from annotator.workspace.progress import (
    DocumentProgress,
    DocumentWork,
    LabelProgress,
    ProgressReport,
    RuleTimeline,
    StatusPoint,
    TimelinePoint,
)
from annotator.workspace.rule_diff import CorpusDiff, DiffKind, DiffLine, DocumentDiffCount
from annotator.workspace.rule_fix import Correction, FixKind, RuleFix
from annotator.workspace.rule_patterns import PatternExport
from annotator.workspace.rulebook import DEFAULT_PACK, RuleImport, pack_path
from annotator.workspace.suggesting import SuggestReport
from annotator.workspace.tagging import TAGGER_RULE, TaggerTraining

__all__ = [
    "DEFAULT_PACK",
    "DEFAULT_READ_OPTIONS",
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "TAGGER_RULE",
    "BackupFile",
    "Change",
    "ChangedDocuments",
    "ConcordanceFilter",
    "ConcordanceLine",
    "ConcordanceReview",
    "CorpusDiff",
    "Correction",
    "Curation",
    "DiffKind",
    "DiffLine",
    "DocumentDiffCount",
    "DocumentOrder",
    "DocumentProgress",
    "DocumentQuery",
    "DocumentSummary",
    "DocumentWork",
    "ExportResult",
    "FixKind",
    "ImportReport",
    "IncomingLabels",
    "LabelProgress",
    "LineKey",
    "LineKind",
    "Match",
    "Operation",
    "PatternExport",
    "ProgressReport",
    "Proposal",
    "ProposalKind",
    "ReadOptions",
    "Region",
    "Rule",
    "RuleError",
    "RuleFix",
    "RuleImport",
    "RuleProposal",
    "RuleStats",
    "RuleTimeline",
    "SearchHit",
    "SortKey",
    "StatusPoint",
    "SuggestReport",
    "TaggerTraining",
    "TimelinePoint",
    "TooFewAnnotators",
    "Workspace",
    "backups_kept",
    "default_annotator",
    "dump_rule",
    "learned_rule_name",
    "pack_path",
    "parse_rule",
    "probe_server",
    "read_incoming_labels",
    "schema_revision",
    "server_url",
    "set_backups_kept",
    "shown_url",
    "suggested_target",
]


def schema_revision() -> str:
    """The schema revision this program writes."""
    return head_revision()
