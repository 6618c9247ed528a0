"""Property: random Unicode texts (astral, combining marks, CRLF, tabs, line separators) with
random overlapping spans round-trip through WebAnno TSV: the text exactly, every span exactly
but one that starts or ends in whitespace, which comes back trimmed (a span covers whole
tokens) and is said in a warning."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import example, given

from annotator.core.model import Document, Label, Span
from annotator.io.base import ExportOptions, SourceFile
from annotator.io.readers.webanno_tsv import read_webanno_tsv
from annotator.io.writers.webanno_tsv import write
from tests.io.test_roundtrip_property import SETTINGS, documents


def _round_trip(docs: list[Document]) -> tuple[dict[str, Document], list[str]]:
    """The documents read back by file stem (the export names each file after the title)."""
    labels = [Label(name) for name in sorted({s.label for d in docs for s in d.spans})]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "tsv"
        warnings = write(iter(docs), labels, out, ExportOptions()).warnings
        back = {}
        for path in sorted(out.glob("*.tsv")):
            items = list(read_webanno_tsv(SourceFile(path.name, path.read_bytes())))
            assert not [item for item in items if hasattr(item, "reason")], items
            [doc] = [item for item in items if isinstance(item, Document)]
            back[path.stem] = doc
    return back, warnings


def _trimmed(span_text: str) -> bool:
    return span_text == span_text.strip()


def _as_exported(span: Span) -> tuple[int, int, str]:
    lead = len(span.text) - len(span.text.lstrip())
    trail = len(span.text) - len(span.text.rstrip())
    return (span.start + lead, span.end - trail, span.label)


# A text file's usual end, one line break after the last sentence, is kept (it was once lost).
ENDS_IN_A_LINE_BREAK = [Document(text="Joko.\n", title="t0", spans=(Span(0, 4, "PER", "Joko"),))]


@SETTINGS
@given(documents())
@example(ENDS_IN_A_LINE_BREAK)
def test_webanno_round_trip(docs: list[Document]) -> None:
    back, warnings = _round_trip(docs)
    assert sorted(back) == sorted(doc.title for doc in docs)
    for doc in docs:
        again = back[doc.title]
        assert again.text == doc.text
        expected = {_as_exported(s) for s in doc.spans if s.text.strip()}
        assert sorted((s.start, s.end, s.label) for s in again.spans) == sorted(expected)
        assert all(again.text[s.start : s.end] == s.text for s in again.spans)
    untrimmed = sum(not _trimmed(s.text) for d in docs for s in d.spans)
    assert (untrimmed > 0) == bool(warnings)
