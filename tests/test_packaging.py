"""Packaging: the wheel must carry the label schema, the seed article and the migrations,
so that an installed `annotator` works outside the checkout.

The full check (build the wheel, install it in a fresh venv, run it) is slow and needs the
package index; it runs only with ANNOTATOR_TEST_WHEEL=1:

    ANNOTATOR_TEST_WHEEL=1 ./run.sh test tests/test_packaging.py
"""

from __future__ import annotations

import fnmatch
import json
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
MIGRATIONS = "annotator/store/migrations"


def _wheel_config() -> dict:
    return PYPROJECT["tool"]["hatch"]["build"]["targets"]["wheel"]


# ---------------------------------------------------------------- cheap, always on


def test_pyproject_force_includes_resources_and_seeds():
    force = _wheel_config().get("force-include", {})
    assert force.get("resources") == "annotator/resources"
    assert force.get("seeds") == "annotator/seeds"
    # ... and the folders they name hold what the program reads at run time
    assert (ROOT / "resources" / "labels" / "default.json").is_file()
    assert list((ROOT / "seeds").glob("*.txt")), "seeds/ holds no seed article"


def test_pyproject_ships_the_migrations_inside_the_package():
    wheel = _wheel_config()
    assert "annotator" in wheel.get("packages", []), "the wheel must be built from annotator/"
    # The migrations travel with the package folder; nothing may exclude them.
    for pattern in wheel.get("exclude", []) + PYPROJECT["tool"]["hatch"]["build"].get(
        "exclude", []
    ):
        assert not fnmatch.fnmatch(f"{MIGRATIONS}/env.py", pattern), pattern
        assert "migrations" not in pattern, pattern
    assert (ROOT / MIGRATIONS / "env.py").is_file()
    assert list((ROOT / MIGRATIONS / "versions").glob("*.py"))


def test_pyproject_entry_points():
    project = PYPROJECT["project"]
    assert project["scripts"]["annotator"] == "annotator.cli:main"
    assert project["gui-scripts"]["annotator-gui"] == "annotator.gui_launcher:main"


# ---------------------------------------------------------------- slow: build, install, run

wheel_test = pytest.mark.skipif(
    os.environ.get("ANNOTATOR_TEST_WHEEL") != "1",
    reason="slow (builds and installs the wheel): set ANNOTATOR_TEST_WHEEL=1",
)


def _run(args, *, cwd, env, timeout=900, check=True) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,  # a failure is reported below, with the output
    )
    if check and proc.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, args))} exited {proc.returncode}\n"
            f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}"
        )
    return proc


@wheel_test
def test_wheel_installs_and_runs_outside_the_checkout(tmp_path):
    # An environment that points at nothing in the checkout.
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANNOTATOR_")}
    env.pop("PYTHONPATH", None)
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg-config")
    env["XDG_CACHE_HOME"] = os.environ.get("XDG_CACHE_HOME", str(Path.home() / ".cache"))
    work = tmp_path / "work"
    work.mkdir()

    # 1. build the wheel
    dist = tmp_path / "dist"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, ROOT],
        cwd=work,
        env=env,
    )
    wheels = list(dist.glob("annotator-*.whl"))
    assert len(wheels) == 1, wheels

    # 2. it carries the data the program reads at run time
    names = set(zipfile.ZipFile(wheels[0]).namelist())
    assert "annotator/resources/labels/default.json" in names
    seeds = [n for n in names if fnmatch.fnmatch(n, "annotator/seeds/*.txt")]
    assert seeds, "no seed article in the wheel"
    assert f"{MIGRATIONS}/env.py" in names
    assert [n for n in names if fnmatch.fnmatch(n, f"{MIGRATIONS}/versions/*.py")]
    assert not [n for n in names if n.endswith(".pyc") or "__pycache__" in n]

    # 3. install it (dependencies from the index) into a fresh venv
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=work, env=env)
    py = venv / "bin" / "python"
    _run([py, "-m", "pip", "install", "-q", wheels[0]], cwd=work, env=env)
    annotator = venv / "bin" / "annotator"
    assert annotator.is_file() and (venv / "bin" / "annotator-gui").is_file()

    # the installed copy is the one that runs, with its data inside it
    where = _run(
        [
            py,
            "-c",
            (
                "import annotator, annotator.shipped_data as r; print(annotator.__file__); "
                "print(r.resources_dir()); print(r.seeds_dir())"
            ),
        ],
        cwd=work,
        env=env,
    ).stdout.split()
    for path in where:
        assert Path(path).resolve().is_relative_to(venv.resolve()), where

    # 4. --version
    version = _run([annotator, "--version"], cwd=work, env=env).stdout
    assert PYPROJECT["project"]["version"] in version

    # 5. import + export of the seed article on a database named with --db (starts empty)
    seed = next((ROOT / "seeds").glob("*.txt"))
    db = tmp_path / "t.sqlite"
    _run([annotator, "--db", db, "import", seed], cwd=work, env=env)
    out = tmp_path / "out.jsonl"
    _run([annotator, "--db", db, "export", "--format", "jsonl", "--out", out], cwd=work, env=env)
    docs = [
        json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    assert len(docs) == 1, docs
    assert "MOSKOW -- Menteri luar negeri" in docs[0]["text"]
    assert "Sergey Lavrov" in docs[0]["text"]

    # 6. the default database (platformdirs user data dir here) gets the seed from the wheel
    listing = _run([annotator, "docs"], cwd=work, env=env).stdout
    assert "Rusia" in listing, listing
    made = [p for p in (tmp_path / "xdg-data").rglob("*") if p.is_file()]
    assert made, "the default database was not made in the user data dir (XDG_DATA_HOME)"
