"""The bulk export read (store/export_records.py): the same documents, spans and suggestions as
the Document read it replaces for jsonl/conll/xmi, whatever the chunk size and the filter; and
its span query walks the spans index in order (no sort, no scan)."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.core.export_record import record_of
from annotator.store.documents import ExportFilter
from annotator.store.export_records import _span_select
from annotator.workspace import Workspace
from tests.io.export_fixture import build

FILTERS = [
    ExportFilter(),
    ExportFilter(include_suggestions=True),
    ExportFilter(statuses=("new", "done"), labels=("LOC", "ZED")),
    ExportFilter(annotators=("budi",)),
    ExportFilter(origins=("rule",), include_suggestions=True),
]


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("export-records")
    build(work / "fixture.sqlite", work)
    return work / "fixture.sqlite"


@pytest.mark.parametrize("wanted", FILTERS)
@pytest.mark.parametrize("chunk", [1, 3, 500])
def test_records_equal_the_document_read(fixture_db: Path, wanted: ExportFilter, chunk: int):
    with Workspace.open(fixture_db) as ws:
        documents = ws.store.documents
        expected = [record_of(doc) for doc in documents.iterate(wanted)]
        found = list(documents.records(wanted, chunk))
    assert found == expected
    assert len(found) == (10 if not wanted.statuses else 9)
    assert sum(len(r.spans) for r in found) > 0


def test_span_read_walks_the_index_in_order(fixture_db: Path):
    statement = _span_select([1, 2, 3], ExportFilter())
    sql = str(statement.compile(compile_kwargs={"literal_binds": True}))
    with Workspace.open(fixture_db) as ws, ws.store.engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}").all()
    plan = "\n".join(row[-1] for row in rows)
    assert "USING INDEX ix_spans_document_order" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
