"""A throw-away PostgreSQL server on loopback for the store tests."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

ENV_URL = "COACHFLOW_TEST_POSTGRES_URL"


def _bindir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2])
    )
    return Path(candidates[-1]) if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Cluster:
    """initdb + pg_ctl in a temporary folder, as the ``postgres`` user when run as root."""

    def __init__(self) -> None:
        bindir = _bindir()
        if bindir is None:
            raise FileNotFoundError("PostgreSQL's initdb was not found")
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="coachflow-pg-"))
        os.chmod(self.root, 0o755)
        self.data = self.root / "data"
        self.data.mkdir()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.port = _free_port()
        self.url = f"postgresql+psycopg://coachflow@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, text=True)

    def start(self) -> str:
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "coachflow",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.data / "server.log"),
            "-w",
            "start",
        )
        return self.url

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
