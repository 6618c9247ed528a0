"""Rule edits are undo steps like span edits: save, switch, import a pack, learn a term, a rule
made from a selection, an exception removed. Each returns a Change naming the rules it touched."""

from __future__ import annotations

import json

import pytest

from annotator.core.change import Operation
from annotator.core.errors import UsageError
from annotator.core.model import Document
from annotator.workspace import Workspace

TEXT = "Presiden Joko Widodo bertemu delegasi Mesir di Jakarta kemarin."


@pytest.fixture
def doc(workspace):
    (doc_id,) = workspace.store.documents.insert([Document(text=TEXT, title="t")], annotator="x")
    return doc_id


def _definition(ws: Workspace, name: str) -> dict | None:
    return next(
        (r.definition for r in ws.store.rules.stored() if r.definition["name"] == name), None
    )


def _suggested(ws: Workspace, doc_id: int) -> set[tuple[str, str]]:
    ws.suggest(doc_id)
    return {(s.text, s.label) for _, s in ws.suggestions(doc_id)}


def test_a_rule_made_from_a_selection_is_undone_and_redone(workspace, doc):
    assert ("Joko Widodo", "ORG") not in _suggested(workspace, doc)
    change = workspace.rule_from_selection("joko-org", "ORG", " Joko Widodo ")
    assert (change.operation, change.rules) == (Operation.SAVE_RULE, ("joko-org",))
    assert change.rules_changed and workspace.undo_description() == change.description
    assert ("Joko Widodo", "ORG") in _suggested(workspace, doc)

    undone = workspace.undo()
    assert undone is not None and undone.operation == Operation.UNDO and undone.rules_changed
    assert _definition(workspace, "joko-org") is None
    assert ("Joko Widodo", "ORG") not in _suggested(workspace, doc)
    workspace.redo()
    assert _definition(workspace, "joko-org")["pattern"] == {"terms": ["Joko Widodo"]}


def test_a_rule_name_already_taken_is_refused_and_changes_nothing(workspace, doc):
    workspace.rule_from_selection("mine", "ORG", "Mesir")
    steps = workspace.undo_description()
    with pytest.raises(UsageError, match="no other rule has"):
        workspace.rule_from_selection("mine", "LOC", "Jakarta")
    assert _definition(workspace, "mine")["label"] == "ORG"
    assert workspace.undo_description() == steps


def test_a_learned_term_is_one_undo_step_and_twice_is_refused(workspace, doc):
    change = workspace.learn_term("LOC", "Mesir")
    assert change.operation == Operation.REMEMBER and change.rules == ("learned-LOC",)
    assert workspace.undo_description() == "Remember LOC ‘Mesir’"
    with pytest.raises(UsageError, match="already a learned LOC term"):
        workspace.learn_term("LOC", "Mesir")
    workspace.undo()
    assert _definition(workspace, "learned-LOC") is None  # the rule was new: undo removes it
    assert workspace.undo_description() is None


def test_switching_a_rule_off_and_on_is_undone(workspace, doc):
    name = workspace.rules()[0].name
    change = workspace.set_rule_enabled(name, False)
    assert (change.operation, change.rules) == (Operation.DISABLE_RULE, (name,))
    assert workspace.rule(name).enabled is False
    assert workspace.undo_description() == f"Switch rule {name} off"
    workspace.undo()
    assert workspace.rule(name).enabled is True
    workspace.redo()
    assert workspace.rule(name).enabled is False


def test_an_edited_rule_is_undone_to_its_previous_definition(workspace, doc):
    rule = workspace.rules()[0]
    before = _definition(workspace, rule.name)
    workspace.save_rule(rule.edited(description="changed"))
    assert _definition(workspace, rule.name)["description"] == "changed"
    workspace.undo()
    assert _definition(workspace, rule.name) == before


def test_an_imported_pack_is_one_undo_step(workspace, doc, tmp_path):
    pack = tmp_path / "mine.jsonl"
    lines = [
        {"name": "p1", "label": "LOC", "kind": "phrase", "pattern": {"terms": ["Jakarta"]}},
        {"name": "p2", "label": "ORG", "kind": "phrase", "pattern": {"terms": ["Mesir"]}},
    ]
    pack.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    result = workspace.import_rules(pack)
    assert (result.added, result.replaced) == (2, 0)
    assert set(result.change.rules) == {"p1", "p2"}
    assert workspace.undo_description() == "Import rule pack mine.jsonl"
    workspace.undo()
    assert _definition(workspace, "p1") is None and _definition(workspace, "p2") is None
    workspace.redo()
    assert {"p1", "p2"} <= {r.name for r in workspace.rules()}


def test_the_default_pack_of_a_new_database_is_no_undo_step(workspace):
    assert workspace.rules()  # the default pack is there
    assert workspace.undo_description() is None


def test_undo_of_another_annotators_rule_edit_is_theirs(workspace, doc):
    other = Workspace(workspace.store, "other")
    other.learn_term("LOC", "Kairo")
    assert workspace.undo_description() is None  # not mine to undo
    assert other.undo_description() == "Remember LOC ‘Kairo’"
