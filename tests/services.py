"""Services of the tests' own, to stop and start: a MariaDB server and a Redis server.

The shared MariaDB (127.0.0.1:3306) and Redis (127.0.0.1:6379) serve every test and every helper on
the machine, so a test of "the database went away" must never stop them. These are real servers
(Debian's mariadbd and redis-server, which `make services` installs), each in a temporary folder
with a port of its own, created and removed by the test that uses it. ``stop()`` ends the server as
an administrator would (SIGTERM, waited for); ``start()`` brings it back on the same port with the
same data, so an app configured on it sees the same database return.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import service_missing

#: Seconds a server may take to answer after it was started.
START_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _program(*names: str) -> str:
    """The first of ``names`` on PATH or in /usr/sbin (where Debian puts mariadbd); skips (or fails
    under CI) when none is installed."""
    for name in names:
        found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin")
        if found:
            return found
    service_missing(f"none of {', '.join(names)} is installed (make services installs them)")
    raise AssertionError("unreachable")


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


class OwnServer:
    """A server process of this test's own, on ``port``, that can be stopped and started again."""

    name = "server"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = folder / f"{self.name}.log"

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self) -> None:
        assert self.process is None, f"{self.name} is already running"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} did not start on port {self.port}:\n{self.tail()}")
            time.sleep(0.05)

    def stop(self) -> None:
        """End the server (SIGTERM: it shuts down cleanly) and wait until its port is closed."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        while _answers(self.port):
            time.sleep(0.05)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else "(no log)"


class OwnMariaDB(OwnServer):
    """mariadbd on its own data folder, port and socket; root without a password, on TCP."""

    name = "mariadb"

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.program = _program("mariadbd", "mysqld")
        self.data = folder / "data"
        install = _program("mariadb-install-db", "mysql_install_db")
        done = subprocess.run(
            [
                install,
                "--no-defaults",
                f"--datadir={self.data}",
                "--auth-root-authentication-method=normal",  # root@127.0.0.1 without a password
                "--skip-test-db",
                *self._user(),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{install} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")

    def command(self) -> list[str]:
        return [
            self.program,
            "--no-defaults",  # nothing from the machine's my.cnf (its port, socket or data)
            f"--datadir={self.data}",
            f"--socket={self.folder / 'mysqld.sock'}",
            f"--pid-file={self.folder / 'mysqld.pid'}",
            f"--port={self.port}",
            "--bind-address=127.0.0.1",
            "--skip-name-resolve",
            "--skip-log-bin",
            "--innodb-buffer-pool-size=16M",
            *self._user(),
        ]

    @staticmethod
    def _user() -> list[str]:
        # mariadbd refuses to run as root unless told to; as anyone else it runs as that user.
        return ["--user=root"] if os.geteuid() == 0 else []

    @property
    def url(self) -> str:
        return f"mysql+pymysql://root@127.0.0.1:{self.port}/"


class OwnRedis(OwnServer):
    """redis-server on its own port, keeping nothing on disk (as Toolforge's Redis may lose its keys)."""

    name = "redis"

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.program = _program("redis-server")

    def command(self) -> list[str]:
        return [
            self.program,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.folder),
        ]

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@contextmanager
def own_mariadb() -> Iterator[OwnMariaDB]:
    """A running MariaDB server of the caller's own, removed (data and all) on leaving."""
    with tempfile.TemporaryDirectory(prefix="eo-own-mariadb-") as folder:
        server = OwnMariaDB(Path(folder))
        server.start()
        try:
            yield server
        finally:
            server.stop()


@contextmanager
def own_redis() -> Iterator[OwnRedis]:
    """A running Redis server of the caller's own, removed on leaving."""
    with tempfile.TemporaryDirectory(prefix="eo-own-redis-") as folder:
        server = OwnRedis(Path(folder))
        server.start()
        try:
            yield server
        finally:
            server.stop()
