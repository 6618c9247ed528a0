"""Spans and document statuses, and undo and redo of whatever an annotator did."""

from __future__ import annotations

from annotator.core.change import Change, Operation
from annotator.core.model import MAIN_LAYER, DocumentStatus
from annotator.core.text import one_line as short
from annotator.store.history import Replay
from annotator.workspace.actor import Actor
from annotator.workspace.suggesting import Suggester


class Annotations:
    def __init__(self, actor: Actor, suggester: Suggester) -> None:
        self._actor = actor
        self._suggester = suggester

    def add_span(
        self, doc_id: int, start: int, end: int, label: str, *, note: str | None = None
    ) -> Change:
        """A span made by hand; a pending suggestion exactly like it is accepted with it."""
        store, who = self._actor.store, self._actor.annotator
        layer = self._actor.layer_for(doc_id)
        with store.step(f"Add {label}", annotator=who) as step:
            span = store.spans.add(doc_id, start, end, label, annotator=who, note=note, layer=layer)
            step.description = f"Add {label} ‘{short(span.text)}’"
            if layer == MAIN_LAYER:
                resolved = self._suggester.resolve_identical(doc_id, span)
                statuses = self._suggester.mark_in_progress(doc_id)
            else:  # suggestions and the document's status are the main layer's
                resolved, statuses = (), self._own_in_progress(doc_id, layer)
        return Change(
            Operation.ADD_SPAN,
            step.description,
            (doc_id,),
            spans=(span,),
            suggestions=resolved,
            statuses=statuses,
            focus=span,
        )

    def update_span(self, span_id: int, **changes: object) -> Change:
        """Relabel or move a span; a pending suggestion it now equals is accepted with it."""
        store, who = self._actor.store, self._actor.annotator
        with store.step("Edit span", annotator=who) as step:
            before, after = store.spans.update(span_id, annotator=who, **changes)
            step.description = f"Edit {before.label} ‘{short(before.text)}’"
            doc_id = store.spans.document_of(span_id)
            resolved = (
                self._suggester.resolve_identical(doc_id, after)
                if after.layer == MAIN_LAYER
                else ()
            )
        return Change(
            Operation.EDIT_SPAN,
            step.description,
            (doc_id,),
            spans=(after,),
            removed_spans=(before,),
            suggestions=resolved,
            focus=after,
        )

    def delete_span(self, span_id: int) -> Change:
        store, who = self._actor.store, self._actor.annotator
        with store.step("Delete span", annotator=who) as step:
            span, doc_id = store.spans.delete(span_id, annotator=who)
            step.description = f"Delete {span.label} ‘{short(span.text)}’"
        return Change(
            Operation.DELETE_SPAN, step.description, (doc_id,), removed_spans=(span,), focus=span
        )

    def set_status(self, doc_id: int, status: DocumentStatus | str) -> Change:
        """The document's status; on a document assigned to the annotator, their own status."""
        store, who = self._actor.store, self._actor.annotator
        status = DocumentStatus(status)
        layer = self._actor.layer_for(doc_id)
        with store.step(f"Mark document {doc_id} {status}", annotator=who) as step:
            step.description = f"Mark ‘{short(store.documents.title(doc_id))}’ {status}"
            if layer == MAIN_LAYER:
                store.documents.set_status(doc_id, status, annotator=who)
            else:
                step.description += " (own layer)"
                store.team.set_status(doc_id, layer, status, by=who)
        return Change(Operation.SET_STATUS, step.description, (doc_id,), statuses=(doc_id,))

    def _own_in_progress(self, doc_id: int, layer: int) -> tuple[int, ...]:
        """The first span in an annotator's own layer moves their assignment to "in progress"."""
        team, who = self._actor.store.team, self._actor.annotator
        if team.own_status(doc_id, layer) != DocumentStatus.NEW:
            return ()
        team.set_status(doc_id, layer, DocumentStatus.IN_PROGRESS, by=who)
        return (doc_id,)

    # -- undo ------------------------------------------------------------------

    def undo(self) -> Change | None:
        return _replayed(self._actor.store.history.undo(self._actor.annotator), Operation.UNDO)

    def redo(self) -> Change | None:
        return _replayed(self._actor.store.history.redo(self._actor.annotator), Operation.REDO)

    def undo_description(self) -> str | None:
        return self._actor.store.history.description(self._actor.annotator)

    def redo_description(self) -> str | None:
        return self._actor.store.history.description(self._actor.annotator, undone=True)


def _replayed(replay: Replay | None, operation: Operation) -> Change | None:
    if replay is None:
        return None
    return Change(
        operation,
        replay.description,
        replay.document_ids,
        spans=replay.spans,
        removed_spans=replay.removed,
        suggestions=replay.suggestions,
        statuses=replay.statuses,
        rules=replay.rules,
        labels=replay.labels,
        count=replay.count,
        focus=replay.focus,
    )
