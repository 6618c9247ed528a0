"""Curation regions: clusters of overlapping spans across annotators, agreed or not."""

from annotator.core.curation import Curation, missing_spans, regions
from annotator.core.model import Span

TEXT = "Joko Widodo met Vladimir Putin in Moscow on Saturday with the FSA."


def span(start: int, end: int, label: str = "PERSON") -> Span:
    return Span(start, end, label, TEXT[start:end])


def bounds(found) -> list[tuple[int, int]]:
    return [(region.start, region.end) for region in found]


def test_identical_spans_of_every_annotator_are_one_agreed_region() -> None:
    found = regions({"ana": [span(0, 11)], "budi": [span(0, 11)]})
    assert bounds(found) == [(0, 11)]
    assert found[0].agreed
    assert found[0].agreed_spans == (span(0, 11),)
    assert not found[0].settled


def test_a_span_only_one_annotator_has_is_a_disagreement() -> None:
    found = regions({"ana": [span(0, 11), span(34, 40, "LOC")], "budi": [span(0, 11)]})
    assert bounds(found) == [(0, 11), (34, 40)]
    assert [region.agreed for region in found] == [True, False]
    assert found[1].version("budi") == ()
    assert found[1].version("ana") == (span(34, 40, "LOC"),)
    assert found[1].agreed_spans == ()


def test_an_annotator_with_no_span_at_all_makes_every_region_a_disagreement() -> None:
    found = regions({"ana": [span(0, 11)], "budi": [span(0, 11)], "citra": []})
    assert len(found) == 1 and not found[0].agreed
    assert set(found[0].versions) == {"ana", "budi", "citra"}


def test_a_chain_of_overlaps_is_one_region() -> None:
    # ana [16, 24) overlaps budi [16, 30), which overlaps citra [25, 40): one region.
    found = regions({"ana": [span(16, 24)], "budi": [span(16, 30)], "citra": [span(25, 40, "LOC")]})
    assert bounds(found) == [(16, 40)]
    assert not found[0].agreed


def test_nested_spans_fall_in_the_region_of_the_outer_one() -> None:
    outer, inner = span(16, 30), span(25, 30)
    found = regions({"ana": [outer, inner], "budi": [outer, inner]})
    assert bounds(found) == [(16, 30)]
    assert found[0].agreed
    assert found[0].version("ana") == (outer, inner)
    other = regions({"ana": [outer, inner], "budi": [outer]})
    assert bounds(other) == [(16, 30)] and not other[0].agreed


def test_same_range_different_label_disagrees() -> None:
    found = regions({"ana": [span(62, 65, "ORG")], "budi": [span(62, 65, "LOC")]})
    assert len(found) == 1 and not found[0].agreed


def test_touching_spans_are_separate_regions() -> None:
    found = regions({"ana": [span(0, 4), span(5, 11)], "budi": [span(0, 4), span(4, 11)]})
    assert bounds(found) == [(0, 4), (4, 11)]
    assert [region.agreed for region in found] == [True, False]


def test_curated_spans_settle_the_regions_they_overlap() -> None:
    found = regions(
        {"ana": [span(0, 11), span(34, 40, "LOC")], "budi": [span(0, 11), span(16, 30)]},
        curated=[span(16, 30)],
    )
    assert bounds(found) == [(0, 11), (16, 30), (34, 40)]
    assert [region.settled for region in found] == [False, True, False]
    assert found[1].holds("budi") and not found[1].holds("ana")


def test_curation_counts_unsettled_disagreements() -> None:
    layers = {"ana": [span(0, 11), span(34, 40, "LOC")], "budi": [span(0, 11), span(16, 30)]}
    found = regions(layers, curated=[span(16, 30)])
    curation = Curation(1, TEXT, ("ana", "budi"), {"ana": "Ana S."}, found, (span(16, 30),))
    assert bounds(curation.disagreements) == [(16, 30), (34, 40)]
    assert bounds(curation.unsettled) == [(34, 40)]
    assert curation.shown_name("ana") == "Ana S." and curation.shown_name("budi") == "budi"
    assert curation.region_at(34, 40) is found[2] and curation.region_at(34, 39) is None


def test_no_spans_no_regions() -> None:
    assert regions({"ana": [], "budi": []}) == ()
    assert regions({}) == ()


def test_missing_spans_compares_start_end_and_label() -> None:
    wanted = [span(0, 11), span(16, 30)]
    assert missing_spans(wanted, [span(0, 11)]) == (span(16, 30),)
    assert missing_spans(wanted, [span(0, 11, "ORG"), span(16, 30)]) == (span(0, 11),)


def test_with_region_replaces_one_region_and_its_curated_spans() -> None:
    layers = {"ana": [span(0, 11), span(34, 40, "LOC")], "budi": [span(0, 11), span(16, 30)]}
    kept, old = Span(0, 11, "PERSON", TEXT[0:11], id=1), Span(16, 30, "PERSON", "x", id=2)
    before = regions(layers, curated=[kept, old])
    curation = Curation(1, TEXT, ("ana", "budi"), {}, before, (kept, old))
    taken = Span(16, 24, "PERSON", TEXT[16:24], id=3)
    again = regions(layers, curated=[taken])[1]
    after = curation.with_region(again)
    assert after.regions[1] is again and after.regions[0] is before[0]
    assert [s.id for s in after.curated] == [1, 3]
    assert bounds(after.unsettled) == [(34, 40)]
