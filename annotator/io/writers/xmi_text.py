"""One document's XMI written directly, byte for byte what dkpro-cassis writes for its CAS.

cassis builds a feature structure a token and serializes it through generic, type-checked
code: 93 news articles took 24 s. The layout here is fixed (DocumentMetaData, Sentence, Token
and NamedEntity, ids in that order, UTF-16 offsets, attributes escaped as libxml2 escapes them),
so the file is formatted with a few joins and one %-format a type. ``xmi.document_cas`` keeps
the cassis construction; tests compare the two on the golden files and on random texts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate
from operator import add

from annotator.core.export_record import DocumentRecord
from annotator.core.tokenize import token_layout
from annotator.core.utf16 import astral_positions, to_utf16

# XML 1.0 cannot hold these characters at all, not even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NAMESPACES = (
    ("de.tudarmstadt.ukp.dkpro.core.api.metadata.type", "DocumentMetaData"),
    ("de.tudarmstadt.ukp.dkpro.core.api.segmentation.type", "Sentence"),
    ("de.tudarmstadt.ukp.dkpro.core.api.segmentation.type", "Token"),
    ("de.tudarmstadt.ukp.dkpro.core.api.ner.type", "NamedEntity"),
)
_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore"'
)


def xml_safe(text: str) -> tuple[str, int]:
    """``text`` with characters XML 1.0 cannot hold replaced by U+FFFD (offsets unchanged)."""
    return _NOT_XML.subn("\ufffd", text)


def attribute(value: str) -> str:
    """``value`` escaped for a double-quoted attribute, as libxml2 (lxml) serializes it."""
    if not _NEEDS_ESCAPE.search(value):
        return value
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
        .replace("\n", "&#10;")
        .replace("\t", "&#9;")
    )


_NEEDS_ESCAPE = re.compile('[&<>"\r\n\t]')


class _Members:
    """``"2 3 4 ... n-1"`` (the View's members) cut from one string made for the largest n so
    far: every file lists ~600 ids, and formatting them each time cost a tenth of the export."""

    def __init__(self) -> None:
        self.text = ""
        self.ends = [0, 0, 0]  # ends[n]: where the list of the ids 2 .. n-1 ends in ``text``

    def __call__(self, n: int) -> str:
        if n >= len(self.ends):  # rebuilt at twice the size, so a long run costs linear time
            size = max(2 * n, 4096)
            ids = list(map(str, range(2, size)))
            self.text = " ".join(ids)
            # each id adds its digits and a space; the last one's space is not in ``text``
            # the list up to the j-th id: the ids' digits and j spaces
            self.ends = [0, 0, 0, *map(add, accumulate(map(len, ids)), range(len(ids)))]
        return self.text[: self.ends[n]]


_members = _Members()


@lru_cache(maxsize=4096)  # labels repeat on every span
def _label_value(label: str) -> str:
    return attribute(xml_safe(label)[0])


def _elements(tag: str, first_id: int, begins: list[int], ends: list[int], extra: str) -> str:
    """``<tag xmi:id=.. sofa="1" begin=.. end=..[extra]/>`` for each pair: one %-format."""
    n = len(begins)
    if not n:
        return ""
    values: list[int] = [0] * (3 * n)
    values[0::3] = range(first_id, first_id + n)
    values[1::3] = begins
    values[2::3] = ends
    return (f'<{tag} xmi:id="%d" sofa="1" begin="%d" end="%d"{extra}/>' * n) % tuple(values)


def document_xmi(doc: DocumentRecord, name: str) -> tuple[bytes, int]:
    """The XMI file of one document, and how many characters had to be replaced for XML."""
    text, replaced = xml_safe(doc.text)
    layout = token_layout(text)
    spans = doc.spans
    # The XML namespace prefixes cassis gives: "type", then "type0", "type1", ... for each
    # package in the order its first element appears.
    used = [0] + ([1, 2] if layout.texts else []) + ([3] if spans else [])
    prefixes: dict[str, str] = {}
    for index in used:
        package = _NAMESPACES[index][0]
        if package not in prefixes:
            prefixes[package] = "type" if not prefixes else f"type{len(prefixes) - 1}"
    head = [_HEAD]
    for package, prefix in prefixes.items():
        url = "http:///" + package.replace(".", "/") + ".ecore"
        head.append(f' xmlns:{prefix}="{url}"')
    head.append(' xmi:version="2.0"><cas:NULL xmi:id="0"/>')

    def tag(index: int) -> str:
        package, type_name = _NAMESPACES[index]
        return f"{prefixes[package]}:{type_name}"

    astral = astral_positions(text)
    length = len(text) + len(astral)
    title = attribute(xml_safe(doc.title or name)[0])
    language = attribute(xml_safe(doc.language or "x-unspecified")[0])
    uid = attribute(xml_safe(doc.uid or name)[0])
    meta = (
        f'<{tag(0)} xmi:id="2" sofa="1" begin="0" end="{length}" language="{language}" '
        f'documentTitle="{title}" documentId="{uid}" isLastSegment="false"/>'
    )
    body = [meta]
    next_id = 3
    if layout.texts:
        token_ends = list(map(add, layout.starts, map(len, layout.texts)))
        firsts = [0, *(i + 1 for i in layout.sentence_ends[:-1])]
        sentence_begins = [layout.starts[i] for i in firsts]
        sentence_ends = [token_ends[i] for i in layout.sentence_ends]
        begins = to_utf16(astral, sentence_begins)
        body.append(_elements(tag(1), next_id, begins, to_utf16(astral, sentence_ends), ""))
        next_id += len(begins)
        begins = to_utf16(astral, layout.starts)
        body.append(_elements(tag(2), next_id, begins, to_utf16(astral, token_ends), ""))
        next_id += len(begins)
    for span in spans:
        value = _label_value(span.label)
        begin, end = to_utf16(astral, [span.start, span.end])
        body.append(
            f'<{tag(3)} xmi:id="{next_id}" sofa="1" begin="{begin}" end="{end}" value="{value}"/>'
        )
        next_id += 1
    members = _members(next_id)
    body.append(
        '<cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text" '
        f'sofaString="{attribute(text)}"/><cas:View sofa="1" members="{members}"/></xmi:XMI>'
    )
    head += body
    return "".join(head).encode("utf-8"), replaced
