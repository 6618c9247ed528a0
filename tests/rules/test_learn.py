from annotator.rules import Engine
from annotator.rules.learn import add_learned_term, new_learned_rule, remove_learned_term


def test_learned_terms_are_suggested_everywhere_and_removable():
    rule = new_learned_rule("PERSON")
    assert Engine([rule]).run("Lavrov tiba").matches == []
    learned = add_learned_term(rule, "Lavrov")
    assert learned.version == rule.version + 1
    assert add_learned_term(learned, "Lavrov") is learned
    (m,) = Engine([learned]).run("Kemarin Lavrov tiba").matches
    assert (m.text, m.label, m.rule) == ("Lavrov", "PERSON", "learned-PERSON")
    assert Engine([remove_learned_term(learned, "Lavrov")]).run("Lavrov").matches == []


def test_reject_everywhere_then_remember_again():
    rule = add_learned_term(new_learned_rule("LOC"), "Georgia").with_exception("Georgia")
    assert Engine([rule]).run("Georgia").matches == []
    assert rule.exceptions == ("Georgia",)
    assert add_learned_term(remove_learned_term(rule, "Georgia"), "Georgia").exceptions == ()


def test_remembering_a_rejected_learned_term_lifts_the_rejection():
    from annotator.rules import Engine
    from annotator.rules.learn import add_learned_term, new_learned_rule

    rule = add_learned_term(new_learned_rule("LOC"), "Jakarta").with_exception("Jakarta")
    assert Engine([rule]).run("di Jakarta .").matches == []
    again = add_learned_term(rule, "Jakarta")
    assert again.exceptions == () and again.version > rule.version
    assert [m.text for m in Engine([again]).run("di Jakarta .").matches] == ["Jakarta"]
