"""Curation through the workspace on a real database: each decision one undo step of the curated
(main) layer, the annotators' own layers untouched, undo and redo exact."""

from __future__ import annotations

import pytest

from annotator.core.errors import UsageError
from annotator.workspace import Operation, Workspace
from tests.curation_data import layer_keys, team_document

AGREED = {(0, 11, "PERSON"), (34, 40, "LOC")}


@pytest.fixture
def curator(workspace: Workspace) -> Workspace:
    workspace.annotator = "cora"
    return workspace


def _annotator_layers(ws: Workspace, doc_id: int) -> dict[int, set[tuple[int, int, str]]]:
    return {layer: layer_keys(ws, doc_id, layer) for layer in (1, 2, 3, 4, 5)}


def test_curation_reads_annotators_regions_and_display_names(curator) -> None:
    doc_id = team_document(curator)
    curation = curator.curation(doc_id)
    assert curation.annotators == ("ana", "budi")
    assert curation.shown_name("ana") == "Ana Suryani" and curation.shown_name("budi") == "budi"
    assert [(r.start, r.end, r.agreed) for r in curation.regions] == [
        (0, 11, True),
        (16, 30, False),
        (34, 40, True),
        (44, 52, False),
        (62, 65, False),
    ]
    assert curation.curated == () and len(curation.unsettled) == 3


def test_premerge_copies_agreed_regions_once_as_one_undo_step(curator) -> None:
    doc_id = team_document(curator)
    others = _annotator_layers(curator, doc_id)
    change = curator.premerge_agreements(doc_id)
    assert change.operation is Operation.PREMERGE_AGREEMENTS
    assert change.description == "Pre-merge 2 agreed spans"
    assert {span.key for span in change.spans} == AGREED
    assert layer_keys(curator, doc_id) == AGREED
    assert all(span.annotator == "cora" for span in change.spans)
    assert _annotator_layers(curator, doc_id) == others
    # Again: nothing left to copy, no step.
    again = curator.premerge_agreements(doc_id)
    assert again.spans == () and curator.undo_description() == "Pre-merge 2 agreed spans"
    undone = curator.undo()
    assert undone is not None and {span.key for span in undone.removed_spans} == AGREED
    assert layer_keys(curator, doc_id) == set()
    curator.redo()
    assert layer_keys(curator, doc_id) == AGREED
    assert _annotator_layers(curator, doc_id) == others


def test_premerge_keeps_what_the_curated_layer_has_already(curator) -> None:
    doc_id = team_document(curator)
    curator.store.spans.add(doc_id, 0, 11, "PERSON", annotator="cora")
    change = curator.premerge_agreements(doc_id)
    assert [span.key for span in change.spans] == [(34, 40, "LOC")]
    assert change.description == "Pre-merge 1 agreed span"


def test_premerge_leaves_an_agreed_region_the_curator_settled_otherwise(curator) -> None:
    doc_id = team_document(curator)
    curator.store.spans.add(doc_id, 0, 4, "ORG", annotator="cora")  # the curator's own call
    curator.premerge_agreements(doc_id)
    assert layer_keys(curator, doc_id) == {(0, 4, "ORG"), (34, 40, "LOC")}


def test_take_version_replaces_the_curated_spans_of_the_region(curator) -> None:
    doc_id = team_document(curator)
    curator.premerge_agreements(doc_id)
    putin = curator.curation(doc_id).regions[1]
    change = curator.take_version(doc_id, putin, "ana")
    assert change.operation is Operation.TAKE_VERSION
    assert change.description == "Take ana's version: PERSON ‘Vladimir’"
    assert layer_keys(curator, doc_id) == AGREED | {(16, 24, "PERSON")}
    # Changing one's mind: budi's version replaces ana's, in one step.
    change = curator.take_version(doc_id, curator.curation(doc_id).regions[1], "budi")
    assert [s.key for s in change.removed_spans] == [(16, 24, "PERSON")]
    assert [s.key for s in change.spans] == [(16, 30, "PERSON")]
    assert layer_keys(curator, doc_id) == AGREED | {(16, 30, "PERSON")}
    assert curator.curation(doc_id).regions[1].holds("budi")
    curator.undo()
    assert layer_keys(curator, doc_id) == AGREED | {(16, 24, "PERSON")}
    curator.undo()
    assert layer_keys(curator, doc_id) == AGREED
    curator.redo()
    curator.redo()
    assert layer_keys(curator, doc_id) == AGREED | {(16, 30, "PERSON")}


def test_taking_an_empty_version_clears_the_region(curator) -> None:
    doc_id = team_document(curator)
    fsa = curator.curation(doc_id).regions[4]
    curator.take_version(doc_id, fsa, "ana")
    assert (62, 65, "ORG") in layer_keys(curator, doc_id)
    change = curator.take_version(doc_id, curator.curation(doc_id).regions[4], "budi")
    assert change.description == "Take budi's version: nothing"
    assert layer_keys(curator, doc_id) == set()


def test_reject_region_removes_the_curated_spans_there_as_one_step(curator) -> None:
    doc_id = team_document(curator)
    curator.premerge_agreements(doc_id)
    saturday = curator.curation(doc_id).regions[3]
    curator.take_version(doc_id, saturday, "budi")
    assert (44, 52, "DATE") in layer_keys(curator, doc_id)
    change = curator.reject_region(doc_id, curator.curation(doc_id).regions[3])
    assert change.operation is Operation.REJECT_VERSIONS
    assert [s.key for s in change.removed_spans] == [(44, 52, "DATE")]
    assert layer_keys(curator, doc_id) == AGREED
    curator.undo()
    assert layer_keys(curator, doc_id) == AGREED | {(44, 52, "DATE")}


def test_a_region_that_is_gone_or_a_stranger_is_refused_and_nothing_changes(curator) -> None:
    doc_id = team_document(curator)
    region = curator.curation(doc_id).regions[1]
    with pytest.raises(UsageError, match="is not an annotator of document"):
        curator.take_version(doc_id, region, "zed")
    moved = type(region)(16, 29, region.versions)
    with pytest.raises(UsageError, match=r"no region at \[16, 29\) any more"):
        curator.reject_region(doc_id, moved)
    assert layer_keys(curator, doc_id) == set()
    assert curator.undo_description() is None


def test_one_region_read_alone_equals_it_in_the_whole_read(curator) -> None:
    doc_id = team_document(curator)
    curator.premerge_agreements(doc_id)
    whole = curator.curation(doc_id)
    for region in whole.regions:
        assert curator.curation_region(doc_id, region.start, region.end) == region
    assert curator.curation_region(doc_id, 16, 29) is None  # not a region's bounds
