"""Property: random Unicode texts with random spans (and pending suggestions) round-trip
through the doccano and Label Studio exports and our import exactly."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given

from annotator.core.model import Document, Suggestion
from annotator.io.base import ExportOptions
from annotator.io.writers import WRITERS
from tests.io.test_roundtrip_property import SETTINGS, assert_same_spans, documents, read_back


def _with_suggestions(docs: list[Document]) -> list[Document]:
    """Each span also a pending suggestion of rule ``r``: for the Label Studio predictions."""
    return [
        Document(
            text=d.text,
            uid=d.uid,
            title=d.title,
            spans=d.spans,
            suggestions=tuple(
                Suggestion(s.start, s.end, s.label, s.text, rule="r") for s in d.spans
            ),
        )
        for d in docs
    ]


def _export(fmt: str, docs: list[Document], folder: Path) -> Path:
    out = folder / ("out.json" if fmt == "labelstudio" else "out.jsonl")
    WRITERS[fmt](iter(docs), [], out, ExportOptions(include_suggestions=True))
    return out


@SETTINGS
@given(documents())
def test_doccano_round_trip(docs: list[Document]) -> None:
    for fmt in ("doccano", "doccano-relations"):
        with tempfile.TemporaryDirectory() as folder:
            read = read_back(_export(fmt, docs, Path(folder)))
        assert set(read) == {d.uid for d in docs}
        for doc in docs:
            assert_same_spans(doc, read[doc.uid or ""])
            assert read[doc.uid or ""].title == doc.title


@SETTINGS
@given(documents())
def test_label_studio_round_trip(docs: list[Document]) -> None:
    docs = _with_suggestions(docs)
    with tempfile.TemporaryDirectory() as folder:
        read = read_back(_export("labelstudio", docs, Path(folder)))
    assert set(read) == {d.uid for d in docs}
    for doc in docs:
        again = read[doc.uid or ""]
        assert_same_spans(doc, again)
        assert sorted((s.start, s.end, s.label) for s in again.suggestions) == sorted(
            s.key for s in doc.spans
        )
        assert all(s.rule == "label-studio:r" for s in again.suggestions)
