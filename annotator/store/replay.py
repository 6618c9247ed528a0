"""Applying one undo step's change-log rows: each thing checked to be as the log expects, then
put as it wants (a span, a document's status, a suggestion's decision, dropped suggestions, a
rule, a label), remembering what was touched for the Replay the caller gets back."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.orm import Session

from annotator.core.errors import UsageError
from annotator.core.model import (
    MAIN_LAYER,
    Span,
    SpanOrigin,
    Suggestion,
    SuggestionState,
    frozen_mapping,
)
from annotator.core.text import one_line as _short
from annotator.store.convert import as_utc, parse_time, span_log_entry
from annotator.store.database import Database
from annotator.store.document_reading import _SET_STATUS, _STATUS
from annotator.store.label_merge import relabel_suggestion
from annotator.store.labels import LABEL_FIELDS, Labels, label_log_entry, label_uses
from annotator.store.replay_drops import drop_again, restore_dropped
from annotator.store.rules import apply_definition, logged_definition
from annotator.store.schema import (
    LabelRow,
    RuleRow,
    SpanRow,
    SuggestionRow,
    utcnow,
)
from annotator.store.spans import _ANNOTATOR_NAME, _DELETE_SPAN, _SPAN, span_of
from annotator.store.states import Action, Entity
from annotator.store.suggestion_rows import _SUGGESTION, suggestion_of

_EDITS = (Action.ADD, Action.EDIT, Action.DELETE)
_DECISIONS = (Action.ACCEPTED, Action.CORRECTED, Action.REJECTED)
PENDING = SuggestionState.PENDING
# Span fields that say whether a span is still the one the log describes (not its timestamps).
SPAN_IDENTITY = (
    "start",
    "end",
    "label",
    "text",
    "origin",
    "rule",
    "rule_version",
    "annotator",
    "note",
    "attributes",
)
# The statements of a replay, built once (building one costs more than running it).
_CLASH = select(SpanRow.id).where(
    SpanRow.document_id == bindparam("doc_id"),
    SpanRow.start == bindparam("start"),
    SpanRow.end == bindparam("end"),
    SpanRow.label_id == bindparam("label_id"),
    SpanRow.id != bindparam("span_id"),
    # Only a span of the same layer clashes: two annotators' layers may hold the same range.
    SpanRow.layer == bindparam("layer"),
)
_RESTORE_SPAN = insert(SpanRow)
_REPLACE_SPAN = (
    update(SpanRow)
    .where(SpanRow.id == bindparam("span_id"))
    .values(
        {
            name: bindparam(name)
            for name in (
                "start",
                "end",
                "text",
                "label_id",
                "origin",
                "rule",
                "rule_version",
                "annotator_id",
                "note",
                "attributes",
                "updated_at",
            )
        }
    )
)
_SET_DECISION = (
    update(SuggestionRow)
    .where(SuggestionRow.id == bindparam("suggestion_id"), SuggestionRow.state == bindparam("was"))
    .values(state=bindparam("new_state"), decided_by=bindparam("by"), decided_at=bindparam("at"))
)


@dataclass(frozen=True)
class Replay:
    """What undoing or redoing one step did."""

    description: str
    document_ids: tuple[int, ...]  # the document of the step's first span or suggestion first
    focus: Span | Suggestion | None  # the first change's span or suggestion as it is now, or the
    # span it removed
    count: int  # change-log rows replayed
    spans: tuple[Span, ...] = ()  # every span it put back or changed, as it is now
    removed: tuple[Span, ...] = ()  # every span it removed, as it was
    suggestions: tuple[Suggestion, ...] = ()  # every suggestion whose decision it replayed, now
    statuses: tuple[int, ...] = ()  # documents whose status it changed
    rules: tuple[str, ...] = ()  # rules it put back, changed or removed
    labels: tuple[str, ...] = ()  # labels it put back, changed or removed (old and new names)


@dataclass
class _Touched:
    row_id: int
    document_id: int | None
    span: Span | None = None
    removed: Span | None = None
    suggestion: Suggestion | None = None


@dataclass
class Replayer:
    """Applies one step's rows in one session, remembering what they touched."""

    db: Database
    labels: Labels
    session: Session
    verb: Action
    description: str
    touched: list[_Touched] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    label_names: list[str] = field(default_factory=list)

    def conflict(self, what: str) -> UsageError:
        return UsageError(
            f"cannot {self.verb} ‘{self.description}’: {what} since; nothing was changed"
        )

    def apply(self, row: Row) -> None:
        forward = self.verb == Action.REDO
        source, target = (row.before, row.after) if forward else (row.after, row.before)
        touched = _Touched(row.id, row.document_id)
        self.touched.append(touched)
        kind = (row.entity, row.action)
        if row.entity == Entity.SPAN and row.action in _EDITS:
            touched.span, touched.removed = self.span_to(
                row.entity_id, row.document_id, source, target
            )
        elif kind == (Entity.DOCUMENT, Action.STATUS):
            self.status_to(
                row.entity_id, (source or {}).get("status"), (target or {}).get("status")
            )
        elif row.entity == Entity.SUGGESTION and row.action in _DECISIONS:
            self.decision(row, forward, touched)
        elif row.entity == Entity.RULE and row.action in (Action.SAVE, Action.EDIT, Action.DELETE):
            self.rule_to(source, target)
        elif row.entity == Entity.LABEL and row.action in _EDITS:
            self.label_to(row.entity_id, source, target)
        elif kind == (Entity.SUGGESTION, Action.EDIT):  # a label merge's move
            relabel_suggestion(self.db, self.labels, self.session, row.entity_id, source, target)
        else:
            raise UsageError(
                f"cannot {self.verb} ‘{self.description}’: "
                f"it holds a change that cannot be undone ({row.action} {row.entity})"
            )

    # -- spans ---------------------------------------------------------------

    def span_to(
        self, span_id: int, doc_id: int, expect: dict | None, want: dict | None
    ) -> tuple[Span | None, Span | None]:
        """Move span ``span_id`` from ``expect`` to ``want`` (None: absent); (now, removed)."""
        current = self._span_as_logged(span_id, expect, want)
        if want is None:
            self.db.core(self.session).execute(_DELETE_SPAN, {"span_id": span_id})
            return None, current
        label_id = self.labels.id_of(self.session, want["label"])
        self._check_no_clash(doc_id, span_id, want, label_id)
        now = utcnow()
        created = (
            current.created_at if current is not None else parse_time(want.get("created_at")) or now
        )
        span = _span_from_entry(want, span_id, created, now)
        self._write_span(span, doc_id, label_id, restore=current is None)
        return span, None

    def _span_as_logged(self, span_id: int, expect: dict | None, want: dict | None) -> Span | None:
        """Span ``span_id`` as it is now; a conflict unless it is as ``expect`` says."""
        found = self.db.core(self.session).execute(_SPAN, {"span_id": span_id}).first()
        current = span_of(found) if found is not None else None
        if not _same_span(current, expect):
            shown = expect or want or {}
            what = "was deleted" if current is None else "was changed" if expect else "exists again"
            raise self.conflict(
                f"span {span_id} ({shown.get('label')} ‘{_short(shown.get('text', ''))}’) {what}"
            )
        return current

    def _check_no_clash(self, doc_id: int, span_id: int, want: dict, label_id: int) -> None:
        """A conflict when another span of the label now sits where ``want`` puts this one."""
        clash = self.db.core(self.session).scalar(
            _CLASH,
            {
                "doc_id": doc_id,
                "start": want["start"],
                "end": want["end"],
                "label_id": label_id,
                "span_id": span_id,
                "layer": want.get("layer", MAIN_LAYER),
            },
        )
        if clash is not None:
            raise self.conflict(
                f"document {doc_id} got another {want['label']} span at "
                f"[{want['start']}, {want['end']}) (span {clash})"
            )

    def _write_span(self, span: Span, doc_id: int, label_id: int, *, restore: bool) -> None:
        """Put ``span`` back under its id (``restore``) or over the span of that id."""
        values = {
            "start": span.start,
            "end": span.end,
            "text": span.text,
            "label_id": label_id,
            "origin": span.origin.value,
            "rule": span.rule,
            "rule_version": span.rule_version,
            "annotator_id": self.db.annotator_id(self.session, span.annotator),
            "note": span.note,
            "attributes": dict(span.attributes),
            "updated_at": span.updated_at,
        }
        connection = self.db.core(self.session)
        if restore:
            connection.execute(
                _RESTORE_SPAN,
                {"id": span.id, "document_id": doc_id, "created_at": span.created_at, **values},
            )
        else:
            connection.execute(_REPLACE_SPAN, {"span_id": span.id, **values})

    # -- documents -----------------------------------------------------------

    def status_to(self, doc_id: int, expect: str | None, want: str | None) -> None:
        connection = self.db.core(self.session)
        status = connection.scalar(_STATUS, {"doc_id": doc_id})
        if status is None:
            raise self.conflict(f"document {doc_id} was deleted")
        if status != expect:
            raise self.conflict(f"document {doc_id} was marked ‘{status}’")
        connection.execute(_SET_STATUS, {"doc_id": doc_id, "new_status": want or status})
        self.statuses.append(doc_id)

    # -- suggestions ---------------------------------------------------------

    def decision(self, row: Row, forward: bool, touched: _Touched) -> None:
        """An accept, correction or rejection: the suggestion's state, and the span it made."""
        decided = str((row.after or {}).get("state"))
        connection = self.db.core(self.session)
        sug = connection.execute(_SUGGESTION, {"suggestion_id": row.entity_id}).first()
        if sug is None:
            raise self.conflict(f"suggestion {row.entity_id} was removed")
        expect = PENDING if forward else decided
        if sug.state != expect:
            raise self.conflict(
                f"suggestion {row.entity_id} (‘{_short(sug.text)}’) was {sug.state}"
            )
        span_id, span_entry = (row.after or {}).get("span_id"), (row.after or {}).get("span")
        if span_id is not None and span_entry is not None:
            touched.span, touched.removed = self.span_to(
                span_id,
                sug.document_id,
                None if forward else span_entry,
                span_entry if forward else None,
            )
        state = decided if forward else PENDING
        by, at = (row.annotator_id, row.at) if forward else (None, None)
        connection.execute(
            _SET_DECISION,
            {"suggestion_id": sug.id, "was": expect, "new_state": state, "by": by, "at": at},
        )
        decided_by = (
            connection.scalar(_ANNOTATOR_NAME, {"annotator_id": by}) if by is not None else None
        )
        touched.suggestion = replace(
            suggestion_of(sug),
            state=SuggestionState(state),
            decided_by=decided_by,
            decided_at=as_utc(at),
        )

    def drops(self, rows: list[Row], forward: bool) -> None:
        """Pending suggestions a "reject everywhere" dropped. Lenient both ways: a pending
        suggestion is only a proposal, and the next rule run settles what is left over."""
        for row in rows:
            self.touched.append(_Touched(row.id, row.document_id))
        if forward:
            drop_again(self.session, [row.entity_id for row in rows])
        else:
            restore_dropped(self.session, self.labels, rows)

    # -- rules ---------------------------------------------------------------

    def rule_to(self, expect: dict | None, want: dict | None) -> None:
        name = ((want or expect or {}).get("definition") or {}).get("name")
        if not name:
            raise self.conflict("a rule change without a rule name was logged")
        row = self.session.scalar(select(RuleRow).where(RuleRow.name == name))
        current = dict(row.definition) if row is not None else None
        try:
            expected = logged_definition(self.session, expect)
            wanted = logged_definition(self.session, want)
        except KeyError as exc:
            raise self.conflict(str(exc.args[0])) from None
        if current != expected:
            what = (
                "was deleted"
                if current is None
                else "exists again"
                if expect is None
                else "was edited"
            )
            raise self.conflict(f"rule {name!r} {what}")
        self.rules.append(name)
        if want is None or wanted is None:
            self.session.delete(row)
            self.session.flush()
            return
        if row is None:
            row = RuleRow(name=name, position=want.get("position") or 0)
            self.session.add(row)
        row.pack = want.get("pack")
        apply_definition(row, wanted)
        self.session.flush()

    # -- labels --------------------------------------------------------------

    def label_to(self, label_id: int | None, expect: dict | None, want: dict | None) -> None:
        """Move a label from ``expect`` to ``want`` (None: absent), found by name."""
        name = (expect or want or {}).get("name")
        if not name:
            raise self.conflict("a label change without a label name was logged")
        row = self.session.scalar(select(LabelRow).where(LabelRow.name == name))
        current = label_log_entry(row) if row is not None else None
        if expect is None:
            if current is not None:
                raise self.conflict(f"label {name!r} exists again")
        elif current is None:
            raise self.conflict(f"label {name!r} was deleted or renamed")
        # An entry logged before labels were logged whole holds some fields only.
        elif any(current.get(key) != value for key, value in expect.items()):
            raise self.conflict(f"label {name!r} was changed")
        self.label_names.append(name)
        if want is None:
            assert row is not None
            uses = label_uses(self.session, row)
            if uses:
                raise UsageError(
                    f"cannot {self.verb} ‘{self.description}’: label {name} cannot be removed, "
                    f"{uses} use it now (relabel or delete those first); nothing was changed"
                )
            self.session.delete(row)
            self.session.flush()
            return
        new_name = want.get("name", name)
        self.label_names.append(new_name)
        if new_name != name and self.session.scalar(
            select(LabelRow.id).where(LabelRow.name == new_name)
        ):
            raise self.conflict(f"another label was named {new_name!r}")
        if row is None:
            # The label's own id when still free, so it keeps its place among equal orders.
            free = label_id is not None and self.session.get(LabelRow, label_id) is None
            row = LabelRow(id=label_id if free else None, colour="", position=0)
            self.session.add(row)
        for key, value in want.items():
            if key in LABEL_FIELDS:
                setattr(row, LABEL_FIELDS[key], value)
        if row.description is None:
            row.description = ""
        self.session.flush()

    # -- the outcome ---------------------------------------------------------

    def result(self, count: int) -> Replay:
        ordered = sorted(self.touched, key=lambda t: t.row_id)
        primary = next((t for t in ordered if t.span or t.removed or t.suggestion), None)
        docs = _unique(
            ([primary.document_id] if primary else []) + [t.document_id for t in ordered]
        )
        focus = (primary.span or primary.suggestion or primary.removed) if primary else None
        return Replay(
            self.description,
            docs,
            focus,
            count,
            spans=tuple(t.span for t in ordered if t.span is not None),
            removed=tuple(t.removed for t in ordered if t.removed is not None),
            suggestions=tuple(t.suggestion for t in ordered if t.suggestion is not None),
            statuses=tuple(dict.fromkeys(self.statuses)),
            rules=tuple(dict.fromkeys(self.rules)),
            labels=tuple(dict.fromkeys(self.label_names)),
        )


def _same_span(current: Span | None, expect: dict | None) -> bool:
    if current is None or expect is None:
        return current is None and expect is None
    now = span_log_entry(current)
    return all(now.get(key) == expect.get(key) for key in SPAN_IDENTITY)


def _span_from_entry(want: dict, span_id: int, created: datetime | None, now: datetime) -> Span:
    """A span from its log entry, under ``span_id``, made at ``created`` and changed ``now``."""
    return Span(
        want["start"],
        want["end"],
        want["label"],
        want["text"],
        SpanOrigin(want["origin"]),
        want.get("rule"),
        want.get("rule_version"),
        want.get("annotator"),
        want.get("note"),
        frozen_mapping(want.get("attributes")),
        span_id,
        created,
        now,
    )


def _unique(ids: Iterable[int | None]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(i for i in ids if i is not None))
