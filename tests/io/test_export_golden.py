"""Exports are exactly what they were before the bulk export path (issue 13): the golden files
in tests/data/export-golden were written from the fixture database by the code before it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cassis import load_cas_from_xmi, load_typesystem

from tests.io.export_fixture import EXPORTS, build, export_all

GOLDEN = Path(__file__).parents[1] / "data" / "export-golden"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    work = tmp_path_factory.mktemp("export-golden")
    build(work / "fixture.sqlite", work)
    out = work / "out"
    out.mkdir()
    return out, export_all(work / "fixture.sqlite", out)


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("name", [n for n, _, _ in EXPORTS])
def test_export_is_byte_identical(exported: tuple[Path, dict], name: str) -> None:
    out, _ = exported
    if (GOLDEN / name).is_dir():
        assert _files(out / name) == _files(GOLDEN / name)
        for file in _files(GOLDEN / name):
            assert (out / name / file).read_bytes() == (GOLDEN / name / file).read_bytes(), file
    else:
        assert (out / name).read_bytes() == (GOLDEN / name).read_bytes()


def test_warnings_are_the_same(exported: tuple[Path, dict]) -> None:
    _, warnings = exported
    assert warnings == json.loads((GOLDEN / "warnings.json").read_text("utf-8"))


def _annotations(folder: Path, name: str) -> tuple[str, list[tuple]]:
    with open(folder / "TypeSystem.xml", "rb") as handle:
        ts = load_typesystem(handle)
    with open(folder / name, "rb") as handle:
        cas = load_cas_from_xmi(handle, typesystem=ts)
    found = []
    for fs in cas.select_all_annotations():
        features = {
            f.name: fs.get(f.name)
            for f in fs.type.all_features
            if f.name not in ("sofa", "xmiID") and not f.name.startswith("_")
        }
        found.append((fs.type.name, json.dumps(features, sort_keys=True, default=str)))
    return cas.sofa_string, sorted(found)


def test_xmi_reads_back_the_same(exported: tuple[Path, dict]) -> None:
    out, _ = exported
    assert _files(out / "xmi") == _files(GOLDEN / "xmi")
    for file in _files(GOLDEN / "xmi"):
        if file.endswith(".xmi"):
            assert _annotations(out / "xmi", file) == _annotations(GOLDEN / "xmi", file), file
