"""A launcher for the current user's desktop (freedesktop/XDG): `annotator install-desktop`.

Installs resources/annotator.desktop into $XDG_DATA_HOME/applications (default ~/.local/share)
with Exec pointing at the absolute path of this installation's `annotator-gui`, and the icon
into the hicolor theme there; `uninstall-desktop` removes exactly those files. Pure Python: no
Qt, no database.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from annotator.shipped_data import resources_dir

APP_ID = "annotator"
ICON_SIZES = (16, 32, 48, 64, 128, 256)
LAUNCHER = "annotator-gui"


def data_home(env: Mapping[str, str] | None = None) -> Path:
    """$XDG_DATA_HOME, or ~/.local/share when it is unset, empty or relative (as the spec says)."""
    env = os.environ if env is None else env
    value = env.get("XDG_DATA_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".local" / "share"


def launcher_command() -> list[str]:
    """The command that opens the window, as absolute paths: this installation's `annotator-gui`
    (beside the running python first, so a venv's own script wins over another one on PATH);
    in a PyInstaller bundle, the bundle's executable with `gui`."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve()), "gui"]
    names = [LAUNCHER + ".exe", LAUNCHER] if os.name == "nt" else [LAUNCHER]
    # not resolved: a venv's python is a symlink to the system one,
    # whose folder has no annotator-gui
    beside = Path(sys.executable).absolute().parent
    for name in names:
        if (beside / name).is_file():
            return [str(beside / name)]
    found = shutil.which(LAUNCHER)
    if found:
        return [str(Path(found).absolute())]
    raise FileNotFoundError(
        f"cannot find the {LAUNCHER} script beside {sys.executable} or on PATH: "
        "install annotator with pip (pip install -e . in a checkout) first"
    )


_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def exec_quote(arg: str) -> str:
    """One argument of an Exec key, quoted as the Desktop Entry spec asks, then escaped as a
    string value."""
    if any(c in _RESERVED for c in arg):
        inner = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        arg = f'"{inner}"'
    # the value of the key is itself a string: a backslash is written twice there; % is a field code
    return arg.replace("\\", "\\\\").replace("%", "%%")


def desktop_entry(command: list[str]) -> str:
    """The shipped .desktop file with Exec (and TryExec) pointing at ``command``."""
    text = (resources_dir() / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    lines = []
    for line in text.splitlines():
        if line.startswith("Exec="):
            line = "Exec=" + " ".join(exec_quote(a) for a in command)
        elif line.startswith("TryExec="):
            line = "TryExec=" + command[0].replace("\\", "\\\\")
        lines.append(line)
    return "\n".join(lines) + "\n"


def planned_files(home: Path) -> list[tuple[Path, Path | None]]:
    """(destination, source) of every installed file.

    The .desktop file's source is None (it is generated).
    """
    icons = resources_dir() / "icons"
    hicolor = home / "icons" / "hicolor"
    files: list[tuple[Path, Path | None]] = [(home / "applications" / f"{APP_ID}.desktop", None)]
    files += [
        (hicolor / f"{n}x{n}" / "apps" / f"{APP_ID}.png", icons / f"{APP_ID}-{n}.png")
        for n in ICON_SIZES
    ]
    files.append((hicolor / "scalable" / "apps" / f"{APP_ID}.svg", icons / f"{APP_ID}.svg"))
    return files


@dataclass
class Report:
    written: list[Path] = field(default_factory=list)  # new or changed
    unchanged: list[Path] = field(default_factory=list)  # already there with the same bytes
    removed: list[Path] = field(default_factory=list)
    refreshed: list[str] = field(default_factory=list)  # cache tools that ran


def install(home: Path | None = None, command: list[str] | None = None) -> Report:
    home = data_home() if home is None else home
    command = launcher_command() if command is None else command
    report = Report()
    for dest, source in planned_files(home):
        data = desktop_entry(command).encode("utf-8") if source is None else source.read_bytes()
        if dest.is_file() and dest.read_bytes() == data:
            report.unchanged.append(dest)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + ".tmp")
        tmp.write_bytes(data)
        tmp.chmod(0o644)
        os.replace(tmp, dest)
        report.written.append(dest)
    report.refreshed = refresh_caches(home)
    return report


def uninstall(home: Path | None = None) -> Report:
    home = data_home() if home is None else home
    report = Report()
    for dest, _ in planned_files(home):
        if dest.is_file() or dest.is_symlink():
            dest.unlink()
            report.removed.append(dest)
    report.refreshed = refresh_caches(home)
    return report


def refresh_caches(home: Path) -> list[str]:
    """Tell the desktop about the change, with the tools that are there; failures do not matter
    (menus also notice new files by themselves). An icon cache is only updated, never created:
    a stale user cache would hide icons that other programs add later."""
    runs: list[list[str]] = []
    if shutil.which("update-desktop-database") and (home / "applications").is_dir():
        runs.append(["update-desktop-database", "-q", str(home / "applications")])
    hicolor = home / "icons" / "hicolor"
    if shutil.which("gtk-update-icon-cache") and (hicolor / "icon-theme.cache").is_file():
        runs.append(["gtk-update-icon-cache", "-q", "-t", "-f", str(hicolor)])
    done = []
    for args in runs:
        try:
            subprocess.run(
                args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        done.append(args[0])
    return done


def main(command: str) -> int:
    """`annotator install-desktop` / `annotator uninstall-desktop`: do it, and say what changed."""
    try:
        if command == "install-desktop":
            report = install()
        else:
            report = uninstall()
    except OSError as exc:
        print(f"annotator: error: {exc}", file=sys.stderr)
        return 1
    for path in report.written:
        print(f"wrote {path}")
    for path in report.unchanged:
        print(f"unchanged {path}")
    for path in report.removed:
        print(f"removed {path}")
    if command == "uninstall-desktop" and not report.removed:
        print("nothing to remove: the launcher is not installed")
    for tool in report.refreshed:
        print(f"ran {tool}")
    return 0
