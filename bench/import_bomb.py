"""What hostile and ordinary zips cost `annotator import`: time and peak memory, each import in a
process of its own.

    python bench/import_bomb.py [--articles 1000]

Cases: a zip bomb (one 150 MB member in about 300 KB), a zip of 40 members of 30 MB each of
prose-like text (1.2 GB uncompressed, over the 1 GB a zip may inflate), and a zip of ordinary
articles. Prints seconds, peak RSS and what the import said.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

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


def _bomb(path: Path) -> None:
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z,
        z.open("big.txt", "w", force_zip64=True) as member,
    ):
        for _ in range(150):
            member.write(b"kata " * 200_000)


def _prose(size: int, rng: random.Random) -> bytes:
    line = " ".join(rng.choice(WORDS) for _ in range(2000)).encode() + b"\n"
    return line * (size // len(line) + 1)


def _wide(path: Path) -> None:
    rng = random.Random(7)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for n in range(40):
            # 30 MB a member, as a file of several documents may be (JSONL lines).
            z.writestr(f"part{n:02d}.jsonl", _prose(30 * 1024 * 1024, rng)[: 30 * 1024 * 1024])


def _articles(path: Path, count: int) -> None:
    rng = random.Random(3)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n in range(count):
            words = " ".join(rng.choice(WORDS) for _ in range(400))
            z.writestr(f"news/{n:05d}.txt", f"Berita {n}\n\n{words}.\n")


def _run(db: Path, archive: Path) -> tuple[float, int, str]:
    wrapper = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "print(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", wrapper, sys.executable, "-m", "annotator", "--db", str(db)]
        + ["import", str(archive)],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - began
    said, peak = done.stdout.strip().rsplit("\n", 1)
    return seconds, int(peak) * 1024, said


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-bomb-"))
    cases = {
        "zip bomb (150 MB in one member)": (folder / "bomb.zip", _bomb),
        "40 members x 30 MB (1.2 GB)": (folder / "wide.zip", _wide),
        f"{args.articles} ordinary articles": (
            folder / "articles.zip",
            lambda p: _articles(p, args.articles),
        ),
    }
    print(
        f"peak RSS of the parent process (the bench itself): "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    for name, (archive, make) in cases.items():
        make(archive)
        seconds, peak, said = _run(folder / f"{archive.stem}.sqlite", archive)
        size = archive.stat().st_size / 2**20
        print(f"{name}: zip {size:.1f} MB, {seconds:.2f} s, peak RSS {peak / 2**20:.0f} MB; {said}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
