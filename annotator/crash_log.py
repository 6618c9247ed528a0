"""The log of what went wrong unexpectedly: a full traceback on disk, one line for the user.

No command and no window action prints a Python traceback: the CLI's top level and the window's
exception hook write it here (platformdirs' user log folder, in the user's state folder on Linux:
~/.local/state/annotator/log/annotator.log) and tell the user one line naming the file.
Shared by the command line and the window; no Qt, no database.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from datetime import datetime
from pathlib import Path

from annotator import __version__

LOG_NAME = "annotator.log"
MAX_LOG_BYTES = 1_000_000  # then the log starts again, the previous one kept as annotator.log.1


def log_folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir("annotator", appauthor=False))


def record(exc: BaseException, *, context: str = "") -> Path | None:
    """Append ``exc``'s traceback to the log; the log's path, or None when no log could be
    written anywhere (then the caller says so in its line)."""
    entry = "".join(
        [
            (
                f"--- {datetime.now().isoformat(timespec='seconds')} annotator {__version__}, "
                f"Python {sys.version.split()[0]}, pid {os.getpid()}\n"
            ),
            f"while: {context or ' '.join(sys.argv)}\n",
            *traceback.format_exception(exc),
        ]
    )
    for folder in (log_folder(), Path(tempfile.gettempdir()) / "annotator-log"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / LOG_NAME
            if path.exists() and path.stat().st_size > MAX_LOG_BYTES:
                path.replace(path.with_name(LOG_NAME + ".1"))
            with path.open("a", encoding="utf-8", errors="replace") as log:
                log.write(entry)
            return path
        except OSError:
            continue
    return None


def report(exc: BaseException, *, context: str = "") -> str:
    """Log ``exc`` (``record``) and give the line the user reads (``one_line``)."""
    return one_line(exc, record(exc, context=context))


def one_line(exc: BaseException, path: Path | None) -> str:
    """What the user reads: what failed, and where the details are."""
    what = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    kind = type(exc).__name__
    said = f"{kind}: {what}" if what else kind
    if len(said) > 200:
        said = said[:197] + "..."
    where = f"details in {path}" if path is not None else "no log could be written"
    return f"unexpected error ({said}); nothing more was done; {where}"
