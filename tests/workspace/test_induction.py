"""Rule proposals on a real database: which documents count, accept (and undo), turn down."""

from __future__ import annotations

import pytest

from annotator.core.change import Operation
from annotator.core.model import Document, DocumentStatus
from annotator.workspace import ProposalKind, RuleProposal, Workspace

FRIENDS = [
    "Ia bertemu sahabat Wiryo di pasar.",
    "Kami menyapa sahabat Darsono pagi itu.",
    "Mereka menunggu sahabat Kartolo sejak siang.",
]
LATER = "Kemarin sahabat Sumirah datang."


def _insert(ws: Workspace, *texts: str) -> list[int]:
    docs = [Document(text=t, title=f"t{i}") for i, t in enumerate(texts)]
    return ws.store.documents.insert(docs, annotator="x")


def _finish(ws: Workspace, doc_id: int, text: str, *names: str, done: bool = True) -> None:
    for name in names:
        at = text.index(name)
        ws.add_span(doc_id, at, at + len(name), "PERSON")
    if done:
        ws.set_status(doc_id, DocumentStatus.DONE)


def _suggested(ws: Workspace, doc_id: int) -> set[tuple[str, str]]:
    ws.suggest(doc_id)
    return {(s.text, s.label) for _, s in ws.suggestions(doc_id)}


def _friend_proposal(ws: Workspace) -> RuleProposal | None:
    found = [
        p
        for p in ws.rule_proposals(min_precision=0.8, min_hits=3)
        if p.kind == ProposalKind.CONTEXT and '"sahabat"' in p.summary
    ]
    return found[0] if found else None


@pytest.fixture
def friends(workspace):
    ids = _insert(workspace, *FRIENDS, LATER)
    for doc_id, text in zip(ids, FRIENDS, strict=False):
        _finish(workspace, doc_id, text, text.split("sahabat ")[1].split()[0])
    return ids


def test_proposals_come_from_done_documents_with_their_figures(workspace, friends):
    proposal = _friend_proposal(workspace)
    assert proposal is not None
    assert proposal.rule.label == "PERSON"
    p = proposal.proposal
    assert (p.matches, p.hits, p.precision) == (3, 3, 1.0)
    # the whole corpus: the three done documents and the later one
    assert proposal.corpus_matches == 4


def test_documents_not_marked_done_do_not_count(workspace):
    ids = _insert(workspace, *FRIENDS)
    for doc_id, text in zip(ids, FRIENDS, strict=True):
        _finish(workspace, doc_id, text, text.split("sahabat ")[1].split()[0], done=False)
    assert workspace.document_status(ids[0]) == DocumentStatus.IN_PROGRESS
    assert _friend_proposal(workspace) is None


def test_accepting_saves_the_rule_in_one_undo_step_and_suggestions_follow(workspace, friends):
    later = friends[-1]
    assert ("Sumirah", "PERSON") not in _suggested(workspace, later)
    proposal = _friend_proposal(workspace)
    assert proposal is not None
    change = workspace.accept_rule_proposal(proposal)
    assert change.operation == Operation.ACCEPT_RULE_PROPOSAL
    assert change.rules == (proposal.rule.name,) and change.rules_changed
    assert workspace.rule(proposal.rule.name).enabled
    assert ("Sumirah", "PERSON") in _suggested(workspace, later)
    assert _friend_proposal(workspace) is None  # it is a rule now

    workspace.undo()
    assert proposal.rule.name not in {r.name for r in workspace.rules()}
    assert ("Sumirah", "PERSON") not in _suggested(workspace, later)
    assert _friend_proposal(workspace) is not None


def test_turning_down_is_remembered_across_reopening_and_undone(workspace, friends, db_path):
    proposal = _friend_proposal(workspace)
    assert proposal is not None
    change = workspace.turn_down_rule_proposal(proposal)
    assert change.operation == Operation.DECLINE_RULE_PROPOSAL
    assert not workspace.rule(proposal.rule.name).enabled  # kept, switched off
    assert ("Sumirah", "PERSON") not in _suggested(workspace, friends[-1])
    workspace.close()
    with Workspace.open(db_path, annotator="tester") as reopened:
        assert _friend_proposal(reopened) is None
        reopened.undo()
        assert _friend_proposal(reopened) is not None


def test_turned_down_terms_are_not_proposed_again_but_other_terms_are(workspace):
    texts = ["Wiryo datang.", "Lalu Wiryo pulang.", "Darsono tidur.", "Lalu Darsono bangun."]
    ids = _insert(workspace, *texts)
    for doc_id, text in zip(ids[:2], texts[:2], strict=True):
        _finish(workspace, doc_id, text, "Wiryo")
    [terms] = [p for p in workspace.rule_proposals(min_hits=2) if p.kind == ProposalKind.TERMS]
    assert list(terms.rule.pattern["terms"]) == ["Wiryo"]
    workspace.turn_down_rule_proposal(terms)
    assert not [p for p in workspace.rule_proposals(min_hits=2) if p.kind == ProposalKind.TERMS]

    for doc_id, text in zip(ids[2:], texts[2:], strict=True):
        _finish(workspace, doc_id, text, "Darsono")
    [terms] = [p for p in workspace.rule_proposals(min_hits=2) if p.kind == ProposalKind.TERMS]
    assert list(terms.rule.pattern["terms"]) == ["Darsono"]
    workspace.turn_down_rule_proposal(terms)
    declined = workspace.rule("induced-terms-person-declined")
    assert [t for t, _ in declined.terms] == ["Wiryo", "Darsono"] and not declined.enabled
