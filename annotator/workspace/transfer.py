"""Documents in and out: import files, folders and zips; export in the formats other tools read."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

from annotator.core.errors import Problem, UsageError
from annotator.core.formats import EXPORT_FORMATS
from annotator.core.gcpause import gc_paused
from annotator.core.import_limits import ImportLimits, megabytes
from annotator.core.model import MAIN_LAYER, Document, DocumentStatus, SpanOrigin
from annotator.ingest import (
    ImportReport,
    document_problem,
    labels_used,
    with_fresh_uid,
    without_duplicate_spans,
)
from annotator.io.base import DEFAULT_READ_OPTIONS, ExportOptions, ExportResult, Notice, ReadOptions
from annotator.io.collect import collect, count_sources
from annotator.io.readers import read_source, reads_checked
from annotator.io.writers import RECORD_WRITERS, WRITERS
from annotator.store.document_import import BulkWriter
from annotator.store.documents import ExportFilter, text_hash
from annotator.workspace.actor import Actor
from annotator.workspace.label_mapping import LabelMapper
from annotator.workspace.labels import LabelBook

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
IMPORT_BATCH = 250
T = TypeVar("T")


class Transfer:
    def __init__(self, actor: Actor, labels: LabelBook) -> None:
        self._actor = actor
        self._labels = labels

    # -- import ------------------------------------------------------------

    def import_paths(
        self,
        paths: Sequence[str | Path],
        *,
        fmt: str | None = None,
        allow_new_labels: bool = True,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
        options: ReadOptions = DEFAULT_READ_OPTIONS,
        label_map: Mapping[str, str] | None = None,
        keep_labels: bool = False,
    ) -> ImportReport:
        """Import files, folders and zips; bad input is reported and skipped, the rest goes on.

        Incoming labels are mapped before anything is stored: ``label_map`` first, then (unless
        ``keep_labels``) case variants of an existing label onto it (label_mapping.LabelMapper).
        """
        existing = (label.name for label in self._labels.labels())
        mapper = LabelMapper(existing, label_map, case_variants=not keep_labels)
        with gc_paused():
            report = self._import(
                paths, fmt, allow_new_labels, progress, cancelled, options, mapper
            )
        report.label_mappings = list(mapper.notes)
        return report

    def _import(
        self,
        paths: Sequence[str | Path],
        fmt: str | None,
        allow_new_labels: bool,
        progress: Progress | None,
        cancelled: Cancelled | None,
        options: ReadOptions,
        mapper: LabelMapper,
    ) -> ImportReport:
        report = ImportReport()
        # One transaction per chunk of documents, committed every half second or so: a window on
        # the same file waits that long at most; an interruption keeps the committed chunks.
        with self._actor.store.documents.bulk_writer(annotator=self._actor.annotator) as writer:
            self._read_and_store(
                paths, fmt, allow_new_labels, progress, cancelled, report, writer, options, mapper
            )
        report.document_ids = list(writer.stored)
        report.imported = len(writer.stored)
        report.spans = writer.stored_spans
        return report

    def _read_and_store(
        self,
        paths: Sequence[str | Path],
        fmt: str | None,
        allow_new_labels: bool,
        progress: Progress | None,
        cancelled: Cancelled | None,
        report: ImportReport,
        writer: BulkWriter,
        options: ReadOptions,
        mapper: LabelMapper,
    ) -> None:
        limits = options.limits
        total = count_sources(paths, limits)
        known_labels = {label.name for label in self._labels.labels()}
        batch: list[Document] = []
        digests: list[str] = []  # each batch document's text hash, computed once
        batch_hashes: set[str] = set()
        batch_uids: set[str] = set()
        # Files are read one at a time: a folder of 10,000 articles never sits in memory at once.
        for done, source in enumerate(collect(paths, limits), 1):
            if cancelled and cancelled():
                report.cancelled = True
                break
            if progress:
                progress(done, total)
            report.entries += 1
            if isinstance(source, Problem):
                report.refused.append(source)
                report.entries_refused += 1
                continue
            if isinstance(source, Notice):
                report.notices.append(str(source))
                report.entries_passed_over += 1
                continue
            report.files += 1
            checked = reads_checked(source, fmt)
            for item in read_source(source, fmt, options):
                if isinstance(item, Problem):
                    report.refused.append(item)
                elif isinstance(item, Notice):
                    report.notices.append(str(item))
                elif len(item.text) > limits.document_chars:
                    report.refused.append(Problem(item.source, too_long(item, limits)))
                else:
                    item, relabelled = mapper.apply(item)
                    admitted = self._admit(
                        item,
                        report,
                        known_labels,
                        allow_new_labels,
                        batch_hashes,
                        checked and not relabelled,
                    )
                    if admitted is not None:
                        doc, digest = admitted
                        if doc.uid and doc.uid in batch_uids:
                            doc = with_fresh_uid(doc)
                        batch_uids.add(doc.uid or "")
                        batch.append(doc)
                        digests.append(digest)
                if len(batch) >= IMPORT_BATCH:
                    self._store_batch(batch, digests, report, writer)
                    batch, digests, batch_hashes, batch_uids = [], [], set(), set()
                    # The collector is paused for the import; the young generation only.
                    gc.collect(0)
        self._store_batch(batch, digests, report, writer)

    def _admit(
        self,
        doc: Document,
        report: ImportReport,
        known_labels: set[str],
        allow_new_labels: bool,
        batch_hashes: set[str],
        checked: bool = False,
    ) -> tuple[Document, str] | None:
        """The document ready to store and its text hash, or None when refused or a duplicate
        (reported). A ``checked`` document's spans were checked by its reader (reads_checked)."""
        problem = None if checked else document_problem(doc)
        if problem:
            report.refused.append(Problem(doc.source, problem))
            return None
        digest = text_hash(doc.text)
        if digest in batch_hashes:
            report.duplicates += 1
            return None
        unknown = sorted(labels_used(doc) - known_labels)
        if unknown and not allow_new_labels:
            report.refused.append(
                Problem(doc.source, f"unknown label(s) {', '.join(unknown)} (--no-new-labels)")
            )
            return None
        for name in unknown:
            try:
                self._actor.store.labels.add(
                    self._labels.new_label(name), annotator=self._actor.annotator
                )
            except UsageError as exc:
                report.refused.append(Problem(doc.source, str(exc)))
                return None
            known_labels.add(name)
            report.new_labels.append(name)
        dropped = 0
        if not checked or doc.suggestions:
            doc, dropped = without_duplicate_spans(doc)
        if dropped:
            report.notices.append(f"{doc.source}: {dropped} duplicate span(s) dropped")
        batch_hashes.add(digest)
        return doc, digest

    def _store_batch(
        self, batch: list[Document], digests: list[str], report: ImportReport, writer: BulkWriter
    ) -> None:
        if not batch:
            return
        known = self._actor.store.documents.known_hashes(digests)
        kept = [
            (doc, digest) for doc, digest in zip(batch, digests, strict=True) if digest not in known
        ]
        report.duplicates += len(batch) - len(kept)
        taken = self._actor.store.documents.known_uids(doc.uid for doc, _ in kept if doc.uid)
        fresh = [with_fresh_uid(doc) if doc.uid in taken else doc for doc, _ in kept]
        writer.add(fresh, [digest for _, digest in kept])

    # -- export ------------------------------------------------------------

    def export(
        self,
        fmt: str,
        out: str | Path,
        *,
        statuses: Iterable[str] = (),
        labels: Iterable[str] = (),
        annotators: Iterable[str] = (),
        include_suggestions: bool = False,
        progress: Progress | None = None,
        origins: Iterable[str] = (),
        scheme: str = "iob2",
        conllu_key: str = "NE",
        layer: int = MAIN_LAYER,
    ) -> ExportResult:
        """Write the (filtered) database in a format; the database is not changed. ``layer``:
        whose spans (the main layer, or the id of the annotator whose own layer it is)."""
        out = Path(out).expanduser()
        if fmt == "sqlite":
            path = self._actor.store.copy_to_sqlite(out)
            return ExportResult(
                path=path,
                documents=self._actor.store.counts()["documents"],
                spans=self._actor.store.counts()["spans"],
            )
        if fmt not in WRITERS:
            raise UsageError(
                f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}"
            )
        wanted = self._export_filter(statuses, labels, annotators, include_suggestions, origins)
        wanted = replace(wanted, layer=layer)
        total = self._actor.store.documents.count(wanted.statuses)
        options = ExportOptions(
            include_suggestions=include_suggestions, scheme=scheme, conllu_key=conllu_key
        )
        with gc_paused():
            if fmt in RECORD_WRITERS:
                # The bulk path: plain records from the rows, no Document or Span built.
                records = self._actor.store.documents.records(wanted)
                if progress:
                    records = _counting(records, total, progress)
                return RECORD_WRITERS[fmt](records, self._labels.labels(), out, options)
            documents = self._actor.store.documents.iterate(wanted)
            if progress:
                documents = _counting(documents, total, progress)
            return WRITERS[fmt](documents, self._labels.labels(), out, options)

    def _export_filter(
        self,
        statuses: Iterable[str],
        labels: Iterable[str],
        annotators: Iterable[str],
        include_suggestions: bool,
        origins: Iterable[str] = (),
    ) -> ExportFilter:
        statuses, labels, annotators = tuple(statuses), tuple(labels), tuple(annotators)
        valid_statuses = {str(s) for s in DocumentStatus}
        for status in statuses:
            if status not in valid_statuses:
                raise UsageError(
                    f"unknown status {status!r}; choose from {', '.join(sorted(valid_statuses))}"
                )
        known = {label.name for label in self._labels.labels()}
        for label in labels:
            if label not in known:
                raise UsageError(
                    f"unknown label {label!r}; the labels are {', '.join(sorted(known))}"
                )
        origins = tuple(origins)
        valid_origins = {str(o) for o in SpanOrigin}
        for origin in origins:
            if origin not in valid_origins:
                raise UsageError(
                    f"unknown origin {origin!r}; choose from {', '.join(sorted(valid_origins))}"
                )
        return ExportFilter(statuses, labels, annotators, include_suggestions, origins)


def _counting(documents: Iterator[T], total: int, progress: Progress) -> Iterator[T]:
    for done, doc in enumerate(documents, 1):
        yield doc
        progress(done, total)


def too_long(doc: Document, limits: ImportLimits) -> str:
    """The refusal of a document whose text is over the limit."""
    return (
        f"the document holds {megabytes(len(doc.text))} of text, more than a document may "
        f"({limits.max_document_mb:g} MB); --max-doc-mb raises the limit"
    )
