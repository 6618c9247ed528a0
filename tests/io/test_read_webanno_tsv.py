"""WebAnno TSV 3 import, checked against INCEpTION's own conformance suite: each reference.tsv
imports to the text and the spans of the reference.xmi beside it (the same CAS as XMI)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.io.base import Notice, SourceFile
from annotator.io.readers import detect_format, read_source
from annotator.io.readers.webanno_tsv import read_webanno_tsv

DATA = Path(__file__).parent.parent / "data" / "webanno-tsv3"
SUITE = sorted(p for p in (DATA / "tsv3-suite").iterdir() if (p / "reference.xmi").exists())
XMI_NS = "{http://www.omg.org/XMI}"
# Not spans in either reading: segmentation, metadata and token attributes (POS, lemma, ...).
NOT_SPANS = {"Token", "Sentence", "DocumentMetaData", "Lemma", "Stem", "MorphologicalFeatures"}
# Relation and chain annotations point at others; our import keeps spans only.
POINTERS = {"Governor", "Dependent", "next", "first"}


def _read(path: Path) -> list:
    return list(read_webanno_tsv(SourceFile(path.parent.name + ".tsv", path.read_bytes())))


def _document(items: list) -> Document:
    [doc] = [item for item in items if isinstance(item, Document)]
    return doc


def _python_offsets(text: str) -> dict[int, int]:
    """UTF-16 offset (what UIMA stores) -> Python index."""
    table, unit = {}, 0
    for index, char in enumerate(text):
        table[unit] = index
        unit += 2 if ord(char) > 0xFFFF else 1
    table[unit] = len(text)
    return table


def _xmi_spans(path: Path) -> tuple[str, set[tuple[int, int, str | None]]]:
    root = ET.parse(path).getroot()
    [sofa] = [e for e in root if e.tag.endswith("}Sofa")]
    text = sofa.attrib["sofaString"]
    at = _python_offsets(text)
    spans = set()
    chained = {e.attrib.get(key) for e in root for key in ("next", "first")}
    for element in root:
        kind = element.tag.rsplit("}", 1)[-1]
        if (
            "begin" not in element.attrib
            or kind in NOT_SPANS
            or "/lexmorph/type/pos" in element.tag
        ):
            continue
        if POINTERS & set(element.attrib) or element.attrib.get(f"{XMI_NS}id") in chained:
            continue
        start, end = at[int(element.attrib["begin"])], at[int(element.attrib["end"])]
        while start < end and text[start].isspace():  # INCEpTION's TSV keeps spans on tokens
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:  # zero-width annotations cannot be spans
            spans.add((start, end, element.attrib.get("value")))
    return text, spans


def _our_spans(doc: Document) -> set[tuple[int, int, str | None]]:
    out = set()
    for span in doc.spans:
        layer = str(span.attributes["webanno_layer"]).rsplit(".", 1)[-1]
        out.add((span.start, span.end, None if span.label == layer else span.label))
    return out


@pytest.mark.parametrize("case", SUITE, ids=[p.name for p in SUITE])
def test_each_suite_file_imports_to_the_spans_of_its_reference_xmi(case: Path) -> None:
    doc = _document(_read(case / "reference.tsv"))
    text, spans = _xmi_spans(case / "reference.xmi")
    # The TSV does not say what follows the last sentence: whitespace there is not kept.
    assert doc.text == text.rstrip() or doc.text == text
    assert _our_spans(doc) == spans
    for span in doc.spans:
        assert doc.text[span.start : span.end] == span.text


GOOD = (
    "#FORMAT=WebAnno TSV 3.3\n"
    "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value\n"
    "#T_RL=webanno.custom.Relation|value|BT_webanno.custom.Span\n\n\n"
    "#Text=Joko Widodo tiba.\n"
    "1-1\t0-4\tJoko\t*[1]\tPER[1]\t_\t_\t\n"
    "1-2\t5-11\tWidodo\t*[1]\tPER[1]\t_\t_\t\n"
    "1-3\t12-16\ttiba\t_\t_\t_\t_\t\n"
    "1-4\t16-17\t.\t_\t_\t_\t_\t\n"
)


def test_found_by_its_header_whatever_the_suffix_and_read_with_notes() -> None:
    for name in ("a.tsv", "a.txt", "a"):
        assert detect_format(SourceFile(name, GOOD.encode())) == "webanno"
    items = list(read_source(SourceFile("a.tsv", GOOD.encode())))
    doc = _document(items)
    assert [(s.start, s.end, s.label) for s in doc.spans] == [(0, 11, "PER")]
    assert doc.title == "Joko Widodo tiba." and doc.metadata["format"] == "webanno-tsv3"
    notes = [str(item) for item in items if isinstance(item, Notice)]
    assert notes == ["a.tsv: relation layer Relation is not imported (spans only)"]


@pytest.mark.parametrize(
    ("broken", "line", "reason"),
    [
        (
            GOOD.replace("1-3\t12-16\ttiba\t_\t_\t_\t_\t", "1-3\t12-16\ttiba\t_\t_\t"),
            9,
            "5 columns",
        ),
        (GOOD.replace("12-16", "12+16"), 9, "bad offsets '12+16'"),
        (GOOD.replace("1-3\t", "1.3\t"), 9, "bad token id '1.3'"),
        (GOOD.replace("\ttiba\t", "\ttiga\t"), 9, "token 'tiga' is not the text at 12-16"),
        (GOOD.replace("#Text=Joko Widodo tiba.\n", ""), 6, "a token line before any #Text="),
        (GOOD.replace("#FORMAT=WebAnno TSV 3.3", "#FORMAT=WebAnno TSV 2"), 1, "not WebAnno TSV 3"),
    ],
)
def test_a_bad_line_refuses_the_file_with_its_line_and_reason(broken, line, reason) -> None:
    items = list(read_source(SourceFile("bad.tsv", broken.encode()), "webanno"))
    [problem] = [item for item in items if isinstance(item, Problem)]
    assert problem.line == line and reason in problem.reason
    assert not any(isinstance(item, Document) for item in items)
