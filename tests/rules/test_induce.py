"""Rules induced from finished documents: each kind of proposal, with hand-counted figures."""

from __future__ import annotations

import dataclasses

from annotator.rules import Engine, Rule, parse_rule
from annotator.rules.induce import DoneDoc, Proposal, ProposalKind, induce_rules


def doc(text: str, *marked: tuple[str, str, int]) -> DoneDoc:
    """A done document whose spans are given as (text, label, which occurrence)."""
    spans = []
    for piece, label, nth in marked:
        at = -1
        for _ in range(nth + 1):
            at = text.index(piece, at + 1)
        spans.append((at, at + len(piece), label))
    return DoneDoc(text, tuple(spans))


def phrase(name: str, label: str, *terms: str, enabled: bool = True) -> Rule:
    return parse_rule(
        {
            "name": name,
            "label": label,
            "kind": "phrase",
            "enabled": enabled,
            "pattern": {"terms": list(terms)},
        }
    )


def only(proposals: list[Proposal], kind: ProposalKind, label: str) -> list[Proposal]:
    return [p for p in proposals if p.kind == kind and p.rule.label == label]


SPEECH = [
    doc("Hujan turun, kata Budi pagi ini.", ("Budi", "PERSON", 0)),
    doc("Harga naik, kata Wati kemarin.", ("Wati", "PERSON", 0)),
    doc("Jalan rusak, kata Joko sore itu.", ("Joko", "PERSON", 0)),
    doc("Pajak turun, kata Pemerintah lagi."),  # a match that is no span: 3 hits of 4
]


def test_a_trigger_word_before_names_becomes_a_context_rule_with_its_precision() -> None:
    proposals = induce_rules(SPEECH, [], min_precision=0.7, min_hits=3)
    [context] = only(proposals, ProposalKind.CONTEXT, "PERSON")
    assert context.rule.kind == "context"
    assert context.rule.pattern["type"] == "after_trigger"
    assert list(context.rule.pattern["triggers"]) == ["kata"]
    assert (context.matches, context.hits, context.new_hits) == (4, 3, 3)
    assert context.precision == 0.75
    assert '"kata"' in context.summary
    # the rule is a real one: the engine runs it on a new text
    found = Engine([context.rule]).run("Begitu, kata Sutrisno tadi.").matches
    assert [(m.text, m.label) for m in found] == [("Sutrisno", "PERSON")]


def test_a_rule_below_the_precision_asked_is_not_proposed() -> None:
    assert not only(induce_rules(SPEECH, [], min_precision=0.8), ProposalKind.CONTEXT, "PERSON")


def test_a_word_after_names_becomes_a_token_rule_before_it() -> None:
    docs = [
        doc("Lalu Budi Santoso mengatakan hal itu.", ("Budi Santoso", "PERSON", 0)),
        doc("Pagi ini Wati mengatakan cukup.", ("Wati", "PERSON", 0)),
        doc("Sementara Joko Susilo Bambang mengatakan tidak.", ("Susilo Bambang", "PERSON", 0)),
    ]
    proposals = induce_rules(docs, [], min_precision=0.3, min_hits=3)
    [before] = [p for p in only(proposals, ProposalKind.CONTEXT, "PERSON") if "before" in p.summary]
    assert before.rule.kind == "token"
    # up to 2 capitalised words (the longest name seen) right before the trigger: the match
    # starts where that fits, so "Lalu" and "Joko" are left out: 3 hits of 3
    assert (before.matches, before.hits, before.precision) == (3, 3, 1.0)
    tokens = before.rule.pattern["tokens"]
    assert [t.get("OP") for t in tokens] == [None, "?", None]
    assert list(before.rule.pattern["span"]) == [0, 2]


LOWER = [
    doc("hujan turun kata budi santoso pagi ini", ("budi santoso", "PERSON", 0)),
    doc("harga naik kata wati susanti kemarin", ("wati susanti", "PERSON", 0)),
    doc("jalan rusak kata joko widodo sore itu", ("joko widodo", "PERSON", 0)),
    doc("pajak turun kata dia lagi"),
]


def test_lower_cased_text_gets_a_fixed_width_token_rule_after_the_trigger() -> None:
    proposals = induce_rules(LOWER, [], min_precision=0.7, min_hits=3)
    [context] = only(proposals, ProposalKind.CONTEXT, "PERSON")
    assert context.rule.kind == "token"
    tokens = context.rule.pattern["tokens"]
    assert "kata" in tokens[0]["IN"] and "Kata" in tokens[0]["IN"]
    assert len(tokens) == 3 and list(context.rule.pattern["span"]) == [1, 3]
    # "dia lagi" is matched too: 3 hits of 4
    assert (context.matches, context.hits, context.precision) == (4, 3, 0.75)


def test_terms_seen_twice_are_proposed_with_their_case_variants() -> None:
    docs = [
        doc("Presiden Jokowi datang.", ("Jokowi", "PERSON", 0)),
        doc("JOKOWI DATANG KE SOLO", ("JOKOWI", "PERSON", 0)),
        doc("warga menyapa jokowi di pasar", ("jokowi", "PERSON", 0)),
        doc("Amien hadir. Amien pulang.", ("Amien", "PERSON", 0)),  # 1 hit of 2 matches
        doc("Rapat dengan Amien.", ("Amien", "PERSON", 0)),
        doc("Solo sepi."),  # seen once: not a term
    ]
    proposals = induce_rules(docs, [], min_precision=0.8, min_hits=3)
    [terms] = only(proposals, ProposalKind.TERMS, "PERSON")
    assert terms.rule.kind == "phrase"
    # "Amien": 3 matches, 2 hits (0.67) -> left out at 0.8; the three Jokowi forms stay
    assert list(terms.rule.pattern["terms"]) == ["JOKOWI", "Jokowi", "jokowi"]
    assert (terms.matches, terms.hits, terms.new_hits) == (3, 3, 3)
    assert "3 terms" in terms.summary


def test_terms_the_rules_have_already_or_turned_down_are_not_proposed() -> None:
    docs = [
        doc("Jokowi datang.", ("Jokowi", "PERSON", 0)),
        doc("Jokowi pulang.", ("Jokowi", "PERSON", 0)),
    ]
    assert only(induce_rules(docs, [], min_hits=2), ProposalKind.TERMS, "PERSON")
    known = [phrase("tokoh", "PERSON", "Jokowi")]
    assert not only(induce_rules(docs, known, min_hits=2), ProposalKind.TERMS, "PERSON")
    declined = [phrase("induced-terms-person-declined", "PERSON", "Jokowi", enabled=False)]
    assert not only(induce_rules(docs, declined, min_hits=2), ProposalKind.TERMS, "PERSON")


def test_terms_of_an_accepted_terms_rule_are_merged_into_a_new_version() -> None:
    docs = [
        doc("Jokowi datang.", ("Jokowi", "PERSON", 0)),
        doc("Jokowi pulang.", ("Jokowi", "PERSON", 0)),
    ]
    accepted = phrase("induced-terms-person", "PERSON", "Amien")
    [terms] = only(induce_rules(docs, [accepted], min_hits=2), ProposalKind.TERMS, "PERSON")
    assert terms.rule.name == "induced-terms-person"
    assert terms.rule.version == accepted.version + 1
    assert list(terms.rule.pattern["terms"]) == ["Amien", "Jokowi"]


ACRONYM_ORGS = [
    doc(
        f"Relawan {org} (PMI) Cilacap tiba {day}.",
        (f"{org} (PMI) Cilacap", "ORG", 0),
    )
    for org, day in [
        ("Palang Merah Indonesia", "Senin"),
        ("Palang Merah Indonesia", "Selasa"),
        ("Palang Merah Indonesia", "Rabu"),
    ]
]
PARTS = [phrase("orgs", "ORG", "Palang Merah Indonesia"), phrase("towns", "LOC", "Cilacap")]


def test_a_label_sequence_inside_spans_becomes_a_longer_span_rule() -> None:
    proposals = induce_rules(ACRONYM_ORGS, PARTS, min_precision=0.8, min_hits=3)
    sequences = only(proposals, ProposalKind.SEQUENCE, "ORG")
    [inside] = [p for p in sequences if p.summary.startswith('ORG "(" Xx… ")" LOC')]
    assert inside.rule.kind == "token"
    assert [t.get("LABEL") for t in inside.rule.pattern["tokens"]] == [
        "ORG",
        None,
        None,
        None,
        "LOC",
    ]
    assert (inside.matches, inside.hits, inside.precision) == (3, 3, 1.0)
    # it runs in the engine's second stage and beats its parts
    found = Engine([*PARTS, inside.rule]).run("Kata Palang Merah Indonesia (PMI) Cilacap.").matches
    assert ("Palang Merah Indonesia (PMI) Cilacap", "ORG") in [(m.text, m.label) for m in found]


def test_a_name_after_a_role_becomes_a_sequence_rule() -> None:
    roles = [phrase("roles", "ROLE", "Bupati")]
    docs = [
        doc(f"{x} Bupati {name} hadir.", (name, "PERSON", 0))
        for x, name in [("Kemarin", "Tatto Suwarto"), ("Lalu", "Agus Salim"), ("Pagi", "Yuni")]
    ]
    docs.append(doc("Kantor Bupati Cilacap sepi."))  # "Cilacap" after the role: not a person
    proposals = induce_rules(docs, roles, min_precision=0.7, min_hits=3)
    [after_role] = [
        p for p in only(proposals, ProposalKind.SEQUENCE, "PERSON") if "after ROLE" in p.summary
    ]
    assert (after_role.matches, after_role.hits, after_role.precision) == (4, 3, 0.75)
    assert list(after_role.rule.pattern["span"]) == [1, 2]


def test_a_proposal_the_rules_make_already_or_a_turned_down_one_is_left_out() -> None:
    proposals = induce_rules(SPEECH, [], min_precision=0.7)
    [context] = only(proposals, ProposalKind.CONTEXT, "PERSON")
    same_under_other_name = dataclasses.replace(context.rule, name="my-own")
    turned_down = dataclasses.replace(context.rule, enabled=False)
    for existing in ([same_under_other_name], [turned_down]):
        assert not only(induce_rules(SPEECH, existing, min_precision=0.7), *CTX)


CTX = (ProposalKind.CONTEXT, "PERSON")


def test_proposals_are_sorted_by_the_spans_they_add_times_their_precision() -> None:
    proposals = induce_rules(SPEECH + ACRONYM_ORGS, PARTS, min_precision=0.7, min_hits=3)
    scores = [p.new_hits * p.precision for p in proposals]
    assert len(proposals) >= 2 and scores == sorted(scores, reverse=True)


def test_a_token_rule_that_begins_with_a_label_finds_what_a_scan_of_every_token_finds() -> None:
    # Induced sequences begin with a LABEL token; the matcher then starts only inside matches of
    # that label (and a text test's memo picks the starts of the others): same matches.
    text = (
        "Palang Merah Indonesia (PMI) Cilacap dan Palang Merah Indonesia (PMI) Cilacap.\n"
        "Kantor Palang Merah Indonesia di Cilacap, lalu Palang Merah Indonesia (PMI) Banyumas."
    )
    parts = [*PARTS, phrase("towns-2", "LOC", "Banyumas")]
    rest = [{"TEXT": "("}, {"REGEX": r"^\p{Lu}", "OP": "+"}, {"TEXT": ")"}, {"LABEL": "LOC"}]

    def found(first: dict, *, first_op: str = "+") -> list[tuple[int, int]]:
        rule = parse_rule(
            {
                "name": "seq",
                "label": "ORG",
                "kind": "token",
                "priority": 13,
                "pattern": {"tokens": [{**first, "OP": first_op}, *rest]},
            }
        )
        return [(m.start, m.end) for m in Engine([*parts, rule]).preview(rule, text).matches]

    fast = found({"LABEL": "ORG"})
    assert len(fast) == 3
    assert fast == found({"LABEL": "ORG", "NOT_IN": []})  # no shortcut: every token is tried
    # a text test first: its memo picks the starts; an optional token that never matches in
    # front of it turns that off (every token is tried), and changes nothing else
    caps = [{"REGEX": r"^\p{Lu}", "OP": "+"}, *rest]

    def texts(tokens: list[dict]) -> list[str]:
        pattern = {"tokens": tokens, "span": [len(tokens) - len(caps), len(tokens)]}
        rule = parse_rule({"name": "c", "label": "ORG", "kind": "token", "pattern": pattern})
        return [m.text for m in Engine(parts).preview(rule, text).matches]

    assert texts(caps) == texts([{"TEXT": "§", "OP": "?"}, *caps])
    assert texts(caps) == [
        "Palang Merah Indonesia (PMI) Cilacap",
        "Palang Merah Indonesia (PMI) Cilacap",
        "Palang Merah Indonesia (PMI) Banyumas",
    ]
