"""The workspace: what one open database offers the CLI and the GUI.

Every mutation goes through here and returns a Change saying what changed.
"""

from __future__ import annotations

import gc
import getpass
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from annotator.core.errors import AnnotatorError, Problem, UsageError
from annotator.core.gcpause import gc_paused
from annotator.core.model import (
    Document,
    DocumentStatus,
    Label,
    Span,
    SpanBrief,
    SpanOrigin,
    Suggestion,
    SuggestionBrief,
)
from annotator.ingest import (
    ImportReport,
    document_problem,
    labels_used,
    pick_colour,
    with_fresh_uid,
    without_duplicate_spans,
)
from annotator.io.base import ExportOptions, ExportResult, Notice
from annotator.io.collect import collect, count_sources
from annotator.io.formats import EXPORT_FORMATS
from annotator.io.readers import read_source
from annotator.io.writers import WRITERS
from annotator.shipped_data import default_labels, extra_colours, seeds_dir
from annotator.store.documents import DocumentSummary, ExportFilter, text_hash
from annotator.store.engine import head_revision
from annotator.store.history import Replay
from annotator.store.search import SearchHit
from annotator.store.store import Store
from annotator.suggesting import SuggestionsMixin, short

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
IMPORT_BATCH = 500


@dataclass(frozen=True)
class Change:
    """What one action changed, so each screen can decide whether to refresh.

    For undo and redo, ``action`` is the step's description ("Accept PERSON ‘Putin’"), the
    first of ``document_ids`` is the document to show, ``span`` or ``suggestion`` the thing to
    select there (as it is now), and ``before`` a span the undo/redo removed.
    """

    action: str
    document_ids: tuple[int, ...] = ()
    span: Span | None = None
    before: Span | None = None
    labels_changed: bool = False
    documents_changed: bool = False
    rules_changed: bool = False
    count: int = 0
    suggestion: Suggestion | None = None
    # Other suggestions whose state the action changed, as they are now: pending ones an action
    # resolved because its span is exactly theirs (accepted), or ones an undo put back (pending).
    resolved: tuple[Suggestion, ...] = ()


class _RollBack(Exception):
    """Raised to undo a warm-up transaction."""


def default_annotator() -> str:
    return os.environ.get("ANNOTATOR_NAME") or getpass.getuser() or "analyst"


class Workspace(SuggestionsMixin):
    """One open database."""

    def __init__(self, store: Store, annotator: str | None = None) -> None:
        self.store = store
        self.annotator = annotator or default_annotator()

    @classmethod
    def open(
        cls,
        target: str | Path,
        *,
        seed: bool = False,
        annotator: str | None = None,
        upgrade: bool = True,
    ) -> Workspace:
        """Open (creating and migrating if needed); a new database gets the default labels and, with seed, the seeds."""
        workspace = cls(Store.open(target, upgrade=upgrade), annotator)
        counts = workspace.store.counts()
        if counts["labels"] == 0 and counts["changes"] == 0:
            for label in default_labels():
                workspace.store.labels.add(label, annotator=workspace.annotator)
            if seed:
                workspace.import_paths([seeds_dir()])
        workspace.ensure_default_rules()
        return workspace

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def location(self) -> str:
        return str(self.store.path or self.store.url)

    @property
    def notes(self) -> list[str]:
        """What opening did that the user should hear about (backups, upgrades)."""
        return list(self.store.notes)

    # -- documents ---------------------------------------------------------

    def documents(self) -> list[DocumentSummary]:
        return self.store.documents.summaries()

    def document_summary(self, doc_id: int) -> DocumentSummary:
        """One document's list line (title, status, counts), without reading its spans."""
        found = self.store.documents.summaries(doc_id)
        if not found:
            raise UsageError(f"no document with id {doc_id}")
        return found[0]

    def document_status(self, doc_id: int) -> DocumentStatus:
        """A document's status alone (one indexed read)."""
        return self.store.documents.status(doc_id)

    def resolve(self, ref: str | int) -> int:
        return self.store.documents.resolve(ref)

    def document(self, ref: str | int) -> Document:
        return self.store.documents.get(self.resolve(ref))

    def document_for_view(
        self, doc_id: int
    ) -> tuple[Document, list[SpanBrief], list[SuggestionBrief]]:
        """A document (without spans) and its spans and pending suggestions as light tuples, for the window."""
        document = self.store.documents.alone(doc_id)
        spans, pending = self.store.documents.annotations_brief(doc_id)
        return document, spans, pending

    def fresh_pending_ids(self, doc_id: int) -> list[int]:
        """The document's pending suggestions that are work (no span of their label overlaps them),
        in reading order: what "accept all" should accept."""
        return self.store.documents.fresh_pending_ids(doc_id)

    def warm_up(self, doc_id: int, suggestion_id: int | None = None) -> None:
        """Run a label and an accept (of ``suggestion_id``, a pending suggestion of the document, when
        given) on this document in a transaction that is rolled back.

        Nothing is stored; SQLAlchemy compiles the statements of these actions once per
        database, and doing it here keeps that out of the analyst's first key press.
        """
        labels = self.labels()
        text = self.store.documents.text(doc_id)
        if not labels or not text.strip():
            return
        start = len(text) - len(text.lstrip())
        try:
            with self.store.step("warm-up", annotator=self.annotator):
                self.add_span(doc_id, start, start + 1, labels[-1].name)
                if suggestion_id is not None:
                    self.accept(suggestion_id)
                raise _RollBack
        except (_RollBack, AnnotatorError):
            pass
        # The rollback emptied the store's caches: read the text again now, not on the first key.
        self.store.documents.text(doc_id)

    def set_status(self, doc_id: int, status: DocumentStatus | str) -> Change:
        status = DocumentStatus(status)
        with self.store.step(f"Mark document {doc_id} {status}", annotator=self.annotator) as step:
            step.description = f"Mark ‘{short(self.store.documents.title(doc_id))}’ {status}"
            self.store.documents.set_status(doc_id, status, annotator=self.annotator)
        return Change("status", (doc_id,), documents_changed=True)

    def search(self, query: str, limit: int = 200) -> list[SearchHit]:
        """Full-text search: documents with every word of ``query`` (case and accents ignored, the
        last word may be the start of one); hits are the whole phrase where it occurs, else each
        word; in import order, then text order; at most ``limit``. Bad queries find nothing."""
        return self.store.search.find(query, limit)

    # -- labels ------------------------------------------------------------

    def labels(self) -> list[Label]:
        return self.store.labels.all()

    def add_label(
        self,
        name: str,
        *,
        colour: str | None = None,
        hotkey: str | None = None,
        description: str = "",
    ) -> Change:
        name = name.strip()
        self._check_label_name(name)
        existing = self.labels()
        self._check_hotkey(hotkey, existing, name)
        colour = colour or pick_colour(extra_colours(), (l.colour for l in existing), len(existing))
        order = max((l.order for l in existing), default=-1) + 1
        self.store.labels.add(
            Label(name, colour, hotkey, description, order), annotator=self.annotator
        )
        return Change("add-label", labels_changed=True)

    def edit_label(self, label: str, /, **changes: object) -> Change:
        """Change a label's name, colour, hotkey, description or order."""
        changes = {key: value for key, value in changes.items() if value is not None}
        if not changes:
            raise UsageError(
                "nothing to change: give --name, --colour, --hotkey, --description or --order"
            )
        if "hotkey" in changes:
            self._check_hotkey(changes["hotkey"] or None, self.labels(), label)  # type: ignore[arg-type]
            changes["hotkey"] = changes["hotkey"] or None
        if "name" in changes:
            self._check_label_name(str(changes["name"]))
        self.store.labels.update(label, changes, annotator=self.annotator)
        return Change("edit-label", labels_changed=True)

    def delete_label(self, label: str) -> Change:
        """Remove a label from the schema; refused, with how many spans use it, while anything does."""
        self.store.labels.delete(label, annotator=self.annotator)
        return Change("delete-label", labels_changed=True)

    @staticmethod
    def _check_label_name(name: str) -> None:
        # brat and CoNLL cannot carry spaces in a label.
        if not name or any(ch.isspace() for ch in name):
            raise UsageError(f"label name {name!r}: use one word without spaces (e.g. EVENT)")

    @staticmethod
    def _check_hotkey(hotkey: str | None, labels: Sequence[Label], name: str) -> None:
        if hotkey is None:
            return
        if len(hotkey) != 1 or not hotkey.isalpha():
            raise UsageError(f"hotkey {hotkey!r}: use a single letter")
        for label in labels:
            if label.name != name and label.hotkey and label.hotkey.lower() == hotkey.lower():
                raise UsageError(f"hotkey {hotkey!r} is taken by label {label.name}")

    # -- spans -------------------------------------------------------------

    def add_span(
        self, doc_id: int, start: int, end: int, label: str, *, note: str | None = None
    ) -> Change:
        """A span made by hand; a pending suggestion exactly like it is accepted with it."""
        with self.store.step(f"Add {label}", annotator=self.annotator) as step:
            span = self.store.spans.add(
                doc_id, start, end, label, annotator=self.annotator, note=note
            )
            step.description = f"Add {label} ‘{short(span.text)}’"
            resolved = self._resolve_identical(doc_id, span)
            self._mark_in_progress(doc_id)
        return Change("add-span", (doc_id,), span=span, resolved=resolved)

    def update_span(self, span_id: int, **changes: object) -> Change:
        """Relabel or move a span; a pending suggestion it now equals is accepted with it."""
        with self.store.step("Edit span", annotator=self.annotator) as step:
            before, after = self.store.spans.update(span_id, annotator=self.annotator, **changes)
            step.description = f"Edit {before.label} ‘{short(before.text)}’"
            doc_id = self.store.spans.document_of(span_id)
            resolved = self._resolve_identical(doc_id, after)
        return Change("edit-span", (doc_id,), span=after, before=before, resolved=resolved)

    def _resolve_identical(self, doc_id: int, span: Span | None) -> tuple[Suggestion, ...]:
        if span is None:
            return ()
        return tuple(
            self.store.suggestions.accept_identical(
                doc_id, span.start, span.end, span.label, span.id, annotator=self.annotator
            )
        )

    def delete_span(self, span_id: int) -> Change:
        with self.store.step("Delete span", annotator=self.annotator) as step:
            span = self.store.spans.delete(span_id, annotator=self.annotator)
            step.description = f"Delete {span.label} ‘{short(span.text)}’"
        return Change("delete-span", before=span)

    # -- undo --------------------------------------------------------------

    def undo(self) -> Change | None:
        """Undo this annotator's latest action, in whatever document; None when there is none.

        Survives restarts (the history is in the database). Raises UsageError, changing
        nothing, when what the action did was changed since by someone else.
        """
        return self._replayed(self.store.history.undo(self.annotator))

    def redo(self) -> Change | None:
        """Redo the action undone last; None when there is none (a new action ends redo)."""
        return self._replayed(self.store.history.redo(self.annotator))

    def undo_description(self) -> str | None:
        """What undo would undo ("Accept PERSON ‘Putin’"), for the menu; None when nothing."""
        return self.store.history.description(self.annotator)

    def redo_description(self) -> str | None:
        return self.store.history.description(self.annotator, undone=True)

    @staticmethod
    def _replayed(replay: Replay | None) -> Change | None:
        if replay is None:
            return None
        return Change(
            replay.description,
            replay.document_ids,
            span=replay.span,
            before=replay.removed,
            suggestion=replay.suggestion,
            documents_changed=replay.documents_changed,
            rules_changed=replay.rules_changed,
            count=replay.count,
            resolved=tuple(s for s in replay.suggestions if s is not replay.suggestion),
        )

    def _mark_in_progress(self, doc_id: int) -> None:
        # The first annotation moves a new document to "in progress".
        if self.store.documents.status(doc_id) == DocumentStatus.NEW:
            self.store.documents.set_status(
                doc_id, DocumentStatus.IN_PROGRESS, annotator=self.annotator
            )

    # -- import ------------------------------------------------------------

    def import_paths(
        self,
        paths: Sequence[str | Path],
        *,
        fmt: str | None = None,
        allow_new_labels: bool = True,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> ImportReport:
        """Import files, folders and zips; bad input is reported and skipped, the rest goes on."""
        with gc_paused():
            return self._import(paths, fmt, allow_new_labels, progress, cancelled)

    def _import(
        self,
        paths: Sequence[str | Path],
        fmt: str | None,
        allow_new_labels: bool,
        progress: Progress | None,
        cancelled: Cancelled | None,
    ) -> ImportReport:
        report = ImportReport()
        total = count_sources(paths)
        known_labels = {label.name for label in self.labels()}
        batch: list[Document] = []
        batch_hashes: set[str] = set()
        batch_uids: set[str] = set()
        # Files are read one at a time: a folder of 10,000 articles never sits in memory at once.
        for done, source in enumerate(collect(paths), 1):
            if cancelled and cancelled():
                report.cancelled = True
                break
            if progress:
                progress(done, total)
            if isinstance(source, Problem):
                report.refused.append(source)
                continue
            if isinstance(source, Notice):
                report.notices.append(str(source))
                continue
            report.files += 1
            for item in read_source(source, fmt):
                if isinstance(item, Problem):
                    report.refused.append(item)
                elif isinstance(item, Notice):
                    report.notices.append(str(item))
                else:
                    doc = self._admit(item, report, known_labels, allow_new_labels, batch_hashes)
                    if doc is not None:
                        if doc.uid and doc.uid in batch_uids:
                            doc = with_fresh_uid(doc)
                        batch_uids.add(doc.uid or "")
                        batch.append(doc)
                if len(batch) >= IMPORT_BATCH:
                    self._store_batch(batch, report)
                    batch, batch_hashes, batch_uids = [], set(), set()
                    gc.collect(
                        0
                    )  # the collector is paused for the import; the young generation only
        self._store_batch(batch, report)
        return report

    def _admit(
        self,
        doc: Document,
        report: ImportReport,
        known_labels: set[str],
        allow_new_labels: bool,
        batch_hashes: set[str],
    ) -> Document | None:
        """The document ready to store, or None when refused or a duplicate (reported)."""
        problem = document_problem(doc)
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
                self.add_label(name)
            except UsageError as exc:
                report.refused.append(Problem(doc.source, str(exc)))
                return None
            known_labels.add(name)
            report.new_labels.append(name)
        doc, dropped = without_duplicate_spans(doc)
        if dropped:
            report.notices.append(f"{doc.source}: {dropped} duplicate span(s) dropped")
        batch_hashes.add(digest)
        return doc

    def _store_batch(self, batch: list[Document], report: ImportReport) -> None:
        if not batch:
            return
        known = self.store.documents.known_hashes(text_hash(doc.text) for doc in batch)
        fresh = [doc for doc in batch if text_hash(doc.text) not in known]
        report.duplicates += len(batch) - len(fresh)
        taken = self.store.documents.known_uids(doc.uid for doc in fresh if doc.uid)
        fresh = [with_fresh_uid(doc) if doc.uid in taken else doc for doc in fresh]
        ids = self.store.documents.insert(fresh, annotator=self.annotator)
        report.document_ids.extend(ids)
        report.imported += len(ids)
        report.spans += sum(len(doc.spans) for doc in fresh)

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
    ) -> ExportResult:
        """Write the (filtered) database in a format; the database is not changed."""
        out = Path(out).expanduser()
        if fmt == "sqlite":
            path = self.store.backup(out)
            return ExportResult(
                path=path,
                documents=self.store.counts()["documents"],
                spans=self.store.counts()["spans"],
            )
        if fmt not in WRITERS:
            raise UsageError(
                f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}"
            )
        wanted = self._export_filter(statuses, labels, annotators, include_suggestions, origins)
        total = self.store.documents.count(wanted.statuses)
        documents: Iterator[Document] = self.store.documents.iterate(wanted)
        if progress:
            documents = _counting(documents, total, progress)
        with gc_paused():
            return WRITERS[fmt](
                documents,
                self.labels(),
                out,
                ExportOptions(include_suggestions=include_suggestions),
            )

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
        known = {label.name for label in self.labels()}
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

    # -- whole database ----------------------------------------------------

    def backup(self, target: str | Path) -> Path:
        return self.store.backup(Path(target))

    def stats(self) -> dict[str, object]:
        return {"database": self.location, **self.store.counts(), "by": self.store.grouped_counts()}


def _counting(documents: Iterator[Document], total: int, progress: Progress) -> Iterator[Document]:
    for done, doc in enumerate(documents, 1):
        yield doc
        progress(done, total)


def schema_revision() -> str:
    """The schema revision this program writes."""
    return head_revision()
