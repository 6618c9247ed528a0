"""The suggestion lifecycle: pending, accepted, rejected, corrected; each decision one
transaction.

``Suggestions`` is the part the store offers; it is composed of the rule run (replacing a
document's pending suggestions), its corpus form (a batch of documents at once), the decisions,
and the queries, each in its own module.
"""

from __future__ import annotations

from annotator.store.database import Database
from annotator.store.labels import Labels
from annotator.store.spans import Spans
from annotator.store.suggestion_bulk import SuggestionBulk
from annotator.store.suggestion_decisions import SuggestionDecisions
from annotator.store.suggestion_queries import SuggestionQueries
from annotator.store.suggestion_rows import suggestion_of
from annotator.store.suggestion_run import SuggestionRun, SuggestOutcome

__all__ = ["SuggestOutcome", "Suggestions", "suggestion_of"]


class Suggestions(SuggestionRun, SuggestionBulk, SuggestionDecisions, SuggestionQueries):
    """What the rules propose, and the analyst's decisions on it: each one transaction, logged."""

    def __init__(self, db: Database, labels: Labels, spans: Spans) -> None:
        self.db = db
        self.labels = labels
        self.spans = spans
