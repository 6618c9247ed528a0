"""CoNLL-U written by our export reads back, through our import, to the same text and spans."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.model import Document, Label, Span
from annotator.io.base import ExportOptions, SourceFile
from annotator.io.readers.conllu import read_conllu
from annotator.io.writers.conllu import write

TEXTS = [
    "Uber’s Lesson. Presiden Joko Widodo pergi! Lalu tiba di AS-Rusia.\nBaris dua  dengan | x.",
    "Satu.\r\nDua\ttiga.\n\nEmpat 😊 lima.",
    "Kalimat satu. Kalimat dua.   Kalimat tiga.",
]


def _round_trip(doc: Document, tmp_path: Path, scheme: str = "iob2") -> Document:
    labels = [Label(name) for name in sorted({s.label for s in doc.spans})]
    out = tmp_path / "out.conllu"
    result = write([doc], labels, out, ExportOptions(scheme=scheme))
    assert result.warnings == []
    items = list(read_conllu(SourceFile("out.conllu", out.read_bytes())))
    [back] = [item for item in items if isinstance(item, Document)]
    return back


def _words(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]


def test_mixed_texts_come_back_exactly_in_every_scheme(tmp_path: Path) -> None:
    for text in TEXTS:
        words = _words(text)
        spans = [
            Span(s, e, "LOC" if i % 2 else "PER", text[s:e]) for i, (s, e) in enumerate(words[::3])
        ]
        doc = Document(text=text, title="t", spans=tuple(spans))
        for scheme in ("iob1", "iob2", "bioes"):
            back = _round_trip(doc, tmp_path, scheme)
            assert back.text == text
            assert {(s.start, s.end, s.label) for s in back.spans} == {
                (s.start, s.end, s.label) for s in spans
            }


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Joko", "AS", "Rusia", "’s", "-", ".", "!", "x1", "😊", "Bä"]),
            st.sampled_from([" ", "", "\n", "  ", "\t", ". "]),
        ),
        min_size=1,
        max_size=25,
    ),
    st.data(),
)
def test_random_texts_and_spans_come_back(tmp_path_factory, pieces, data) -> None:
    text = "".join(word + gap for word, gap in pieces).strip()
    words = _words(text)
    chosen = data.draw(st.sets(st.sampled_from(range(len(words))), max_size=6)) if words else set()
    spans = [Span(*words[i], "PER", text[slice(*words[i])]) for i in sorted(chosen)]
    doc = Document(text=text, title="t", spans=tuple(spans))
    back = _round_trip(doc, tmp_path_factory.mktemp("rt"))
    assert back.text == text
    assert {(s.start, s.end) for s in back.spans} == {(s.start, s.end) for s in spans}
