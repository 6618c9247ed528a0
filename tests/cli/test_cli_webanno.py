"""`annotator import` and `annotator export --format webanno` end to end on INCEpTION's files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annotator.cli import main

SUITE = Path(__file__).parent.parent / "data" / "webanno-tsv3" / "tsv3-suite"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_refuses_the_bad_file_and_exports_the_good_ones_back(
    capsys, isolated_env: object, db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(
        SUITE / "testMultiTokenStackedSpanWithFeatureValue/reference.tsv", folder / "good.tsv"
    )
    shutil.copy(SUITE / "testSentenceWithLineBreak/reference.tsv", folder / "lines.tsv")
    bad = (SUITE / "testSubMultiTokenSpanWithFeatureValue/reference.tsv").read_text("utf-8")
    (folder / "bad.tsv").write_text(bad.replace("\n1-2\t7-13\t", "\n1-2\t7+13\t"), "utf-8")

    code, out, err = run(capsys, "--db", str(db_path), "import", str(folder))
    assert code == 1
    assert "imported 2 documents with 3 spans from 3 files" in out and "refused 1" in out
    assert "bad.tsv:8: bad offsets '7+13'" in err

    first = tmp_path / "out1"
    code, out, err = run(
        capsys, "--db", str(db_path), "export", "--format", "webanno", "--out", str(first)
    )
    assert code == 0, err
    assert sorted(p.name for p in first.iterdir()) == ["good.tsv", "lines.tsv"]
    good = (first / "good.tsv").read_text("utf-8").splitlines()
    assert good[:2] == [
        "#FORMAT=WebAnno TSV 3.3",
        "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|value",
    ]
    assert good[5] == "1-1\t0-4\tThis\tPERSON[1]|LOCATION[2]\t"

    # The export imported into a fresh database and exported again is the same, byte for byte.
    again = tmp_path / "again.sqlite"
    code, out, err = run(capsys, "--db", str(again), "import", str(first))
    assert code == 0, err
    assert "imported 2 documents with 3 spans from 2 files" in out
    second = tmp_path / "out2"
    code, _, err = run(
        capsys, "--db", str(again), "export", "--format", "webanno", "--out", str(second)
    )
    assert code == 0, err
    for name in ("good.tsv", "lines.tsv"):
        assert (second / name).read_bytes() == (first / name).read_bytes()
