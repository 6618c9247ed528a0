"""XMI export: loads back with dkpro-cassis (and INCEpTION's type system), offsets exact."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cassis import load_cas_from_xmi, load_typesystem

from annotator.core.errors import ExportError
from annotator.core.model import Document, Span
from annotator.core.tokenize import sentences, tokenize
from annotator.io.base import ExportOptions
from annotator.io.writers.xmi import METADATA, NAMED_ENTITY, SENTENCE, TOKEN, TYPESYSTEM_FILE, write

TEXT = (
    "Presiden 😀 Joko Widodo 👩\u200d👩\u200d👧 bertemu\r\nPutin di Moskow.\n"
    "ٱلسَّلَامُ 東京 e\u0301\u200bx 𝔘𝔫𝔦𝔠𝔬𝔡𝔢."
)
INCEPTION_TS = [
    Path(__file__).parents[1] / "data" / "uima-xmi" / "inception_typesystem.xml",
    Path("/work/shared/formats/uima-xmi/inception_typesystem.xml"),
]


def span(part: str, label: str) -> Span:
    start = TEXT.index(part)
    return Span(start, start + len(part), label, part)


def sample_document() -> Document:
    return Document(
        text=TEXT,
        uid="rusia-1",
        title="Rusia 😀",
        language="id",
        spans=(
            span("Presiden 😀 Joko Widodo", "ROLE"),
            span("Joko Widodo", "PERSON"),
            span("👩\u200d👩\u200d👧 bertemu\r\nPutin", "QUOTE"),
            span("ٱلسَّلَامُ", "LOC"),
            span("e\u0301\u200bx", "ORG"),
            span("𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "MISC"),
        ),
    )


def load(folder: Path, name: str, typesystem_path: Path | None = None):
    with open(typesystem_path or folder / TYPESYSTEM_FILE, "rb") as handle:
        ts = load_typesystem(handle)
    with open(folder / name, "rb") as handle:
        return load_cas_from_xmi(handle, typesystem=ts)


def test_loads_back_with_exact_offsets(tmp_path: Path) -> None:
    doc = sample_document()
    out = tmp_path / "xmi"
    result = write(iter([doc, Document(text="Kedua.", uid="d2")]), [], out, ExportOptions())
    assert (result.documents, result.spans, result.warnings) == (2, 6, [])
    assert sorted(os.listdir(out)) == [TYPESYSTEM_FILE, "doc-d2.xmi", "rusia.xmi"]
    cas = load(out, "rusia.xmi")
    assert cas.sofa_string == TEXT
    entities = sorted((a.begin, a.end, a.value) for a in cas.select(NAMED_ENTITY))
    assert entities == sorted(s.key for s in doc.spans)
    for a in cas.select(NAMED_ENTITY):
        assert cas.sofa_string[a.begin : a.end] == a.get_covered_text() == TEXT[a.begin : a.end]
    [meta] = cas.select(METADATA)
    assert (meta.documentTitle, meta.documentId, meta.language) == ("Rusia 😀", "rusia-1", "id")
    assert (meta.begin, meta.end) == (0, len(TEXT))
    tokens = tokenize(TEXT)
    assert [(t.begin, t.end) for t in cas.select(TOKEN)] == [(t.start, t.end) for t in tokens]
    assert [(s.begin, s.end) for s in cas.select(SENTENCE)] == [
        (s[0].start, s[-1].end) for s in sentences(TEXT, tokens)
    ]


def test_xmi_offsets_are_utf16_as_uima_wants(tmp_path: Path) -> None:
    write([sample_document()], [], tmp_path / "x", ExportOptions())
    xml = (tmp_path / "x" / "rusia.xmi").read_text("utf-8")
    start = TEXT.index("Joko")
    utf16 = len(TEXT[:start].encode("utf-16-le")) // 2
    assert utf16 == start + 1  # one emoji before it: one more UTF-16 unit
    assert f'begin="{utf16}" end="{utf16 + 11}" value="PERSON"' in xml
    assert "&#13;&#10;" in xml  # CRLF kept in the sofa


def test_loads_with_inceptions_own_type_system(tmp_path: Path) -> None:
    found = [p for p in INCEPTION_TS if p.is_file()]
    if not found:
        pytest.skip("INCEpTION's type system sample is not available")
    write([sample_document()], [], tmp_path / "x", ExportOptions())
    cas = load(tmp_path / "x", "rusia.xmi", found[0])
    assert {a.value for a in cas.select(NAMED_ENTITY)} == {
        "ROLE",
        "PERSON",
        "QUOTE",
        "LOC",
        "ORG",
        "MISC",
    }
    assert len(cas.select(METADATA)) == 1


def test_characters_xml_cannot_hold_are_replaced_and_reported(tmp_path: Path) -> None:
    text = "a\x0bb\x01c Jakarta"
    doc = Document(text=text, uid="c", spans=(Span(6, 13, "LOC", "Jakarta"),))
    result = write([doc], [], tmp_path / "x", ExportOptions(include_suggestions=True))
    assert any("2 characters" in w for w in result.warnings)
    assert any("suggestions" in w for w in result.warnings)
    cas = load(tmp_path / "x", "doc-c.xmi")
    assert cas.sofa_string == "a\ufffdb\ufffdc Jakarta"
    [entity] = cas.select(NAMED_ENTITY)
    assert entity.get_covered_text() == "Jakarta"


def test_unwritable_destination(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "xmi"
    with pytest.raises(ExportError, match=str(out)):
        write([sample_document()], [], out, ExportOptions())
    assert os.listdir(tmp_path) == ["file"]
