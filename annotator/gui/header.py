"""The article header: the title in large type, then the metadata a reader wants."""

from __future__ import annotations

from html import escape

from annotator.core.model import Document


def header_html(doc: Document) -> str:
    """Title in large type, then the metadata a reader wants: date, place, reporter, source."""
    meta = doc.metadata
    bits = []
    for key in ("published", "dateline", "place", "reporter", "editor", "source"):
        value = meta.get(key)
        if value:
            bits.append(f"{key}: {escape(str(value))}")
    if not any(k in meta for k in ("source",)) and doc.source:
        bits.append(escape(doc.source))
    title = escape(doc.title or "Untitled")
    return (
        f"<div style='font-size:15pt; font-weight:600'>{title}</div>"
        f"<div style='color:gray'>{' · '.join(bits)}</div>"
    )
