"""What readers take and give, and what writers take and give."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from annotator.core.errors import Problem
from annotator.core.export_record import DocumentRecord
from annotator.core.import_limits import DEFAULT_LIMITS, ImportLimits
from annotator.core.model import Document, Label


@dataclass(frozen=True)
class SourceFile:
    """One input file, already read: from disk, a folder walk or a zip member.

    ``name`` is what messages show (e.g. ``corpus.zip!news/a.txt``);
    ``companions`` holds files that belong to it, by suffix (brat: ``{".ann": b"..."}``).
    """

    name: str
    data: bytes
    companions: Mapping[str, bytes] = field(default_factory=dict)

    @property
    def suffix(self) -> str:
        return Path(self.name.rsplit("!", 1)[-1]).suffix.lower()

    @property
    def stem(self) -> str:
        return Path(self.name.rsplit("!", 1)[-1]).stem


@dataclass(frozen=True)
class Notice:
    """Something the user should know about an accepted file (e.g. the encoding guessed)."""

    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


ReadItem = Document | Problem | Notice


@dataclass(frozen=True)
class ReadOptions:
    """What the user asked of an import beyond the files (``annotator import`` options).

    Each reader reads the fields that concern its format and ignores the others."""

    # CoNLL-U: the MISC key that holds the entity tags (``NE=B-PER``).
    conllu_ner_key: str = "NE"
    # CoNLL / CoNLL-U without document markers: sentences per document (None: blank-line groups
    # of at most 50 sentences; 0: the whole file is one document).
    doc_sentences: int | None = None
    # CSV / TSV: the columns holding the text, title and id (None: the usual names, see
    # readers/csv.py); matched case-insensitively.
    text_column: str | None = None
    title_column: str | None = None
    id_column: str | None = None
    # What one file, zip or document may cost (``--max-doc-mb`` and the like).
    limits: ImportLimits = DEFAULT_LIMITS


DEFAULT_READ_OPTIONS = ReadOptions()


class Reader(Protocol):
    """A reader yields whole documents; a Problem refuses one document (or the whole file)."""

    def __call__(
        self, source: SourceFile, options: ReadOptions = DEFAULT_READ_OPTIONS, /
    ) -> Iterator[ReadItem]: ...


@dataclass(frozen=True)
class ExportOptions:
    include_suggestions: bool = False
    # CoNLL / CoNLL-U tag scheme: iob1, iob2 or bioes.
    scheme: str = "iob2"
    # CoNLL-U: the MISC key that holds the entity tag (``NE=B-PER``).
    conllu_key: str = "NE"


@dataclass
class ExportResult:
    path: Path
    documents: int = 0
    spans: int = 0
    warnings: list[str] = field(default_factory=list)
    # Spans the format could not hold exactly (left out or moved), each also a warning:
    # ``annotator export`` exits with EXIT_CHANGED when there is any.
    spans_changed: int = 0


# A writer writes all documents to ``out`` atomically and says what it wrote.
Writer = Callable[[Iterable[Document], Sequence[Label], Path, ExportOptions], ExportResult]
# The same, from the plain records of the store's bulk export read.
RecordWriter = Callable[
    [Iterable[DocumentRecord], Sequence[Label], Path, ExportOptions], ExportResult
]
