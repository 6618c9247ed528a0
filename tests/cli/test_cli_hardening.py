"""No traceback, ever: each failure of issue 16 is one line on stderr and exit 2, and changes
nothing (read-only database, locked database, unexpected errors, odd files)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile

import pytest

from annotator import cli
from tests.cli.conftest import annotator
from tests.sqlite_holders import lock_held, read_only_mount, read_only_url, small_disk

pytestmark = pytest.mark.sqlite_only


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if not line.startswith("note: ")]
    assert "Traceback" not in stderr
    assert len(lines) == 1, stderr
    assert lines[0].startswith("annotator: error: ")
    return lines[0]


def _labels(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("select name from labels order by name")]
    finally:
        conn.close()


@pytest.fixture
def corpus(tmp_path, seed_path):
    db = tmp_path / "corpus.sqlite"
    done = annotator(db, "import", str(seed_path))
    assert done.returncode == 0, done.stderr
    return db


def test_a_writing_command_on_a_read_only_database_says_which_commands_work(corpus):
    before = _labels(corpus)
    done = annotator(read_only_url(corpus), "labels", "add", "FOO")
    assert done.returncode == 2
    line = _one_error_line(done.stderr)
    assert "is read-only (it was opened read-only)" in line
    assert "`labels add` changes the database and needs write access" in line
    assert "docs, spans, stats" in line
    assert _labels(corpus) == before


def test_reading_commands_work_on_a_read_only_database_with_a_note(corpus):
    done = annotator(read_only_url(corpus), "docs")
    assert done.returncode == 0, done.stderr
    assert "Rusia Tawarkan Kerja Sama" in done.stdout
    assert f"note: {corpus} is read-only (it was opened read-only)" in done.stderr
    exported = corpus.parent / "out.jsonl"
    done = annotator(read_only_url(corpus), "export", "--format", "jsonl", "--out", str(exported))
    assert done.returncode == 0, done.stderr
    assert "Rusia" in exported.read_text(encoding="utf-8")


def test_a_database_on_a_read_only_mount(tmp_path, corpus):
    folder = tmp_path / "share"
    folder.mkdir()
    shutil.copy(corpus, folder / "corpus.sqlite")
    with read_only_mount(folder) as mounted:
        db = mounted / "corpus.sqlite"
        done = annotator(db, "docs")
        assert done.returncode == 0, done.stderr
        assert "read-only file system" in done.stderr
        done = annotator(db, "accept", "1")
        assert done.returncode == 2
        assert "`accept` changes the database" in _one_error_line(done.stderr)


def test_a_file_without_write_permission(corpus):
    # Read-only for root too, who could write it: someone marked it so.
    before = _labels(corpus)
    corpus.chmod(0o444)
    try:
        done = annotator(corpus, "labels", "add", "FOO")
        assert done.returncode == 2
        assert "the file is not writable (-r--r--r--)" in _one_error_line(done.stderr)
        docs = annotator(corpus, "docs")
        assert docs.returncode == 0 and "Rusia Tawarkan" in docs.stdout
        assert "is read-only (the file is not writable (-r--r--r--))" in docs.stderr
        assert _labels(corpus) == before
    finally:
        corpus.chmod(0o644)


def test_a_locked_database_is_one_line_naming_the_holder_and_nothing_is_lost(corpus):
    assert annotator(corpus, "labels", "add", "BEFORE").returncode == 0
    with lock_held(corpus) as holder:
        started = time.monotonic()
        done = annotator(corpus, "labels", "add", "FOO")
        waited = time.monotonic() - started
    assert done.returncode == 2
    line = _one_error_line(done.stderr)
    assert f"locked by process {holder.pid} (python" in line
    assert "this action changed nothing" in line
    assert f"note: corpus.sqlite is locked by process {holder.pid}" in done.stderr  # the wait
    assert waited >= 9.5
    assert "FOO" not in _labels(corpus) and "BEFORE" in _labels(corpus)
    # Once the other program is done, the same command goes through.
    again = annotator(corpus, "labels", "add", "FOO")
    assert again.returncode == 0, again.stderr
    assert {"BEFORE", "FOO"} <= set(_labels(corpus))


def test_a_command_waits_for_a_short_lock_and_goes_through(corpus):
    with lock_held(corpus) as holder:
        env = {**os.environ, "ANNOTATOR_NAME": "tester"}
        env.pop("ANNOTATOR_DB", None)
        command = subprocess.Popen(
            [sys.executable, "-m", "annotator", "--db", str(corpus), "labels", "add", "FOO"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        time.sleep(2.0)
        holder.release()
        out, err = command.communicate(timeout=60)
    assert command.returncode == 0, err
    assert "added label FOO" in out
    assert "is locked by process" in err and "waiting" in err
    assert "FOO" in _labels(corpus)


@pytest.mark.parametrize(
    "target, reason",
    [("/dev/null", "it is a device or a pipe"), ("{tmp}", "it is a folder")],
)
def test_something_else_than_a_database_file(tmp_path, target, reason):
    done = annotator(target.format(tmp=tmp_path), "docs")
    assert done.returncode == 2
    assert reason in _one_error_line(done.stderr)


def test_an_export_to_a_device_writes_into_it_and_never_replaces_it(corpus):
    full = "/dev/full"
    if not os.path.exists(full):
        pytest.skip("no /dev/full")
    done = annotator(corpus, "export", "--format", "jsonl", "--out", full)
    assert done.returncode == 2
    assert "cannot write /dev/full: No space left on device" in _one_error_line(done.stderr)
    assert not os.path.isfile(full)  # still the device, not a file put in its place


def test_an_unexpected_error_is_one_line_and_a_log(monkeypatch, tmp_path, capsys, db_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    def broken(_workspace, _args) -> int:
        return {}["no such key"]  # a bug of ours, as a user would meet one

    monkeypatch.setitem(cli.COMMANDS, "stats", broken)
    code = cli.main(["--db", str(db_path), "stats"])
    assert code == 2
    err = capsys.readouterr().err
    line = _one_error_line(err)
    log = tmp_path / "state" / "annotator" / "log" / "annotator.log"
    assert line == (
        "annotator: error: unexpected error (KeyError: 'no such key'); nothing more was done; "
        f"details in {log}"
    )
    written = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in written and "in broken" in written


def test_a_rule_file_that_is_not_utf8_is_refused_with_its_line(tmp_path, corpus):
    rules = tmp_path / "rules.jsonl"
    rules.write_bytes(b'{"name": "a", "label": "LOC", "kind": "phrase",\n\xff\xfe}\n')
    done = annotator(corpus, "rules", "import", str(rules))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"refused: {rules}:2: not UTF-8 text: byte 0xff cannot be read" in done.stderr


@pytest.mark.parametrize(
    "terms, reason",
    [
        (b"Jakarta\n\xff\n", "cannot read term file terms.txt: not UTF-8 text"),
        (None, "cannot read term file: No such file or directory"),
    ],
)
def test_a_rule_whose_term_file_cannot_be_read_is_refused(tmp_path, corpus, terms, reason):
    pack = tmp_path / "pack"
    pack.mkdir()
    if terms is not None:
        (pack / "terms.txt").write_bytes(terms)
    (pack / "rules.jsonl").write_text(
        '{"name": "g", "label": "LOC", "kind": "phrase", "pattern": {"terms_file": "terms.txt"}}\n',
        encoding="utf-8",
    )
    done = annotator(corpus, "rules", "import", str(pack))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"rules.jsonl:1: rule 'g': {reason}" in done.stderr


def test_a_full_disk_is_one_line_and_what_was_stored_stays(tmp_path, seed_path):
    big = tmp_path / "big.txt"
    big.write_text("Presiden Rusia tiba di Moskow. " * 100_000, encoding="utf-8")  # 3 MB
    with small_disk(tmp_path / "disk", 2048) as disk:
        db = disk / "corpus.sqlite"
        assert annotator(db, "import", str(seed_path)).returncode == 0
        done = annotator(db, "import", str(big))
        assert done.returncode == 2
        assert f"{db}: the disk is full; this action changed nothing" in _one_error_line(
            done.stderr
        )
        docs = annotator(db, "docs")
        assert docs.returncode == 0, docs.stderr
        assert docs.stdout.count("\n") == 2  # the header and the seed article


def _import_peak_rss(db, *argv: str) -> tuple[subprocess.CompletedProcess[str], int]:
    """``annotator import`` in a process of its own, and its peak resident memory in bytes (a
    wrapper process whose only child it is reads it: RUSAGE_CHILDREN is then that child's)."""
    env = {**os.environ, "ANNOTATOR_NAME": "tester"}
    env.pop("ANNOTATOR_DB", None)
    wrapper = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stdout.write(done.stdout)\n"
        "sys.stderr.write(done.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(done.returncode)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper, sys.executable, "-m", "annotator", "--db", str(db)]
        + ["import", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    *rest, peak = done.stderr.rstrip("\n").split("\n")
    done.stderr = "\n".join(rest) + "\n"
    return done, int(peak) * 1024


def test_a_zip_bomb_costs_the_import_neither_time_nor_memory(tmp_path):
    bomb = tmp_path / "bomb.zip"
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z,
        z.open("big.txt", "w", force_zip64=True) as member,
    ):
        chunk = b"kata " * 200_000
        for _ in range(150):  # 150 MB of text in a zip of about 300 KB, written as a stream
            member.write(chunk)
    assert bomb.stat().st_size < 400_000
    done, peak = _import_peak_rss(tmp_path / "corpus.sqlite", str(bomb))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"refused: {bomb}!big.txt: 143 MB, more than a document may be (10 MB)" in done.stderr
    assert "1 file or zip entry: 0 read, 1 refused, 0 passed over" in done.stdout
    assert peak < 250 * 1024 * 1024, f"peak RSS {peak / 2**20:.0f} MB"
    # Raising the size limit does not let it in: its compression ratio gives it away.
    done, peak = _import_peak_rss(tmp_path / "corpus.sqlite", "--max-doc-mb", "500", str(bomb))
    assert done.returncode == 1
    assert "refused as a likely zip bomb" in done.stderr
    assert peak < 250 * 1024 * 1024, f"peak RSS {peak / 2**20:.0f} MB"


def test_the_issues_zip_of_three_entries_reports_three(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("../../evil.txt", "Jakarta kota besar.")
        z.writestr("/abs/evil2.txt", "Bandung kota kembang.")
        z.writestr("ok.txt", "Surabaya kota pahlawan.")
    done = annotator(tmp_path / "corpus.sqlite", "import", str(archive))
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "imported 1 document with 0 spans from 1 file; skipped 0 duplicates; refused 2",
        "3 files and zip entries: 1 read, 2 refused, 0 passed over",
    ]
    assert f"refused: {archive}!../../evil.txt: unsafe path in the zip" in done.stderr
    assert f"refused: {archive}!/abs/evil2.txt: unsafe path in the zip" in done.stderr


def test_a_document_over_the_limit_in_a_file_of_several_is_refused_alone(tmp_path):
    import json

    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"text": "Jakarta kota besar."}) + "\n")
        out.write(json.dumps({"text": "kata " * 500_000}) + "\n")  # 2.4 MB of text
        out.write(json.dumps({"text": "Surabaya kota pahlawan."}) + "\n")
    done = annotator(tmp_path / "c.sqlite", "import", "--max-doc-mb", "2", str(corpus))
    assert done.returncode == 1
    assert "the document holds 2.4 MB of text, more than a document may (2 MB)" in done.stderr
    assert done.stdout.startswith("imported 2 documents")


@pytest.mark.parametrize("value", ["0", "-1", "lots", "inf"])
def test_a_bad_limit_is_a_usage_error(tmp_path, value):
    done = annotator(tmp_path / "c.sqlite", "import", "--max-doc-mb", value, str(tmp_path))
    assert done.returncode == 2
    assert f"give a number of megabytes above 0, not '{value}'" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_export_to_stdout_is_the_data_alone(corpus):
    done = annotator(corpus, "export", "--format", "jsonl", "--out", "/dev/stdout")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["title"].startswith("Rusia Tawarkan")
    assert "exported 1 document with 0 spans to /dev/stdout" in done.stderr


def test_an_unwritable_preferences_folder_is_one_line(tmp_path, corpus):
    blocked = tmp_path / "config"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    done = annotator(corpus, "backup", "--keep", "3", env={"ANNOTATOR_CONFIG_DIR": str(blocked)})
    assert done.returncode == 2
    assert "--keep: cannot write the preference" in _one_error_line(done.stderr)
