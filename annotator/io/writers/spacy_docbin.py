"""spaCy export: one ``.spacy`` DocBin; needs the optional ``spacy`` extra.

Each spaCy Doc is built from our own tokens, with the whitespace between them as spaCy
keeps it (a single space as the token's trailing space, anything else as a whitespace
token), so ``doc.text`` is our text exactly and character offsets agree. All spans go to
``doc.spans["sc"]`` (overlaps allowed); ``doc.ents`` gets the outermost non-overlapping
ones, since spaCy's entities cannot overlap. A span boundary inside a token is widened to
the whole token (``alignment_mode="expand"``). Document id, title and metadata go to
``doc.user_data``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core.errors import AnnotatorError
from annotator.core.model import Document, Label
from annotator.core.spans import sort_spans
from annotator.core.tokenize import tokenize
from annotator.io.atomic import atomic_file
from annotator.io.base import ExportOptions, ExportResult
from annotator.io.writers._common import outermost, suggestions_ignored

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


def words_and_spaces(text: str) -> tuple[list[str], list[bool]]:
    """spaCy's words and trailing-space flags for ``text``, from our tokenizer, losing nothing."""
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for token in tokenize(text):
        _add_gap(text[pos : token.start], words, spaces)
        words.append(token.text)
        spaces.append(False)
        pos = token.end
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


def spacy_doc(doc: Document, vocab: Vocab) -> tuple[Doc, int]:
    """The spaCy Doc of ``doc``, and how many spans were left out of ``doc.ents`` for overlap."""
    from spacy.tokens import Doc as SpacyDoc

    words, spaces = words_and_spaces(doc.text)
    sdoc = SpacyDoc(vocab, words=words, spaces=spaces)
    group = []
    for span in sort_spans(doc.spans):
        aligned = sdoc.char_span(span.start, span.end, label=span.label, alignment_mode="expand")
        if aligned is not None:
            group.append(aligned)
    sdoc.spans[SPAN_KEY] = group
    # Overlap counted in tokens: two spans inside one token expand to the same token.
    ents, left_out = outermost(group, lambda s: (s.start, s.end))
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
    return sdoc, left_out


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
    left_out = 0
    # Opened first, so an unwritable destination fails before the work, not after.
    with atomic_file(Path(out), "wb") as handle:
        for doc in documents:
            sdoc, lost = spacy_doc(doc, vocab)
            doc_bin.add(sdoc)
            left_out += lost
            result.documents += 1
            result.spans += len(doc.spans)
        handle.write(doc_bin.to_bytes())
    if left_out:
        result.warnings.append(
            f"{left_out} overlapping spans left out of doc.ents (outermost kept); "
            f'all spans are in doc.spans["{SPAN_KEY}"]'
        )
    return result
