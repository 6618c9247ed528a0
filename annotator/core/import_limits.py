"""What one input may cost an import: bytes read into memory per document, per file, per zip.

An import holds one file in memory at a time (collect.py), so these caps bound its peak memory
whatever the input: a file of one document may hold ``max_document_mb`` of text, a file of many
documents (JSONL, CSV, CoNLL, XMI...) ``max_file_mb``, and a zip ``max_zip_mb`` uncompressed in
all, each member also at most ``max_ratio`` times its compressed size (a zip bomb is refused
before it is inflated). Sizes are checked on what is actually read, not on what a zip declares.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024
# Formats whose file is one document: its bytes are that document's text (HTML: with markup).
SINGLE_DOCUMENT_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".xhtml", ".ann"})
MARKUP_ALLOWANCE = 4  # an HTML page may carry this many times its text in markup
SMALL_MEMBER = 1 * MB  # below this, any compression ratio is believed (a file of spaces...)


@dataclass(frozen=True)
class ImportLimits:
    max_document_mb: float = 10.0
    max_file_mb: float = 100.0
    max_zip_mb: float = 1024.0
    max_ratio: float = 100.0

    def file_cap(self, suffix: str) -> int:
        """The bytes a file with this suffix may have."""
        if suffix in (".html", ".htm", ".xhtml"):
            return int(self.max_document_mb * MB * MARKUP_ALLOWANCE)
        if suffix in SINGLE_DOCUMENT_SUFFIXES:
            return int(self.max_document_mb * MB)
        return int(max(self.max_file_mb, self.max_document_mb) * MB)

    def why_too_big(self, suffix: str, size: int, *, at_least: bool = False) -> str:
        """The refusal of a file of ``size`` bytes (``at_least``: it was not read to its end)."""
        cap = self.file_cap(suffix)
        one = suffix in SINGLE_DOCUMENT_SUFFIXES
        option = "--max-doc-mb" if one else "--max-file-mb"
        what = "a document" if one else "a file of several documents"
        more = "over " if at_least else ""
        return (
            f"{more}{megabytes(size)}, more than {what} may be ({megabytes(cap)}); "
            f"{option} raises the limit"
        )

    @property
    def document_chars(self) -> int:
        return int(self.max_document_mb * MB)


DEFAULT_LIMITS = ImportLimits()


def megabytes(size: int) -> str:
    return f"{size / MB:.1f} MB" if size < 10 * MB else f"{size / MB:.0f} MB"
