"""Agreement figures: hand-computed small cases, and the same token tables through statsmodels'
Cohen's and Fleiss' kappa and the krippendorff package as independent references."""

from __future__ import annotations

import random

import krippendorff
import numpy as np
import pytest
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa

from annotator.core.agreement import (
    OVERALL,
    AgreementDocument,
    AgreementReport,
    AgreementRow,
    compute_agreement,
    fmt,
    kwic,
)
from annotator.core.agreement_stats import cohen_kappa, overlap_matches
from annotator.core.tokenize import tokenize

TEXT = "Joko Widodo bertemu Prabowo di Jakarta pada Senin."
#       0    5      12      20      28 31      39   44   49


def row(report: AgreementReport, label: str, *names: str) -> AgreementRow:
    for r in report.rows:
        if r.label == label and r.annotators == names:
            return r
    raise AssertionError(f"no row {label} {names}")


def test_exact_and_partial_f1_by_hand() -> None:
    doc = AgreementDocument(
        1,
        "t",
        TEXT,
        {
            "ana": [(0, 11, "PER"), (20, 27, "PER"), (31, 38, "LOC")],
            "budi": [(0, 4, "PER"), (20, 27, "PER"), (31, 38, "PER")],
        },
    )
    report = compute_agreement([doc], ["ana", "budi"])
    per = row(report, "PER", "ana", "budi")
    # PER: ana {0-11, 20-27}, budi {0-4, 20-27, 31-38}: 1 exact; 0-11 overlaps 0-4 -> 2 partial
    assert (per.exact.matched, per.exact.a_count, per.exact.b_count) == (1, 2, 3)
    assert per.exact.f1 == pytest.approx(2 * 1 / 5)
    assert per.exact.precision == pytest.approx(1 / 3) and per.exact.recall == pytest.approx(1 / 2)
    assert per.partial.f1 == pytest.approx(2 * 2 / 5)
    loc = row(report, "LOC", "ana", "budi")
    assert loc.exact.f1 == 0.0 and loc.spans == (1, 0)
    overall = row(report, OVERALL, "ana", "budi")
    assert overall.exact.f1 == pytest.approx(2 * 1 / 6)  # micro: 1 match, 3 + 3 spans
    assert overall.partial.f1 == pytest.approx(2 * 2 / 6)
    # Tokens: Joko Widodo bertemu Prabowo di Jakarta pada Senin .  (9 tokens)
    ana = ["PER", "PER", "O", "PER", "O", "LOC", "O", "O", "O"]
    budi = ["PER", "O", "O", "PER", "O", "PER", "O", "O", "O"]
    assert overall.cohen == pytest.approx(cohen_kappa(ana, budi))
    # by hand: po = 7/9; pe = (3*3 + 5*6 + 1*0... ) -> PER 3x3, O 5x6, LOC 1x0 = 39/81
    assert overall.cohen == pytest.approx((7 / 9 - 39 / 81) / (1 - 39 / 81))
    assert report.matrix[("budi", "ana")] == (overall.exact.f1, overall.cohen)
    # two annotators: the pair row carries the multi-rater figures too
    assert overall.fleiss is not None and overall.alpha is not None


def test_partial_matching_is_one_to_one() -> None:
    # one long range overlapping two short ones counts once
    assert overlap_matches([(0, 10)], [(0, 3), (5, 8)]) == 1
    # augmenting: a greedy pairing (0-5 with 4-9) would leave 6-9 alone
    assert overlap_matches([(0, 5), (6, 9)], [(4, 9), (0, 2)]) == 2


def _random_layers(rng: random.Random, text: str, names: list[str]) -> dict[str, list]:
    tokens = tokenize(text)
    layers = {}
    for name in names:
        spans = set()
        for _ in range(rng.randint(0, 8)):
            i = rng.randrange(len(tokens))
            j = min(len(tokens) - 1, i + rng.randint(0, 2))
            spans.add((tokens[i].start, tokens[j].end, rng.choice(["PER", "LOC", "ORG"])))
        layers[name] = sorted(spans)
    return layers


def _token_column(doc: AgreementDocument, name: str) -> list[str]:
    """An independent token labelling: longest overlapping span, then earliest, then name."""
    out = []
    for token in tokenize(doc.text):
        covering = [s for s in doc.layers[name] if s[0] < token.end and token.start < s[1]]
        covering.sort(key=lambda s: (-(s[1] - s[0]), s[0], s[2]))
        out.append(covering[0][2] if covering else "O")
    return out


@pytest.mark.parametrize("seed", range(5))
def test_kappas_and_alpha_match_statsmodels_and_krippendorff(seed: int) -> None:
    rng = random.Random(seed)
    text = (
        "Presiden Joko Widodo bertemu Menteri Pertahanan Prabowo Subianto di Istana Merdeka, "
        "Jakarta, pada Senin pagi bersama Gubernur Anies Baswedan dan Kapolri Listyo Sigit."
    )
    names = ["ana", "budi", "citra"]
    docs = [AgreementDocument(i, f"d{i}", text, _random_layers(rng, text, names)) for i in range(4)]
    report = compute_agreement(docs, names)
    columns = {name: [x for d in docs for x in _token_column(d, name)] for name in names}
    categories = sorted({x for col in columns.values() for x in col})
    for a, b in [("ana", "budi"), ("ana", "citra"), ("budi", "citra")]:
        table = np.zeros((len(categories), len(categories)))
        for x, y in zip(columns[a], columns[b], strict=True):
            table[categories.index(x), categories.index(y)] += 1
        expected = cohens_kappa(table, return_results=False)
        assert row(report, OVERALL, a, b).cohen == pytest.approx(expected)
    codes = np.array([[categories.index(x) for x in columns[n]] for n in names])
    counts, _ = aggregate_raters(codes.T)
    everyone = row(report, OVERALL, *names)
    assert everyone.fleiss == pytest.approx(fleiss_kappa(counts, method="fleiss"))
    assert everyone.alpha == pytest.approx(
        krippendorff.alpha(reliability_data=codes, level_of_measurement="nominal")
    )
    # per label: binary tables (the label or not), against statsmodels again
    for label in ("PER", "LOC"):
        binary = np.array(
            [
                [
                    int(any(s[2] == label and s[0] < t.end and t.start < s[1] for s in d.layers[n]))
                    for d in docs
                    for t in tokenize(d.text)
                ]
                for n in names
            ]
        )
        counts, _ = aggregate_raters(binary.T)
        if len(np.unique(binary)) > 1:
            assert row(report, label, *names).fleiss == pytest.approx(fleiss_kappa(counts))


def test_no_spans_at_all_is_na_not_nan() -> None:
    doc = AgreementDocument(1, "t", TEXT, {"ana": [], "budi": []})
    report = compute_agreement([doc], ["ana", "budi"])
    overall = row(report, OVERALL, "ana", "budi")
    assert overall.exact.f1 is None and overall.cohen is None and overall.alpha is None
    assert fmt(overall.cohen) == "n/a" and overall.documents == 1
    assert report.disagreements == ()


def test_a_label_nobody_used_and_one_annotator_only() -> None:
    doc = AgreementDocument(1, "t", TEXT, {"ana": [(0, 4, "PER")], "budi": [(0, 4, "PER")]})
    report = compute_agreement([doc], ["ana", "budi"], labels=["MISC"])
    misc = row(report, "MISC", "ana", "budi")
    assert misc.exact.f1 is None and misc.cohen is None and misc.spans == (0, 0)
    assert report.labels == ("MISC",)
    alone = compute_agreement([doc], ["ana"])
    assert alone.rows == () and alone.documents == 0


def test_a_document_only_one_annotator_did_does_not_count() -> None:
    both = AgreementDocument(1, "t", TEXT, {"ana": [(0, 4, "PER")], "budi": [(0, 4, "PER")]})
    only_ana = AgreementDocument(2, "u", TEXT, {"ana": [(20, 27, "PER")]})
    report = compute_agreement([both, only_ana], ["ana", "budi"])
    overall = row(report, OVERALL, "ana", "budi")
    assert overall.documents == 1 and overall.exact.f1 == 1.0 and overall.spans == (1, 1)
    assert report.disagreements == ()


def test_three_annotators_pair_rows_and_all_row() -> None:
    layers = {
        "ana": [(0, 11, "PER")],
        "budi": [(0, 11, "PER")],
        "citra": [(0, 11, "ORG"), (31, 38, "LOC")],
    }
    doc = AgreementDocument(7, "Berita", TEXT, layers)
    third = AgreementDocument(8, "x", TEXT, {"ana": [], "budi": []})  # citra lacks it
    report = compute_agreement([doc, third], ["ana", "budi", "citra"])
    assert row(report, OVERALL, "ana", "budi").documents == 2
    everyone = row(report, OVERALL, "ana", "budi", "citra")
    assert everyone.documents == 1 and everyone.exact is None and everyone.cohen is None
    assert row(report, OVERALL, "ana", "budi").fleiss is None  # only the all row has it
    ranges = [(d.start, d.end, dict(d.labels)) for d in report.disagreements]
    assert ranges == [
        (0, 11, {"ana": "PER", "budi": "PER", "citra": "ORG"}),
        (31, 38, {"ana": "", "budi": "", "citra": "LOC"}),
    ]
    first = report.disagreements[0]
    assert (first.document_id, first.title, first.text) == (7, "Berita", "Joko Widodo")


def test_overlapping_spans_in_one_layer_longest_wins_overall_both_count_per_label() -> None:
    doc = AgreementDocument(
        1, "t", TEXT, {"ana": [(0, 11, "PER"), (5, 11, "ORG")], "budi": [(0, 11, "PER")]}
    )
    report = compute_agreement([doc], ["ana", "budi"])
    assert row(report, OVERALL, "ana", "budi").cohen == 1.0  # Widodo stays PER overall
    org = row(report, "ORG", "ana", "budi")
    assert org.cohen is not None and org.cohen < 1.0  # ana's Widodo is ORG as well


def test_kwic_is_one_line() -> None:
    assert kwic("a\nb KEY c\nd", 4, 7, context=3) == (" b ", "KEY", " c ")
