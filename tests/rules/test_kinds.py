"""Each rule kind on its own: phrase, regex, token, context."""

from __future__ import annotations

from annotator.rules import Engine, parse_rule
from annotator.rules.kinds.phrase import Gazetteer
from annotator.rules.kinds.token import shape


def rule(kind: str, pattern: dict, label: str = "LOC", **extra) -> object:
    return parse_rule(
        {
            "name": extra.pop("name", f"{kind}-rule"),
            "label": label,
            "kind": kind,
            "pattern": pattern,
            **extra,
        }
    )


def found(rules, text: str) -> list[tuple[str, str]]:
    result = Engine(rules if isinstance(rules, list) else [rules]).run(text)
    assert not result.failures
    for m in result.matches:
        assert text[m.start : m.end] == m.text
    return [(m.text, m.label) for m in result.matches]


# -- phrase ------------------------------------------------------------------------------------
def test_phrase_token_boundaries_and_longest_match():
    r = rule("phrase", {"terms": ["Korea", "Korea Selatan", "AS", "Iran"]})
    text = "Korea Selatan dan AS, bukan KASUS atau Iranian; Iran-Irak."
    assert found(r, text) == [("Korea Selatan", "LOC"), ("AS", "LOC"), ("Iran", "LOC")]


def test_phrase_case_sensitive_by_default_and_insensitive_on_request():
    text = "Menteri Luar Negeri dan menteri luar negeri; as if."
    sensitive = rule("phrase", {"terms": ["Menteri Luar Negeri", "AS"]}, "ROLE")
    assert found(sensitive, text) == [("Menteri Luar Negeri", "ROLE")]
    loose = rule("phrase", {"terms": ["menteri luar negeri"], "case_sensitive": False}, "ROLE")
    assert [t for t, _ in found(loose, text)] == ["Menteri Luar Negeri", "menteri luar negeri"]


def test_phrase_case_insensitive_keeps_offsets_when_folding_changes_length():
    r = rule("phrase", {"terms": ["Istanbul"], "case_sensitive": False})
    text = "Straße İİ ke İstanbul dan ISTANBUL 😀 Istanbul"
    result = Engine([r]).run(text)
    assert all(text[m.start : m.end] == m.text for m in result.matches)
    assert [m.text for m in result.matches] == ["ISTANBUL", "Istanbul"]


def test_phrase_canonical_form_and_also_upper_in_explanation():
    r = rule("phrase", {"terms": [["Moskow", "Moscow"]], "also_upper": True}, name="cities")
    result = Engine([r]).run("REPUBLIKA.CO.ID, MOSKOW -- Di Moskow")
    assert [m.text for m in result.matches] == ["MOSKOW", "Moskow"]
    assert result.matches[0].explanation == 'phrase "Moskow" = "Moscow" in gazetteer cities'


def test_phrase_50k_terms_all_found():
    # How fast 50,000 terms build and scan is bench/rules_speed.py's figure, not a test's.
    terms = [(f"Istilah{i} Nomor{i % 97}", None) for i in range(50_000)]
    gaz = Gazetteer(terms)
    assert gaz.find("ada Istilah42 Nomor42 di sini")[0][:2] == (4, 21)
    for i in (0, 12_345, 49_999):
        term = f"Istilah{i} Nomor{i % 97}"
        assert gaz.find(f"x {term}.")[0][:2] == (2, 2 + len(term))
    assert gaz.find("Istilah42 Nomor43") == []  # a wrong pairing is no term


# -- regex -------------------------------------------------------------------------------------
def test_regex_group_and_flags():
    r = rule("regex", {"regex": r"(?P<kota>[A-Z]+),\s+\w+\.com", "group": "kota"})
    assert found(r, "JAKARTA, kompas.com -- Berita") == [("JAKARTA", "LOC")]
    r2 = rule("regex", {"regex": r"sejak \d{4}", "flags": ["IGNORECASE"]}, "DATE")
    assert found(r2, "Sejak 2011 dan sejak 2012") == [
        ("Sejak 2011", "DATE"),
        ("sejak 2012", "DATE"),
    ]


def test_regex_catastrophic_pattern_is_stopped_and_reported_others_go_on():
    bad = rule("regex", {"regex": r"(a|aa)+$"}, "DATE", name="catastrophic")
    also_classic = rule("regex", {"regex": r"(a+)+$"}, "DATE", name="classic")
    good = rule("phrase", {"terms": ["Iran"]}, name="good")
    text = "a" * 40 + "b Iran"
    result = Engine([bad, also_classic, good], timeout_s=0.1).run(text)
    assert [(f.rule, "timed out" in f.reason) for f in result.failures] == [("catastrophic", True)]
    assert [m.text for m in result.matches] == ["Iran"]


# -- token -------------------------------------------------------------------------------------
def test_runaway_token_patterns_are_stopped_and_reported_others_go_on():
    # Quantifiers that can split a long line in every way, and a long row of "?" (2^18 ways
    # per start): both searches stop at their step budget or time limit, not at the end.
    stars = rule("token", {"tokens": [{"OP": "*"}, {"OP": "*"}, {"REGEX": "^zzz$"}]}, name="stars")
    optional = rule("token", {"tokens": [{"OP": "?"}] * 18 + [{"REGEX": "^zzz$"}]}, name="optional")
    good = rule("phrase", {"terms": ["Iran"]}, name="good")
    text = "a " * 3000 + "Iran"
    result = Engine([stars, optional, good], timeout_s=0.5).run(text)
    assert sorted(f.rule for f in result.failures) == ["optional", "stars"]
    assert all("gave up after" in f.reason or "stopped after" in f.reason for f in result.failures)
    assert [m.text for m in result.matches] == ["Iran"]


def test_token_shape():
    assert shape("Lavrov") == "Xxxxx"
    assert shape("24/10") == "dd/dd"
    assert shape("ISIS") == "XXXX"
    assert shape("2015") == "dddd"


def test_token_pattern_ops_and_span():
    r = rule(
        "token",
        {
            "tokens": [
                {"LOWER": "pukul"},
                {"SHAPE": "dd.dd"},
                {"IN": ["WIB", "WITA", "WIT"], "OP": "?"},
            ]
        },
        "DATE",
    )
    assert found(r, "Pada pukul 10.00 WIB dan Pukul 12.30 siang") == [
        ("pukul 10.00 WIB", "DATE"),
        ("Pukul 12.30", "DATE"),
    ]
    span = rule(
        "token", {"tokens": [{"LOWER": "kota"}, {"IS_TITLE": True, "OP": "+"}], "span": [1, 2]}
    )
    assert found(span, "di kota Banda Aceh kemarin") == [("Banda Aceh", "LOC")]


def test_token_star_backtracks_and_not_op():
    r = rule("token", {"tokens": [{"TEXT": "("}, {"OP": "*"}, {"TEXT": ")"}]}, "DATE")
    assert found(r, "Sabtu (24 / 10) malam") == [("(24 / 10)", "DATE")]
    neg = rule(
        "token", {"tokens": [{"LOWER": "di"}, {"IS_DIGIT": True, "OP": "!"}], "span": [1, 2]}
    )
    assert found(neg, "di Bali, di 3 tempat") == [("Bali", "LOC")]


def test_token_regex_is_upper_not_in():
    r = rule(
        "token",
        {"tokens": [{"IS_UPPER": True, "REGEX": "^[A-Z]{3,5}$", "NOT_IN": ["WIB", "ISIS"]}]},
        "ORG",
    )
    assert found(r, "KPK dan WIB dan ISIS dan DPR") == [("KPK", "ORG"), ("DPR", "ORG")]


def test_token_match_never_crosses_a_line_break():
    r = rule("token", {"tokens": [{"IS_TITLE": True, "OP": "+"}]}, "PERSON")
    assert found(r, "Barrack Obama\nFoto kemarin") == [
        ("Barrack Obama", "PERSON"),
        ("Foto", "PERSON"),
    ]


def test_token_label_constraint_reads_first_stage_matches():
    places = rule("phrase", {"terms": ["Surabaya", "Jakarta"]}, name="places")
    ward = rule(
        "token",
        {"tokens": [{"LOWER": "dari"}, {"LABEL": "LOC"}], "span": [0, 2]},
        "ORIGIN",
        name="origin",
    )
    result = Engine([places, ward]).run("Ia datang dari Surabaya ke Jakarta")
    assert [(m.text, m.label) for m in result.matches] == [
        ("dari Surabaya", "ORIGIN"),
        ("Jakarta", "LOC"),
    ]


# -- context -----------------------------------------------------------------------------------
def test_after_trigger_persons_skip_places_and_mark_roles():
    places = rule("phrase", {"terms": ["AS", "Rusia"]}, name="places")
    titles = rule(
        "context",
        {
            "type": "after_trigger",
            "triggers": ["Presiden", "Menteri luar negeri"],
            "trigger_label": "ROLE",
        },
        "PERSON",
        name="titles",
    )
    text = "Presiden AS Barrack Obama dan menteri luar negeri Rusia Sergey Lavrov, Sabtu."
    assert found([places, titles], text) == [
        ("Presiden", "ROLE"),
        ("AS", "LOC"),
        ("Barrack Obama", "PERSON"),
        ("menteri luar negeri", "ROLE"),
        ("Rusia", "LOC"),
        ("Sergey Lavrov", "PERSON"),
    ]


def test_after_trigger_connectors_and_prefixed_names():
    titles = rule("context", {"type": "after_trigger", "triggers": ["Presiden"]}, "PERSON")
    assert found(titles, "Presiden Bashar al-Assad tiba.") == [("Bashar al-Assad", "PERSON")]
    assert found(titles, "Raja Salman bin Abdulaziz dan Presiden Hassan Rouhani.") == [
        ("Hassan Rouhani", "PERSON")
    ]
    assert found(titles, "Presiden bin tidak ada.") == []


def test_acronym_takes_long_form_label_and_marks_bare_occurrences():
    places = rule("phrase", {"terms": ["Amerika Serikat"]}, name="places")
    acr = rule("context", {"type": "acronym"}, "ORG", name="acronyms")
    text = (
        "FSA menyerang. Tentara Pembebasan Suriah (FSA) dan Amerika Serikat (AS) bersama "
        "Komisi Pemberantasan Korupsi (KPK); kata AS dan FSA. Jakarta (ANTARA) - berita"
    )
    assert found([places, acr], text) == [
        ("FSA", "ORG"),
        ("Tentara Pembebasan Suriah", "ORG"),
        ("FSA", "ORG"),
        ("Amerika Serikat", "LOC"),
        ("AS", "LOC"),
        ("Komisi Pemberantasan Korupsi", "ORG"),
        ("KPK", "ORG"),
        ("AS", "LOC"),
        ("FSA", "ORG"),
    ]


def test_quote_with_attribution_after_or_before():
    q = rule("context", {"type": "quote"}, "QUOTE", name="quotes")
    text = (
        '"Kami siap," ujar Lavrov. Menurut dia, “Ini penting.” Lalu "tanpa atribusi" saja.\n'
        '"Kalimat panjang,’’ katanya.'
    )
    assert found(q, text) == [
        ('"Kami siap,"', "QUOTE"),
        ("“Ini penting.”", "QUOTE"),
        ('"Kalimat panjang,’’', "QUOTE"),
    ]
    result = Engine([q]).run(text)
    assert result.matches[0].explanation == 'quotation followed by "ujar"'
    assert result.matches[1].explanation == 'quotation preceded by "Menurut"'


def test_after_trigger_name_comes_after_a_longer_role_starting_at_the_trigger():
    roles = rule(
        "phrase", {"terms": ["Menteri Koordinator Perekonomian", "Menteri"]}, "ROLE", name="roles"
    )
    titles = rule(
        "context",
        {"type": "after_trigger", "triggers": ["Menteri"], "trigger_label": "ROLE"},
        "PERSON",
        name="titles",
    )
    text = "Rapat dipimpin Menteri Koordinator Perekonomian Hendra Wijaya Kusuma di kantornya."
    assert found([roles, titles], text) == [
        ("Menteri Koordinator Perekonomian", "ROLE"),
        ("Hendra Wijaya Kusuma", "PERSON"),
    ]


def test_token_rules_find_the_same_matches_with_and_without_anchors():
    """The anchor filter (lines holding the pattern's literal words) is only a shortcut."""
    import random

    from annotator.rules import Engine, parse_rule
    from annotator.rules.kinds.token import TokenMatcher

    rule = parse_rule(
        {
            "name": "kab",
            "label": "LOC",
            "kind": "token",
            "pattern": {
                "tokens": [
                    {"IN": ["Kabupaten", "Kota"]},
                    {"IS_TITLE": True, "OP": "+"},
                    {"LOWER": "barat", "OP": "?"},
                ]
            },
        }
    )
    speech = parse_rule(
        {
            "name": "sp",
            "label": "PERSON",
            "kind": "token",
            "pattern": {
                "tokens": [{"IS_TITLE": True, "OP": "+"}, {"IN": ["mengatakan", "menjelaskan"]}],
                "span": [0, 1],
            },
        }
    )
    words = [
        "Kabupaten",
        "Kota",
        "Bogor",
        "Barat",
        "barat",
        "Budi",
        "Santoso",
        "mengatakan",
        "menjelaskan",
        "di",
        "dan",
        ".",
        "\n",
        "Ani",
    ]
    rng = random.Random(7)
    for _ in range(200):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 30)))
        for r in (rule, speech):
            fast = Engine([r]).run(text).matches
            matcher = TokenMatcher(r)
            matcher.anchors = []
            matcher.first_test = None
            from annotator.rules.doc import Deadline, Doc

            slow = matcher(Doc(text), Deadline(1.0))
            assert [(m.start, m.end) for m in fast] == [(m.start, m.end) for m in slow], text
