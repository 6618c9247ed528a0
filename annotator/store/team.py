"""A team on one database: the annotators (display names, roles) and their assignments.

Changes here are logged but are not undo steps: they are a lead's set-up of the work, made from
the command line or a dialog, not an analyst's edits of a document.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import bindparam, delete, func, insert, select, update

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
from annotator.store.convert import as_utc
from annotator.store.database import Database
from annotator.store.schema import (
    AnnotatorRow,
    AssignmentRow,
    DocumentRow,
    SpanRow,
    utcnow,
)
from annotator.store.spans import LAYER_SPANS, span_of
from annotator.store.states import Action, Entity

_ANNOTATOR_COLUMNS = (
    AnnotatorRow.id,
    AnnotatorRow.name,
    AnnotatorRow.display_name,
    AnnotatorRow.role,
)


_OWN_LAYER = select(
    AnnotatorRow.id,
    AnnotatorRow.role,
    select(AssignmentRow.id)
    .where(
        AssignmentRow.annotator_id == AnnotatorRow.id,
        AssignmentRow.document_id == bindparam("doc_id"),
    )
    .scalar_subquery(),
).where(AnnotatorRow.name == bindparam("name"))


def _annotator(row) -> Annotator:
    return Annotator(row[0], row[1], row[2] or "", AnnotatorRole(row[3]))


class Team:
    """Annotators and assignments, on the shared database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- annotators ------------------------------------------------------------

    def annotators(self) -> list[Annotator]:
        with self.db.sessions() as session:
            rows = session.execute(select(*_ANNOTATOR_COLUMNS).order_by(AnnotatorRow.name))
            return [_annotator(row) for row in rows]

    def annotator(self, name: str) -> Annotator | None:
        with self.db.sessions() as session:
            row = session.execute(
                select(*_ANNOTATOR_COLUMNS).where(AnnotatorRow.name == name)
            ).first()
            return _annotator(row) if row is not None else None

    def add_annotator(
        self, name: str, display_name: str, role: AnnotatorRole, *, by: str | None
    ) -> Annotator:
        with self.db.transaction() as session:
            if session.scalar(select(AnnotatorRow.id).where(AnnotatorRow.name == name)):
                raise UsageError(f"annotator {name!r} exists already (edit it instead)")
            annotator_id = self.db.annotator_id(session, name)
            assert annotator_id is not None
            session.execute(
                update(AnnotatorRow)
                .where(AnnotatorRow.id == annotator_id)
                .values(display_name=display_name, role=str(role))
            )
            after = {"name": name, "display_name": display_name, "role": str(role)}
            self.db.log(
                session,
                Action.ADD,
                Entity.ANNOTATOR,
                entity_id=annotator_id,
                annotator=by,
                after=after,
            )
            return Annotator(annotator_id, name, display_name, role)

    def edit_annotator(
        self,
        name: str,
        *,
        display_name: str | None,
        role: AnnotatorRole | None,
        by: str | None,
    ) -> tuple[Annotator, Annotator]:
        """Change an annotator's display name or role; (before, after)."""
        with self.db.transaction() as session:
            row = session.execute(
                select(*_ANNOTATOR_COLUMNS).where(AnnotatorRow.name == name)
            ).first()
            if row is None:
                raise UsageError(f"no annotator {name!r} (`annotator annotators` lists them)")
            before = _annotator(row)
            after = Annotator(
                before.id,
                name,
                before.display_name if display_name is None else display_name,
                before.role if role is None else role,
            )
            session.execute(
                update(AnnotatorRow)
                .where(AnnotatorRow.id == before.id)
                .values(display_name=after.display_name, role=str(after.role))
            )
            self.db.log(
                session,
                Action.EDIT,
                Entity.ANNOTATOR,
                entity_id=before.id,
                annotator=by,
                before={"display_name": before.display_name, "role": str(before.role)},
                after={"display_name": after.display_name, "role": str(after.role)},
            )
            return before, after

    def ids_of(self, names: Sequence[str]) -> dict[str, int]:
        """The ids of annotators by name; a UsageError naming the unknown ones."""
        with self.db.sessions() as session:
            found = {
                name: id_
                for name, id_ in session.execute(
                    select(AnnotatorRow.name, AnnotatorRow.id).where(AnnotatorRow.name.in_(names))
                )
            }
        missing = [name for name in names if name not in found]
        if missing:
            raise UsageError(
                f"no annotator {', '.join(map(repr, missing))} "
                "(add with `annotator annotators add NAME`)"
            )
        return {name: found[name] for name in names}

    # -- assignments -----------------------------------------------------------

    def layer_of(self, name: str, doc_id: int) -> int:
        """The layer ``name`` works in on a document: their own (their id) when it is assigned
        to them and they annotate, else the main layer."""
        with self.db.sessions() as session:
            row = (
                self.db.core(session).execute(_OWN_LAYER, {"name": name, "doc_id": doc_id}).first()
            )
        if row is None or row[1] != AnnotatorRole.ANNOTATOR or not row[2]:
            return MAIN_LAYER
        return int(row[0])

    def assign(
        self, doc_ids: Sequence[int], names: Sequence[str], *, by: str | None
    ) -> list[tuple[int, str]]:
        """Give each document to each annotator; the (document, name) pairs that are new."""
        ids = self.ids_of(names)
        with self.db.transaction() as session:
            known = set(session.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(doc_ids))))
            unknown = [doc for doc in doc_ids if doc not in known]
            if unknown:
                raise UsageError(f"no document with id {', '.join(map(str, unknown[:5]))}")
            have = {
                (doc, who)
                for doc, who in session.execute(
                    select(AssignmentRow.document_id, AssignmentRow.annotator_id).where(
                        AssignmentRow.document_id.in_(doc_ids),
                        AssignmentRow.annotator_id.in_(ids.values()),
                    )
                )
            }
            now = utcnow()
            new = [
                (doc, name)
                for doc in dict.fromkeys(doc_ids)
                for name in names
                if (doc, ids[name]) not in have
            ]
            if new:
                session.execute(
                    insert(AssignmentRow),
                    [
                        {
                            "document_id": doc,
                            "annotator_id": ids[name],
                            "status": str(DocumentStatus.NEW),
                            "assigned_at": now,
                            "updated_at": now,
                        }
                        for doc, name in new
                    ],
                )
                self.db.log(
                    session,
                    Action.ADD,
                    Entity.ASSIGNMENT,
                    annotator=by,
                    after={"assigned": [[doc, name] for doc, name in new]},
                )
            return new

    def unassign(self, doc_ids: Sequence[int], names: Sequence[str], *, by: str | None) -> int:
        """Take documents back from annotators (their layers stay); how many assignments ended."""
        ids = self.ids_of(names)
        with self.db.transaction() as session:
            removed = (
                self.db.core(session)
                .execute(
                    delete(AssignmentRow).where(
                        AssignmentRow.document_id.in_(doc_ids),
                        AssignmentRow.annotator_id.in_(ids.values()),
                    )
                )
                .rowcount
            )
            if removed:
                self.db.log(
                    session,
                    Action.DELETE,
                    Entity.ASSIGNMENT,
                    annotator=by,
                    before={"documents": list(doc_ids), "annotators": list(names)},
                )
            return int(removed or 0)

    def has_assignments(self) -> bool:
        with self.db.sessions() as session:
            return session.scalar(select(AssignmentRow.id).limit(1)) is not None

    def assignments(self, annotator: str | None = None) -> list[Assignment]:
        """Every assignment (or one annotator's), by annotator then document."""
        with self.db.sessions() as session:
            stmt = (
                select(
                    AssignmentRow.document_id,
                    AnnotatorRow.name,
                    AssignmentRow.status,
                    AssignmentRow.assigned_at,
                )
                .join(AnnotatorRow, AssignmentRow.annotator_id == AnnotatorRow.id)
                .order_by(AnnotatorRow.name, AssignmentRow.document_id)
            )
            if annotator is not None:
                stmt = stmt.where(AnnotatorRow.name == annotator)
            return [
                Assignment(doc, name, DocumentStatus(status), as_utc(at))
                for doc, name, status, at in session.execute(stmt)
            ]

    def layers(self, doc_id: int) -> dict[str, list[Span]]:
        """A document's layers by annotator name (assigned annotators' too, empty or not), the
        main layer under MAIN_LAYER_NAME; each in reading order."""
        with self.db.sessions() as session:
            connection = self.db.core(session)
            by_layer: dict[int, list[Span]] = {}
            for row in connection.execute(LAYER_SPANS, {"doc_id": doc_id}):
                by_layer.setdefault(row[13], []).append(replace(span_of(row), layer=row[13]))
            owners = set(by_layer) - {MAIN_LAYER}
            owners |= set(
                session.scalars(
                    select(AssignmentRow.annotator_id).where(AssignmentRow.document_id == doc_id)
                )
            )
            names = {
                id_: name
                for id_, name in session.execute(
                    select(AnnotatorRow.id, AnnotatorRow.name).where(AnnotatorRow.id.in_(owners))
                )
            }
        layers = {MAIN_LAYER_NAME: by_layer.get(MAIN_LAYER, [])}
        for layer in sorted(owners, key=lambda i: names.get(i, "")):
            layers[names.get(layer, f"annotator {layer}")] = by_layer.get(layer, [])
        return layers

    def own_span_counts(self, annotator_id: int, doc_ids: Sequence[int]) -> dict[int, int]:
        """How many spans an annotator's own layer holds in each of these documents."""
        with self.db.sessions() as session:
            rows = session.execute(
                select(SpanRow.document_id, func.count())
                .where(SpanRow.document_id.in_(doc_ids), SpanRow.layer == annotator_id)
                .group_by(SpanRow.document_id)
            )
            return {doc: n for doc, n in rows}

    def own_status(self, doc_id: int, annotator_id: int) -> DocumentStatus | None:
        """An annotator's own status of a document (None: not assigned to them)."""
        with self.db.sessions() as session:
            status = session.scalar(
                select(AssignmentRow.status).where(
                    AssignmentRow.document_id == doc_id, AssignmentRow.annotator_id == annotator_id
                )
            )
        return DocumentStatus(status) if status is not None else None

    def assigned_documents(self, annotator_id: int) -> dict[int, DocumentStatus]:
        """An annotator's documents and their own status of each."""
        with self.db.sessions() as session:
            rows = session.execute(
                select(AssignmentRow.document_id, AssignmentRow.status).where(
                    AssignmentRow.annotator_id == annotator_id
                )
            )
            return {doc: DocumentStatus(status) for doc, status in rows}

    def unassigned_documents(self) -> list[int]:
        """Documents nobody has been given, in import order."""
        with self.db.sessions() as session:
            return list(
                session.scalars(
                    select(DocumentRow.id)
                    .where(~DocumentRow.id.in_(select(AssignmentRow.document_id)))
                    .order_by(DocumentRow.id)
                )
            )

    def pick_random(
        self, count: int, names: Sequence[str], overlap: int, seed: int | None
    ) -> list[tuple[int, str]]:
        """``count`` unassigned documents, each for ``overlap`` of ``names``, balanced: every
        annotator gets count * overlap / len(names) documents, give or take one."""
        if count < 1:
            raise UsageError("--random: give a number of documents of at least 1")
        if not 1 <= overlap <= len(names):
            raise UsageError(
                f"--overlap {overlap}: each document goes to 1 to {len(names)} annotators "
                f"(the number given with --to)"
            )
        free = self.unassigned_documents()
        if len(free) < count:
            raise UsageError(
                f"--random {count}: only {len(free)} documents are not assigned to anybody"
            )
        rng = random.Random(seed)
        chosen = sorted(rng.sample(free, count))
        load = dict.fromkeys(names, 0)
        pairs: list[tuple[int, str]] = []
        for doc in chosen:
            # The least loaded annotators take it; ties broken at random, so no one is favoured.
            order = sorted(names, key=lambda name: (load[name], rng.random()))
            for name in order[:overlap]:
                load[name] += 1
                pairs.append((doc, name))
        return pairs

    def set_status(
        self, doc_id: int, annotator_id: int, status: DocumentStatus, *, by: str | None
    ) -> DocumentStatus:
        """An annotator's own status of an assigned document; the status before."""
        with self.db.transaction() as session:
            before = session.scalar(
                select(AssignmentRow.status).where(
                    AssignmentRow.document_id == doc_id,
                    AssignmentRow.annotator_id == annotator_id,
                )
            )
            if before is None:
                raise UsageError(f"document {doc_id} is not assigned to this annotator")
            session.execute(
                update(AssignmentRow)
                .where(
                    AssignmentRow.document_id == doc_id,
                    AssignmentRow.annotator_id == annotator_id,
                )
                .values(status=str(status), updated_at=utcnow())
            )
            self.db.log(
                session,
                Action.STATUS,
                Entity.ASSIGNMENT,
                entity_id=annotator_id,
                document_id=doc_id,
                annotator=by,
                before={"status": before},
                after={"status": str(status)},
            )
            return DocumentStatus(before)

    def assignment_counts(self) -> dict[str, dict[DocumentStatus, int]]:
        """Per annotator, how many of their documents are in each status."""
        with self.db.sessions() as session:
            rows = session.execute(
                select(AnnotatorRow.name, AssignmentRow.status, func.count())
                .join(AnnotatorRow, AssignmentRow.annotator_id == AnnotatorRow.id)
                .group_by(AnnotatorRow.name, AssignmentRow.status)
                .order_by(AnnotatorRow.name)
            )
            counts: dict[str, dict[DocumentStatus, int]] = {}
            for name, status, n in rows:
                counts.setdefault(name, {})[DocumentStatus(status)] = n
            return counts
