"""What the CLI tests share: ``annotator`` run as a user runs it, a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def annotator(
    db: Path | str, *argv: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m annotator --db DB ARGV...`` as the annotator "tester", with no database
    from the environment (``env`` adds variables); its output as text."""
    env = {**os.environ, "ANNOTATOR_NAME": "tester", "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    env.pop("ANNOTATOR_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "annotator", "--db", str(db), *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
