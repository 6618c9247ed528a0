"""A whole session the way a user runs it: the real program in a process of its own on the X
server, the seed imported with the command line first, driven with keys through the X server.

Nothing of the app is imported here: what it did is read from its database file while it
runs, its exit code and its stderr are checked (a Qt warning or a traceback there is a bug).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
SECOND = "Jokowi berkunjung ke Surabaya. Gubernur Jawa Timur menyambutnya di Surabaya.\n"


@pytest.fixture
def app_env(tmp_path, x_server):
    """A user's environment on the test display, with a home of its own (settings, data)."""
    home = tmp_path / "home"
    runtime = tmp_path / "runtime"
    home.mkdir()
    runtime.mkdir(mode=0o700)
    env = {
        k: v for k, v in x_server.env.items() if not k.startswith(("ANNOTATOR_", "PYTEST", "QT_"))
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_RUNTIME_DIR=str(runtime),
        QT_QPA_PLATFORM="xcb",
        ANNOTATOR_NAME="analyst",
        LANG="C.UTF-8",
    )
    return env


def cli(env, *args):
    done = subprocess.run(
        [str(BIN / "annotator"), *args],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, f"annotator {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


class Database:
    """The app's database file as a second program reads it, polled until a condition holds."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> dict:
        from annotator.workspace import Workspace

        with Workspace.open(self.path, annotator="reader", upgrade=False) as ws:
            docs = ws.documents()
            return {
                "docs": [(d.id, str(d.status)) for d in docs],
                "spans": {
                    d.id: sorted(
                        (s.start, s.end, s.label, s.text, str(s.origin))
                        for s in ws.document(d.id).spans
                    )
                    for d in docs
                },
                **{
                    state: sorted(
                        (doc_id, s.start, s.end, s.label, s.text)
                        for doc_id, s in ws.suggestions(states=(state,))
                    )
                    for state in ("pending", "accepted", "rejected", "corrected")
                },
            }

    def wait(self, what: str, condition, timeout: float = 10.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            state = self.read()
            if condition(state):
                return state
            if time.monotonic() > deadline:
                raise AssertionError(f"the database never showed: {what}\n{state}")
            time.sleep(0.05)


def test_a_session_driven_through_the_x_server(tmp_path, app_env, x_server):
    db_path = tmp_path / "session.sqlite"
    docs = tmp_path / "more"
    docs.mkdir()
    (docs / "surabaya.txt").write_text(SECOND, encoding="utf-8")
    importer = {
        **app_env,
        "ANNOTATOR_NAME": "data-person",
    }  # the analyst opens what someone else imported
    cli(importer, "--db", str(db_path), "import", str(ROOT / "seeds"))
    cli(importer, "--db", str(db_path), "import", str(docs))
    db = Database(db_path)
    seed_id, second_id = [doc_id for doc_id, _ in db.read()["docs"]]

    stderr_path, stdout_path = tmp_path / "stderr.txt", tmp_path / "stdout.txt"
    started = time.monotonic()
    with open(stderr_path, "wb") as stderr, open(stdout_path, "wb") as stdout:
        app = subprocess.Popen(
            [str(BIN / "annotator"), "gui", "--db", str(db_path)],
            env=app_env,
            stdout=stdout,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
        )
    try:
        run_session(app, db, x_server, seed_id, second_id)
        rc = app.wait(timeout=15)
    except BaseException as exc:
        windows = _windows(x_server, app.pid)
        raise AssertionError(
            f"{exc}\nthe app's windows: {windows}\nexit code: {app.poll()}\n"
            f"stderr so far:\n{stderr_path.read_text(errors='replace')}"
        ) from exc
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    seconds = time.monotonic() - started
    stderr_text = stderr_path.read_text(errors="replace")
    assert rc == 0, f"exit code {rc}; stderr:\n{stderr_text}"
    assert stderr_text == "", f"the session wrote to stderr:\n{stderr_text}"

    final = db.read()
    assert dict(final["docs"])[seed_id] == "done"
    assert dict(final["docs"])[second_id] != "done"
    seed_spans = final["spans"][seed_id]
    assert (0, 26, "DATE", "Ahad 25 Oct 2015 07:45 WIB", "rule") in seed_spans  # Tab, Return
    assert (seed_id, 28, 33, "LOC", "Rusia") in final["rejected"]  # Tab, x
    assert (
        34,
        48,
        "LOC",
        "Tawarkan Kerja",
        "manual",
    ) in seed_spans  # Shift+Right, l, ], }, undo, redo
    assert not [s for s in seed_spans if s[0] >= 1900]  # Shift+Tab, Return, then Ctrl+Tab, Delete
    assert [s for s in final["pending"] if s[0] == second_id], (
        "the corpus run made the second one's suggestions"
    )
    print(f"session: {seconds:.1f} s from start to exit")


def run_session(app, db, x, seed_id, second_id):
    key = x.key
    # The window, found as a user's tools find it: by its title, shown on the screen.
    found = x.xdotool(
        "search",
        "--sync",
        "--all",
        "--onlyvisible",
        "--pid",
        str(app.pid),
        "--name",
        "annotator",
        timeout=30,
    ).split()
    assert len(found) == 1, f"windows found: {found}"
    window_id = int(found[0])
    x.focus(window_id)
    # First start: the rules run off the GUI thread; wait until their suggestions are in.
    state = db.wait(
        "the seed's suggestions", lambda s: any(p[0] == seed_id for p in s["pending"]), timeout=20
    )
    pending = [p for p in state["pending"] if p[0] == seed_id]
    first, second, last = pending[0], pending[1], pending[-1]
    assert first[1:] == (0, 26, "DATE", "Ahad 25 Oct 2015 07:45 WIB") and second[1:3] == (28, 33)
    time.sleep(0.5)  # the window shows them once the worker reports (a user sees them appear)

    key("Tab", "Return")  # next suggestion, accept
    db.wait("the first suggestion accepted", lambda s: first in s["accepted"])
    key("Tab", "x")  # next, reject
    db.wait("the second suggestion rejected", lambda s: second in s["rejected"])
    key("shift+Tab", "Return")  # previous (wraps to the last one), accept
    db.wait("the last suggestion accepted", lambda s: last in s["accepted"])

    # By hand: the title's first two words, with Shift+Right, labelled LOC with its letter.
    key("ctrl+Home", "Down", "Down", *["shift+Right"] * len("Rusia Tawarkan"), "l")
    span = (28, 42, "LOC", "Rusia Tawarkan", "manual")
    db.wait("the labelled selection", lambda s: span in s["spans"][seed_id])
    key("bracketright")  # start one token right
    span = (34, 42, "LOC", "Tawarkan", "manual")
    db.wait("] moved the start", lambda s: span in s["spans"][seed_id])
    key("braceright")  # end one token right
    moved = (34, 48, "LOC", "Tawarkan Kerja", "manual")
    db.wait("} moved the end", lambda s: moved in s["spans"][seed_id])
    key("ctrl+z")
    db.wait(
        "undo put the end back",
        lambda s: span in s["spans"][seed_id] and moved not in s["spans"][seed_id],
    )
    key("ctrl+shift+z")
    db.wait(
        "redo moved it again",
        lambda s: moved in s["spans"][seed_id] and span not in s["spans"][seed_id],
    )
    key("ctrl+Tab", "Delete")  # the next span is the accepted last suggestion: delete it
    db.wait(
        "Ctrl+Tab, Delete removed the last span",
        lambda s: (*last[1:], "rule") not in s["spans"][seed_id],
    )

    # All rules over the corpus: the second document, never opened, gets its suggestions.
    key("ctrl+shift+u")
    db.wait("the corpus run", lambda s: any(p[0] == second_id for p in s["pending"]), timeout=30)
    deadline = time.monotonic() + 10
    while _visible(x, app.pid, "Run all rules"):
        assert time.monotonic() < deadline, "the progress dialog stayed open"
        time.sleep(0.05)
    _focus_back(x, window_id)

    key("ctrl+Return")  # mark done, open the next one not done
    db.wait("the seed marked done", lambda s: dict(s["docs"])[seed_id] == "done")
    key("ctrl+q")


def _windows(x, pid) -> list[str]:
    done = subprocess.run(
        ["xdotool", "search", "--all", "--onlyvisible", "--pid", str(pid), "--name", "."],
        check=False,
        env=x.env,
        capture_output=True,
        text=True,
        timeout=10,
    )
    names = []
    for wid in done.stdout.split():
        name = subprocess.run(
            ["xdotool", "getwindowname", wid],
            check=False,
            env=x.env,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        names.append(f"{wid} {name!r}")
    return names


def _visible(x, pid, name) -> bool:
    done = subprocess.run(
        ["xdotool", "search", "--all", "--onlyvisible", "--pid", str(pid), "--name", name],
        check=False,
        env=x.env,
        capture_output=True,
        text=True,
        timeout=10,
    )
    return bool(done.stdout.split())


def _focus_back(x, window_id) -> None:
    """No window manager here: when a dialog goes, X gives the focus to the root window, where a
    desktop's window manager gives it back to the main window. Do what it does, when needed."""
    focused = subprocess.run(
        ["xdotool", "getwindowfocus"],
        check=False,
        env=x.env,
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout.strip()
    if focused != str(window_id):
        x.focus(window_id)
