"""spaCy DocBin export: same text and offsets in spaCy, all spans in "sc", outermost in ents."""

from __future__ import annotations

import builtins
import os
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError, ExportError
from annotator.core.model import Document, Span
from annotator.io.base import ExportOptions
from annotator.io.writers.spacy_docbin import MISSING_SPACY, SPAN_KEY, words_and_spaces, write

TEXT = (
    "  Presiden Joko Widodo 😀 bertemu\r\nPutin  di\tMoskow. ٱلسَّلَامُ 東京 e\u0301\u200bx ISIS-nya.\n"
)


def span(part: str, label: str) -> Span:
    start = TEXT.index(part)
    return Span(start, start + len(part), label, part)


def sample_document() -> Document:
    return Document(
        text=TEXT,
        uid="u-1",
        title="Judul",
        metadata={"outlet": "Republika"},
        spans=(
            span("Presiden Joko Widodo", "ROLE"),
            span("Joko Widodo", "PERSON"),
            span("Widodo 😀 bertemu\r\nPutin", "QUOTE"),
            span("ٱلسَّلَامُ", "LOC"),
            span("東京", "LOC"),
            span("ISIS", "ORG"),
        ),
    )


def load(path: Path) -> list:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    return list(DocBin().from_disk(path).get_docs(spacy.blank("xx").vocab))


def test_words_and_spaces_rebuild_the_text_exactly() -> None:
    words, spaces = words_and_spaces(TEXT)
    assert "".join(w + (" " if s else "") for w, s in zip(words, spaces, strict=True)) == TEXT
    assert words[:2] == ["  ", "Presiden"] and spaces[1] is True


def test_docbin_loads_back_with_the_same_text_and_spans(tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    out = tmp_path / "out.spacy"
    doc = sample_document()
    result = write(iter([doc, Document(text="Kedua.", uid="u-2")]), [], out, ExportOptions())
    assert (result.documents, result.spans) == (2, 6)
    # The two spans inside "Presiden Joko Widodo" / "Widodo 😀 bertemu\r\nPutin" overlap.
    assert result.spans_changed == 2
    assert len(result.warnings) == 2
    assert all("left out of doc.ents: it overlaps" in w for w in result.warnings)
    assert "document u-1 “Judul”: ROLE 2-22 'Presiden Joko Widodo'" in result.warnings[0]
    first, second = load(out)
    assert first.text == TEXT and second.text == "Kedua."
    group = sorted((s.start_char, s.end_char, s.label_) for s in first.spans[SPAN_KEY])
    isis = TEXT.index("ISIS")
    # Exact, even "ISIS" inside the token "ISIS-nya": the token is split there.
    assert group == sorted(s.key for s in doc.spans)
    for s in first.spans[SPAN_KEY]:
        assert s.text == TEXT[s.start_char : s.end_char]
    ents = [(e.start_char, e.end_char, e.label_) for e in first.ents]
    quote = TEXT.index("Widodo 😀")
    assert ents == [
        (quote, quote + 23, "QUOTE"),
        span("ٱلسَّلَامُ", "LOC").key,
        span("東京", "LOC").key,
        (isis, isis + 4, "ORG"),
    ]
    assert first.user_data["id"] == "u-1" and first.user_data["meta"] == {"outlet": "Republika"}


def test_a_span_inside_a_token_splits_the_token(tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    write([sample_document()], [], tmp_path / "o.spacy", ExportOptions())
    [doc] = load(tmp_path / "o.spacy")
    isis = [s for s in doc.spans[SPAN_KEY] if s.label_ == "ORG"]
    assert [s.text for s in isis] == ["ISIS"]
    assert [t.text for t in doc if "ISIS" in t.text or "nya" in t.text] == ["ISIS", "-nya"]


def test_span_ending_in_whitespace_is_trimmed_with_a_warning(tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    text = "Kata Joko Widodo  di sini"
    doc = Document(text=text, uid="w", spans=(Span(5, 17, "PER", "Joko Widodo "),))
    result = write([doc], [], tmp_path / "o.spacy", ExportOptions())
    assert result.spans_changed == 1
    assert result.warnings == [
        (
            "document w: PER 5-17 'Joko Widodo ': spaCy: it starts or ends in whitespace: "
            "exported as 5-16"
        )
    ]
    [loaded] = load(tmp_path / "o.spacy")
    assert [(e.start_char, e.end_char) for e in loaded.ents] == [(5, 16)]


def test_unwritable_destination(tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "out.spacy"
    with pytest.raises(ExportError, match=str(out)):
        write([sample_document()], [], out, ExportOptions())
    assert os.listdir(tmp_path) == ["file"]


def test_without_spacy_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_spacy(name: str, *args: object, **kwargs: object):
        if name == "spacy" or name.startswith("spacy."):
            raise ImportError("No module named 'spacy'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_spacy)
    with pytest.raises(AnnotatorError) as info:
        write([sample_document()], [], tmp_path / "o.spacy", ExportOptions())
    assert str(info.value) == MISSING_SPACY
    assert "pip install 'annotator[spacy]'" in str(info.value)
    assert os.listdir(tmp_path) == []
