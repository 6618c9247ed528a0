"""WebAnno TSV 3.3 export: a folder with one ``.tsv`` file a document, for INCEpTION.

Spans go into DKPro Core's NamedEntity layer (``value`` = our label), the layer INCEpTION's
default "Named entity" layer reads. Tokens are our tokenizer's, cut where a span starts or
ends inside one (``annotator.core.span_layout``), so every span covers whole tokens and keeps
exactly its characters; a span that starts or ends in whitespace cannot, and is said in a
warning. Multi-token spans carry an id (``PER[3]``), stacked spans are ``|``-separated, the
reserved characters are ``\\``-escaped, offsets count UTF-16 code units (as Java does), and a
sentence holding a line break is written as several ``#Text=`` lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from annotator.core.export_record import DocumentRecord, SpanRecord
from annotator.core.model import Label
from annotator.core.span_layout import place_spans
from annotator.core.tokenize import TokenLayout, token_layout
from annotator.core.utf16 import astral_positions, to_utf16
from annotator.io.atomic import atomic_dir, only_files_with_suffixes
from annotator.io.base import ExportOptions, ExportResult
from annotator.io.writers._common import DocumentNames, suggestions_ignored, writer_of_documents
from annotator.io.writers._iob import span_warning

HEADER = (
    "#FORMAT=WebAnno TSV 3.3\n#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|value\n"
)
_VALUE_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "[": "\\[",
        "]": "\\]",
        "|": "\\|",
        "_": "\\_",
        ";": "\\;",
        "\t": "\\t",
        "\n": "\\n",
        "*": "\\*",
    }
)
_TEXT_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\r": "\\r"})


def escape_value(value: str) -> str:
    return value.translate(_VALUE_ESCAPES).replace("->", "\\->")


def document_tsv(doc: DocumentRecord) -> tuple[str, int, list[str]]:
    """One document's TSV, the spans written exactly, and a warning per span that was not."""
    spans: Sequence[SpanRecord] = doc.spans
    layout, placed, problems = place_spans(
        token_layout(doc.text), [(s.start, s.end) for s in spans]
    )
    warnings = [span_warning(doc, spans[i], f"in WebAnno TSV {why}") for i, why in problems]
    cells: list[list[str]] = [[] for _ in layout.texts]
    multi_token = written = 0
    for span, (first, last) in zip(spans, placed, strict=True):
        if first >= last:
            continue
        written += 1
        value = escape_value(span.label)
        if last - first > 1:
            multi_token += 1
            value = f"{value}[{multi_token}]"
        for token in range(first, last):
            cells[token].append(value)
    astral = astral_positions(doc.text)
    out = [HEADER, "\n"]
    first_token = 0
    ends = layout.sentence_ends
    for number, end_token in enumerate(ends, start=1):
        start = layout.starts[first_token]
        if number == 1 and doc.text[:start].strip(" "):
            start = 0  # leading whitespace other than spaces: kept in the first #Text=
        last = _sentence_text_end(doc.text, layout, end_token, number == len(ends))
        out.append("\n")
        for line in doc.text[start:last].split("\n"):
            out.append(f"#Text={line.translate(_TEXT_ESCAPES)}\n")
        for position, token in enumerate(range(first_token, end_token + 1), start=1):
            begin = layout.starts[token]
            form = layout.texts[token]
            cell = "|".join(cells[token]) or "_"
            begin16, end16 = to_utf16(astral, [begin, begin + len(form)])
            offsets = f"{begin16}-{end16}"
            out.append(f"{number}-{position}\t{offsets}\t{form}\t{cell}\t\n")
        first_token = end_token + 1
    return "".join(out), written, warnings


def _sentence_text_end(text: str, layout: TokenLayout, end_token: int, last: bool) -> int:
    """Where a sentence's ``#Text=`` ends: after its last token, and after the whitespace up to
    the next sentence unless that is one line break (what a reader puts between sentences), so
    the text comes back exactly. After the last sentence a reader puts nothing, so there even a
    single line break (a text file's usual end) stays in the ``#Text=``."""
    end = layout.starts[end_token] + len(layout.texts[end_token])
    if last:
        return len(text)
    following = layout.starts[end_token + 1]
    return end if text[end:following] == "\n" else following


def write_records(
    documents: Iterable[DocumentRecord],
    labels: Sequence[Label],
    out: Path,
    options: ExportOptions,
) -> ExportResult:
    """Write the documents as a folder of TSV files, atomically (the whole folder at once)."""
    result = ExportResult(path=Path(out), warnings=suggestions_ignored("webanno", options))
    names = DocumentNames()
    with atomic_dir(Path(out), only_files_with_suffixes(".tsv")) as folder:
        for index, doc in enumerate(documents, start=1):
            content, written, warnings = document_tsv(doc)
            path = folder / f"{names.stem(doc, index)}.tsv"
            with open(path, "w", encoding="utf-8", newline="") as handle:
                handle.write(content)
            result.documents += 1
            result.spans += written
            result.warnings += warnings
            result.spans_changed += len(warnings)
    return result


write = writer_of_documents(write_records)
