"""The XMI export writes each file directly (io/writers/xmi_text.py): byte for byte what
dkpro-cassis serializes for the CAS ``xmi.document_cas`` builds, on random texts and spans."""

from __future__ import annotations

import random
from pathlib import Path

from annotator.core.export_record import record_of
from annotator.core.model import Document, Span
from annotator.io.writers.xmi import dkpro_typesystem, document_cas
from annotator.io.writers.xmi_text import _Members, document_xmi

PIECES = ["kata", "Jakarta", ".", '"', "”", "’", ")", "!", " ", " ", "\n", "\r\n", "\t", "&", "<"]
PIECES += [">", "'", "😀", "𝔘", "e\u0301", "\x01", "\ufffe", "\u2028", "\x85", "é", "1.5"]


def random_document(rng: random.Random, n: int) -> Document:
    text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40)))
    spans = []
    for _ in range(rng.randint(0, 5)):
        start = rng.randrange(len(text))
        end = rng.randint(start + 1, len(text))
        label = rng.choice(["LOC", "A&B", 'Q"X', "é\x02"])
        spans.append(Span(start, end, label, text[start:end]))
    return Document(
        text=text,
        title=rng.choice(["", 'Judul <1> & "2"', "😀\x03"]),
        uid=rng.choice([None, f"doc-{n}", "a&b"]),
        language=rng.choice([None, "id"]),
        spans=tuple(spans),
    )


def test_direct_xmi_is_what_cassis_writes(tmp_path: Path) -> None:
    rng = random.Random(11)
    ts = dkpro_typesystem()
    for n in range(300):
        doc = random_document(rng, n)
        # Store order (by start, longer first): the order both give the entities their ids in.
        doc = Document(
            text=doc.text,
            title=doc.title,
            uid=doc.uid,
            language=doc.language,
            spans=tuple(sorted(doc.spans, key=lambda s: (s.start, -s.end))),
        )
        cas, replaced = document_cas(doc, ts, f"name-{n}")
        cas.to_xmi(tmp_path / "cassis.xmi")
        data, direct_replaced = document_xmi(record_of(doc), f"name-{n}")
        assert data == (tmp_path / "cassis.xmi").read_bytes(), repr(doc.text)
        assert direct_replaced == replaced


def test_view_members_across_the_rebuilds_of_the_cached_list() -> None:
    members = _Members()
    for n in [2, 3, 12, 5000, 4, 9000, 8193, 20_001, 3]:
        assert members(n) == " ".join(map(str, range(2, n))), n
