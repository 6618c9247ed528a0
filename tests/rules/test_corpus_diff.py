"""The corpus diff of a rule edit, held against the brute force: both full engines on every text.

The corpus mixes the seed article's paragraphs with generated sentences full of what the
default pack reacts to (titles, speech verbs, acronyms, quotes, dates, places), so each edit
below changes many suggestions, first stage and second stage alike.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.rules import Engine, Match, dump_rule, load_pack, parse_rule
from annotator.rules.corpus_diff import DiffKind, DocumentDiffer, changed_rules, compare
from annotator.rules.load import edit_rule
from annotator.workspace import pack_path

SEED = Path(__file__).resolve().parents[2] / "seeds"
NAMES = ["Joko Widodo", "Sergey Lavrov", "John Kerry", "Budi Santoso", "Siti Aminah"]
PIECES = [
    "Presiden {n} mengatakan",
    "Menteri luar negeri {n}",
    "kata {n}",
    "{n} mengatakan bahwa",
    "Komisi Pemberantasan Korupsi (KPK)",
    "Badan Penanggulangan Bencana Daerah (BPBD) Cilacap",
    "di Jakarta",
    "Kabupaten Klaten",
    "Sabtu (24/10)",
    "3 November 2015",
    "Amerika Serikat (AS)",
    "Suriah",
    "Rusia",
    "Reuters",
    '"Kami siap membantu," ujar {n}.',
    "Gubernur Jawa Barat {n}",
]
FILLER = [
    "pemerintah",
    "menyatakan",
    "bahwa",
    "rencana",
    "kerja",
    "sama",
    "ekonomi",
    "akan",
    "dibahas",
    "pekan",
    "depan",
]


def news_like(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    paragraphs = [
        p for p in next(SEED.glob("*.txt")).read_text(encoding="utf-8").split("\n\n") if p.strip()
    ]
    texts = []
    for _ in range(n):
        parts = rng.sample(paragraphs, k=3)
        for _ in range(rng.randint(3, 8)):
            words = rng.choices(FILLER, k=rng.randint(4, 9))
            piece = rng.choice(PIECES).format(n=rng.choice(NAMES))
            words.insert(rng.randrange(len(words) + 1), piece)
            sentence = " ".join(words)
            parts.append(sentence[0].upper() + sentence[1:] + ".")
        rng.shuffle(parts)
        texts.append("\n\n".join(parts))
    return texts


@pytest.fixture(scope="module")
def pack():
    rules, problems = load_pack(pack_path("id-news"))
    assert not problems
    return rules


@pytest.fixture(scope="module")
def texts():
    return news_like(80)


def _pattern(rule, **changes):
    pattern = dump_rule(rule, inline_terms=True)["pattern"]
    pattern.update(changes)
    return edit_rule(rule, {"pattern": pattern})


def _swap(rules, new):
    return [new if r.name == new.name else r for r in rules]


def _by(rules, name):
    return next(r for r in rules if r.name == name)


def _two_capitals(rules):
    return [
        *rules,
        parse_rule(
            {
                "name": "two-capitals",
                "label": "ORG",
                "kind": "regex",
                "pattern": {"regex": r"\b[A-Z][a-z]+ [A-Z][a-z]+\b"},
                "priority": 12,
            }
        ),
    ]


def _admin_unit_reads_labels(rules):
    rule = _by(rules, "admin-unit-id")
    tokens = [*dump_rule(rule)["pattern"]["tokens"], {"LABEL": "DATE", "OP": "?"}]
    return _swap(rules, _pattern(rule, tokens=tokens))


def _half(rule):
    return _pattern(rule, terms=[t for t, _ in rule.terms][::2])


# The diffs are compared, not the deadlines: a loaded CI machine must not stop a rule in one run
# and not in the other.
UNHURRIED = 30.0

EDITS = {
    # first stage: a priority that loses conflicts, half a gazetteer, an exception, a new rule
    "roles-lower-priority": lambda rs: _swap(rs, _by(rs, "roles-id").edited(priority=0)),
    "roles-half": lambda rs: _swap(rs, _half(_by(rs, "roles-id"))),
    "exception-jakarta": lambda rs: _swap(rs, _by(rs, "cities-id").with_exception("Jakarta")),
    "new-regex": _two_capitals,
    "context-word": lambda rs: _swap(rs, _by(rs, "cities-id").edited(not_after=("di",))),
    # second stage: context rules and a token rule reading labels
    "after-title-one-token": lambda rs: _swap(
        rs, _pattern(_by(rs, "person-after-title"), max_tokens=1)
    ),
    "acronym-disabled": lambda rs: _swap(rs, _by(rs, "acronym-definitions").edited(enabled=False)),
    "quote-fewer-verbs": lambda rs: _swap(
        rs, _pattern(_by(rs, "quote-attributed"), verbs=["kata"])
    ),
    "speech-verb-priority": lambda rs: _swap(
        rs, _by(rs, "person-before-speech-verb").edited(priority=30)
    ),
    # a rule moving between stages: a token rule that starts to read labels
    "admin-unit-reads-labels": _admin_unit_reads_labels,
    "removed-rule": lambda rs: [r for r in rs if r.name != "orgs-indonesia"],
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_pruned_diff_equals_brute_force(pack, texts, edit):
    after = EDITS[edit](pack)
    differ = DocumentDiffer(pack, after, timeout_s=UNHURRIED)
    brute = [differ.full_differences(t) for t in texts]
    pruned = [differ.differences(t) for t in texts]
    assert pruned == brute
    # and the shared run is exactly the two engines
    for text in texts[:20]:
        assert differ.twin_run(text) == (
            Engine(pack, timeout_s=UNHURRIED).run(text).matches,
            Engine(after, timeout_s=UNHURRIED).run(text).matches,
        )


def test_the_edits_change_many_things(pack, texts):
    """The comparison above means something: most edits change suggestions in many texts."""
    changing = {}
    for edit, make in EDITS.items():
        differ = DocumentDiffer(pack, make(pack), timeout_s=UNHURRIED)
        changing[edit] = sum(1 for t in texts if differ.full_differences(t))
    assert sum(n >= 10 for n in changing.values()) >= 8, changing


def test_pruning_skips_texts_an_edit_cannot_touch(pack, texts):
    jakarta = [t for t in texts if "Jakarta" in t]
    others = [t for t in texts if "Jakarta" not in t]
    assert jakarta and others
    differ = DocumentDiffer(
        pack,
        _swap(pack, _by(pack, "cities-id").with_exception("Jakarta")),
        timeout_s=UNHURRIED,
    )
    assert not any(differ.may_differ(t) for t in others)
    assert all(differ.may_differ(t) for t in jakarta)


def test_a_description_edit_changes_nothing(pack):
    after = _swap(pack, _by(pack, "cities-id").edited(description="other words"))
    differ = DocumentDiffer(pack, after, timeout_s=UNHURRIED)
    assert differ.unchanged  # only a description: no rule runs differently
    assert differ.differences("di Jakarta kemarin") == []


def test_changed_rules_pairs_old_and_new(pack):
    after = _swap(pack, _by(pack, "roles-id").edited(priority=0))
    (pair,) = changed_rules(pack, after)
    assert pair[0] is _by(pack, "roles-id") and pair[1].priority == 0
    disabled = _swap(pack, _by(pack, "roles-id").edited(enabled=False))
    assert changed_rules(pack, disabled) == [(_by(pack, "roles-id"), None)]


def _m(start, end, label="PERSON", rule="r"):
    return Match(start, end, label, "x" * (end - start), rule, 1, "")


def test_compare_sorts_out_appear_disappear_change():
    before = [_m(0, 4), _m(10, 14), _m(20, 30), _m(40, 45)]
    after = [_m(0, 4), _m(10, 14, "ORG"), _m(22, 30), _m(50, 55), _m(40, 45, rule="other")]
    diffs = compare(before, after)
    kinds = [(d.kind, d.before and d.before[:2], d.after and d.after[:2]) for d in diffs]
    assert kinds == [
        (DiffKind.CHANGE, (10, 14), (10, 14)),  # other label
        (DiffKind.CHANGE, (20, 30), (22, 30)),  # other boundaries
        (DiffKind.CHANGE, (40, 45), (40, 45)),  # other rule
        (DiffKind.APPEAR, None, (50, 55)),
    ]
    assert [d.kind for d in compare(before, [])] == [DiffKind.DISAPPEAR] * 4


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edit=st.sampled_from(sorted(EDITS)),
    picks=st.lists(st.integers(0, len(PIECES) - 1), min_size=1, max_size=12),
    name=st.sampled_from(NAMES),
)
def test_any_mix_of_pieces_agrees_with_brute_force(pack, edit, picks, name):
    text = " dan ".join(PIECES[i].format(n=name) for i in picks)
    differ = DocumentDiffer(pack, EDITS[edit](pack), timeout_s=UNHURRIED)
    assert differ.differences(text) == differ.full_differences(text)
