"""What one input may cost an import, and every zip entry accounted for (issue 16, points 3, 4)."""

from __future__ import annotations

import os
import random
import stat
import zipfile

import pytest

from annotator.core.errors import Problem
from annotator.core.import_limits import MB, ImportLimits
from annotator.io.base import Notice, SourceFile
from annotator.io.collect import collect, count_sources

WORDS = [
    "presiden",
    "rusia",
    "menteri",
    "luar",
    "negeri",
    "kota",
    "jakarta",
    "bandung",
    "surabaya",
    "kerja",
    "sama",
]


def random_text(size: int, seed: int = 1) -> bytes:
    """Text that compresses like prose (a few times, not a thousand)."""
    pick = random.Random(seed).choice
    out = bytearray()
    while len(out) < size:
        out += " ".join(pick(WORDS) for _ in range(1000)).encode() + b"\n"
    return bytes(out[:size])


def _by_kind(items):
    read = [i.name for i in items if isinstance(i, SourceFile)]
    refused = {i.file: i.reason for i in items if isinstance(i, Problem)}
    passed = {i.file: i.message for i in items if isinstance(i, Notice)}
    return read, refused, passed


def test_every_zip_entry_is_read_or_refused_with_its_reason(tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("../../evil.txt", "Jakarta kota besar.")
        z.writestr("/abs/evil2.txt", "Bandung kota kembang.")
        z.writestr("C:/windows/evil3.txt", "Medan.")
        z.writestr("news/ok.txt", "Surabaya kota pahlawan.")
        z.writestr("news/", "")  # a folder: not an entry of its own
        z.writestr("__MACOSX/news/._ok.txt", "metadata")
        z.writestr(".DS_Store", "metadata")
        z.writestr("annotation.conf", "[entities]")
        z.writestr("README.md", "# about")
        link = zipfile.ZipInfo("news/link.txt")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(link, "/etc/passwd")
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(archive, "a") as z:
        z.writestr("news/ok.txt", "A second entry of the same name.")
    items = list(collect([archive]))
    read, refused, passed = _by_kind(items)
    entry = f"{archive}!"
    assert read == [f"{entry}news/ok.txt"]
    assert refused == {
        f"{entry}../../evil.txt": "unsafe path in the zip: it climbs out of the archive with '..'",
        f"{entry}/abs/evil2.txt": "unsafe path in the zip: an absolute path",
        f"{entry}C:/windows/evil3.txt": "unsafe path in the zip: an absolute path",
        f"{entry}news/link.txt": "a symbolic link, not a file",
        f"{entry}news/ok.txt": "another entry of the same name follows in the zip (the last one is "
        "read, as unzip would leave it)",
    }
    assert passed == {
        f"{entry}__MACOSX/news/._ok.txt": "skipped: hidden (a dot file, or macOS metadata)",
        f"{entry}.DS_Store": "skipped: hidden (a dot file, or macOS metadata)",
        f"{entry}annotation.conf": "skipped: brat's configuration, not a document",
        f"{entry}README.md": "skipped: not a document format",
    }
    # The totals add up: one item per entry (the folder aside), counted before reading too.
    assert len(items) == 10 == count_sources([archive])
    # The last of the two same-named entries is the one read.
    assert next(i for i in items if isinstance(i, SourceFile)).data == (
        b"A second entry of the same name."
    )


def test_an_encrypted_entry_is_refused(tmp_path):
    archive = tmp_path / "locked.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "Jakarta.")
        z.writestr("b.txt", "Encrypted, as its flags will say.")
    # Python writes no encrypted zips: set b.txt's "encrypted" flag in both of its headers.
    data = bytearray(archive.read_bytes())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        header = data.rindex(signature)  # b.txt's: the last of each kind
        data[header + flags_at] |= 0x1
    archive.write_bytes(bytes(data))
    _, refused, _ = _by_kind(list(collect([archive])))
    assert refused == {f"{archive}!b.txt": "encrypted: annotator does not read encrypted zips"}


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    archive = tmp_path / "bomb.zip"
    with (
        zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z,
        z.open("big.txt", "w", force_zip64=True) as member,
    ):
        for _ in range(40):
            member.write(b"kata " * 100_000)  # 20 MB of one word, 20 KB compressed
    assert archive.stat().st_size < 200_000
    _, refused, _ = _by_kind(list(collect([archive])))
    assert refused == {
        f"{archive}!big.txt": "19 MB, more than a document may be (10 MB); --max-doc-mb raises "
        "the limit"
    }
    # Allowed by size, still refused by its compression ratio.
    _, refused, _ = _by_kind(list(collect([archive], ImportLimits(max_document_mb=50))))
    reason = refused[f"{archive}!big.txt"]
    assert reason.startswith("inflates ") and "refused as a likely zip bomb" in reason


def test_a_zip_whose_members_add_up_to_too_much_is_read_up_to_its_limit(tmp_path):
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for n in range(5):
            z.writestr(f"doc{n}.txt", random_text(3 * MB, seed=n))
    limits = ImportLimits(max_zip_mb=10)
    read, refused, _ = _by_kind(list(collect([archive], limits)))
    assert read == [f"{archive}!doc{n}.txt" for n in range(3)]
    full = "the zip's members add up to more than 10 MB uncompressed; --max-zip-mb raises the limit"
    assert refused == {f"{archive}!doc3.txt": full, f"{archive}!doc4.txt": full}


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(random_text(3 * MB))
    jsonl = tmp_path / "many.jsonl"
    jsonl.write_bytes(b'{"text": "Jakarta."}\n' * 200_000)  # 4 MB of small documents
    limits = ImportLimits(max_document_mb=2, max_file_mb=3)
    _, refused, _ = _by_kind(list(collect([big, jsonl], limits)))
    assert refused == {
        str(big): "3.0 MB, more than a document may be (2.0 MB); --max-doc-mb raises the limit",
        str(jsonl): "4.0 MB, more than a file of several documents may be (3.0 MB); "
        "--max-file-mb raises the limit",
    }
    read, refused, _ = _by_kind(list(collect([big, jsonl], ImportLimits())))
    assert read == [str(big), str(jsonl)] and not refused


def test_a_pipe_is_refused_instead_of_waited_on(tmp_path):
    fifo = tmp_path / "feed.txt"
    os.mkfifo(fifo)
    _, refused, _ = _by_kind(list(collect([fifo])))
    assert refused == {
        str(fifo): "not a regular file (a device, a pipe or a socket): nothing to read"
    }
