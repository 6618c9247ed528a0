"""Suggestions made off the GUI's process: the text shows at once, its suggestions when they are
ready.

The rules on a long article take a second or more. They run in a process of their own
(``annotator.suggest_service``, started on first use): a thread would hold Python's interpreter
lock and every key press would wait for it. Requests are sent one at a time, the newest first
(the document the analyst is looking at); a small thread waits for the answers and hands them to
the GUI thread as a signal.
"""

from __future__ import annotations

import atexit
import json
import subprocess
import sys
import threading
import weakref
from typing import IO

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

STOP_WAIT_S = 5.0  # on close: how long the document being worked on may take to finish


def service_command(location: str, annotator: str) -> list[str]:
    """How to start the suggestion process: this Python, or this frozen bundle's own program."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "_suggest-service", location, annotator]
    return [sys.executable, "-m", "annotator.suggest_service", location, annotator]


class SuggestionMaker(QObject):
    """Ask with ``request(doc_id)``; ``made(doc_id, answer)`` says when: the service's answer, a
    dict with ``added``, ``kept``, ``dropped`` and ``failures``, or with ``error``."""

    made = Signal(int, object)
    _answered = Signal(int, object)  # from the reading thread

    def __init__(self, location: str, annotator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._location, self._annotator = location, annotator
        self._queue: list[int] = []  # asked for, not sent yet, oldest first
        self._sent: int | None = None  # being made now
        self._process: subprocess.Popen[str] | None = None
        self._answered.connect(self._on_answer)
        _RUNNING.add(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    def request(self, doc_id: int) -> None:
        """Make this document's suggestions (again if asked again); the newest request goes
        first."""
        if doc_id in self._queue:
            self._queue.remove(doc_id)
        self._queue.append(doc_id)
        self._send_next()

    def busy_with(self, doc_id: int) -> bool:
        """True while this document's suggestions are asked for or being made."""
        return doc_id == self._sent or doc_id in self._queue

    def stop(self) -> None:
        """Forget what is queued, let the document being worked on finish, end the process."""
        _RUNNING.discard(self)
        self._queue.clear()
        process, self._process = self._process, None
        if process is None:
            return
        try:
            assert process.stdin is not None
            process.stdin.close()  # end of input: the service finishes and exits
        except OSError:
            pass
        try:
            process.wait(STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    # -- internals ---------------------------------------------------------------

    def _send_next(self) -> None:
        if self._sent is not None or not self._queue:
            return
        doc_id = self._queue.pop()
        self._sent = doc_id
        try:
            process = (
                self._process
                if self._process is not None and self._process.poll() is None
                else self._start()
            )
            assert process.stdin is not None
            process.stdin.write(f"{doc_id}\n")
            process.stdin.flush()
        except (
            OSError
        ) as exc:  # could not start, or it died: say so; the next request starts a new one
            self._sent = None
            self._process = None
            self.made.emit(
                doc_id, {"doc": doc_id, "error": f"the suggestion process is not running ({exc})"}
            )

    def _start(self) -> subprocess.Popen[str]:
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console window on Windows
        process = subprocess.Popen(
            service_command(self._location, self._annotator),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
            creationflags=flags,
        )
        self._process = process
        assert process.stdout is not None
        threading.Thread(
            target=self._read, args=(process.stdout,), name="annotator-suggest-reader", daemon=True
        ).start()
        return process

    def _read(self, answers: IO[str]) -> None:
        # On its own thread, blocked reading (the interpreter lock is free) until an answer comes.
        for line in answers:
            try:
                answer = json.loads(line)
            except ValueError:
                continue
            try:
                self._answered.emit(int(answer.get("doc") or 0), answer)
            except RuntimeError:  # the window is gone
                return

    @Slot(int, object)
    def _on_answer(self, doc_id: int, answer: object) -> None:
        if self._sent == doc_id:
            self._sent = None
        self.made.emit(doc_id, answer)
        self._send_next()


_RUNNING: weakref.WeakSet[SuggestionMaker] = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    # A window that is never closed (a script, a test) must not leave its process behind.
    for maker in list(_RUNNING):
        try:
            maker.stop()
        except RuntimeError:  # its Qt object is already gone
            pass
