"""spaCy DocBin import (``.spacy``): each Doc a document; needs the optional ``spacy`` extra.

Spans come from ``doc.ents`` and from every span group (``doc.spans[key]``), where spans may
overlap. A span is one (start, end, label): one that is an entity and in a group, or in
several groups, is kept once; the groups it is in are listed in its ``spacy_span_groups``
attribute (an entity in no group has no attribute). Group spans without a label are left
out, with a notice. The document's id, title, status, language and metadata are read from
``doc.user_data`` where our spaCy export put them; other plain ``user_data`` entries become
metadata. spaCy is imported on first use, so the rest of the program never waits for it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from annotator.core.errors import Problem
from annotator.core.model import Document, DocumentStatus, Span
from annotator.io.base import DEFAULT_READ_OPTIONS, Notice, ReadItem, ReadOptions, SourceFile
from annotator.io.readers.text import title_from

if TYPE_CHECKING:
    from spacy.tokens import Doc

GROUPS_ATTRIBUTE = "spacy_span_groups"
MISSING_SPACY = "reading a .spacy file needs spaCy: pip install 'annotator[spacy]'"
# user_data keys our spaCy export writes (annotator/io/writers/spacy_docbin.py).
_OURS = frozenset({"id", "title", "meta", "status", "language"})
_STATUSES = {status.value: status for status in DocumentStatus}
_PLAIN = (str, int, float, bool)


def read_docbin(
    source: SourceFile, options: ReadOptions = DEFAULT_READ_OPTIONS
) -> Iterator[ReadItem]:
    """Every Doc of a DocBin file as a Document; the file refused if spaCy cannot read it."""
    try:
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab
    except ImportError:
        yield Problem(source.name, MISSING_SPACY)
        return
    try:
        doc_bin = DocBin(store_user_data=True).from_bytes(source.data)
    except Exception as exc:  # noqa: BLE001 - spaCy raises ValueError, zlib/msgpack their own
        yield Problem(source.name, f"not a spaCy DocBin file: {_reason(exc)}")
        return
    docs = doc_bin.get_docs(Vocab())
    number = 0
    while True:
        number += 1
        try:
            sdoc = next(docs)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - a damaged Doc ends the file, not the batch
            yield Problem(source.name, f"doc {number}: cannot be read: {_reason(exc)}")
            return
        yield from _document_items(source, number, sdoc)


def _reason(exc: Exception) -> str:
    first = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def _document_items(source: SourceFile, number: int, sdoc: Doc) -> Iterator[ReadItem]:
    text = sdoc.text  # joined from the tokens on each call: read once
    if not text.strip():
        yield Problem(source.name, f"doc {number}: the text is empty")
        return
    spans, unlabelled = _spans(sdoc, text)
    if unlabelled:
        yield Notice(
            source.name,
            f"doc {number}: left out {unlabelled} span-group span(s) without a label or characters",
        )
    user = {k: v for k, v in sdoc.user_data.items() if isinstance(k, str)}
    title, language, uid = user.get("title"), user.get("language"), user.get("id")
    yield Document(
        text=text,
        title=title
        if isinstance(title, str) and title.strip()
        else title_from(text, f"{source.stem}-{number}"),
        source=source.name,
        metadata=_metadata(user),
        language=language if isinstance(language, str) and language else None,
        spans=tuple(spans),
        uid=uid if isinstance(uid, str) and uid else None,
        status=_STATUSES.get(str(user.get("status", "")), DocumentStatus.NEW),
    )


def _spans(sdoc: Doc, text: str) -> tuple[list[Span], int]:
    """The Doc's entities and span-group spans, each (start, end, label) once; and how many
    group spans had no label (or no characters)."""
    groups: dict[tuple[int, int, str], list[str]] = {}
    unlabelled = 0
    for ent in sdoc.ents:
        groups.setdefault((ent.start_char, ent.end_char, ent.label_), [])
    for name, group in sdoc.spans.items():
        for span in group:
            if not span.label_.strip() or span.start_char >= span.end_char:
                unlabelled += 1
                continue
            found = groups.setdefault((span.start_char, span.end_char, span.label_), [])
            if name not in found:
                found.append(name)
    return [
        Span(
            start,
            end,
            label,
            text[start:end],
            attributes={GROUPS_ATTRIBUTE: names} if names else {},
        )
        for (start, end, label), names in sorted(
            groups.items(), key=lambda item: (item[0][0], -item[0][1], item[0][2])
        )
    ], unlabelled


def _metadata(user: Mapping[str, Any]) -> dict[str, Any]:
    meta = user.get("meta")
    metadata: dict[str, Any] = dict(meta) if isinstance(meta, dict) else {}
    for key, value in user.items():
        if key not in _OURS and isinstance(value, _PLAIN):
            metadata.setdefault(key, value)
    metadata.setdefault("format", "spacy")
    return metadata
