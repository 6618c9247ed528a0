"""Value objects: documents, spans, suggestions, labels.

Offsets are Python string indices (code points), half-open ``[start, end)``,
into a document text that never changes after import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple


class DocumentStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in progress"
    DONE = "done"


class AnnotatorRole(StrEnum):
    """What an annotator does in a team: annotate their assigned documents, or curate."""

    ANNOTATOR = "annotator"
    CURATOR = "curator"


# The layer a span is in. Layer 0 is the main layer: what a lone analyst annotates, what rules'
# suggestions are accepted into and, in a team, the curated layer a curator settles. Any other
# layer is the id of the annotator whose own (blind) layer it is, on a document assigned to them.
MAIN_LAYER = 0
# What the main layer is called where layers are named (an export's --layer, agreement, curation).
MAIN_LAYER_NAME = "curated"


@dataclass(frozen=True)
class Annotator:
    """Someone who annotates: ``name`` is the identity, ``display_name`` what the window shows."""

    id: int
    name: str
    display_name: str = ""
    role: AnnotatorRole = AnnotatorRole.ANNOTATOR

    @property
    def shown(self) -> str:
        return self.display_name or self.name


@dataclass(frozen=True)
class Assignment:
    """A document given to an annotator, and the annotator's own status of it."""

    document_id: int
    annotator: str
    status: DocumentStatus = DocumentStatus.NEW
    assigned_at: datetime | None = None


class SpanOrigin(StrEnum):
    MANUAL = "manual"
    RULE = "rule"


class SuggestionState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CORRECTED = "corrected"


def frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """A read-only copy, so frozen dataclasses stay frozen all the way down."""
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True)
class Label:
    name: str
    colour: str = "#888888"
    hotkey: str | None = None
    description: str = ""
    order: int = 0


@dataclass(frozen=True)
class Span:
    """An annotation: ``text == document.text[start:end]`` always."""

    start: int
    end: int
    label: str
    text: str
    origin: SpanOrigin = SpanOrigin.MANUAL
    rule: str | None = None
    rule_version: int | None = None
    annotator: str | None = None
    note: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)
    id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    layer: int = MAIN_LAYER  # MAIN_LAYER, or the id of the annotator whose own layer holds it

    @property
    def key(self) -> tuple[int, int, str]:
        """What makes two spans of one layer of a document the same span."""
        return (self.start, self.end, self.label)


@dataclass(frozen=True)
class Suggestion:
    """A span proposed by a rule, with the analyst's decision on it."""

    start: int
    end: int
    label: str
    text: str
    rule: str
    rule_version: int = 1
    explanation: str = ""
    state: SuggestionState = SuggestionState.PENDING
    decided_by: str | None = None
    decided_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class Document:
    """One article. Importers build it without ``id``; the store fills it in."""

    text: str
    title: str = ""
    source: str = ""
    metadata: Mapping[str, Any] = field(default_factory=dict)
    language: str | None = None
    spans: tuple[Span, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    id: int | None = None
    uid: str | None = None
    status: DocumentStatus = DocumentStatus.NEW
    imported_at: datetime | None = None


class SpanBrief(NamedTuple):
    """What the window draws of a span: read in bulk, 20,000 at a time, so a tuple, not a Span."""

    id: int
    start: int
    end: int
    label: str
    text: str
    origin: str
    rule: str | None


class SuggestionBrief(NamedTuple):
    """What the window draws of a pending suggestion."""

    id: int
    start: int
    end: int
    label: str
    text: str
    rule: str
    explanation: str
