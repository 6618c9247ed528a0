"""The CLI's doccano and Label Studio exports and its .spacy import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli import main

RECORD = {
    "id": "a-1",
    "title": "Judul",
    "text": "Joko Widodo bertemu Putin.",
    "spans": [{"start": 0, "end": 11, "label": "PERSON"}],
    "suggestions": [{"start": 20, "end": 25, "label": "PERSON", "rule": "names"}],
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(isolated_env: object, db_path: Path, tmp_path: Path, capsys) -> str:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(RECORD) + "\n", "utf-8")
    code, _, err = run(capsys, "--db", str(db_path), "import", str(source))
    assert code == 0, err
    return str(db_path)


def test_export_doccano_and_say_suggestions_are_left_out(capsys, db: str, tmp_path: Path) -> None:
    out = tmp_path / "d.jsonl"
    code, _, err = run(
        capsys, "--db", db, "export", "--format", "doccano", "--out", str(out),
        "--include-suggestions",
    )  # fmt: skip
    assert code == 0, err
    assert "warning: 1 suggestion left out: doccano has no place" in err
    record = json.loads(out.read_text("utf-8"))
    assert (record["id"], record["label"]) == ("a-1", [[0, 11, "PERSON"]])


def test_export_label_studio_with_predictions(capsys, db: str, tmp_path: Path) -> None:
    out = tmp_path / "tasks.json"
    code, _, err = run(
        capsys, "--db", db, "export", "--format", "labelstudio", "--out", str(out),
        "--include-suggestions",
    )  # fmt: skip
    assert code == 0, err
    [task] = json.loads(out.read_text("utf-8"))
    assert task["data"]["id"] == "a-1"
    assert task["annotations"][0]["result"][0]["value"]["text"] == "Joko Widodo"
    prediction = task["predictions"][0]
    assert prediction["model_version"] == "names"
    assert prediction["result"][0]["value"]["labels"] == ["PERSON"]


def test_import_a_spacy_docbin(capsys, db: str, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    doc = spacy.blank("id")("Prabowo di Bandung.")
    doc.ents = [doc.char_span(11, 18, label="LOC")]
    path = tmp_path / "train.spacy"
    DocBin(docs=[doc]).to_disk(path)
    code, out, err = run(capsys, "--db", db, "import", str(path))
    assert code == 0, err
    assert "imported 1 document with 1 span" in out
    (tmp_path / "bad.spacy").write_bytes(b"\x00garbage")
    code, out, err = run(
        capsys, "--db", db, "import", "--format", "spacy", str(tmp_path / "bad.spacy")
    )
    assert code != 0
    assert f"refused: {tmp_path / 'bad.spacy'}: not a spaCy DocBin file: ValueError" in err
    assert "imported 0 documents" in out
