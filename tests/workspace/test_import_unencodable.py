"""A string with no UTF-8 form (a lone surrogate such as ``"\\ud83d"``) refuses its own record
or document with file:line and reason; the records around it are still imported."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from annotator.core.model import Document, Span
from annotator.ingest import document_problem
from annotator.workspace import Workspace

GOOD_BEFORE = {"text": "Jokowi tiba di Surabaya.", "spans": [[0, 6, "PERSON"]]}
GOOD_AFTER = {"text": "Prabowo di Jakarta."}


def _jsonl(path: Path, *records: object) -> Path:
    # json.dumps writes a lone surrogate as the escape "\ud83d": what other tools' files hold.
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="ascii")
    return path


def _as_record(spans: list) -> list[dict]:
    return [{"start": s, "end": e, "label": lab} for s, e, lab in spans]


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({"text": "bad \ud83d here"}, "the text holds a lone surrogate \\ud83d at character 4"),
        ({"text": "Budi.", "title": "x\udc00"}, "the title holds a lone surrogate \\udc00"),
        (
            {"text": "Budi pergi.", "spans": [{"start": 0, "end": 4, "label": "P\ud800"}]},
            "span 1 (0, 4): the label holds a lone surrogate \\ud800",
        ),
        (
            {"text": "Budi.", "spans": [{"start": 0, "end": 4, "label": "P", "note": "\ud83d"}]},
            "span 1 (0, 4): the note holds",
        ),
        ({"text": "Budi.", "meta": {"src": ["ok", "\ud83d"]}}, "metadata['src'][1] holds"),
        ({"text": "Budi.", "meta": {"\ud83d": 1}}, "metadata key '\\ud83d' holds"),
    ],
)
def test_a_bad_jsonl_record_is_refused_with_its_line_and_the_others_imported(
    workspace: Workspace, tmp_path: Path, bad: dict, reason: str
) -> None:
    good_before = dict(GOOD_BEFORE, spans=_as_record(GOOD_BEFORE["spans"]))
    path = _jsonl(tmp_path / "a.jsonl", good_before, bad, GOOD_AFTER)
    report = workspace.import_paths([path])
    assert report.imported == 2
    assert [str(p) for p in report.refused] == [str(report.refused[0])] and str(
        report.refused[0]
    ).startswith(f"{path}:2: ")
    assert reason in report.refused[0].reason
    assert sorted(workspace.document(d.id).text for d in workspace.documents()) == sorted(
        [GOOD_BEFORE["text"], GOOD_AFTER["text"]]
    )


def test_a_json_array_and_a_label_studio_task_with_a_surrogate_are_refused_alone(
    workspace: Workspace, tmp_path: Path
) -> None:
    array = tmp_path / "b.json"
    array.write_text(
        json.dumps([{"text": "Satu dua."}, {"text": "tiga \udfff"}], indent=1), encoding="ascii"
    )
    studio = _jsonl(
        tmp_path / "c.jsonl",
        {"data": {"text": "Empat lima."}},
        {"data": {"text": "enam \ud83d"}},
    )
    report = workspace.import_paths([array, studio])
    assert report.imported == 2
    where = sorted(f"{Path(p.file).name}:{p.line}" for p in report.refused)
    assert where == ["b.json:5", "c.jsonl:2"]  # the second element opens on line 5
    assert all("lone surrogate" in p.reason for p in report.refused)


def test_another_reader_s_document_with_a_surrogate_is_refused_not_a_traceback(
    workspace: Workspace, tmp_path: Path
) -> None:
    """A file name that is not UTF-8 (Linux allows any bytes) decodes with surrogate escapes,
    and it becomes the document's source and title: the text reader's document is refused."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Budi pergi ke pasar.", encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), b"bad\xff.txt"), "wb") as handle:
        handle.write(b"Ani pergi.")
    report = workspace.import_paths([folder])
    assert report.imported == 1
    assert len(report.refused) == 1
    assert report.refused[0].reason.startswith("the source name holds a lone surrogate \\udcff")
    assert [workspace.document(d.id).text for d in workspace.documents()] == [
        "Budi pergi ke pasar."
    ]


def test_document_problem_names_the_field_and_passes_good_documents() -> None:
    good = Document(text="Budi 🥳 pergi.", spans=(Span(0, 4, "PERSON", "Budi"),))
    assert document_problem(good) is None
    bad = Document(
        text="Budi pergi.", spans=(Span(0, 4, "PERSON", "Budi", attributes={"k": ["\ud83d"]}),)
    )
    assert document_problem(bad) == (
        "span 1 (0, 4): attributes['k'][0] holds a lone surrogate \\ud83d at character 0 "
        "(not valid Unicode; it cannot be stored)"
    )


def test_the_cli_prints_the_refusal_and_exits_1(
    isolated_env: object, tmp_path: Path, capsys
) -> None:
    from annotator.cli import main

    path = _jsonl(tmp_path / "a.jsonl", GOOD_AFTER, {"text": "x \ud83d"})
    code = main(["--db", str(tmp_path / "x.sqlite"), "import", str(path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "imported 1 document" in out
    assert f"{path}:2: the text holds a lone surrogate" in err
    assert "Traceback" not in err
