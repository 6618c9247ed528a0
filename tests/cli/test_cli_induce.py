"""`annotator rules induce`: proposals from the done documents, listed, and saved with --accept."""

from __future__ import annotations

import json

import pytest

from annotator.cli import main
from annotator.core.model import Document, DocumentStatus
from annotator.workspace import Workspace

FRIENDS = [
    "Ia bertemu sahabat Wiryo di pasar.",
    "Kami menyapa sahabat Darsono pagi itu.",
    "Mereka menunggu sahabat Kartolo sejak siang.",
    "Warga menyambut sahabat Pemerintah kemarin.",  # matched, not a span: 3 hits of 4
]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(isolated_env, db_path) -> str:
    with Workspace.open(db_path, annotator="tester") as ws:
        docs = [Document(text=t, title=f"t{i}") for i, t in enumerate(FRIENDS)]
        for doc_id, text in zip(
            ws.store.documents.insert(docs, annotator="x"), FRIENDS, strict=True
        ):
            name = text.split("sahabat ")[1].split()[0]
            if name != "Pemerintah":
                at = text.index(name)
                ws.add_span(doc_id, at, at + len(name), "PERSON")
            ws.set_status(doc_id, DocumentStatus.DONE)
    return str(db_path)


def _friend(items: list[dict]) -> dict | None:
    return next((i for i in items if '"sahabat"' in i["summary"]), None)


def test_induce_lists_proposals_with_their_figures(capsys, db):
    code, out, _ = run(capsys, "--db", db, "rules", "induce", "--min-precision", "0.7", "--json")
    assert code == 0
    friend = _friend(json.loads(out))
    assert friend is not None
    assert (friend["label"], friend["kind"]) == ("PERSON", "context")
    assert (friend["matches"], friend["hits"], friend["precision"]) == (4, 3, 0.75)
    assert friend["corpus_matches"] == 4
    code, out, _ = run(capsys, "--db", db, "rules", "induce", "--min-precision", "0.7")
    header = out.splitlines()[0].split("\t")
    assert header[:4] == ["rule", "kind", "label", "precision"] and friend["rule"] in out


def test_a_higher_precision_lists_it_not_and_accept_saves_only_what_is_listed(capsys, db):
    code, out, err = run(capsys, "--db", db, "rules", "induce", "--min-precision", "0.9", "--json")
    assert code == 0 and _friend(json.loads(out)) is None
    code, _, err = run(capsys, "--db", db, "rules", "induce", "--min-precision", "0.7", "--accept")
    assert code == 0 and "accepted" in err
    code, out, _ = run(capsys, "--db", db, "rules", "list")
    assert "induced-person-after-sahabat" in out
    code, out, _ = run(capsys, "--db", db, "rules", "induce", "--min-precision", "0.7", "--json")
    assert _friend(json.loads(out)) is None  # saved: no longer proposed


def test_a_precision_out_of_range_is_refused_and_nothing_is_saved(capsys, db):
    code, _, err = run(capsys, "--db", db, "rules", "induce", "--min-precision", "7", "--accept")
    assert code == 2 and "--min-precision must be between 0 and 1" in err
    code, out, _ = run(capsys, "--db", db, "rules", "list")
    assert "induced-" not in out
