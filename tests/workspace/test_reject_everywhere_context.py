"""Rejecting a rule's hit everywhere never makes another rule's suggestion worse (the seed
article)."""

from __future__ import annotations

from annotator.core.model import Suggestion, SuggestionState


def seen(s: Suggestion) -> tuple:
    return (s.start, s.end, s.label, s.text, s.rule, s.state)


def test_rejecting_as_everywhere_keeps_barrack_obama_as_he_was(workspace, seed_path):
    workspace.import_paths([seed_path])
    doc_id = workspace.documents()[0].id
    workspace.suggest(doc_id)
    before = {s.id: s for _, s in workspace.suggestions(doc_id)}
    obama = {i: s for i, s in before.items() if s.label == "PERSON" and "Obama" in s.text}
    assert {s.text for s in obama.values()} == {"Barrack Obama"}
    # The "AS" right before him: "Presiden AS Barrack Obama dan Presiden Rusia Vladimir Putin."
    as_loc = next(
        s
        for s in before.values()
        if s.text == "AS" and s.label == "LOC" and any(o.start == s.end + 1 for o in obama.values())
    )

    workspace.reject(as_loc.id, everywhere=True)
    assert workspace.needs_suggest(doc_id)
    workspace.suggest(doc_id)

    after = {s.id: s for _, s in workspace.suggestions(doc_id)}
    people = {i: s for i, s in after.items() if s.label == "PERSON" and "Obama" in s.text}
    assert people == obama  # the same suggestions, same ids: not "AS Barrack Obama"
    assert not [s for s in after.values() if s.text == "AS" and s.label == "LOC"]
    # Everything else the rules proposed is as it was (the excepting rule's version aside).
    assert {i: seen(s) for i, s in after.items()} == {
        i: seen(s) for i, s in before.items() if not (s.text == "AS" and s.label == "LOC")
    }
    assert workspace.store.suggestions.get(as_loc.id)[1].state == SuggestionState.REJECTED
