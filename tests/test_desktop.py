"""The launcher to double-click: the icon, the freedesktop entry, `annotator install-desktop` /
`uninstall-desktop` (into XDG_DATA_HOME=tmp), and the PyInstaller spec (`./run.sh bundle` builds
and smoke-tests the bundle itself; too slow for the suite)."""

from __future__ import annotations

import ast
import configparser
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from annotator import desktop
from annotator.cli import main

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
SHIPPED = RESOURCES / "annotator.desktop"
VALIDATE = shutil.which("desktop-file-validate")
needs_validator = pytest.mark.skipif(
    VALIDATE is None,
    reason="desktop-file-validate is not installed (apt-get install desktop-file-utils)",
)


def _entry(path: Path) -> dict[str, str]:
    parser = configparser.RawConfigParser(delimiters=("=",), interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def _validate(path: Path) -> None:
    proc = subprocess.run([str(VALIDATE), str(path)], check=False, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip() == "", proc.stdout  # not even a hint


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


# ---------------------------------------------------------------- shipped files


def test_icon_svg_and_png_sizes():
    svg = (RESOURCES / "icons" / "annotator.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for colour in ("#D55E00", "#0072B2", "#009E73", "#E69F00"):  # the label palette
        assert colour in svg
    for size in desktop.ICON_SIZES:
        assert _png_size(RESOURCES / "icons" / f"annotator-{size}.png") == (size, size)


def test_shipped_desktop_entry_keys():
    entry = _entry(SHIPPED)
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Annotator"
    assert entry["GenericName"] and entry["Comment"]
    assert entry["Exec"] == "annotator-gui"
    assert entry["Icon"] == "annotator"
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";") and "Office" in entry["Categories"].split(";")
    assert entry["StartupWMClass"] == "annotator"  # the QApplication's applicationName (WM_CLASS)


@needs_validator
def test_shipped_desktop_entry_validates():
    _validate(SHIPPED)


def test_desktop_module_is_pure_python():
    tree = ast.parse((ROOT / "annotator" / "desktop.py").read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    assert not imported & {"PySide6", "sqlalchemy", "alembic"}


# ---------------------------------------------------------------- install / uninstall


@pytest.fixture
def xdg(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    # neither command may open (and so create) a database
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "must-not-exist.sqlite"))
    return home


def _installed(home: Path) -> list[Path]:
    hicolor = home / "icons" / "hicolor"
    return [
        home / "applications" / "annotator.desktop",
        hicolor / "scalable" / "apps" / "annotator.svg",
    ] + [hicolor / f"{n}x{n}" / "apps" / "annotator.png" for n in (16, 32, 48, 64, 128, 256)]


def test_install_then_uninstall(xdg, tmp_path, capsys):
    assert main(["install-desktop"]) == 0
    out = capsys.readouterr().out
    for path in _installed(xdg):
        assert path.is_file(), path
        assert f"wrote {path}" in out
    assert (xdg / "icons/hicolor/48x48/apps/annotator.png").read_bytes() == (
        RESOURCES / "icons" / "annotator-48.png"
    ).read_bytes()

    entry = _entry(xdg / "applications" / "annotator.desktop")
    launcher = Path(sys.executable).absolute().parent / (
        "annotator-gui.exe" if os.name == "nt" else "annotator-gui"
    )
    assert launcher.is_file(), "the test venv has no annotator-gui: pip install -e ."
    assert entry["Exec"] == str(launcher)
    assert entry["TryExec"] == str(launcher)
    assert os.path.isabs(entry["Exec"]) and os.access(entry["Exec"], os.X_OK)
    assert entry["Icon"] == "annotator"
    assert not (tmp_path / "must-not-exist.sqlite").exists()

    # idempotent: again changes nothing
    assert main(["install-desktop"]) == 0
    out = capsys.readouterr().out
    assert "wrote" not in out and out.count("unchanged ") == len(_installed(xdg))

    assert main(["uninstall-desktop"]) == 0
    out = capsys.readouterr().out
    for path in _installed(xdg):
        assert not path.exists(), path
        assert f"removed {path}" in out
    # ... and again: nothing left to remove, not an error
    assert main(["uninstall-desktop"]) == 0
    assert "nothing to remove" in capsys.readouterr().out
    assert not (tmp_path / "must-not-exist.sqlite").exists()


def test_uninstall_leaves_other_files(xdg):
    other = xdg / "applications" / "other.desktop"
    other.parent.mkdir(parents=True)
    other.write_text("[Desktop Entry]\n", encoding="utf-8")
    desktop.install(xdg, ["/opt/x/annotator-gui"])
    desktop.uninstall(xdg)
    assert other.is_file()
    assert {p.name for p in (xdg / "applications").iterdir()} <= {"other.desktop", "mimeinfo.cache"}


@needs_validator
def test_installed_entry_validates(xdg):
    desktop.install()
    _validate(xdg / "applications" / "annotator.desktop")


@needs_validator
def test_exec_with_spaces_and_quotes_validates(tmp_path):
    odd = ["/home/a b/v$env/bin/annotator-gui", "gui"]
    desktop.install(tmp_path, odd)
    path = tmp_path / "applications" / "annotator.desktop"
    _validate(path)
    # the string value unescaped (\\ -> \), then the Exec quoting: "a b" with \$
    assert _entry(path)["Exec"] == '"/home/a b/v\\\\$env/bin/annotator-gui" gui'


def test_data_home_follows_xdg():
    assert desktop.data_home({"XDG_DATA_HOME": "/x/y"}) == Path("/x/y")
    assert desktop.data_home({"XDG_DATA_HOME": "relative"}) == Path.home() / ".local" / "share"
    assert desktop.data_home({}) == Path.home() / ".local" / "share"


# ---------------------------------------------------------------- the bundle's spec


def test_bundle_spec_lists_the_package_data():
    spec = (RESOURCES / "packaging" / "annotator.spec").read_text(encoding="utf-8")
    for needed in (
        '"resources"',
        '"seeds"',
        '"migrations"',
        "annotator/resources",
        "annotator/seeds",
        "annotator/store/migrations",
        "bundle_entry.py",
        "sqlalchemy.dialects.sqlite",
        "libqoffscreen.so",
        "libqxcb.so",
    ):
        assert needed in spec, needed
    assert (RESOURCES / "packaging" / "bundle_entry.py").is_file()
    run_sh = (ROOT / "run.sh").read_text(encoding="utf-8")
    assert "= bundle ]" in run_sh and "resources/packaging/annotator.spec" in run_sh
    # the build output stays out of git
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "build/" in ignored and "dist/" in ignored
