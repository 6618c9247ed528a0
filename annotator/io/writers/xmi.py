"""UIMA CAS XMI export for INCEpTION: a folder of ``<name>.xmi`` plus one ``TypeSystem.xml``.

The types are DKPro Core's, which INCEpTION knows: DocumentMetaData (title, id, language),
Sentence and Token (from our tokenizer) and NamedEntity (``value`` = the label).
Notes, attributes and provenance have no place in these types and are left out (jsonl
keeps them). Offsets in XMI count UTF-16 units, ours code points. Each file is written
directly (``xmi_text.document_xmi``): the bytes dkpro-cassis writes for the CAS that
``document_cas`` builds, at a tenth of the time; cassis writes the TypeSystem.xml.
The output is always a folder, even for one document, so the type system travels with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.export_record import DocumentRecord
from annotator.core.model import Document, Label
from annotator.core.tokenize import sentences, tokenize
from annotator.io.atomic import atomic_dir, only_files_with_suffixes
from annotator.io.base import ExportOptions, ExportResult
from annotator.io.writers._common import DocumentNames, suggestions_ignored, writer_of_documents
from annotator.io.writers.xmi_text import document_xmi, xml_safe

if TYPE_CHECKING:  # cassis is imported on first use: it costs the CLI's start-up otherwise
    from cassis import Cas, TypeSystem  # type: ignore[import-untyped]  # ships no type hints

TYPESYSTEM_FILE = "TypeSystem.xml"
METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
SENTENCE = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence"
TOKEN = "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token"
NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
_STRING = "uima.cas.String"


def dkpro_typesystem() -> TypeSystem:
    """The DKPro Core types we write, with the features INCEpTION's own files declare for them."""
    from cassis import TypeSystem

    ts = TypeSystem()
    meta = ts.create_type(METADATA, supertypeName="uima.tcas.DocumentAnnotation")
    for name in ("documentTitle", "documentId", "documentUri", "collectionId", "documentBaseUri"):
        ts.create_feature(meta, name, _STRING)
    ts.create_feature(meta, "isLastSegment", "uima.cas.Boolean")
    ts.create_feature(ts.create_type(SENTENCE), "id", _STRING)
    ts.create_feature(ts.create_type(TOKEN), "id", _STRING)
    entity = ts.create_type(NAMED_ENTITY)
    ts.create_feature(entity, "value", _STRING)
    ts.create_feature(entity, "identifier", _STRING)
    return ts


def document_cas(doc: Document, ts: TypeSystem, name: str) -> tuple[Cas, int]:
    """The CAS of one document, and how many characters had to be replaced for XML (built
    with dkpro-cassis: what the export writes directly, in ``document_xmi``, must equal it)."""
    from cassis import Cas

    text, replaced = xml_safe(doc.text)
    title, _ = xml_safe(doc.title or name)
    cas = Cas(typesystem=ts)
    cas.sofa_string = text
    cas.sofa_mime = "text"
    meta_type, sentence_type, token_type, entity_type = (
        ts.get_type(n) for n in (METADATA, SENTENCE, TOKEN, NAMED_ENTITY)
    )
    cas.add(
        meta_type(
            begin=0,
            end=len(text),
            language=doc.language or "x-unspecified",
            documentTitle=title,
            documentId=xml_safe(doc.uid or name)[0],
            isLastSegment=False,
        )
    )
    tokens = tokenize(text)
    annotations = [sentence_type(begin=s[0].start, end=s[-1].end) for s in sentences(text, tokens)]
    annotations += [token_type(begin=t.start, end=t.end) for t in tokens]
    annotations += [
        entity_type(begin=s.start, end=s.end, value=xml_safe(s.label)[0]) for s in doc.spans
    ]
    cas.add_all(annotations)
    return cas, replaced


def write_records(
    documents: Iterable[DocumentRecord],
    labels: Sequence[Label],
    out: Path,
    options: ExportOptions,
) -> ExportResult:
    """Write document records as XMI files plus TypeSystem.xml into the folder ``out``."""
    result = ExportResult(path=Path(out), warnings=suggestions_ignored("xmi", options))
    names = DocumentNames()
    replaced = 0
    with atomic_dir(Path(out), only_files_with_suffixes(".xmi", ".xml")) as folder:
        for index, doc in enumerate(documents, start=1):
            name = names.stem(doc, index)
            data, bad = document_xmi(doc, name)
            with open(folder / f"{name}.xmi", "wb") as handle:
                handle.write(data)
            replaced += bad
            result.documents += 1
            result.spans += len(doc.spans)
        dkpro_typesystem().to_xml(folder / TYPESYSTEM_FILE)
    if replaced:
        result.warnings.append(
            f"{replaced} characters that XML 1.0 cannot hold were written as U+FFFD in XMI"
        )
    return result


write = writer_of_documents(write_records)
