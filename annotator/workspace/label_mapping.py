"""Incoming labels onto the database's: ``--map PER=PERSON`` and, unless the user keeps the labels
as they come, case variants of an existing label (``Person`` onto ``PERSON``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from annotator.core.errors import Problem, UsageError
from annotator.core.model import Document
from annotator.io.base import DEFAULT_READ_OPTIONS, Notice, ReadOptions
from annotator.io.collect import collect
from annotator.io.readers import read_source
from annotator.workspace.labels import check_name


class LabelMapper:
    """What each incoming label becomes; one instance for one import.

    Case variants map only onto labels that existed before the import: a file's ``Person`` and
    another's ``PERSON``, both new, stay two labels whatever order the files come in.
    """

    def __init__(
        self,
        existing: Iterable[str],
        label_map: Mapping[str, str] | None = None,
        *,
        case_variants: bool = True,
    ) -> None:
        self._explicit = dict(label_map or {})
        for source, target in self._explicit.items():
            for name in (source, target):
                try:
                    check_name(name)
                except UsageError as exc:
                    raise UsageError(f"--map {source}={target}: {exc}") from None
        existing = list(existing)
        self._existing = set(existing)
        folded: dict[str, list[str]] = {}
        for name in existing:
            folded.setdefault(name.casefold(), []).append(name)
        # A case variant of two existing labels (PERSON and Person both exist) is left as it is.
        self._by_case = (
            {key: names[0] for key, names in folded.items() if len(names) == 1}
            if case_variants
            else {}
        )
        self._resolved: dict[str, str] = {}
        self.notes: list[str] = []  # "mapped Person -> PERSON (case)", once a label

    def target(self, label: str) -> str:
        """The label an incoming ``label`` is stored under."""
        found = self._resolved.get(label)
        if found is not None:
            return found
        if label in self._explicit:
            found = self._explicit[label]
            if found != label:
                self.notes.append(f"mapped {label} -> {found} (--map)")
        elif label not in self._existing and label.casefold() in self._by_case:
            found = self._by_case[label.casefold()]
            self.notes.append(f"mapped {label} -> {found} (case)")
        else:
            found = label
        self._resolved[label] = found
        return found

    def apply(self, doc: Document) -> tuple[Document, bool]:
        """The document with its spans' and suggestions' labels mapped; whether any changed."""
        if not self._explicit and not self._by_case:
            return doc, False
        spans = tuple(
            s if self.target(s.label) == s.label else replace(s, label=self.target(s.label))
            for s in doc.spans
        )
        suggestions = tuple(
            s if self.target(s.label) == s.label else replace(s, label=self.target(s.label))
            for s in doc.suggestions
        )
        changed = any(a is not b for a, b in zip(spans, doc.spans, strict=True)) or any(
            a is not b for a, b in zip(suggestions, doc.suggestions, strict=True)
        )
        if not changed:
            return doc, False
        return replace(doc, spans=spans, suggestions=suggestions), True


# Common NER tag names and the label each stands for. GPE (OntoNotes' geo-political entity) goes
# to LOC: this tool's LOC is "a place or geo-political entity".
SYNONYMS = {
    "PER": "PERSON",
    "PERS": "PERSON",
    "PERSON": "PER",
    "LOC": "LOCATION",
    "LOCATION": "LOC",
    "GPE": "LOC",
    "ORG": "ORGANIZATION",
    "ORGANIZATION": "ORG",
    "ORGANISATION": "ORG",
    "MISC": "MISCELLANEOUS",
    "MISCELLANEOUS": "MISC",
}


def suggested_target(incoming: str, existing: Sequence[str]) -> str | None:
    """The existing label an incoming one most likely means (exact, a case variant, a common NER
    synonym), or None: a new label."""
    if incoming in existing:
        return incoming
    folded = {name.casefold(): name for name in existing}
    if incoming.casefold() in folded:
        return folded[incoming.casefold()]
    synonym = SYNONYMS.get(incoming.upper())
    if synonym is not None:
        return folded.get(synonym.casefold())
    return None


@dataclass
class IncomingLabels:
    """The labels a quick pre-read of the chosen files found, with how many spans each."""

    spans: Counter[str] = field(default_factory=Counter)
    documents: int = 0
    complete: bool = True  # False: the pre-read stopped at its cap; more labels may come


def read_incoming_labels(
    paths: Sequence[str | Path],
    fmt: str | None = None,
    options: ReadOptions = DEFAULT_READ_OPTIONS,
    *,
    at_most: int = 500,
) -> IncomingLabels:
    """Read up to ``at_most`` documents of ``paths`` (nothing is stored) and count their labels;
    bad files are left for the import to report."""
    found = IncomingLabels()
    for source in collect(paths):
        if isinstance(source, (Problem, Notice)):
            continue
        for item in read_source(source, fmt, options):
            if isinstance(item, (Problem, Notice)):
                continue
            if found.documents >= at_most:
                found.complete = False
                return found
            found.documents += 1
            found.spans.update(span.label for span in item.spans)
            found.spans.update({sug.label: 0 for sug in item.suggestions})
    return found
