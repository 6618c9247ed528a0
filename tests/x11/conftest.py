"""Keys through a real X server: Xvfb, xkb and Qt's shortcut map, as a user's keyboard sends them.

``QTest.keyClick`` hands Qt a ready-made key event and skips all three, which is how
``{``, ``}`` and Shift+Tab once shipped dead. These tests press keys with ``xdotool key``
(XTEST: the X server turns the keysym into a keycode and modifiers, xkb maps it back, Qt
matches it against its shortcuts), in a pytest process of their own whose QApplication
runs on the ``xcb`` platform of a private Xvfb. ``./run.sh test`` runs them that way;
anywhere else (the offscreen run, a plain ``pytest``) they are skipped with the reason.

Every test fails on a Qt warning (e.g. "QAction::event: Ambiguous shortcut overload")
and, as pytest-qt does by default, on an exception raised in a slot.
"""

from __future__ import annotations

import atexit
import ctypes
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

HOW_TO_RUN = (
    "keys through a real X server: run them with `./run.sh test` (it installs Xvfb and xdotool "
    "and runs tests/x11 under a fresh Xvfb), or `QT_QPA_PLATFORM=xcb .venv/bin/python -m pytest "
    "tests/x11` (needs the Debian packages xvfb and xdotool)"
)
X11_DIR = Path(__file__).resolve().parent
# Two more small articles for the tests that walk between documents.
EXTRA_DOCS = {
    "b-surabaya.txt": (
        "Jokowi berkunjung ke Surabaya. Gubernur Jawa Timur menyambutnya di Surabaya.\n"
    ),
    "c-bandung.txt": "Ridwan Kamil meresmikan taman baru di Bandung pada Senin (2/11).\n",
}
XCB_KEY_RELEASE = 3
# Qt's key names (as the key map writes them) to X keysyms (as xdotool takes them).
KEYSYMS = {
    "PgDown": "Next",
    "PgUp": "Prior",
    "Return": "Return",
    "Enter": "KP_Enter",
    "Esc": "Escape",
    "Tab": "Tab",
    "Backspace": "BackSpace",
    "Delete": "Delete",
    "Home": "Home",
    "End": "End",
    "Left": "Left",
    "Right": "Right",
    "Up": "Up",
    "Down": "Down",
    "Space": "space",
    "[": "bracketleft",
    "]": "bracketright",
    "{": "braceleft",
    "}": "braceright",
    ",": "comma",
    ".": "period",
    "/": "slash",
    ";": "semicolon",
    "'": "apostrophe",
    "-": "minus",
    "=": "equal",
    "\\": "backslash",
    "`": "grave",
}
X_MODIFIERS = {"Ctrl": "ctrl", "Shift": "shift", "Alt": "alt", "Meta": "super"}


SERVER = pytest.StashKey[object]()  # the XServer, or why there is none (a message)
COVERED = pytest.StashKey[dict]()
COLLECTED_MODULES = pytest.StashKey[set]()


def x11_requested() -> bool:
    return os.environ.get("QT_QPA_PLATFORM") == "xcb"


def x11_required() -> bool:
    """In ./run.sh test a missing X server or xdotool is a failure, not a skip."""
    return os.environ.get("ANNOTATOR_REQUIRE_X11") == "1"


def xdotool_chord(key: str) -> str:
    """A key of the key map ("Ctrl+Shift+Z", "{", "Ctrl+PgDown") as the xdotool chord a user's
    fingers make."""
    *mods_written, name = (
        key.split("+") if not key.endswith("+") else [*key[:-1].split("+")[:-1], "+"]
    )
    modifiers = {m.strip().capitalize().replace("Control", "Ctrl") for m in mods_written}
    if len(name) == 1 and name.isalnum():
        sym = name.lower()
    elif name in KEYSYMS:
        sym = KEYSYMS[name]
    elif name[:1] == "F" and name[1:].isdigit():
        sym = name
    else:
        raise ValueError(f"no X keysym known for {key!r}")
    mods = [X_MODIFIERS[m] for m in ("Ctrl", "Alt", "Shift", "Meta") if m in modifiers]
    return "+".join(mods + [sym])


# -- collection: skip (or fail) unless this process runs on xcb ------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "action(id): the key-map action id an X11 test presses the key of"
    )
    config.addinivalue_line(
        "markers", "no_x11: a test of tests/x11 that needs no X server (runs everywhere)"
    )
    if x11_requested() and SERVER not in config.stash:
        config.stash[SERVER] = _start_server()


def pytest_unconfigure(config: pytest.Config) -> None:
    server = config.stash.get(SERVER, None)
    if isinstance(server, XServer):
        shutil.rmtree(
            server.tmp, ignore_errors=True
        )  # its log and runtime folder; Xvfb ends with the process


@pytest.hookimpl(
    tryfirst=True
)  # before -k/-m deselect: the coverage check sees every collected test
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    covered: dict[str, list[str]] = {}
    modules: set[str] = set()
    for item in items:
        path = Path(str(item.path)).resolve()
        if X11_DIR not in path.parents:
            continue
        modules.add(path.name)
        for mark in item.iter_markers("action"):
            for action_id in mark.args:
                covered.setdefault(action_id, []).append(item.nodeid)
        if item.get_closest_marker("no_x11"):
            continue
        if not x11_requested():
            if not x11_required():  # required: the x_server fixture fails each test instead
                item.add_marker(pytest.mark.skip(reason=HOW_TO_RUN))
        else:
            # Any Qt warning fails the test; nothing is ignored.
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(extend=False))
    config.stash[COVERED] = covered
    config.stash[COLLECTED_MODULES] = modules


@pytest.fixture(name="xdotool_chord")
def _xdotool_chord_fixture():
    return xdotool_chord


@pytest.fixture
def covered_actions(request) -> dict[str, list[str]]:
    """Action id -> the collected tests marked ``@pytest.mark.action(id)``; skips unless every
    module of tests/x11 was collected (a partial run cannot tell what is missing)."""
    modules = request.config.stash.get(COLLECTED_MODULES, set())
    wanted = {p.name for p in X11_DIR.glob("test_*.py")}
    if not wanted <= modules:
        pytest.skip(
            f"collect all of tests/x11 to check the coverage (missing: {sorted(wanted - modules)})"
        )
    return request.config.stash[COVERED]


# -- the X server ----------------------------------------------------------------------------------


def _libc_prctl():
    try:
        return ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def _die_with_parent() -> (
    None
):  # in the child, before exec: Xvfb ends when pytest's process ends, even on a crash
    prctl = _libc_prctl()
    if prctl is not None:
        prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class XServer:
    """A private Xvfb (or the display named by ANNOTATOR_X11_DISPLAY), and xdotool on it."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.process: subprocess.Popen | None = None
        self.display = os.environ.get("ANNOTATOR_X11_DISPLAY", "")
        if not self.display:
            self.display = self._start_xvfb()
        self.env = {**os.environ, "DISPLAY": self.display}

    def _start_xvfb(self) -> str:
        read, write = os.pipe()
        log = open(self.tmp / "xvfb.log", "wb")  # noqa: SIM115  # open for the server's life
        # -displayfd: Xvfb picks a free display number and writes it when it is ready for clients.
        self.process = subprocess.Popen(
            [
                "Xvfb",
                "-displayfd",
                str(write),
                "-screen",
                "0",
                "1600x1000x24",
                "-nolisten",
                "tcp",
                "-noreset",
            ],
            # preexec_fn runs before any thread of ours exists (the session starts here): safe.
            pass_fds=(write,),
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,  # noqa: PLW1509
        )
        os.close(write)
        if _libc_prctl() is None:  # no parent-death signal here: stop it when Python exits
            atexit.register(self.stop)
        data = b""
        deadline = time.monotonic() + 20
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read], [], [], left)[0]:
                break  # it said nothing in time
            chunk = os.read(read, 32)
            if not chunk:
                break  # it exited
            data += chunk
        os.close(read)
        if not data.strip().isdigit():
            self.stop()
            raise RuntimeError(
                f"Xvfb did not start: {(self.tmp / 'xvfb.log').read_text(errors='replace')}"
            )
        return f":{data.strip().decode()}"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def xdotool(self, *args: str, timeout: float = 15) -> str:
        done = subprocess.run(
            ["xdotool", *args],
            check=False,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise AssertionError(
                f"xdotool {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}"
            )
        return done.stdout

    def key(self, *chords: str) -> None:
        """Press and release each chord, as a keyboard does (never --window: apps ignore such
        events)."""
        self.xdotool("key", "--delay", "30", *chords)

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "20", text)

    def focus(self, window_id: int) -> None:
        # No window manager here: windowactivate needs one; windowfocus sets the X input focus
        # itself.
        self.xdotool("windowfocus", "--sync", str(window_id))


def _start_server() -> XServer | str:
    """The X server this process's QApplication will connect to, set as DISPLAY, or why not."""
    if not x11_requested():
        return f"QT_QPA_PLATFORM is not xcb; {HOW_TO_RUN}"
    missing = [tool for tool in ("Xvfb", "xdotool") if shutil.which(tool) is None]
    if os.environ.get("ANNOTATOR_X11_DISPLAY"):
        missing = [t for t in missing if t != "Xvfb"]
    if missing:
        return f"{' and '.join(missing)} not installed (apt-get install xvfb xdotool); {HOW_TO_RUN}"
    tmp = Path(tempfile.mkdtemp(prefix="annotator-x11-"))
    try:
        server = XServer(tmp)
    except (OSError, RuntimeError) as exc:
        return f"no X server: {exc}"
    os.environ["DISPLAY"] = server.display
    # A bare X session: no Wayland, no desktop's platform theme (GTK's own file dialogs are not Qt
    # widgets).
    for name in (
        "WAYLAND_DISPLAY",
        "QT_QPA_PLATFORMTHEME",
        "XDG_CURRENT_DESKTOP",
        "XDG_SESSION_DESKTOP",
        "DESKTOP_SESSION",
        "GNOME_DESKTOP_SESSION_ID",
        "KDE_FULL_SESSION",
    ):
        os.environ.pop(name, None)
    # A session's runtime folder, as a desktop has (Qt warns without one).
    runtime = tmp / "runtime"
    runtime.mkdir(mode=0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    server.env = {**os.environ}
    # Xvfb outlives the session on purpose: the QApplication stays connected until the process
    # exits, and Qt complains when its server goes first; the parent-death signal ends it then.
    return server


@pytest.fixture(scope="session", autouse=True)
def x_server(pytestconfig) -> XServer | None:
    """The private X server (started when this folder's conftest was loaded, before any
    QApplication: with QT_QPA_PLATFORM=xcb the whole process, tests/gui included, runs on it, never
    on your desktop)."""
    server = pytestconfig.stash.get(SERVER, None)
    if isinstance(server, XServer):
        from PySide6.QtGui import QGuiApplication

        app = QGuiApplication.instance()
        if app is not None and QGuiApplication.platformName() != "xcb":
            pytest.fail(
                f"the QApplication runs on {QGuiApplication.platformName()!r}, not xcb",
                pytrace=False,
            )
        return server
    if x11_required():
        pytest.fail(f"ANNOTATOR_REQUIRE_X11=1: {server}", pytrace=False)
    if x11_requested():
        pytest.skip(str(server))
    return None  # not requested: every test of this folder was marked skipped at collection


# -- the window ------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    from PySide6.QtCore import QSettings

    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )
    yield


def _template(folder: Path, extra: dict[str, str], *, suggest: bool = True) -> Path:
    from annotator.workspace import Workspace

    path = folder / "template.sqlite"
    with Workspace.open(path, seed=True, annotator="importer") as ws:
        # The seed's suggestions are made here, once: the window opens on them (the other
        # documents get theirs when they are opened, or by a run over the corpus).
        if suggest:
            ws.suggest(ws.documents()[0].id)
        if extra:
            docs = folder / "docs"
            docs.mkdir()
            for name, text in extra.items():
                (docs / name).write_text(text, encoding="utf-8")
                ws.import_paths([docs / name])  # one at a time: import order is document order
    return path


@pytest.fixture(scope="session")
def seed_template(tmp_path_factory) -> Path:
    """The seed article with its pending suggestions, as the default database shows it on first
    start."""
    return _template(tmp_path_factory.mktemp("seed-template"), {})


@pytest.fixture(scope="session")
def imported_template(tmp_path_factory) -> Path:
    """The seed article as `annotator import` leaves it: no suggestions made yet."""
    return _template(tmp_path_factory.mktemp("imported-template"), {}, suggest=False)


@pytest.fixture(scope="session")
def three_docs_template(tmp_path_factory) -> Path:
    """The seed article (suggestions made) and two short articles (not yet)."""
    return _template(tmp_path_factory.mktemp("three-template"), EXTRA_DOCS)


class KeyWatch:
    """Counts the key releases this process reads from the X server.

    A native event filter sees them before Qt does anything with them, so a release that Qt
    drops (the window under a modal dialog gets no key events) still counts; events are
    handled in order, so when a key's release is read, what its press fired has run.
    """

    def __init__(self) -> None:
        from PySide6.QtCore import QAbstractNativeEventFilter

        watch = self

        class Filter(QAbstractNativeEventFilter):
            def nativeEventFilter(self, event_type, message):  # Qt's name
                if bytes(event_type) == b"xcb_generic_event_t":
                    response_type = ctypes.c_uint8.from_address(int(message)).value & 0x7F
                    if response_type == XCB_KEY_RELEASE:
                        watch.releases += 1
                return False, 0

        self.releases = 0
        self.filter = Filter()


class Driver:
    """The keyboard and the window: ``press`` sends keys through the X server and waits until Qt
    has them (and until ``until`` holds); ``type`` types text; ``focus`` gives a window the X
    focus."""

    def __init__(self, qtbot, server: XServer, watch: KeyWatch) -> None:
        self.qtbot, self.server, self.watch = qtbot, server, watch

    def press(
        self, *chords: str, until: Callable[[], object] | None = None, timeout: int = 5000
    ) -> None:
        before = self.watch.releases
        self.server.key(*chords)
        # Every key of every chord was released (modifiers last): what the presses fired has run.
        count = sum(len(chord.split("+")) for chord in chords)
        self.qtbot.waitUntil(lambda: self.watch.releases >= before + count, timeout=timeout)
        if until is not None:
            self.qtbot.waitUntil(lambda: bool(until()), timeout=timeout)

    def press_action(
        self,
        action_id: str,
        *,
        index: int = 0,
        until: Callable[[], object] | None = None,
        timeout: int = 5000,
    ) -> str:
        """Press the default key of a key-map action (its ``index``-th key); returns the chord."""
        from annotator.gui.keymap import BY_ID

        chord = xdotool_chord(BY_ID[action_id].keys[index])
        self.press(chord, until=until, timeout=timeout)
        return chord

    def type(
        self, text: str, *, until: Callable[[], object] | None = None, timeout: int = 5000
    ) -> None:
        before = self.watch.releases
        self.server.type(text)
        self.qtbot.waitUntil(lambda: self.watch.releases >= before + len(text), timeout=timeout)
        if until is not None:
            self.qtbot.waitUntil(lambda: bool(until()), timeout=timeout)

    def focus(self, widget, *, focus_widget=None, timeout: int = 5000) -> None:
        """Give ``widget``'s top-level the X input focus (what a window manager does on a click)."""
        from PySide6.QtWidgets import QApplication

        top = widget.window()
        self.server.focus(int(top.winId()))
        self.qtbot.waitUntil(top.isActiveWindow, timeout=timeout)
        if focus_widget is not None:
            self.qtbot.waitUntil(
                lambda: QApplication.focusWidget() is focus_widget, timeout=timeout
            )


@pytest.fixture
def keys(qtbot, x_server) -> Driver:
    from PySide6.QtWidgets import QApplication

    watch = KeyWatch()
    app = QApplication.instance()
    app.installNativeEventFilter(watch.filter)
    yield Driver(qtbot, x_server, watch)
    app.removeNativeEventFilter(watch.filter)


@pytest.fixture
def open_window(qtbot, keys, tmp_path, request):
    """``open_window(template)``: the real MainWindow on a fresh copy of a template database, shown,
    focused through the X server, the article view holding the keyboard."""
    from PySide6.QtWidgets import QApplication

    from annotator.gui import create_main_window
    from annotator.gui.main_window import MainWindow
    from annotator.store.engine import copy_sqlite
    from annotator.workspace import Workspace

    opened: list[Path] = []
    windows: list[MainWindow] = []

    def open_(template: Path, prepare: Callable[[Workspace], object] | None = None) -> MainWindow:
        from PySide6.QtGui import QGuiApplication

        assert QGuiApplication.platformName() == "xcb", "these tests need the xcb platform"
        path = tmp_path / f"x11-{len(opened)}.sqlite"
        opened.append(path)
        copy_sqlite(template, path)
        if prepare is not None:  # what earlier sessions left in the database
            with Workspace.open(path, annotator="earlier") as ws:
                prepare(ws)
        window = create_main_window(str(path))
        window.db_path = path
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        qtbot.waitExposed(window)
        keys.focus(window)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view)
        return window

    request.node.x11_windows = windows  # closed at the end of the test itself (pytest_runtest_call)
    return open_


@pytest.hookimpl(hookwrapper=True, trylast=True)  # inside pytest-qt's: its checks still watch
def pytest_runtest_call(item: pytest.Item):
    """Close the windows a test opened as part of the test, as the user would: a Qt warning or an
    exception in a slot while closing fails it too (pytest-qt's teardown closes them unwatched)."""
    yield
    windows = getattr(item, "x11_windows", ())
    if windows:
        import shiboken6
        from PySide6.QtWidgets import QApplication

        for window in windows:
            if shiboken6.isValid(window) and window.isVisible():
                window.close()
        for _ in range(3):
            QApplication.processEvents()


@pytest.fixture
def window(open_window, seed_template):
    """The window on the seed article with its pending suggestions."""
    return open_window(seed_template)


@pytest.fixture
def three_docs(open_window, three_docs_template):
    """The window on a database of three documents (the seed article first)."""
    return open_window(three_docs_template)


# -- what the database holds -----------------------------------------------------------------------


class Snapshot:
    """The database as a second program sees it (a Workspace of its own on the file)."""

    def __init__(self, path: Path) -> None:
        from annotator.workspace import Workspace

        with Workspace.open(path, annotator="reader") as ws:
            self.documents = ws.documents()
            self.ids = [d.id for d in self.documents]
            self.status = {d.id: str(d.status) for d in self.documents}
            self.spans = {
                d.id: sorted(
                    (s.start, s.end, s.label, s.text, str(s.origin))
                    for s in ws.document(d.id).spans
                )
                for d in self.documents
            }
            self.suggestions = {
                state: {
                    s.id: (doc_id, s.start, s.end, s.label, s.text, s.rule)
                    for doc_id, s in ws.suggestions(states=(state,))
                }
                for state in ("pending", "accepted", "rejected", "corrected")
            }
            self.rules = {rule.name: rule for rule in ws.rules()}

    def state_of(self, suggestion_id: int) -> str | None:
        return next(
            (state for state, found in self.suggestions.items() if suggestion_id in found), None
        )

    def pending(self, doc_id: int) -> list[tuple]:
        return sorted(v[1:] for v in self.suggestions["pending"].values() if v[0] == doc_id)


@pytest.fixture
def read_db():
    """``read_db(window)``: a Snapshot of the window's database file."""
    return lambda window: Snapshot(window.db_path)


# -- dialogs and menus -----------------------------------------------------------------------------


class DialogWatch:
    """Watches for a dialog to take the keyboard, then presses Esc on it through the X server.

    It polls from a timer, so it also works inside the event loop of a blocking dialog
    (``QFileDialog.getOpenFileName``), where the test's own code cannot run.
    """

    def __init__(self, server: XServer, main) -> None:
        from PySide6.QtCore import QTimer

        self.server, self.main = server, main
        self.seen: dict[str, object] | None = None
        self.widget = None
        self.escape_sent = False
        self.closed = False
        self.timer = QTimer()
        self.timer.setInterval(25)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        import shiboken6
        from PySide6.QtWidgets import QApplication

        if self.widget is None:
            active = QApplication.activeWindow()
            if active is None or active is self.main or not active.isVisible():
                return
            focus = QApplication.focusWidget()
            if focus is None or focus.window() is not active:
                return  # shown, not yet holding the keys
            self.widget = active
            self.seen = {
                "class": type(active).__name__,
                "title": active.windowTitle(),
                "modal": active.isModal(),
                "focus": type(focus).__name__,
                "is_file_dialog": type(active).__name__ == "QFileDialog",
            }
            self.escape_sent = True
            self.server.key("Escape")
            return
        if not shiboken6.isValid(self.widget) or not self.widget.isVisible():
            self.closed = True
            self.timer.stop()

    def stop(self) -> None:
        self.timer.stop()


def _menu_walk(driver: Driver, menu, action) -> None:
    """Open ``menu`` with its Alt mnemonic, move down to ``action`` and leave it highlighted."""
    from PySide6.QtWidgets import QApplication

    title = menu.title()
    assert "&" in title, f"menu {title!r} has no mnemonic"
    letter = title[title.index("&") + 1].lower()
    driver.press(f"alt+{letter}", until=lambda: QApplication.activePopupWidget() is menu)
    for _ in range(len(menu.actions()) + 1):
        if menu.activeAction() is action:
            return
        current = menu.activeAction()
        driver.press("Down", until=lambda current=current: menu.activeAction() is not current)
    raise AssertionError(f"{action.text()!r} cannot be reached with the arrow keys in {title!r}")


Driver.menu_walk = _menu_walk


@pytest.fixture
def dialog_watch(keys, x_server):
    """``dialog_watch(main_window)``: a DialogWatch armed before the key that opens the dialog."""
    made: list[DialogWatch] = []

    def arm(main) -> DialogWatch:
        watch = DialogWatch(x_server, main)
        made.append(watch)
        return watch

    yield arm
    for watch in made:
        watch.stop()
