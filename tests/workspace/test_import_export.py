"""Import and export through the workspace, with a real database file."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.errors import UsageError
from annotator.workspace import Workspace
from tests.pg_cluster import peek

ARTICLE = (
    "Presiden Joko Widodo tiba di Surabaya pada Senin (2/11).\n\nIa bertemu Gubernur Jawa Timur."
)


def _db_state(path: Path | str) -> tuple:
    """Everything an export must not change: rows of every table."""
    tables_sql = (
        "select table_name from information_schema.tables where table_schema = 'public' "
        "order by table_name"
        if "://" in str(path)
        else "select name from sqlite_master where type='table' order by name"
    )
    with peek(path) as conn:
        tables = [r[0] for r in conn.execute(tables_sql).fetchall()]
        return tuple(
            tuple(conn.execute(f"select * from {t} order by 1").fetchall()) for t in tables
        )


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


def test_folder_import_takes_articles_and_passes_over_other_files(workspace, tmp_path, seed_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "sub" / "seed.txt").write_bytes(seed_path.read_bytes())
    (folder / "README.md").write_text("# not an article\n")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    report = workspace.import_paths([folder])
    assert (report.imported, report.files, report.refused) == (2, 2, [])
    assert sum("skipped: not a document format" in n for n in report.notices) == 2
    titles = [d.title for d in workspace.documents()]
    assert titles == [
        "Presiden Joko Widodo tiba di Surabaya pada Senin (2/11).",
        "Rusia Tawarkan Kerja Sama dengan AS di Suriah",
    ]


def test_zip_import_with_a_bad_member_goes_on_with_the_rest(workspace, tmp_path):
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("news/one.txt", ARTICLE)
        zf.writestr("news/binary.txt", b"\x00\x01\x02\x03" * 50)
        zf.writestr("news/empty.txt", "")
        zf.writestr(
            "news/two.jsonl",
            json.dumps(
                {
                    "text": "Kerry di Washington.",
                    "spans": [
                        {"start": 0, "end": 5, "label": "PERSON"},
                        {"start": 9, "end": 19, "label": "LOC"},
                    ],
                }
            )
            + "\n",
        )
    report = workspace.import_paths([archive])
    assert report.imported == 2 and report.spans == 2
    reasons = {p.file.rsplit("!", 1)[-1]: p.reason for p in report.refused}
    assert set(reasons) == {"news/binary.txt", "news/empty.txt"}
    assert "binary" in reasons["news/binary.txt"] and "empty" in reasons["news/empty.txt"]
    assert report.exit_code == 1


def test_a_bad_document_is_not_half_imported(workspace, tmp_path):
    bad = _jsonl(
        tmp_path / "bad.jsonl",
        [
            {
                "text": "Halo Jakarta dan Bandung",
                "spans": [
                    {"start": 5, "end": 12, "label": "LOC"},  # fine
                    {"start": 17, "end": 40, "label": "LOC"},
                ],
            },  # out of range: the whole document goes
        ],
    )
    before = workspace.store.counts()
    report = workspace.import_paths([bad])
    assert report.imported == 0 and len(report.refused) == 1
    assert report.refused[0].line == 1
    assert workspace.store.counts() == before


def test_progress_is_reported_and_import_can_be_cancelled(workspace, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(5):
        (folder / f"{i}.txt").write_text(f"Artikel nomor {i} tentang Jakarta.", encoding="utf-8")
    seen: list[tuple[int, int]] = []
    report = workspace.import_paths(
        [folder], progress=lambda done, total: seen.append((done, total))
    )
    assert seen[-1] == (5, 5) and report.imported == 5
    other = tmp_path / "more"
    other.mkdir()
    for i in range(5):
        (other / f"{i}.txt").write_text(f"Berita lain {i} tentang Bandung.", encoding="utf-8")
    calls = iter(range(100))
    report = workspace.import_paths([other], cancelled=lambda: next(calls) >= 2)
    assert report.cancelled and report.imported == 2


def test_same_uid_with_other_text_gets_a_new_uid(workspace, tmp_path):
    first = _jsonl(tmp_path / "a.jsonl", [{"id": "doc-1", "text": "Teks pertama."}])
    second = _jsonl(tmp_path / "b.jsonl", [{"id": "doc-1", "text": "Teks kedua yang lain."}])
    workspace.import_paths([first])
    workspace.import_paths([second])
    docs = workspace.documents()
    assert docs[0].uid == "doc-1" and docs[1].uid != "doc-1"
    assert workspace.document(docs[1].id).metadata["original_id"] == "doc-1"


@pytest.fixture
def annotated(workspace, tmp_path):
    data = _jsonl(
        tmp_path / "in.jsonl",
        [
            {
                "id": "a",
                "text": "Lavrov bertemu Kerry di Moskow.",
                "status": "done",
                "spans": [
                    {"start": 0, "end": 6, "label": "PERSON", "annotator": "ana"},
                    {"start": 15, "end": 20, "label": "PERSON", "annotator": "budi"},
                    {"start": 24, "end": 30, "label": "LOC", "annotator": "ana"},
                ],
                "suggestions": [
                    {
                        "start": 24,
                        "end": 30,
                        "label": "LOC",
                        "text": "Moskow",
                        "rule": "cities",
                        "status": "rejected",
                    }
                ],
            },
            {
                "id": "b",
                "text": "Zarif di Teheran.",
                "spans": [{"start": 0, "end": 5, "label": "PERSON"}],
            },
        ],
    )
    report = workspace.import_paths([data])
    assert report.imported == 2, report.refused
    return workspace


def test_export_filters_by_status_label_and_annotator(annotated, tmp_path):
    out = tmp_path / "out.jsonl"
    annotated.export("jsonl", out, statuses=["done"])
    assert [json.loads(l)["id"] for l in out.read_text().splitlines()] == ["a"]
    annotated.export("jsonl", out, labels=["LOC"])
    records = [json.loads(l) for l in out.read_text().splitlines()]
    assert [[s["text"] for s in r["spans"]] for r in records] == [["Moskow"], []]
    annotated.export("jsonl", out, annotators=["ana"])
    records = [json.loads(l) for l in out.read_text().splitlines()]
    assert [s["text"] for s in records[0]["spans"]] == ["Lavrov", "Moskow"]
    with pytest.raises(UsageError, match="unknown status"):
        annotated.export("jsonl", out, statuses=["finished"])


def test_include_suggestions_writes_them_with_their_state(annotated, tmp_path):
    out = tmp_path / "out.jsonl"
    annotated.export("jsonl", out)
    assert "suggestions" not in json.loads(out.read_text().splitlines()[0])
    annotated.export("jsonl", out, include_suggestions=True)
    first = json.loads(out.read_text().splitlines()[0])
    assert first["suggestions"] == [
        {
            "start": 24,
            "end": 30,
            "label": "LOC",
            "text": "Moskow",
            "rule": "cities",
            "rule_version": 1,
            "explanation": "",
            "status": "rejected",
        }
    ]


@pytest.mark.parametrize(
    "fmt,name",
    [
        ("jsonl", "o.jsonl"),
        ("brat", "brat"),
        ("conll", "o.conll"),
        ("csv", "o.csv"),
        ("xmi", "xmi"),
        ("sqlite", "copy.sqlite"),
    ],
)
def test_every_export_leaves_the_database_as_it_was(annotated, db_path, tmp_path, fmt, name):
    before = _db_state(db_path)
    result = annotated.export(fmt, tmp_path / name)
    assert result.documents == 2
    assert (tmp_path / name).exists()
    assert _db_state(db_path) == before


def test_sqlite_export_is_a_working_database(annotated, tmp_path):
    annotated.export("sqlite", tmp_path / "copy.sqlite")
    with Workspace.open(tmp_path / "copy.sqlite") as copy:
        assert [d.uid for d in copy.documents()] == ["a", "b"]
        assert len(copy.document("a").spans) == 3


def test_export_to_an_impossible_place_is_a_clear_error_and_leaves_nothing(annotated, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(Exception) as exc:
        annotated.export("jsonl", blocker / "out.jsonl")
    assert str(blocker) in str(exc.value)
    # (and the test's own database file and its daily backups folder, on SQLite)
    ours = ("test.sqlite", "backups")
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(ours)) == [
        "a-file",
        "in.jsonl",
    ]


def test_jsonl_and_brat_round_trip_through_the_database(annotated, tmp_path):
    original = {d.uid: annotated.document(d.id) for d in annotated.documents()}
    for fmt, out in (("jsonl", tmp_path / "rt.jsonl"), ("brat", tmp_path / "rt-brat")):
        annotated.export(fmt, out)
        with Workspace.open(tmp_path / f"{fmt}.sqlite") as other:
            report = other.import_paths([out])
            assert report.imported == 2, report.refused
            for summary in other.documents():
                doc = other.document(summary.id)
                source = next(d for d in original.values() if d.text == doc.text)
                assert [(s.start, s.end, s.label, s.text) for s in doc.spans] == [
                    (s.start, s.end, s.label, s.text) for s in source.spans
                ]


UNICODE = st.lists(
    st.sampled_from(
        list("abc XYZ\t\r\n")
        + ["😀", "👍🏽", "e\u0301", "日本", "עברית", "\u200b", "\u200d", "ß", "\U0001d54f", "\r\n"]
    ),
    min_size=1,
    max_size=30,
).map("".join)


@st.composite
def documents(draw):
    text = "x" + draw(UNICODE)  # never only whitespace
    spans = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        spans.append(
            {"start": start, "end": end, "label": draw(st.sampled_from(["PERSON", "LOC", "ORG"]))}
        )
    return {"text": text, "spans": spans}


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(record=documents())
def test_random_unicode_round_trips_through_database_and_jsonl(tmp_path_factory, record):
    work = tmp_path_factory.mktemp("prop")
    source = _jsonl(work / "in.jsonl", [record])
    with Workspace.open(work / "a.sqlite") as first:
        report = first.import_paths([source])
        assert report.imported == 1, report.refused
        first.export("jsonl", work / "out.jsonl")
    with Workspace.open(work / "b.sqlite") as second:
        second.import_paths([work / "out.jsonl"])
        doc = second.document(1)
    assert doc.text == record["text"]
    expected = sorted({(s["start"], s["end"], s["label"]) for s in record["spans"]})
    assert sorted((s.start, s.end, s.label) for s in doc.spans) == expected
    for span in doc.spans:
        assert doc.text[span.start : span.end] == span.text
