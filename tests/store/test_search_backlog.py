"""A search that must not index (the window's, on its GUI thread) is still correct while the index
lacks documents, writes nothing, and reads the documents the index lacks a range of ids at a time,
so a common word's first hits come without a scan of the whole backlog; a catch-up stops when
cancelled, between its transactions."""

from __future__ import annotations

import pytest

from annotator.store import search, search_index


def _import(workspace, tmp_path, count: int, name: str = "in") -> list[int]:
    folder = tmp_path / name
    folder.mkdir()
    for i in range(count):
        word = "langka" if i == count - 1 else "biasa"
        (folder / f"{i:04}.txt").write_text(
            f"Berita {name} kata{i}: Presiden bertemu menteri, kabar {word}.", encoding="utf-8"
        )
    return workspace.import_paths([folder]).document_ids


def _mark(workspace) -> int:
    with workspace.store.engine.connect() as conn:
        return search_index.indexed_to(conn)


def test_a_search_without_catch_up_finds_what_a_catch_up_search_finds_and_writes_nothing(
    workspace, tmp_path, monkeypatch
):
    monkeypatch.setattr(search, "SCAN_RANGE", 7)  # several ranges past the mark
    first = _import(workspace, tmp_path, 12, "a")
    workspace.index_for_search()
    later = _import(workspace, tmp_path, 30, "b")  # behind the index
    queries = ("presiden", "kata3", "kata33", "langka", "kabar biasa", "tidak ada")

    def hits(query, **kw):
        return [(h.document_id, h.start, h.end) for h in workspace.search(query, **kw)]

    quiet = {query: hits(query, catch_up=False) for query in queries}
    assert workspace.search_backlog() == 30 and _mark(workspace) == max(first)
    assert {h[0] for h in quiet["langka"]} == {first[-1], later[-1]}
    assert {h[0] for h in quiet["presiden"]} == set(first + later)
    caught = {query: hits(query) for query in queries}
    assert workspace.search_backlog() == 0 and _mark(workspace) == max(later)
    assert quiet == caught


def test_the_first_hits_past_the_mark_need_only_the_first_ranges(workspace, tmp_path, monkeypatch):
    monkeypatch.setattr(search, "SCAN_RANGE", 5)
    ids = _import(workspace, tmp_path, 40)
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        if "lower(documents.text)" in statement:
            statements.append(statement)

    from sqlalchemy import event

    event.listen(workspace.store.engine, "before_cursor_execute", seen)
    try:
        hits = workspace.search("presiden", limit=6, catch_up=False)
    finally:
        event.remove(workspace.store.engine, "before_cursor_execute", seen)
    assert [h.document_id for h in hits] == ids[:6]
    assert len(statements) == 2  # ids 1-5 and 6-10, not the 8 ranges of the whole backlog


def test_a_cancelled_catch_up_stops_between_transactions_and_the_next_one_finishes(
    workspace, tmp_path, monkeypatch
):
    monkeypatch.setattr(search_index, "CATCH_UP_CHUNK", 4)
    ids = _import(workspace, tmp_path, 10)
    calls = iter([False, True])
    assert workspace.index_for_search(cancelled=lambda: next(calls)) == 4
    assert _mark(workspace) == ids[3] and workspace.search_backlog() == 6
    assert workspace.index_for_search() == 6 and workspace.search_backlog() == 0
    assert {h.document_id for h in workspace.search("langka", catch_up=False)} == {ids[-1]}


# About SQLite itself (its file, its FTS5 index and catch-up, query plans, file migrations).
pytestmark = pytest.mark.sqlite_only
