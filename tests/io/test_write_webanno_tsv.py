"""WebAnno TSV 3 export: byte for byte what INCEpTION writes for the same annotations, and
round trips through our import that keep every text and span exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.model import Document, Label, Span
from annotator.io.base import ExportOptions, SourceFile
from annotator.io.readers.webanno_tsv import read_webanno_tsv
from annotator.io.writers.webanno_tsv import write

SUITE = Path(__file__).parent.parent / "data" / "webanno-tsv3" / "tsv3-suite"
NE_HEADER = "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|value"
# INCEpTION's own files whose layer is a plain span layer with a value, on tokens our
# tokenizer finds too: our export must write them as INCEpTION does (in the NamedEntity layer).
SAME_AS_INCEPTION = [
    "testTokenBoundedSpanWithFeatureValue",
    "testTokenBoundedBioLookAlike",
    "testTokenBoundedStackedLookAlike",
    "testTokenBoundedSpanWithSpecialSymbolsValue",
    "testTokenBoundedSpanWithNastyFeatureValue",
    "testTokenBoundedSpanWithAsteriskFeatureValue",
    "testTokenBoundedSpanWithUnderscoreFeatureValue",
    "testMultiTokenSpanWithFeatureValue",
    "testMultiTokenStackedSpanWithFeatureValue",
    "testCrossSentenceSpanWithFeatureValue",
]


def _import(data: bytes, name: str = "doc.tsv") -> Document:
    items = list(read_webanno_tsv(SourceFile(name, data)))
    [doc] = [item for item in items if isinstance(item, Document)]
    return doc


def _export(docs: list[Document], out: Path) -> tuple[list[str], list[str]]:
    labels = [Label(name) for name in sorted({s.label for d in docs for s in d.spans})]
    result = write(docs, labels, out, ExportOptions())
    files = sorted(out.glob("*.tsv"))
    return [f.read_text("utf-8") for f in files], result.warnings


@pytest.mark.parametrize("case", SAME_AS_INCEPTION)
def test_export_writes_what_inception_writes(case: str, tmp_path: Path) -> None:
    reference = (SUITE / case / "reference.tsv").read_text("utf-8")
    doc = _import(reference.encode("utf-8"))
    [written], warnings = _export([doc], tmp_path / "out")
    assert warnings == []
    assert written == reference.replace("#T_SP=webanno.custom.Span|value", NE_HEADER)


def test_round_trip_keeps_text_and_spans_exactly(tmp_path: Path) -> None:
    text = "Uber’s Lesson.\r\nPresiden Joko\tWidodo 😊 tiba di AS-Rusia.  \n\nBaris [dua] x_y|z."

    def at(part: str, label: str, length: int | None = None) -> tuple[int, int, str]:
        start = text.index(part)
        return (start, start + (length or len(part)), label)

    spans = [
        at("Uber", "ORG"),  # inside a token
        at("Presiden Joko\tWidodo", "PER"),  # across a tab
        at("Presiden Joko", "ROLE"),  # overlapping
        at("Presiden", "Product Name"),  # stacked, a label with a space
        at("AS", "LOC"),
        at("Rusia", "LOC"),  # AS-Rusia: two spans in one token
        at("[dua]", "A|B [1] *_x"),  # reserved characters in a label
        at("x_y", "TAG->X"),
    ]
    doc = Document(
        text=text,
        title="t",
        spans=tuple(Span(s, e, lab, text[s:e]) for s, e, lab in spans),
    )
    [written], warnings = _export([doc], tmp_path / "out")
    assert warnings == []
    back = _import(written.encode("utf-8"))
    assert back.text == text
    assert sorted((s.start, s.end, s.label) for s in back.spans) == sorted(spans)


def test_a_span_that_starts_in_whitespace_is_warned_about(tmp_path: Path) -> None:
    text = "Satu dua tiga."
    doc = Document(text=text, title="t", spans=(Span(4, 8, "X", text[4:8]),))
    [written], warnings = _export([doc], tmp_path / "out")
    assert len(warnings) == 1 and "X 4-8 ' dua'" in warnings[0] and "whitespace" in warnings[0]
    back = _import(written.encode("utf-8"))
    assert [(s.start, s.end) for s in back.spans] == [(5, 8)]
