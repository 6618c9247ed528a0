"""CoNLL-U export: the ten columns of Universal Dependencies, entities as a MISC tag.

Each document starts with ``# newdoc id = ...``; each sentence has ``# sent_id`` and
``# text`` and one line a token: ``ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC``, the
columns we do not know written as ``_``. The entity tag goes to MISC under a key (``NE=B-PER``,
``ExportOptions.conllu_key``; no key on tokens outside any entity), in IOB2, IOB1 or BIOES.
``SpaceAfter=No`` marks a token followed directly by the next one, and, as UDPipe writes it,
``SpacesAfter=\\n`` (escaped: ``\\s`` space, ``\\t``, ``\\r``, ``\\n``, ``\\p`` for ``|``,
``\\\\``) any whitespace after a token other than one space, so the text can be rebuilt.
Tokens and sentences are cut and joined as in the CoNLL export (``_iob``): every entity has
exactly its span's characters, or a warning says why not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from annotator.core.errors import UsageError
from annotator.core.export_record import DocumentRecord
from annotator.core.model import Label
from annotator.io.atomic import atomic_file
from annotator.io.base import ExportOptions, ExportResult
from annotator.io.writers._common import (
    suggestions_ignored,
    without_whitespace,
    writer_of_documents,
)
from annotator.io.writers._iob import Tagged, label_warnings, tag_document
from annotator.io.writers.conll import check_scheme

_SPACE_RUNS = re.compile(r"\s+")
_ESCAPES = str.maketrans(
    {"\\": "\\\\", " ": "\\s", "\t": "\\t", "\r": "\\r", "\n": "\\n", "|": "\\p"}
)


def misc_name(label: str) -> str:
    """A label as a MISC value can hold it: no whitespace, no ``|`` (the item separator)."""
    return without_whitespace(label).replace("|", "_")


def check_key(key: str) -> None:
    if not key or _SPACE_RUNS.search(key) or "|" in key or "=" in key:
        raise UsageError(
            f"CoNLL-U MISC key {key!r} cannot be used: it must be non-empty, without "
            "whitespace, '|' or '='"
        )


def document_id(doc: DocumentRecord, index: int) -> str:
    """The ``newdoc id``: the document's uid (or database id, or place in the export)."""
    found = doc.uid or (str(doc.id) if doc.id is not None else "") or f"doc-{index}"
    return without_whitespace(found)


def document_conllu(doc: DocumentRecord, index: int, tagged: Tagged, key: str) -> str:
    """One document's comment and token lines, a blank line after each sentence."""
    texts, starts, tags = tagged.layout.texts, tagged.layout.starts, tagged.tags
    text, doc_id = doc.text, document_id(doc, index)
    count = len(texts)
    # The whitespace after each token, found for all tokens at once (the export's hot loop).
    nexts = [*starts[1:], len(text)] if count else []
    gaps = [
        text[start + len(token) : after]
        for start, token, after in zip(starts, texts, nexts, strict=True)
    ]
    keyed = {tag: f"{key}={tag}" for tag in set(tags)}
    lines = [f"# newdoc id = {doc_id}"]
    first = 0
    for number, last in enumerate(tagged.layout.sentence_ends, 1):
        end = starts[last] + len(texts[last])
        lines.append(f"# sent_id = {doc_id}-{number}")
        # One line: a line break inside (a span joined two lines) becomes a space.
        lines.append(f"# text = {' '.join(text[starts[first] : end].splitlines())}")
        for i in range(first, last + 1):
            gap, tag = gaps[i], tags[i]
            if gap == " " and i != last:  # the common case: one space, nothing to say
                misc = "_" if tag == "O" else keyed[tag]
            else:
                items = [] if tag == "O" else [keyed[tag]]
                if not gap and i + 1 < count:
                    items.append("SpaceAfter=No")
                elif gap:
                    # At a sentence's end even one space is said: readers put a line break there.
                    items.append("SpacesAfter=" + gap.translate(_ESCAPES))
                misc = "|".join(items) or "_"
            lines.append(f"{i - first + 1}\t{texts[i]}\t_\t_\t_\t_\t_\t_\t_\t{misc}")
        lines.append("")
        first = last + 1
    return "\n".join(lines) + "\n"


def write_records(
    documents: Iterable[DocumentRecord],
    labels: Sequence[Label],
    out: Path,
    options: ExportOptions,
) -> ExportResult:
    """Write document records to the CoNLL-U file ``out``, atomically."""
    check_scheme(options.scheme)
    check_key(options.conllu_key)
    result = ExportResult(path=Path(out), warnings=suggestions_ignored("conllu", options))
    span_warnings: list[str] = []
    used: set[str] = set()
    with atomic_file(Path(out), "w", newline="\n") as handle:
        for index, doc in enumerate(documents, 1):
            tagged = tag_document(doc, options.scheme, "CoNLL-U", misc_name)
            handle.write(document_conllu(doc, index, tagged, options.conllu_key))
            result.documents += 1
            result.spans += tagged.written
            span_warnings += tagged.warnings
            used.update(span.label for span in doc.spans)
    result.warnings += label_warnings(used, "CoNLL-U", misc_name, "whitespace or '|'")
    result.warnings += span_warnings
    result.spans_changed += len(span_warnings)
    return result


write = writer_of_documents(write_records)
