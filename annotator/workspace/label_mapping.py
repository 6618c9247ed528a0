"""Incoming labels onto the database's: ``--map PER=PERSON`` and, unless the user keeps the labels
as they come, case variants of an existing label (``Person`` onto ``PERSON``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from annotator.core.errors import UsageError
from annotator.core.model import Document
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
