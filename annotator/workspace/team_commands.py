"""A team on one database, for Workspace: annotators, assignments, and the layers they work in.

An annotator works in their own layer on a document assigned to them (blind: nobody else's spans
are shown there), in the main layer everywhere else; a curator works in the main layer, which in
a team is the curated one (core.model.MAIN_LAYER).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from annotator.core.agreement import AgreementReport
from annotator.core.change import Change, Operation
from annotator.core.curation import Curation, Region
from annotator.core.errors import UsageError
from annotator.core.model import (
    MAIN_LAYER,
    MAIN_LAYER_NAME,
    Annotator,
    AnnotatorRole,
    Assignment,
    DocumentStatus,
    Span,
)
from annotator.core.text import plural
from annotator.store.change_feed import ChangedDocuments, changes_since
from annotator.store.documents import DocumentSummary
from annotator.workspace import agreement_commands
from annotator.workspace.actor import Actor
from annotator.workspace.curation_commands import CurationCommands
from annotator.workspace.labels import check_name

MAX_ANNOTATOR_NAME = 200  # the annotators table's column width


def check_annotator_name(name: str) -> None:
    """The rules of a label's name (workspace.labels.check_name), and not the main layer's."""
    check_name(name, what="annotator name", limit=MAX_ANNOTATOR_NAME)
    if name == MAIN_LAYER_NAME:
        raise UsageError(f"annotator name {name!r}: that is the name of the main (curated) layer")


def _role(role: AnnotatorRole | str) -> AnnotatorRole:
    try:
        return AnnotatorRole(role)
    except ValueError:
        choices = ", ".join(r.value for r in AnnotatorRole)
        raise UsageError(f"role {role!r}: choose one of {choices}") from None


class TeamCommands:
    """Annotators, assignments and layers for Workspace (a base class: the facade stays short)."""

    _actor: Actor

    # -- annotators ------------------------------------------------------------

    def annotators(self) -> list[Annotator]:
        """Everyone who has a name in this database, by name."""
        return self._actor.store.team.annotators()

    def me(self) -> Annotator:
        """The acting annotator, with display name and role."""
        found = self._actor.store.team.annotator(self._actor.annotator)
        # A name is written into the database with its first action: until then, id 0.
        return found if found is not None else Annotator(0, self._actor.annotator)

    def add_annotator(
        self, name: str, display_name: str = "", role: AnnotatorRole | str = AnnotatorRole.ANNOTATOR
    ) -> Change:
        check_annotator_name(name)
        added = self._actor.store.team.add_annotator(
            name, display_name.strip(), _role(role), by=self._actor.annotator
        )
        return Change(Operation.EDIT_TEAM, f"Add annotator {added.shown} ({added.role})")

    def edit_annotator(
        self,
        name: str,
        *,
        display_name: str | None = None,
        role: AnnotatorRole | str | None = None,
    ) -> Change:
        _, after = self._actor.store.team.edit_annotator(
            name,
            display_name=None if display_name is None else display_name.strip(),
            role=None if role is None else _role(role),
            by=self._actor.annotator,
        )
        return Change(
            Operation.EDIT_TEAM, f"Edit annotator {after.name}: {after.shown}, {after.role}"
        )

    # -- assignments -----------------------------------------------------------

    def assign(self, doc_ids: Sequence[int], annotators: Sequence[str]) -> Change:
        """Give each document to each annotator (who then annotates it in their own layer);
        assigning twice changes nothing."""
        names = _names(annotators)
        new = self._actor.store.team.assign(list(doc_ids), names, by=self._actor.annotator)
        docs = tuple(sorted({doc for doc, _ in new}))
        return Change(
            Operation.EDIT_TEAM,
            f"Assign {plural(len(docs), 'document')} ({plural(len(new), 'new assignment')}) "
            f"to {', '.join(names)}",
            docs,
            statuses=docs,
            count=len(new),
        )

    def assign_random(
        self, count: int, annotators: Sequence[str], *, overlap: int = 1, seed: int | None = None
    ) -> Change:
        """``count`` documents nobody has yet, each to ``overlap`` of the annotators, balanced."""
        names = _names(annotators)
        team = self._actor.store.team
        team.ids_of(names)
        pairs = team.pick_random(count, names, overlap, seed)
        for name in names:
            mine = [doc for doc, who in pairs if who == name]
            if mine:
                team.assign(mine, [name], by=self._actor.annotator)
        docs = tuple(sorted({doc for doc, _ in pairs}))
        return Change(
            Operation.EDIT_TEAM,
            f"Assign {plural(len(docs), 'random document')}, {plural(overlap, 'annotator')} each, "
            f"to {', '.join(names)}",
            docs,
            statuses=docs,
            count=len(pairs),
        )

    def unassign(self, doc_ids: Sequence[int], annotators: Sequence[str]) -> Change:
        """Take documents back (the annotators' layers stay, for agreement and curation)."""
        names = _names(annotators)
        removed = self._actor.store.team.unassign(list(doc_ids), names, by=self._actor.annotator)
        docs = tuple(sorted(set(doc_ids)))
        return Change(
            Operation.EDIT_TEAM,
            f"Take back {plural(removed, 'assignment')} from {', '.join(names)}",
            docs,
            statuses=docs,
            count=removed,
        )

    def assignments(self, annotator: str | None = None) -> list[Assignment]:
        return self._actor.store.team.assignments(annotator)

    def has_team(self) -> bool:
        """Whether anybody has been assigned a document (one indexed look)."""
        return self._actor.store.team.has_assignments()

    def assignment_counts(self) -> dict[str, dict[DocumentStatus, int]]:
        """Per annotator, how many of their documents are new, in progress and done."""
        return self._actor.store.team.assignment_counts()

    def my_documents(self) -> dict[int, DocumentStatus]:
        """The acting annotator's assigned documents and their own status of each (none for a
        curator, who works on the main layer)."""
        team = self._actor.store.team
        found = team.annotator(self._actor.annotator)
        if found is None or found.role != AnnotatorRole.ANNOTATOR:
            return {}
        return team.assigned_documents(found.id)

    def summaries_for_me(self, ids: Sequence[int]) -> list[DocumentSummary]:
        """The navigator's lines of these documents, with the acting annotator's own status on
        the documents assigned to them."""
        summaries = self._actor.store.document_pages.summaries(ids)
        own = self.my_documents()
        if not own:
            return summaries
        mine = [s.id for s in summaries if s.id in own]
        counts = self._actor.store.team.own_span_counts(self.me().id, mine) if mine else {}
        # Their own status and spans; no pending suggestions (not offered in an own layer).
        return [
            replace(s, status=own[s.id], spans=counts.get(s.id, 0), pending_suggestions=0)
            if s.id in own
            else s
            for s in summaries
        ]

    # -- several at once --------------------------------------------------------

    def changes_since(self, mark: int | None) -> tuple[int, ChangedDocuments]:
        """(new mark, what other connections committed after ``mark``); ``None`` starts watching."""
        return changes_since(self._actor.store.database, mark)

    def agreement(
        self, labels: Sequence[str] = (), annotators: Sequence[str] = ()
    ) -> AgreementReport:
        """Agreement between the annotators' own layers (read only)."""
        return agreement_commands.agreement(self._actor.store, labels, annotators)

    # -- curation (workspace/curation_commands.py) ------------------------------

    def curation(self, doc_id: int) -> Curation:
        return CurationCommands(self._actor).curation(doc_id)

    def curation_region(self, doc_id: int, start: int, end: int) -> Region | None:
        return CurationCommands(self._actor).region(doc_id, start, end)

    def premerge_agreements(self, doc_id: int) -> Change:
        return CurationCommands(self._actor).premerge_agreements(doc_id)

    def take_version(self, doc_id: int, region: Region, annotator: str) -> Change:
        return CurationCommands(self._actor).take_version(doc_id, region, annotator)

    def reject_region(self, doc_id: int, region: Region) -> Change:
        return CurationCommands(self._actor).reject_region(doc_id, region)

    # -- layers ----------------------------------------------------------------

    def layer_for(self, doc_id: int) -> int:
        """The layer the acting annotator works in on a document (MAIN_LAYER or their id)."""
        return self._actor.layer_for(doc_id)

    def layer_name(self, doc_id: int) -> str:
        """ "own layer" or "main layer": what the window says the analyst is working in."""
        return "main layer" if self.layer_for(doc_id) == MAIN_LAYER else "own layer"

    def layers(self, doc_id: int) -> dict[str, list[Span]]:
        """Every layer of a document that holds spans or belongs to an annotator it is assigned
        to, by annotator name; the main layer under MAIN_LAYER_NAME ("curated"). For agreement and
        curation: an annotator's own view is blind (``document``), this is the curator's."""
        return self._actor.store.team.layers(doc_id)


def _names(annotators: Sequence[str] | str) -> list[str]:
    if isinstance(annotators, str):
        annotators = [annotators]
    names = list(dict.fromkeys(name.strip() for name in annotators if name.strip()))
    if not names:
        raise UsageError("name at least one annotator")
    for name in names:
        check_annotator_name(name)
    return names
