"""A throwaway PostgreSQL cluster for the tests, when ANNOTATOR_TEST_ENGINE=postgresql.

One cluster per pytest session: ``initdb`` into a temp folder (as the ``postgres`` user, or
``nobody``, when the tests run as root: initdb refuses root), ``pg_ctl start`` on a free loopback
port with its socket in that folder, trust authentication; stopped and removed at the end of the
session even when tests fail. Each test gets a fresh database copied from one migrated template
(``CREATE DATABASE ... TEMPLATE``: a file copy, a few milliseconds).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from itertools import count
from pathlib import Path

ENGINE = os.environ.get("ANNOTATOR_TEST_ENGINE", "sqlite").lower()
ON_POSTGRESQL = ENGINE in ("postgresql", "postgres", "pg")
TEMPLATE = "template_db"


def bindir() -> Path:
    """The folder of initdb/pg_ctl: pg_config's, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which("pg_config")
    if found:
        out = subprocess.run([found, "--bindir"], capture_output=True, text=True, check=False)
        path = Path(out.stdout.strip())
        if (path / "initdb").exists() and (path / "pg_ctl").exists():
            return path
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    for candidate in reversed(candidates):
        if Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    raise RuntimeError(
        "ANNOTATOR_TEST_ENGINE=postgresql but no PostgreSQL server binaries were found "
        "(apt-get install postgresql)"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_user() -> str | None:
    """The unprivileged user the server runs as when we are root, else None (ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError("running as root and neither a 'postgres' nor a 'nobody' user exists")


class Cluster:
    """A running throwaway cluster; ``url(name)`` is a database's SQLAlchemy URL."""

    def __init__(self) -> None:
        self.bin = bindir()
        self.user = _server_user()
        self.folder = Path(tempfile.mkdtemp(prefix="annotator-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._names = count(1)
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        os.chmod(self.folder, 0o700)
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        self._run(
            "initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
            "--locale=C.UTF-8", "--no-sync", "--no-instructions",
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        log = self.folder / "server.log"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(log), "-o", options, "-w", "start")

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(
                f"{program} failed ({done.returncode}): {done.stderr or done.stdout}"
            )

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        """One statement outside a transaction (CREATE/DROP DATABASE) on the postgres database."""
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def new_database(self, template: str | None = None) -> str:
        name = f"t_{next(self._names)}"
        self.admin(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return name

    def drop(self, name: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except RuntimeError:
            pass  # never started, or already gone: the folder goes anyway
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster() -> Iterator[Cluster]:
    cluster = Cluster()
    try:
        yield cluster
    finally:
        cluster.stop()
