"""spaCy export: one ``.spacy`` DocBin; needs the optional ``spacy`` extra.

Each spaCy Doc is built from our own tokens, with the whitespace between them as spaCy
keeps it (a single space as the token's trailing space, anything else as a whitespace
token), so ``doc.text`` is our text exactly and character offsets agree. All spans go to
``doc.spans["sc"]`` (overlaps allowed); ``doc.ents`` gets the outermost non-overlapping
ones, since spaCy's entities cannot overlap. Tokens are split where a span starts or ends
inside one, so every span keeps exactly its characters; a span left out of ``doc.ents`` (for
overlap) or trimmed (it starts or ends in whitespace) gets a warning and counts in
``spans_changed``. Document id, title and metadata go to ``doc.user_data``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.errors import AnnotatorError
from annotator.core.export_record import record_of
from annotator.core.model import Document, Label
from annotator.core.span_layout import cut_layout
from annotator.core.tokenize import token_layout
from annotator.io.atomic import atomic_file
from annotator.io.base import ExportOptions, ExportResult
from annotator.io.writers._common import outermost, suggestions_ignored
from annotator.io.writers._iob import span_warning

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

SPAN_KEY = "sc"
MISSING_SPACY = "the spacy exporter needs the spacy extra: pip install 'annotator[spacy]'"


def _require_spacy() -> Any:
    """Import spaCy on first use: it is an optional extra and slow to import."""
    try:
        import spacy
    except ImportError as exc:
        raise AnnotatorError(MISSING_SPACY) from exc
    return spacy


def words_and_spaces(text: str, cuts: Iterable[int] = ()) -> tuple[list[str], list[bool]]:
    """spaCy's words and trailing-space flags for ``text``, from our tokenizer, losing nothing;
    a token is split at each of ``cuts`` inside it (span boundaries)."""
    layout = cut_layout(token_layout(text), cuts)
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for word, start in zip(layout.texts, layout.starts, strict=True):
        _add_gap(text[pos:start], words, spaces)
        words.append(word)
        spaces.append(False)
        pos = start + len(word)
    _add_gap(text[pos:], words, spaces)
    return words, spaces


def _add_gap(gap: str, words: list[str], spaces: list[bool]) -> None:
    if not gap:
        return
    if gap == " " and words:
        spaces[-1] = True
    else:
        words.append(gap)  # spaCy's own convention: other whitespace is a token of its own
        spaces.append(False)


def spacy_doc(doc: Document, vocab: Vocab) -> tuple[Doc, list[str]]:
    """The spaCy Doc of ``doc``, and a warning for each span it does not hold exactly."""
    from spacy.tokens import Doc as SpacyDoc

    record = record_of(doc)
    spans = record.spans
    words, spaces = words_and_spaces(doc.text, [edge for s in spans for edge in (s.start, s.end)])
    sdoc = SpacyDoc(vocab, words=words, spaces=spaces)
    placed = []  # (our span, its spaCy span)
    warnings: list[str] = []
    for span in spans:
        aligned = sdoc.char_span(span.start, span.end, label=span.label)
        if aligned is None:
            # Only a span starting or ending inside a run of whitespace gets here.
            text = doc.text[span.start : span.end]
            trimmed = text.strip()
            start = span.start + text.index(trimmed) if trimmed else span.start
            aligned = sdoc.char_span(start, start + len(trimmed), label=span.label)
            if not trimmed or aligned is None:
                warnings.append(span_warning(record, span, "left out of spaCy: only whitespace"))
                continue
            warnings.append(
                span_warning(
                    record,
                    span,
                    "spaCy: it starts or ends in whitespace: exported as "
                    f"{aligned.start_char}-{aligned.end_char}",
                )
            )
        placed.append((span, aligned))
    sdoc.spans[SPAN_KEY] = [aligned for _, aligned in placed]
    kept, _ = outermost(placed, lambda pair: (pair[1].start, pair[1].end))
    ents = [aligned for _, aligned in kept]
    kept_ids = {id(pair) for pair in kept}
    for pair in placed:
        if id(pair) not in kept_ids:
            span, aligned = pair
            outer = next(e for e in ents if e.start < aligned.end and aligned.start < e.end)
            why = (
                f"left out of doc.ents: it overlaps {outer.label_} {outer.start_char}-"
                f"{outer.end_char} (entities cannot overlap); it is in doc.spans[{SPAN_KEY!r}]"
            )
            warnings.append(span_warning(record, span, why))
    sdoc.ents = ents
    meta = json.loads(json.dumps(dict(doc.metadata), ensure_ascii=False, default=str))
    sdoc.user_data.update(
        {
            "id": doc.uid,
            "title": doc.title,
            "meta": meta,
            "status": doc.status.value,
            "language": doc.language,
        }
    )
    return sdoc, warnings


def write(
    documents: Iterable[Document],
    labels: Sequence[Label],
    out: Path,
    options: ExportOptions,
) -> ExportResult:
    """Write ``documents`` to the DocBin file ``out``, atomically."""
    _require_spacy()
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    result = ExportResult(path=Path(out), warnings=suggestions_ignored("spacy", options))
    vocab = Vocab()
    # A DocBin is one msgpack blob: it is built in memory (compactly) and written at the end.
    doc_bin = DocBin(store_user_data=True)
    changed: list[str] = []
    # Opened first, so an unwritable destination fails before the work, not after.
    with atomic_file(Path(out), "wb") as handle:
        for doc in documents:
            sdoc, warnings = spacy_doc(doc, vocab)
            doc_bin.add(sdoc)
            changed += warnings
            result.documents += 1
            result.spans += len(sdoc.spans[SPAN_KEY])  # all but whitespace-only spans
        handle.write(doc_bin.to_bytes())
    result.warnings += changed
    result.spans_changed += len(changed)
    return result
