"""Sentences to documents for column files without document markers (-DOCSTART-, # newdoc).

A 13,000-sentence file must not become one 13,000-span document: without markers, a run of two or
more blank lines ends a document, and so does the DEFAULT_DOC_SENTENCES-th sentence, unless the
user chose ``--doc-sentences N`` (N sentences a document; 0: the whole file is one document)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

DEFAULT_DOC_SENTENCES = 50

T = TypeVar("T")


def group_sentences(
    sentences: Sequence[T], breaks: Sequence[bool], per_doc: int | None
) -> list[list[T]]:
    """The sentences cut into documents; ``breaks[i]``: two or more blank lines precede sentence
    i (honoured only by the default grouping, as the user's N means exactly N)."""
    if per_doc == 0:
        return [list(sentences)] if sentences else []
    cap = DEFAULT_DOC_SENTENCES if per_doc is None else per_doc
    groups: list[list[T]] = []
    for sentence, brk in zip(sentences, breaks, strict=True):
        if not groups or len(groups[-1]) >= cap or (per_doc is None and brk):
            groups.append([])
        groups[-1].append(sentence)
    return groups


def grouping_note(marker: str, documents: int, per_doc: int | None) -> str | None:
    """What the import report says about a default grouping (None when there is nothing to say)."""
    if per_doc is not None or documents < 2:
        return None
    return (
        f"no {marker}: {documents} documents of at most {DEFAULT_DOC_SENTENCES} sentences;"
        " --doc-sentences N to change"
    )
