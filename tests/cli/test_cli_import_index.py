"""`annotator import` and the full-text index: a small import is indexed at once, a big one is
left to the first search (which finds every document either way)."""

from __future__ import annotations

import pytest

from annotator import cli, cli_transfer
from annotator.workspace import Workspace


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "in"
    path.mkdir()
    for i in range(3):
        (path / f"{i}.txt").write_text(f"Berita kata{i}: Putin di Moskow.", encoding="utf-8")
    return path


def _behind(db) -> int:
    with Workspace.open(db, annotator="tester") as ws:
        return ws.store.search.index.behind()


def test_a_small_import_is_indexed_before_the_command_ends(capsys, isolated_env, db_path, folder):
    assert cli.main(["--db", str(db_path), "import", str(folder)]) == 0
    assert "imported 3 documents" in capsys.readouterr().out
    assert _behind(db_path) == 0


def test_a_big_import_is_left_to_the_first_search(
    capsys, isolated_env, db_path, folder, monkeypatch
):
    monkeypatch.setattr(cli_transfer, "CHEAP_INDEXING", 2)
    assert cli.main(["--db", str(db_path), "import", str(folder)]) == 0
    assert _behind(db_path) == 3
    with Workspace.open(db_path, annotator="tester") as ws:
        assert len({hit.document_id for hit in ws.search("kata1")}) == 1
        assert ws.store.search.index.behind() == 0
