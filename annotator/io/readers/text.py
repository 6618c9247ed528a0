"""Decoding shared by all readers, and the plain-text reader."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass

from charset_normalizer import from_bytes

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.io.base import DEFAULT_READ_OPTIONS, Notice, ReadItem, ReadOptions, SourceFile

TITLE_MAX = 200

# UTF-32 first: its little-endian BOM starts with the UTF-16 one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# UTF-16/32 without a BOM is almost never what a guess of them means; plain bytes get misread.
_NO_GUESS = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le"]
# Control characters that never occur in text (tab, newlines, form feed are fine).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_NEWLINES_RE = re.compile(r"\r\n?")


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, with the encoding used."""

    text: str
    encoding: str
    guessed: bool = False

    def notice(self, file: str) -> Notice | None:
        """A notice for the summary when the encoding had to be guessed."""
        if not self.guessed:
            return None
        return Notice(file, f"not UTF-8: decoded as {self.encoding} (guessed)")


def decode_source(source: SourceFile) -> tuple[Decoded | None, list[ReadItem]]:
    """The decoded text (None when refused) and what to report: the Problem, or a Notice on the
    encoding."""
    decoded = decode(source.name, source.data)
    if isinstance(decoded, Problem):
        return None, [decoded]
    notice = decoded.notice(source.name)
    return decoded, [notice] if notice else []


def decode(file: str, data: bytes, allow_empty: bool = False) -> Decoded | Problem:
    """Decode file bytes: BOMs, then UTF-8, then a charset-normalizer guess; refuse binary."""
    result = _decode_bytes(file, data)
    if isinstance(result, Problem):
        return result
    if "\x00" in result.text:
        return Problem(file, "binary file (NUL bytes), not text")
    if _looks_binary(result.text):
        return Problem(file, "binary file (control characters), not text")
    # isspace, not strip: strip copies a whole 500 MB text to learn it is not empty.
    if not allow_empty and (not result.text or result.text.isspace()):
        return Problem(file, "empty file (no text)")
    return result


def _decode_bytes(file: str, data: bytes) -> Decoded | Problem:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding.removesuffix("-sig"))
            except UnicodeDecodeError as exc:
                return _undecodable(file, data, exc, encoding)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_error = exc
    if b"\x00" in data:
        return Problem(file, "binary file (NUL bytes), not text")
    best = from_bytes(data, cp_exclusion=_NO_GUESS).best()
    if best is None:
        return _undecodable(file, data, first_error, "UTF-8 or any other encoding")
    return Decoded(str(best), best.encoding, guessed=True)


def _undecodable(file: str, data: bytes, exc: UnicodeDecodeError, tried: str) -> Problem:
    line = data[: exc.start].count(b"\n") + 1
    byte = data[exc.start : exc.start + 1].hex()
    return Problem(
        file, f"undecodable bytes: byte 0x{byte} at offset {exc.start} is not {tried}", line
    )


def _looks_binary(text: str) -> bool:
    # A stray control character can happen in scraped text; many of them mean binary data.
    found = len(_CONTROL_RE.findall(text[:65536]))
    return found > max(2, len(text[:65536]) // 100)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF (only for texts that carry no offsets)."""
    return _NEWLINES_RE.sub("\n", text) if "\r" in text else text


def title_from(text: str, stem: str) -> str:
    """The first non-empty line, trimmed and capped, or the file stem."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            return cap_title(line)
    return stem


def cap_title(title: str) -> str:
    """Cap a title at about TITLE_MAX characters, on a word boundary when possible."""
    title = " ".join(title.split())
    if len(title) <= TITLE_MAX:
        return title
    cut = title[:TITLE_MAX].rsplit(" ", 1)[0]
    return (cut if len(cut) > TITLE_MAX // 2 else title[:TITLE_MAX]) + "…"


def read_txt(source: SourceFile, options: ReadOptions = DEFAULT_READ_OPTIONS) -> Iterator[ReadItem]:
    """A plain text file: one document, newlines normalised."""
    decoded, reports = decode_source(source)
    yield from reports
    if decoded is None:
        return
    text = normalise_newlines(decoded.text)
    metadata: dict[str, object] = {"format": "txt"}
    if decoded.encoding != "utf-8":
        metadata["encoding"] = decoded.encoding
    yield Document(
        text=text, title=title_from(text, source.stem), source=source.name, metadata=metadata
    )
