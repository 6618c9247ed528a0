"""HTML news pages: the article text and its metadata, extracted offline with trafilatura."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from annotator.core.errors import Problem
from annotator.core.model import Document
from annotator.io.base import DEFAULT_READ_OPTIONS, ReadItem, ReadOptions, SourceFile
from annotator.io.readers.text import (
    cap_title,
    decode_source,
    normalise_newlines,
    title_from,
)

_LANG_RE = re.compile(
    r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?", re.IGNORECASE
)
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
# Which extractor fields become document metadata, under which key.
_FIELDS = {
    "date": "published",
    "author": "author",
    "sitename": "sitename",
    "url": "url",
    "description": "description",
    "hostname": "hostname",
}


def read_html(
    source: SourceFile, options: ReadOptions = DEFAULT_READ_OPTIONS
) -> Iterator[ReadItem]:
    """One document: the main article text of an HTML page (no network access)."""
    decoded, reports = decode_source(source)
    yield from reports
    if decoded is None:
        return
    # Imported here: a fifth of every command's start-up, and only HTML needs it.
    import trafilatura

    # A string (never a URL) is passed, so trafilatura parses it and fetches nothing.
    result = trafilatura.bare_extraction(
        decoded.text,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={
            "outputformat": _DATE_FORMAT,
            "extensive_search": False,
            "original_date": True,
        },
    )
    text = normalise_newlines(getattr(result, "text", None) or "").strip()
    if not text:
        yield Problem(source.name, "no article text found in this HTML page")
        return
    metadata: dict[str, Any] = {"format": "html"}
    for attr, key in _FIELDS.items():
        value = getattr(result, attr, None)
        if isinstance(value, str) and value.strip():
            metadata[key] = value.strip()
    if "published" in metadata:
        metadata["published"] = _iso(metadata["published"])
    title = getattr(result, "title", None)
    language = getattr(result, "language", None) or _html_lang(decoded.text)
    yield Document(
        text=text,
        title=cap_title(title) if title else title_from(text, source.stem),
        source=source.name,
        metadata=metadata,
        language=language.lower() if language else None,
    )


def _iso(value: str) -> str:
    """``2015-10-25T07:45:00+0700`` as ISO 8601 with a colon offset; a bare midnight as a date."""
    try:
        when = datetime.strptime(value, _DATE_FORMAT)
    except ValueError:
        try:
            when = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            return value
    if when.tzinfo is None and (when.hour, when.minute, when.second) == (0, 0, 0):
        return when.date().isoformat()  # the page gave a day, not a time
    return when.isoformat()


def _html_lang(html: str) -> str | None:
    m = _LANG_RE.search(html[:5000])
    return m.group(1) if m else None
