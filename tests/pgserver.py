"""A PostgreSQL server of the tests' own, in a temporary folder, for the team journal's tests.

`Server.start` finds initdb and pg_ctl (on PATH, then /usr/lib/postgresql/*/bin),
makes a cluster in a new temporary folder and starts it on a free port of
127.0.0.1, with its unix socket in that folder too. Each test gets a database of
its own, copied from a template that relog migrated once (CREATE DATABASE ...
TEMPLATE takes a few milliseconds, a migration most of a second).

PostgreSQL refuses to run as root, so when the tests run as root (as CI does) the
cluster belongs to the `nobody` account and initdb, pg_ctl and the server run as
that user through `runuser`.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENABLE = (
    "the PostgreSQL tests need the server binaries (initdb, pg_ctl): install the "
    "postgresql package (apt-get install postgresql) and relog's team extra "
    "(pip install -e '.[team,test]')"
)
"""Why the PostgreSQL tests were skipped, and how to run them."""

SUPERUSER = "relog_admin"
TEMPLATE = "relog_template"


def find_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: PATH's, else the newest Debian install's."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(os.path.realpath(on_path)).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda folder: (
            int(Path(folder).parent.name) if Path(folder).parent.name.isdigit() else 0
        ),
    )
    for folder in reversed(candidates):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running cluster: where it lives, its port, and one superuser connection to it."""

    binaries: Path
    folder: Path
    port: int
    as_user: list[str]
    admin: Any = field(default=None, repr=False)
    _numbers: itertools.count[int] = field(default_factory=itertools.count, repr=False)

    @classmethod
    def start(cls, binaries: Path) -> Server:
        folder = Path(tempfile.mkdtemp(prefix="relog-pg-"))
        as_user: list[str] = []
        if os.geteuid() == 0:
            import pwd

            nobody = pwd.getpwnam("nobody")
            os.chown(folder, nobody.pw_uid, nobody.pw_gid)
            as_user = ["runuser", "-u", "nobody", "--"]
        server = cls(binaries, folder, _free_port(), as_user)
        try:
            server._init_and_start()
        except BaseException:
            server.stop()
            raise
        return server

    def _run(self, *argv: str) -> None:
        done = subprocess.run(
            [*self.as_user, *argv],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=self.folder,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{Path(argv[0]).name} failed: {done.stderr or done.stdout}")

    def _init_and_start(self) -> None:
        import psycopg

        data = self.folder / "data"
        self._run(
            str(self.binaries / "initdb"),
            "-D",
            str(data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            str(self.binaries / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(self.folder / "server.log"),
            "-o",
            options,
            "-w",
            "start",
        )
        self.admin = psycopg.connect(self.dsn("postgres"), autocommit=True)

    def dsn(self, database: str, user: str = SUPERUSER) -> str:
        return f"host=127.0.0.1 port={self.port} dbname={database} user={user}"

    def url(self, database: str, user: str = SUPERUSER) -> str:
        """The URL relog takes in --db or RELOG_DB for `database`, as `user`."""
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        self.admin.execute(sql)

    def new_database(self, template: str | None = TEMPLATE) -> str:
        """A new database, a copy of the migrated template (or empty with `template=None`)."""
        name = f"journal_{next(self._numbers)}"
        copied = f" TEMPLATE {template}" if template else ""
        self.execute(f"CREATE DATABASE {name}{copied} STRATEGY FILE_COPY")
        return name

    def drop_database(self, name: str) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        if self.admin is not None:
            self.admin.close()
        if (self.folder / "data" / "postmaster.pid").exists():
            try:
                self._run(
                    str(self.binaries / "pg_ctl"),
                    "-D",
                    str(self.folder / "data"),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                )
            except RuntimeError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)
