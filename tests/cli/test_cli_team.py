"""`annotator annotators`, `assign` and `assignments`, and `--as`, run as a user runs them."""

from __future__ import annotations

from collections import Counter

from annotator.core.model import Document
from annotator.workspace import Workspace
from tests.cli.conftest import annotator


def _corpus(db_path, count: int) -> list[int]:
    with Workspace.open(db_path, annotator="lead") as ws:
        return ws.store.documents.insert(
            [Document(text=f"Berita nomor {n} dari Jakarta.", title=f"b{n}") for n in range(count)],
            annotator="lead",
        )


def _lines(out: str) -> list[list[str]]:
    return [line.split("\t") for line in out.strip().splitlines()]


def test_a_lead_sets_up_a_team_and_annotators_work_blind(db_path):
    docs = _corpus(db_path, 6)
    for argv in (
        ("annotators", "add", "ana", "--display-name", "Ana Suryani"),
        ("annotators", "add", "budi"),
        ("annotators", "add", "cici", "--role", "curator"),
        ("assign", "--to", "ana,budi", "--docs", f"{docs[0]}-{docs[2]}"),
    ):
        done = annotator(db_path, *argv)
        assert done.returncode == 0, done.stderr
    listed = _lines(annotator(db_path, "annotators").stdout)
    assert listed[0] == ["name", "display name", "role", "new", "in progress", "done"]
    assert ["ana", "Ana Suryani", "annotator", "3", "0", "0"] in listed
    assert ["cici", "", "curator", "0", "0", "0"] in listed

    # ana labels in her own layer; budi and the main layer do not see it.
    with Workspace.open(db_path, annotator="ana") as ws:  # as her window would
        ws.add_span(docs[0], 0, 6, "ROLE")
    assert "ROLE" in annotator(db_path, "--as", "ana", "spans", str(docs[0])).stdout
    assert "ROLE" not in annotator(db_path, "--as", "budi", "spans", str(docs[0])).stdout
    assert "ROLE" not in annotator(db_path, "--as", "lead", "spans", str(docs[0])).stdout

    mine = _lines(annotator(db_path, "assignments", "--annotator", "ana").stdout)
    assert mine[0] == ["annotator", "doc", "title", "status"]
    assert [row[1] for row in mine[1:]] == [str(d) for d in docs[:3]]
    assert mine[1][3] == "in progress" and mine[2][3] == "new"
    summary = _lines(annotator(db_path, "assignments", "--summary").stdout)
    assert ["ana", "2", "1", "0"] in summary and ["budi", "3", "0", "0"] in summary

    back = annotator(db_path, "assign", "--to", "budi", "--remove", "--docs", str(docs[2]))
    assert back.returncode == 0 and "Take back 1 assignment from budi" in back.stdout
    budi = _lines(annotator(db_path, "assignments", "--annotator", "budi").stdout)
    assert [row[1] for row in budi[1:]] == [str(d) for d in docs[:2]]


def test_random_assignment_with_overlap(db_path):
    _corpus(db_path, 20)
    for name in ("ana", "budi", "cici"):
        assert annotator(db_path, "annotators", "add", name).returncode == 0
    done = annotator(
        db_path, "assign", "--to", "ana", "--to", "budi,cici", "--random", "9", "--overlap", "2"
    )
    assert done.returncode == 0, done.stderr
    rows = _lines(annotator(db_path, "assignments").stdout)[1:]
    per_doc = Counter(row[1] for row in rows)
    assert len(per_doc) == 9 and set(per_doc.values()) == {2}
    assert sorted(Counter(row[0] for row in rows).values()) == [6, 6, 6]


def test_bad_team_commands_say_why_and_change_nothing(db_path):
    (doc,) = _corpus(db_path, 1)
    assert annotator(db_path, "annotators", "add", "ana").returncode == 0
    cases = [
        (("assign", "--to", "zed", "--docs", str(doc)), "no annotator 'zed'"),
        (("assign", "--to", "ana", "--docs", "5-2"), "first id is larger"),
        (("assign", "--to", "ana", "--docs", f"{doc}-{doc + 3}"), "no document with id"),
        (("assign", "--to", "ana", "--random", "3"), "only 1 documents"),
        (("assign", "--to", "ana", "--docs", str(doc), "--overlap", "2"), "go with --random"),
        (("annotators", "add", "ana"), "exists already"),
        (("annotators", "edit", "ana"), "give --display-name or --role"),
    ]
    for argv, message in cases:
        done = annotator(db_path, *argv)
        assert done.returncode != 0, argv
        assert message in done.stderr, (argv, done.stderr)
        assert "Traceback" not in done.stderr
    assert _lines(annotator(db_path, "assignments").stdout)[1:] == []
