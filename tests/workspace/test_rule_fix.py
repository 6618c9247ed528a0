"""Rule fixes proposed from the analyst's corrections, through the workspace: the correction
read back from the database, the fix saved as one undo step."""

from __future__ import annotations

import pytest

from annotator.core.errors import UsageError
from annotator.workspace import FixKind


@pytest.fixture
def ws(workspace, seed_path):
    workspace.import_paths([seed_path])
    return workspace


def _suggestion(ws, doc, text):
    return next(s for _, s in ws.suggestions(doc) if s.text == text)


def test_the_last_correction_and_its_fixes(ws):
    doc = ws.documents()[0].id
    ws.suggest(doc)
    assert ws.last_correction(doc) is None
    reuters = _suggestion(ws, doc, "Reuters")
    ws.reject(reuters.id)
    assert ws.last_correction(doc) == reuters.id
    fixes = ws.rule_fixes(reuters.id)
    assert fixes[0].kind == FixKind.EXCEPTION and fixes[0].rules[0].exceptions == ("Reuters",)

    jazeera = _suggestion(ws, doc, "Al Jazeera")
    ws.correct(jazeera.id, label="LOC")  # relabelled: the newest correction
    assert ws.last_correction(doc) == jazeera.id
    kinds = {f.kind for f in ws.rule_fixes(jazeera.id)}
    assert FixKind.MOVE_TERM in kinds

    sabtu = _suggestion(ws, doc, "Sabtu (24/10)")
    ws.correct(sabtu.id, end=sabtu.start + len("Sabtu"))  # re-bounded
    assert FixKind.LOWER_PRIORITY in {f.kind for f in ws.rule_fixes(sabtu.id)}


def test_a_fix_of_two_rules_is_one_undo_step(ws):
    doc = ws.documents()[0].id
    ws.suggest(doc)
    jazeera = _suggestion(ws, doc, "Al Jazeera")
    ws.correct(jazeera.id, label="LOC")
    move = next(f for f in ws.rule_fixes(jazeera.id) if f.kind == FixKind.MOVE_TERM)
    before = {r.name: r for r in ws.rules()}
    assert "learned-LOC" not in before
    change = ws.apply_rule_fix(move)
    assert set(change.rules) == {"media-id", "learned-LOC"}
    after = {r.name: r for r in ws.rules()}
    assert after["media-id"] == move.rules[0] and after["learned-LOC"] == move.rules[1]
    assert ws.undo_description().startswith("Rule fix: Move ‘Al Jazeera’")
    ws.undo()
    assert {r.name: r for r in ws.rules()} == before


def test_a_pending_suggestion_is_no_correction(ws):
    doc = ws.documents()[0].id
    ws.suggest(doc)
    pending = _suggestion(ws, doc, "Reuters")
    with pytest.raises(UsageError, match="was not rejected or corrected"):
        ws.rule_fixes(pending.id)
    with pytest.raises(UsageError, match="no suggestion with id 999999"):
        ws.rule_fixes(999999)


def test_the_span_a_correction_made_leads_back_to_its_suggestion(ws):
    doc = ws.documents()[0].id
    ws.suggest(doc)
    jazeera = _suggestion(ws, doc, "Al Jazeera")
    made = ws.correct(jazeera.id, label="LOC").spans[0]
    ws.reject(_suggestion(ws, doc, "Reuters").id)  # a newer correction elsewhere
    assert ws.correction_behind(made.id) == jazeera.id
    assert ws.last_correction(doc) != jazeera.id
    by_hand = ws.add_span(doc, 0, 4, "DATE").spans[0]
    assert ws.correction_behind(by_hand.id) is None
