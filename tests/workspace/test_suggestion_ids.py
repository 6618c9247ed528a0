"""A pending suggestion proposed again keeps its id, so a window showing it can still decide
on it."""

from __future__ import annotations


def test_a_rule_edit_keeps_the_ids_of_the_suggestions_it_still_makes(workspace, seed_path):
    workspace.import_paths([seed_path])
    doc_id = workspace.documents()[0].id
    workspace.suggest(doc_id)
    before = {s.id: s for _, s in workspace.suggestions(doc_id)}
    rusia = next(s for s in before.values() if s.text == "Rusia" and s.label == "LOC")
    rule = workspace.rule(rusia.rule)
    # A new version of the rule that proposes the same spans (and one exception fewer of none).
    workspace.save_rule(rule.edited(description="edited", version=rule.version + 1))
    assert workspace.needs_suggest(doc_id)
    report = workspace.suggest(doc_id)
    after = {s.id: s for _, s in workspace.suggestions(doc_id)}
    assert report.added == 0 and report.dropped == 0
    assert after.keys() == before.keys()
    assert after[rusia.id].rule_version == rule.version + 1  # stamped with the version that made it
    workspace.accept(rusia.id)  # the id a window was showing is still good


def test_an_exception_drops_only_what_it_excepts(workspace, seed_path):
    workspace.import_paths([seed_path])
    doc_id = workspace.documents()[0].id
    workspace.suggest(doc_id)
    before = {s.id: s for _, s in workspace.suggestions(doc_id)}
    rusia = next(s for s in before.values() if s.text == "Rusia" and s.label == "LOC")
    workspace.reject(rusia.id, everywhere=True)
    workspace.suggest(doc_id)
    after = {s.id: s for _, s in workspace.suggestions(doc_id)}
    gone = {i for i, s in before.items() if s.text == "Rusia" and s.label == "LOC"}
    assert after.keys() == before.keys() - gone
