"""Scraped news article text: header fields into metadata, the text kept verbatim.

Table-driven: add an outlet by adding a row to OUTLETS (and, if it has its own
byline shape, to FIELD_LINES).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from annotator.core.model import Document
from annotator.io.base import DEFAULT_READ_OPTIONS, ReadItem, ReadOptions, SourceFile
from annotator.io.readers.text import cap_title, decode_source, normalise_newlines

# How far into the text the header (date, title, byline, dateline) may reach.
HEADER_LINES = 25
TAIL_LINES = 15
# A date line is short; a long line with a date in it is body text.
DATE_LINE_MAX = 100

_DASH = r"(?:-{1,2}|–|—)"
_PLACE = r"[A-Za-z][A-Za-z .'/-]{0,40}?"


@dataclass(frozen=True)
class Outlet:
    """The dateline that opens an outlet's article body, e.g. ``REPUBLIKA.CO.ID, MOSKOW --``."""

    name: str
    dateline: re.Pattern[str]
    language: str = "id"


def _outlet(name: str, pattern: str, language: str = "id") -> Outlet:
    return Outlet(name, re.compile(r"^\s*" + pattern + r"\s*" + _DASH, re.IGNORECASE), language)


OUTLETS: tuple[Outlet, ...] = (
    _outlet("Republika", rf"(?P<outlet>REPUBLIKA\.CO\.ID)\s*,\s*(?P<dateline>{_PLACE})"),
    _outlet("Kompas", rf"(?:(?P<dateline>{_PLACE})\s*,\s*)?(?P<outlet>KOMPAS\.com)"),
    _outlet("Liputan6", rf"(?P<outlet>Liputan6\.com)\s*,\s*(?P<dateline>{_PLACE})"),
    _outlet("Tempo", rf"(?P<outlet>TEMPO\.CO)\s*,\s*(?P<dateline>{_PLACE})"),
    _outlet("Antara", rf"(?P<dateline>{_PLACE})\s*\((?P<outlet>ANTARA(?: News)?)\)"),
    _outlet("CNN Indonesia", rf"(?P<dateline>{_PLACE})\s*,\s*(?P<outlet>CNN Indonesia)"),
    _outlet(
        "Detik", rf"(?P<outlet>detik(?:news|com|finance|inet|sport)?)\s*,\s*(?P<dateline>{_PLACE})"
    ),
    _outlet("Tribun", rf"(?P<outlet>TRIBUNNEWS\.COM)\s*,\s*(?P<dateline>{_PLACE})"),
)

# Header lines that carry fields; each named group becomes a metadata key.
FIELD_LINES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^Rep(?:orter)?\s*:\s*(?P<reporter>.+?)\s*/\s*Red(?:aktur|aktor)?\s*:\s*(?P<editor>.+?)$",
        r"^Penulis\s*:\s*(?P<reporter>.+?)\s*\|\s*Editor\s*:\s*(?P<editor>.+?)$",
        r"^(?:Reporter|Rep|Penulis|Pewarta|Oleh|Author)\s*:\s*(?P<reporter>.+?)$",
        r"^(?:Editor|Red|Redaktur|Penyunting)\s*:\s*(?P<editor>.+?)$",
        r"^\(?(?:Foto|Photo)\s*:\s*(?P<photo_credit>.+?)\)?$",
    )
)

_DAYS = (
    "senin selasa rabu kamis jumat jum'at sabtu minggu ahad "
    "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun"
)
_MONTHS = {
    1: "januari january jan",
    2: "februari pebruari february feb peb",
    3: "maret march mar",
    4: "april apr",
    5: "mei may",
    6: "juni june jun",
    7: "juli july jul",
    8: "agustus august agu agt ags aug",
    9: "september sept sep",
    10: "oktober october okt oct",
    11: "november nopember nov nop",
    12: "desember december des dec",
}
MONTHS: dict[str, int] = {name: n for n, names in _MONTHS.items() for name in names.split()}
TIMEZONES: dict[str, int] = {"WIB": 7, "WITA": 8, "WIT": 9}

_DAY_RE = "|".join(re.escape(d) for d in _DAYS.split())
_DATE_RE = re.compile(
    rf"(?<![\w/])(?:(?:{_DAY_RE})\s*,?\s*)?"
    r"(?:(?P<d>\d{1,2})\s+(?P<mon>[A-Za-z]+)\.?\s+(?P<y>\d{4})"
    r"|(?P<nd>\d{1,2})/(?P<nm>\d{1,2})/(?P<ny>\d{4}))"
    r"\s*[,|/-]?\s*(?:pukul\s*)?(?P<h>\d{1,2})[:.](?P<min>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:\s*(?P<tz>WIB|WITA|WIT)\b)?",
    re.IGNORECASE,
)


def parse_published(line: str) -> tuple[str, str | None] | None:
    """An Indonesian or English date line as ISO 8601 (with offset when zoned) and its zone."""
    m = _DATE_RE.search(line) if len(line) <= DATE_LINE_MAX else None
    if not m:
        return None
    if m["d"]:
        month = MONTHS.get(m["mon"].lower())
        day, year = int(m["d"]), int(m["y"])
    else:
        month, day, year = int(m["nm"]), int(m["nd"]), int(m["ny"])
    if month is None:
        return None
    zone = m["tz"].upper() if m["tz"] else None
    tzinfo = timezone(timedelta(hours=TIMEZONES[zone]), zone) if zone else None
    try:
        when = datetime(
            year, month, day, int(m["h"]), int(m["min"]), int(m["s"] or 0), tzinfo=tzinfo
        )
    except ValueError:
        return None
    return when.isoformat(), zone


def match_dateline(line: str) -> tuple[Outlet, dict[str, str]] | None:
    """The outlet whose dateline opens this line, with its fields."""
    for outlet in OUTLETS:
        m = outlet.dateline.match(line)
        if m:
            fields = {k: " ".join(v.split()) for k, v in m.groupdict().items() if v}
            return outlet, fields
    return None


def _match_fields(line: str) -> dict[str, str] | None:
    for pattern in FIELD_LINES:
        m = pattern.match(line)
        if m:
            return {k: v.strip() for k, v in m.groupdict().items() if v and v.strip()}
    return None


def parse_header(text: str) -> tuple[str | None, dict[str, Any], str | None]:
    """Title, metadata fields and language found in the head (and byline tail) of a news text."""
    meta: dict[str, Any] = {}
    title: str | None = None
    language: str | None = None
    lines = text.split("\n")
    body = min(len(lines), HEADER_LINES)
    for i, line in enumerate(lines[:HEADER_LINES]):
        line = line.strip()
        if not line:
            continue
        published = None if "published" in meta else parse_published(line)
        fields = _match_fields(line)
        dateline = match_dateline(line)
        if published:
            meta["published"], zone = published
            if zone:
                meta["timezone"] = zone
        elif fields is not None:
            for key, value in fields.items():
                meta.setdefault(key, value)
        elif dateline:
            outlet, found = dateline
            meta.update(found)
            language = outlet.language
            body = i + 1
            break
        elif title is None:
            title = cap_title(line)
    # Some outlets (Kompas, Tempo) put the byline after the body.
    for line in lines[max(body, len(lines) - TAIL_LINES) :]:
        for key, value in (_match_fields(line.strip()) or {}).items():
            meta.setdefault(key, value)
    if language is None and meta.get("timezone") in TIMEZONES:
        language = "id"
    return title, meta, language


def looks_like_news(text: str) -> bool:
    """True when the head of the text has an outlet dateline, or a zoned date line and a byline."""
    head = [ln.strip() for ln in text.split("\n")[:HEADER_LINES]]
    if any(match_dateline(ln) for ln in head):
        return True
    dated = any(parse_published(ln) for ln in head if ln)
    return dated and any(_match_fields(ln) for ln in head if ln)


def read_news(
    source: SourceFile, options: ReadOptions = DEFAULT_READ_OPTIONS
) -> Iterator[ReadItem]:
    """A scraped news article: one document, header fields in metadata."""
    decoded, reports = decode_source(source)
    yield from reports
    if decoded is None:
        return
    text = normalise_newlines(decoded.text)
    title, fields, language = parse_header(text)
    metadata: dict[str, Any] = {"format": "news", **fields}
    yield Document(
        text=text,
        title=title or source.stem,
        source=source.name,
        metadata=metadata,
        language=language,
    )
