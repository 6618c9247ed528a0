"""Opening documents keeps the collector off the open one's objects, and only off that one's."""

from __future__ import annotations

import gc

import pytest

from annotator.gui.main_window import FREEZE_GROWTH
from annotator.workspace import Workspace
from tests.gui.conftest import opened

TEXT = "Presiden Jokowi bertemu Putin di Moskow pada 12 Maret 2024. " * 200


@pytest.fixture
def two_docs(tmp_path, db_path):
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(TEXT + name, encoding="utf-8")
    with Workspace.open(db_path, annotator="tester") as ws:
        ws.import_paths([tmp_path / "a.txt", tmp_path / "b.txt"])
    return db_path


def open_and_settle(qtbot, window, doc_id):
    window.open_document(doc_id)
    qtbot.waitUntil(lambda: not window.after_paint.pending(), timeout=5000)


def test_opening_documents_again_and_again_keeps_the_frozen_count_bounded(qtbot, two_docs):
    window = opened(qtbot, two_docs)
    first, second = window.navigator.ordered_ids()[:2]
    counts = []
    for _ in range(12):
        for doc_id in (first, second):
            # Garbage only the collector can reclaim: a cycle of 40,000 objects per open, frozen
            # with the document (the collector is off while a document opens).
            cycle: list[object] = [[n] for n in range(40_000)]
            cycle.append(cycle)
            del cycle
            open_and_settle(qtbot, window, doc_id)
            counts.append(gc.get_freeze_count())
    assert counts[0] > 0  # the open document's objects are kept from the collector
    # Never collected, the garbage would pile up to 24 x 40,000 objects; it is collected once
    # the frozen set has doubled.
    assert max(counts) <= FREEZE_GROWTH * counts[0] + 45_000, counts
    assert min(counts[1:]) < max(counts), counts  # a collection did happen
    window.close()
    assert gc.get_freeze_count() == 0  # closing gives everything back to the collector


def test_a_window_closed_before_its_text_painted_freezes_nothing(qtbot, two_docs):
    window = opened(qtbot, two_docs)
    window.open_document(window.navigator.ordered_ids()[1])
    window.close()  # the freeze still waits for the paint
    qtbot.waitUntil(lambda: not window.after_paint.pending(), timeout=5000)
    assert gc.get_freeze_count() == 0
