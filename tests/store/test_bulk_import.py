"""The bulk import path (plain executemany, ids numbered in bulk, chunks bounded in time) writes
exactly what the ORM writes for the same documents one by one, and an import that fails halfway
keeps its committed chunks whole and nothing of the rest."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from annotator.core.model import Document, DocumentStatus, Span, SpanOrigin, Suggestion
from annotator.store import document_import
from annotator.store.document_import import text_hash
from annotator.store.schema import ChangeRow, DocumentRow, SpanRow, SuggestionRow
from annotator.store.states import Action, Entity
from annotator.workspace import transfer
from tests.pg_cluster import peek

_BULK_WRITER = document_import.DocumentImport.bulk_writer
WHEN = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


def _documents() -> list[Document]:
    docs = []
    for i in range(7):
        text = f"Dokumen {i}: Joko Widodo bertemu Putin di Jakarta pada hari ke-{i}."
        joko, jakarta = text.index("Joko Widodo"), text.index("Jakarta")
        spans = [Span(joko, joko + 11, "PERSON", "Joko Widodo")]
        if i % 2:
            # Every optional field filled: the values the binder converts (dates, JSON) too.
            spans.append(
                Span(
                    jakarta,
                    jakarta + 7,
                    "LOC",
                    "Jakarta",
                    SpanOrigin.RULE,
                    rule="places",
                    rule_version=3,
                    annotator="ana",
                    note="ibu kota",
                    attributes={"confidence": 0.5, "tags": ["a", "é"]},
                    created_at=WHEN,
                    updated_at=WHEN,
                )
            )
        putin = text.index("Putin")
        suggestions = (
            (Suggestion(putin, putin + 5, "PERSON", "Putin", "people", 2, "a name"),)
            if i == 3
            else ()
        )
        docs.append(
            Document(
                text=text,
                title=f"Judul {i}",
                source=f"src-{i}.jsonl",
                metadata={"n": i, "kota": "Jakarta"} if i % 3 else {},
                language="id" if i % 2 else None,
                spans=tuple(spans),
                suggestions=suggestions,
                uid=f"doc-{i}",
                status=DocumentStatus.DONE if i == 5 else DocumentStatus.NEW,
            )
        )
    return docs


def _orm_insert(ws, doc: Document, now: datetime) -> None:
    """What the ORM writes for one imported document: the reference the bulk path must match."""
    store = ws.store
    with Session(store.engine) as session, session.begin():
        labels = store.labels.ids(session)

        def who(name: str | None) -> int | None:
            return store.database.annotator_id(session, name)

        row = DocumentRow(
            uid=doc.uid,
            title=doc.title,
            text=doc.text,
            sha256=text_hash(doc.text),
            source=doc.source,
            meta=dict(doc.metadata),
            language=doc.language,
            status=str(doc.status),
            imported_at=now,
        )
        session.add(row)
        session.flush()
        for span in doc.spans:
            session.add(
                SpanRow(
                    document_id=row.id,
                    start=span.start,
                    end=span.end,
                    label_id=labels[span.label],
                    text=span.text,
                    origin=str(span.origin),
                    rule=span.rule,
                    rule_version=span.rule_version,
                    annotator_id=who(span.annotator or "tester"),
                    note=span.note,
                    attributes=dict(span.attributes),
                    created_at=span.created_at or now,
                    updated_at=span.updated_at or now,
                )
            )
        for sug in doc.suggestions:
            session.add(
                SuggestionRow(
                    document_id=row.id,
                    start=sug.start,
                    end=sug.end,
                    label_id=labels[sug.label],
                    text=sug.text,
                    rule=sug.rule,
                    rule_version=sug.rule_version,
                    explanation=sug.explanation,
                    state=str(sug.state),
                    decided_by=who(sug.decided_by),
                    decided_at=sug.decided_at,
                    created_at=now,
                )
            )
        session.add(
            ChangeRow(
                action=str(Action.IMPORT),
                entity=str(Entity.DOCUMENT),
                entity_id=row.id,
                document_id=row.id,
                annotator_id=who("tester"),
                at=now,
                before=None,
                after={
                    "uid": doc.uid,
                    "title": doc.title,
                    "source": doc.source,
                    "spans": len(doc.spans),
                },
            )
        )


def _rows(path) -> dict[str, list[tuple]]:
    """Every row an import writes, as the database stores it (text of dates and JSON included)."""
    with peek(path) as conn:
        rows = {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in ("documents", "spans", "suggestions", "change_log", "labels")
        }
        # An annotator's row says when it was first seen: the clock, not the import.
        rows["annotators"] = conn.execute("SELECT id, name FROM annotators ORDER BY id").fetchall()
    return rows


def _fixed_clock(monkeypatch, now: datetime) -> None:
    monkeypatch.setattr(document_import, "utcnow", lambda: now)


def test_bulk_insert_writes_exactly_what_the_orm_writes_document_by_document(monkeypatch, fresh_db):
    from annotator.workspace import Workspace

    _fixed_clock(monkeypatch, WHEN)
    orm_path, bulk_path = fresh_db("orm"), fresh_db("bulk")
    with Workspace.open(orm_path, annotator="tester") as ws:
        for doc in _documents():
            _orm_insert(ws, doc, WHEN)
    with Workspace.open(bulk_path, annotator="tester") as ws:
        ids = ws.store.documents.insert(_documents(), annotator="tester")
    assert ids == list(range(1, 8))
    orm, bulk = _rows(orm_path), _rows(bulk_path)
    assert len(bulk["spans"]) == 10 and len(bulk["suggestions"]) == 1
    assert bulk == orm


def test_chunks_committed_by_time_write_what_one_transaction_writes(
    tmp_path, monkeypatch, fresh_db
):
    from annotator.workspace import Workspace

    _fixed_clock(monkeypatch, WHEN)
    records = tmp_path / "in" / "articles.jsonl"
    records.parent.mkdir()
    records.write_text(
        "".join(
            json.dumps(
                {
                    "id": f"a{i}",
                    "text": f"Berita {i}: Putin di Moskow.",
                    "spans": [
                        {"start": 10 + len(str(i)), "end": 15 + len(str(i)), "label": "PERSON"}
                    ],
                }
            )
            + "\n"
            for i in range(20)
        ),
        encoding="utf-8",
    )
    paths = {}
    for name, batch, budget in (("whole", 1000, None), ("chunks", 3, 0.0)):
        paths[name] = fresh_db(name)
        monkeypatch.setattr(transfer, "IMPORT_BATCH", batch)
        _budget_default(monkeypatch, budget)
        commits = _count_commits(monkeypatch)
        with Workspace.open(paths[name], annotator="tester") as ws:
            report = ws.import_paths([records])
        assert (report.imported, report.spans, report.document_ids) == (20, 20, list(range(1, 21)))
        paths[name + "_commits"] = commits[0]
    rows = {name: _rows(paths[name]) for name in ("whole", "chunks")}
    assert rows["whole"] == rows["chunks"]
    assert paths["whole_commits"] == 1 and paths["chunks_commits"] == 7


def _count_commits(monkeypatch) -> list[int]:
    count = [0]
    original = document_import.BulkWriter.commit

    def commit(self):
        if self._stack is not None:
            count[0] += 1
        original(self)

    monkeypatch.setattr(document_import.BulkWriter, "commit", commit)
    return count


def test_a_chunk_that_fails_halfway_leaves_the_committed_chunks_whole(
    workspace, tmp_path, monkeypatch
):
    monkeypatch.setattr(transfer, "IMPORT_BATCH", 4)
    original = document_import.DocumentImport.write
    calls = [0]

    def write(self, session, documents, annotator, hashes=None):
        calls[0] += 1
        ids = original(self, session, documents, annotator, hashes)
        if calls[0] == 3:
            raise RuntimeError("disk on fire")  # after the third chunk's rows are written
        return ids

    monkeypatch.setattr(document_import.DocumentImport, "write", write)
    _budget_default(monkeypatch, 0.0)
    records = tmp_path / "articles.jsonl"
    records.write_text(
        "".join(
            json.dumps(
                {
                    "text": f"Kata{i} Putin di Moskow.",
                    "spans": [
                        {"start": len(f"Kata{i} "), "end": len(f"Kata{i} Putin"), "label": "PERSON"}
                    ],
                }
            )
            + "\n"
            for i in range(20)
        ),
        encoding="utf-8",
    )
    with pytest.raises(RuntimeError, match="disk on fire"):
        workspace.import_paths([records])
    _assert_consistent(workspace, expected_documents=8, spans_each=1)


def _budget_default(monkeypatch, budget: float | None) -> None:
    # bulk_writer's default budget was bound at definition: make the import use ``budget``.
    original = _BULK_WRITER

    def bulk_writer(self, *, annotator, budget=budget):
        return original(self, annotator=annotator, budget=budget)

    monkeypatch.setattr(document_import.DocumentImport, "bulk_writer", bulk_writer)


def _assert_consistent(ws, *, expected_documents: int | None, spans_each: int) -> int:
    """Every stored document is whole (its spans, its one log row), the file is sound, and a
    search finds exactly the stored documents; the number stored."""
    url = ws.store.engine.url
    sqlite = url.get_backend_name() == "sqlite"
    with peek(url.database if sqlite else url.render_as_string(hide_password=False)) as conn:
        if sqlite:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        ids = [row[0] for row in conn.execute("SELECT id FROM documents ORDER BY id")]
        per_doc = dict(
            conn.execute("SELECT document_id, count(*) FROM spans GROUP BY document_id").fetchall()
        )
        logged = [
            row[0]
            for row in conn.execute(
                "SELECT document_id FROM change_log WHERE action = ? ORDER BY document_id",
                (str(Action.IMPORT),),
            )
        ]
    if expected_documents is not None:
        assert len(ids) == expected_documents
    assert ids == list(range(1, len(ids) + 1))
    assert per_doc == dict.fromkeys(ids, spans_each)
    assert logged == ids
    found = {hit.document_id for hit in ws.search("putin", limit=100_000)}
    assert found == set(ids)
    if not sqlite:
        return len(ids)
    with ws.store.engine.begin() as conn:  # "database disk image is malformed" when not sound
        conn.exec_driver_sql(
            "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)"
        )
    return len(ids)
