"""A row another connection removed between this action's read and its write: a clear refusal."""

from __future__ import annotations

import pytest

from annotator.core.errors import UsageError
from annotator.store.schema import SuggestionRow
from annotator.workspace import Workspace


def test_deciding_on_a_suggestion_the_rules_just_dropped_is_refused_cleanly(db_path, seed_path):
    with Workspace.open(db_path, annotator="tester") as window, Workspace.open(db_path, annotator="tester") as rules:
        window.import_paths([seed_path])
        doc_id = window.documents()[0].id
        window.suggest(doc_id)
        suggestion = next(s for _, s in window.suggestions(doc_id) if s.text == "Rusia")
        with pytest.raises(UsageError, match="changed meanwhile"), window.store.transaction() as session:
            row = session.get(SuggestionRow, suggestion.id)  # read by this connection...
            # ...removed by another before this one writes (the window's suggestion process re-ran).
            rules.store.drop_pending(suggestion.rule, "Rusia", "LOC")
            row.state = "accepted"
        assert not [s for _, s in window.suggestions(doc_id) if s.id == suggestion.id]
