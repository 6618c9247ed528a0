"""UIMA CAS XMI (INCEpTION's export, and ours) and UIMA CAS JSON, read with dkpro-cassis.

What becomes a span (everything else is skipped, and named in a Notice unless it is
plain structure such as tokens, sentences or document metadata):

- DKPro Core ``NamedEntity`` and its subtypes: the label is the ``value`` feature, or the
  type's short name when ``value`` is empty (e.g. ``Person`` for a DKPro ``Person`` subtype);
- INCEpTION custom span layers (``webanno.custom.*`` annotation types that are neither
  relations (``Governor``/``Dependent``) nor chain links (``next``)): the label is the
  layer's label feature (``value``, else ``label``, else its first string feature), or
  the short type name (e.g. ``MyLayer``) when that is empty or the layer has no string
  feature. Their other non-empty primitive features go into the span's attributes, with
  ``layer`` = the full type name.

An XMI needs its type system: collect attaches the ``TypeSystem.xml`` beside it as the
companion ``.typesystem``. Without one, the XMI is loaded against UIMA's built-in types
only; an XMI that uses any other type is refused (cassis's lenient mode would drop
exactly the annotations we want, silently). UIMA JSON carries its own types.

Offsets: XMI and JSON count UTF-16 code units; cassis maps them to code points. An
offset it cannot map (out of range, or inside a surrogate pair) and zero-width or
out-of-range annotations are skipped with a Notice; the document is still imported.
The text is the sofa string exactly (CRLF kept).
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from typing import TYPE_CHECKING, Any

from annotator.core.errors import Problem
from annotator.core.model import Document, Span
from annotator.io.base import DEFAULT_READ_OPTIONS, Notice, ReadItem, ReadOptions, SourceFile
from annotator.io.readers.records import dedupe

if TYPE_CHECKING:  # cassis costs the CLI's start-up: imported on first use
    from cassis import Cas, TypeSystem  # type: ignore[import-untyped]  # ships no type hints

TYPESYSTEM = ".typesystem"  # the companion key collect uses
ANNOTATION = "uima.tcas.Annotation"
NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
CUSTOM_PREFIX = "webanno.custom."
_LABEL_FEATURES = ("value", "label")
_STRING = "uima.cas.String"
_PRIMITIVE_ATTRIBUTES = (
    _STRING,
    "uima.cas.Boolean",
    "uima.cas.Integer",
    "uima.cas.Long",
    "uima.cas.Float",
    "uima.cas.Double",
    "uima.cas.Short",
    "uima.cas.Byte",
)
_BUILT_IN_FEATURES = frozenset({"sofa", "begin", "end"})
# Structure every CAS has: skipped without a word.
_QUIET = frozenset(
    {
        "uima.tcas.DocumentAnnotation",
        METADATA,
        "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.TagsetDescription",
        "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence",
        "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token",
    }
)
_UNMAPPED = re.compile(r"Not mapping external offset \[(-?\d+)\]")
_TYPE_NOT_FOUND = re.compile(r"Type with name \[([^\]]*)\] not found")
_UID_MAX = 64  # the store's uid column
_XMI_NAMESPACE = b"http://www.omg.org/XMI"
_HEAD_BYTES = 65536


@dataclass(frozen=True)
class _Layer:
    """How annotations of one type become spans (or that they do not)."""

    label_feature: str | None
    attribute_features: tuple[str, ...] = ()
    layer: str | None = None  # recorded in attributes


def read_xmi(source: SourceFile, options: ReadOptions = DEFAULT_READ_OPTIONS) -> Iterator[ReadItem]:
    """One document from a UIMA CAS XMI file, with its type system companion when there is one."""
    from cassis import TypeSystem, load_cas_from_xmi

    if _XMI_NAMESPACE not in source.data[:_HEAD_BYTES]:
        yield Problem(
            source.name,
            "not a readable UIMA CAS XMI file: it does not declare the XMI "
            "namespace (http://www.omg.org/XMI) on its root element",
        )
        return
    ts_bytes = source.companions.get(TYPESYSTEM)
    if ts_bytes is not None:
        try:
            typesystem = _typesystem(ts_bytes)
        except Exception as exc:  # noqa: BLE001 - any parse failure is the file's fault
            yield Problem(source.name, f"UIMA XMI: its type system cannot be read: {_reason(exc)}")
            return
    else:
        typesystem = TypeSystem()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            cas = load_cas_from_xmi(BytesIO(source.data), typesystem=typesystem)
        except Exception as exc:  # noqa: BLE001 - lxml, cassis and int() errors alike
            yield Problem(source.name, _load_problem(exc, ts_bytes is not None))
            return
    yield from _document(source, cas, _unmapped(caught), "xmi", _xmi_offsets)


def read_uima_json(
    source: SourceFile, options: ReadOptions = DEFAULT_READ_OPTIONS
) -> Iterator[ReadItem]:
    """One document from a UIMA CAS JSON file (its types travel inside it)."""
    from cassis import load_cas_from_json

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            cas = load_cas_from_json(BytesIO(source.data))
        except Exception as exc:  # noqa: BLE001 - json, cassis and int() errors alike
            yield Problem(source.name, f"not a readable UIMA CAS JSON file: {_reason(exc)}")
            return
    yield from _document(source, cas, _unmapped(caught), "uima-json", _json_offsets)


def looks_like_uima_json(head: str) -> bool:
    """Whether the start of a .json file is a UIMA CAS JSON document."""
    return head.lstrip().startswith("{") and ('"%FEATURE_STRUCTURES"' in head or '"%TYPES"' in head)


def looks_like_xmi(head: str) -> bool:
    """Whether the start of an XML file is a UIMA CAS XMI document."""
    return "http://www.omg.org/XMI" in head and "uima/cas.ecore" in head


@lru_cache(maxsize=4)
def _typesystem(data: bytes) -> TypeSystem:
    # A folder of XMI files shares one TypeSystem.xml: parse it once. Loading a CAS does
    # not change the type system, so sharing it is safe.
    from cassis import load_typesystem

    return load_typesystem(BytesIO(data))


def _load_problem(exc: Exception, has_typesystem: bool) -> str:
    missing = _TYPE_NOT_FOUND.search(str(exc))
    if missing and not missing.group(1):
        return "not a readable UIMA CAS XMI file: it has an element outside any UIMA type namespace"
    if missing and not has_typesystem:
        return (
            f"UIMA XMI: needs its TypeSystem.xml beside it (it uses the type {missing.group(1)}, "
            "which is not built into UIMA)"
        )
    if missing:
        return f"UIMA XMI: the type {missing.group(1)} is not in its type system"
    return f"not a readable UIMA CAS XMI file: {_reason(exc)}"


def _reason(exc: Exception) -> str:
    message = str(exc).strip() or type(exc).__name__
    return message if len(message) <= 300 else message[:300] + "…"


def _unmapped(caught: list[warnings.WarningMessage]) -> set[int]:
    """The XMI offsets cassis could not map to code points (it keeps them unmapped)."""
    found = (_UNMAPPED.search(str(w.message)) for w in caught)
    return {int(m.group(1)) for m in found if m}


def _xmi_offsets(data: bytes) -> dict[int, tuple[Any, Any]]:
    """The offsets as written in the XMI, by xmi:id (read again only when some did not map)."""
    from lxml import etree  # type: ignore[import-untyped]  # lxml-stubs not a dependency

    found: dict[int, tuple[Any, Any]] = {}
    for _, elem in etree.iterparse(
        BytesIO(data), events=("end",), resolve_entities=False, no_network=True
    ):
        xmi_id = elem.get("{http://www.omg.org/XMI}id")
        if xmi_id is not None and xmi_id.isdigit() and elem.get("begin") is not None:
            found[int(xmi_id)] = (_int_or_none(elem.get("begin")), _int_or_none(elem.get("end")))
        elem.clear()
    return found


def _json_offsets(data: bytes) -> dict[int, tuple[Any, Any]]:
    """The offsets as written in the JSON, by %ID (read again only when some did not map)."""
    import json

    structures = json.loads(data).get("%FEATURE_STRUCTURES") or []
    return {
        fs["%ID"]: (fs.get("begin"), fs.get("end"))
        for fs in structures
        if isinstance(fs, dict) and isinstance(fs.get("%ID"), int) and "begin" in fs
    }


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _document(
    source: SourceFile,
    cas: Cas,
    unmapped: set[int],
    fmt: str,
    raw_offsets: Callable[[bytes], dict[int, tuple[Any, Any]]],
) -> Iterator[ReadItem]:
    text = cas.sofa_string
    if not isinstance(text, str) or not text:
        yield Problem(source.name, f"{_what(fmt)}: the document has no text (its sofa is empty)")
        return
    ts = cas.typesystem
    layers: dict[str, _Layer | None] = {}
    skipped: Counter[str] = Counter()
    bad: list[str] = []
    spans: list[Span] = []
    # cassis keeps an offset it cannot map as it was written; find those by the file's ids.
    raw = raw_offsets(source.data) if unmapped else {}
    for fs in cas.select(ANNOTATION):
        name = fs.type.name
        if name not in layers:
            layers[name] = _layer(ts, fs.type)
        layer = layers[name]
        if layer is None:
            if name not in _QUIET:
                skipped[fs.type.short_name] += 1
            continue
        start, end = fs.begin, fs.end
        label = _label(fs, layer)
        written = raw.get(fs.xmiID)
        if written is not None and (written[0] in unmapped or written[1] in unmapped):
            bad.append(
                f"{label} at UTF-16 offsets [{written[0]}, {written[1]}): "
                "not on a character of the text"
            )
        elif not (isinstance(start, int) and isinstance(end, int)) or start < 0 or end > len(text):
            bad.append(
                f"{label} [{start}, {end}): out of range for a text of {len(text)} characters"
            )
        elif start >= end:
            bad.append(f"{label} [{start}, {end}): zero-width")
        else:
            spans.append(
                Span(start, end, label, text[start:end], attributes=_attributes(fs, layer))
            )
    if skipped:
        what = ", ".join(f"{name} {n}" for name, n in sorted(skipped.items()))
        yield Notice(source.name, f"{_what(fmt)}: skipped annotations of other layers ({what})")
    if bad:
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        yield Notice(
            source.name,
            f"{_what(fmt)}: skipped {len(bad)} annotation(s): {'; '.join(bad[:5])}{more}",
        )
    notes: list[str] = []
    spans = dedupe(sorted(spans, key=lambda s: (s.start, -s.end, s.label)), notes)
    for note in notes:
        yield Notice(source.name, f"{_what(fmt)}: {note}")
    title, uid, language, metadata = _metadata(cas, source.stem)
    metadata["format"] = fmt
    yield Document(
        text=text,
        title=title,
        source=source.name,
        metadata=metadata,
        language=language,
        spans=tuple(spans),
        uid=uid,
    )


def _what(fmt: str) -> str:
    return "UIMA XMI" if fmt == "xmi" else "UIMA JSON"


def _layer(ts: TypeSystem, t: Any) -> _Layer | None:
    """How annotations of type ``t`` become spans, or None when they do not."""
    features = {f.name: f for f in t.all_features if f.name not in _BUILT_IN_FEATURES}
    if ts.contains_type(NAMED_ENTITY, match_exactly=True) and ts.is_instance_of(t, NAMED_ENTITY):
        attributes = tuple(n for n, f in features.items() if n != "value" and _primitive(ts, f))
        return _Layer("value", attributes, None if t.name == NAMED_ENTITY else t.name)
    if not t.name.startswith(CUSTOM_PREFIX):
        return None
    if {"Governor", "Dependent"} <= features.keys() or "next" in features:
        return None  # a relation or a chain link, not a span
    strings = [n for n, f in features.items() if ts.is_instance_of(f.rangeType, _STRING)]
    label_feature = next(
        (n for n in _LABEL_FEATURES if n in strings), strings[0] if strings else None
    )
    attributes = tuple(n for n, f in features.items() if n != label_feature and _primitive(ts, f))
    return _Layer(label_feature, attributes, t.name)


def _primitive(ts: TypeSystem, feature: Any) -> bool:
    return any(ts.is_instance_of(feature.rangeType, p) for p in _PRIMITIVE_ATTRIBUTES)


def _label(fs: Any, layer: _Layer) -> str:
    value = fs.get(layer.label_feature) if layer.label_feature else None
    if isinstance(value, str) and value.strip():
        return value.strip()
    return str(fs.type.short_name)


def _attributes(fs: Any, layer: _Layer) -> dict[str, Any]:
    attributes: dict[str, Any] = {}
    for name in layer.attribute_features:
        value = fs.get(name)
        if value is not None and value != "":
            attributes[name] = value
    if layer.layer and attributes.get("layer") is None:
        attributes["layer"] = layer.layer
    return attributes


def _metadata(cas: Cas, stem: str) -> tuple[str, str | None, str | None, dict[str, Any]]:
    """Title, uid, language and metadata from DKPro's DocumentMetaData (or UIMA's
    DocumentAnnotation)."""
    ts = cas.typesystem
    metadata: dict[str, Any] = {}
    title, uid, language = stem, None, None
    meta = None
    for name in (METADATA, "uima.tcas.DocumentAnnotation"):
        if ts.contains_type(name, match_exactly=True):
            found = cas.select(name)
            if found:
                meta = found[0]
                break
    if meta is not None:
        features = {f.name for f in meta.type.all_features}
        get = meta.get
        if (
            "documentTitle" in features
            and isinstance(get("documentTitle"), str)
            and get("documentTitle").strip()
        ):
            title = get("documentTitle")
        document_id = get("documentId") if "documentId" in features else None
        if isinstance(document_id, str) and document_id:
            metadata["document_id"] = document_id
            uid = document_id if len(document_id) <= _UID_MAX else None
        document_uri = get("documentUri") if "documentUri" in features else None
        if isinstance(document_uri, str) and document_uri:
            metadata["document_uri"] = document_uri
        lang = get("language") if "language" in features else None
        if isinstance(lang, str) and lang and lang != "x-unspecified":
            language = lang
    return title, uid, language, metadata
