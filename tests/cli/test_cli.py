"""The command line, as a user meets it: output, files and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main

SEED_TITLE = "Rusia Tawarkan Kerja Sama dengan AS di Suriah"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(isolated_env, db_path) -> str:
    return str(db_path)


def test_import_seed_then_list_documents(capsys, db, seed_path):
    code, out, err = run(capsys, "--db", db, "import", str(seed_path))
    assert code == 0, err
    assert "imported 1 document with 0 spans from 1 file" in out
    code, out, _ = run(capsys, "--db", db, "docs")
    lines = out.strip().splitlines()
    assert lines[0].split("\t") == ["id", "title", "status", "spans", "suggestions"]
    assert lines[1].split("\t") == ["1", SEED_TITLE, "new", "0", "0"]


def test_importing_the_same_text_twice_is_skipped_and_counted(capsys, db, seed_path):
    run(capsys, "--db", db, "import", str(seed_path))
    code, out, _ = run(capsys, "--db", db, "import", str(seed_path))
    assert code == 0
    assert "imported 0 documents" in out and "skipped 1 duplicate" in out


def test_import_jsonl_with_spans_then_spans_command(capsys, db, tmp_path):
    text = "Lavrov bertemu Kerry di Moskow.\r\nIa berkata."
    data = tmp_path / "a.jsonl"
    data.write_text(
        json.dumps(
            {
                "text": text,
                "spans": [
                    {"start": 0, "end": 6, "label": "PERSON"},
                    {"start": 24, "end": 30, "label": "LOC"},
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--db", db, "import", str(data))
    assert code == 0, err
    code, out, _ = run(capsys, "--db", db, "spans", "1")
    rows = [line.split("\t") for line in out.strip().splitlines()]
    assert rows[0][:5] == ["id", "start", "end", "label", "text"]
    assert [r[1:5] for r in rows[1:]] == [
        ["0", "6", "PERSON", "Lavrov"],
        ["24", "30", "LOC", "Moskow"],
    ]
    # CRLF is kept exactly, since the offsets refer to it.
    code, out, _ = run(capsys, "--db", db, "spans", "1", "--json")
    assert json.loads(out)[1]["text"] == "Moskow"


def test_bad_input_is_reported_with_file_and_line_and_exit_code_1(capsys, db, tmp_path, seed_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"text": "Halo Jakarta", "spans": [{"start": 5, "end": 12, "label": "LOC"}]}\n'
        '{"text": "broken", \n'
        '{"text": "Halo", "spans": [{"start": 0, "end": 99, "label": "LOC"}]}\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--db", db, "import", str(bad), str(seed_path))
    assert code == 1
    assert f"{bad}:2:" in err
    assert f"{bad}:3:" in err
    assert "Traceback" not in err
    # The good line and the other file went in; the bad lines changed nothing.
    assert "imported 2 documents" in out
    code, out, _ = run(capsys, "--db", db, "docs", "--json")
    assert sorted(d["title"] for d in json.loads(out)) == sorted(["Halo Jakarta", SEED_TITLE])


def test_no_new_labels_refuses_documents_with_unknown_labels(capsys, db, tmp_path):
    data = tmp_path / "x.jsonl"
    data.write_text(
        json.dumps({"text": "Piala Dunia 2018", "spans": [[0, 11, "EVENT"]]}).replace(
            '"spans"', '"label"'
        )
        + "\n"
    )
    code, out, err = run(capsys, "--db", db, "import", "--no-new-labels", str(data))
    assert code == 1 and "EVENT" in err
    code, out, err = run(capsys, "--db", db, "import", str(data))
    assert code == 0 and "new labels: EVENT" in out
    code, out, _ = run(capsys, "--db", db, "labels")
    assert "EVENT" in out


def test_labels_add_edit_list(capsys, db):
    code, out, _ = run(
        capsys, "--db", db, "labels", "add", "EVENT", "--hotkey", "e", "--colour", "#112233"
    )
    assert code == 0
    code, out, _ = run(capsys, "--db", db, "labels", "edit", "EVENT", "--name", "INCIDENT")
    assert code == 0
    code, out, _ = run(capsys, "--db", db, "labels", "list")
    lines = out.strip().splitlines()
    assert lines[1].split("\t")[:4] == ["1", "PERSON", "#D55E00", "p"]
    assert lines[-1].split("\t")[:4] == ["7", "INCIDENT", "#112233", "e"]
    code, _, err = run(capsys, "--db", db, "labels", "add", "PEOPLE", "--hotkey", "p")
    assert code == 2 and "taken by label PERSON" in err


def test_export_jsonl_and_reimport_gives_the_same_documents(capsys, db, tmp_path, seed_path):
    run(capsys, "--db", db, "import", str(seed_path))
    out_file = tmp_path / "out.jsonl"
    code, out, err = run(capsys, "--db", db, "export", "--format", "jsonl", "--out", str(out_file))
    assert code == 0, err
    record = json.loads(out_file.read_text(encoding="utf-8").splitlines()[0])
    assert record["text"] == seed_path.read_text(encoding="utf-8")
    other = str(tmp_path / "other.sqlite")
    code, out, err = run(capsys, "--db", other, "import", str(out_file))
    assert code == 0, err
    code, out, _ = run(capsys, "--db", other, "docs", "--json")
    assert json.loads(out)[0]["uid"] == record["id"]


def test_stats_backup_and_db_upgrade(capsys, db, tmp_path, seed_path):
    run(capsys, "--db", db, "import", str(seed_path))
    code, out, _ = run(capsys, "--db", db, "stats", "--json")
    stats = json.loads(out)
    assert stats["documents"] == 1 and stats["by"]["status"] == {"new": 1}
    backup = tmp_path / "copy.sqlite"
    code, out, _ = run(capsys, "--db", db, "backup", str(backup))
    assert code == 0 and backup.exists()
    code, out, _ = run(capsys, "--db", str(backup), "docs")
    assert SEED_TITLE in out
    code, out, _ = run(capsys, "--db", db, "db", "upgrade")
    assert code == 0 and "revision" in out


def test_usage_errors_exit_2(capsys, db):
    code, _, err = run(capsys, "--db", db, "spans", "999")
    assert code == 2 and "no document '999'" in err
    code, _, err = run(
        capsys,
        "--db",
        db,
        "export",
        "--format",
        "jsonl",
        "--out",
        "/tmp/x.jsonl",
        "--label",
        "NOPE",
    )
    assert code == 2 and "unknown label 'NOPE'" in err
    with pytest.raises(SystemExit) as exc:
        main(["--db", db, "export", "--format", "docx", "--out", "x"])
    assert exc.value.code == 2


def test_default_database_gets_the_seed_article_but_a_named_one_does_not(
    capsys, isolated_env, monkeypatch
):
    default = isolated_env / "default.sqlite"
    monkeypatch.setenv("ANNOTATOR_DEFAULT_DB", str(default))
    code, out, _ = run(capsys, "docs")
    assert code == 0 and SEED_TITLE in out
    monkeypatch.setenv("ANNOTATOR_DB", str(isolated_env / "named.sqlite"))
    _, out, _ = run(capsys, "docs")
    assert out.strip().splitlines() == ["id\ttitle\tstatus\tspans\tsuggestions"]


def test_the_installed_command_prints_no_traceback_for_a_newer_database(isolated_env, db_path):
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        conn.execute("update alembic_version set version_num='9999'")
    exe = Path(sys.executable).with_name("annotator")
    result = subprocess.run(
        [str(exe), "--db", str(db_path), "docs"],
        capture_output=True,
        text=True,
        env={**os.environ, "ANNOTATOR_DB": ""},
        check=False,
    )
    assert result.returncode == 2
    assert "newer version of annotator" in result.stderr
    assert "Traceback" not in result.stderr
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.strip().startswith("annotator ")


def test_gui_check_opens_the_window_on_the_default_database_with_the_seed(
    isolated_env, monkeypatch
):
    default = isolated_env / "first-run.sqlite"
    env = dict(
        os.environ,
        ANNOTATOR_DEFAULT_DB=str(default),
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(isolated_env / "config"),
        ANNOTATOR_NAME="tester",
    )
    env.pop("ANNOTATOR_DB", None)
    result = subprocess.run(
        [sys.executable, "-m", "annotator", "gui", "--check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "1 document;" in result.stdout and SEED_TITLE in result.stdout
    assert "pending suggestions" in result.stdout and " 0 pending" not in result.stdout
    assert default.exists()


def test_db_accepts_a_sqlalchemy_url(capsys, isolated_env, seed_path):
    url = f"sqlite:///{isolated_env / 'by-url.sqlite'}"
    code, out, err = run(capsys, "--db", url, "import", str(seed_path))
    assert code == 0, err
    code, out, _ = run(capsys, "--db", url, "docs")
    assert SEED_TITLE in out
    assert (isolated_env / "by-url.sqlite").exists()
    code, _, err = run(capsys, "--db", "nosuchdriver://x/y", "docs")
    assert code == 2 and "nosuchdriver" in err and "Traceback" not in err


def test_labels_delete_refuses_a_used_label(capsys, db):
    code, out, _ = run(capsys, "--db", str(db), "labels", "add", "EVENT")
    assert code == 0
    code, out, _ = run(capsys, "--db", str(db), "labels", "delete", "EVENT")
    assert code == 0 and "deleted label EVENT" in out and "EVENT" not in out.split("\n", 1)[1]
    code, _, err = run(capsys, "--db", str(db), "labels", "delete", "PERSON")
    assert code == 2 and "cannot be deleted" in err
