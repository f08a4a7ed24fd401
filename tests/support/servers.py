"""Throwaway servers for the outage and shutdown tests: Redis, MariaDB, and the app under gunicorn.

Each runs on its own free loopback port with its own directory under /tmp, so a test may stop,
kill, pause and restart it at will: the machine's shared services are never touched. Redis and
MariaDB run from the installed binaries and ignore the machine's configuration files
(`--no-defaults`; no redis.conf but our own scripts/redis-session-store.conf for
SessionStoreRedis). Every server is killed and its directory removed on exit.
"""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import pymysql
import pytest
import redis

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
START_TIMEOUT = 30
STOP_TIMEOUT = 30
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin", "/sbin"])


def find_binary(*names: str) -> str | None:
    for name in names:
        path = shutil.which(name, path=SEARCH_PATH)
        if path:
            return path
    return None


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not within {timeout} s")
        time.sleep(0.05)


class ThrowawayServer:
    """A server process this test run owns: start(), stop(), kill(), restart()."""

    name = "server"

    def __init__(self, directory: str):
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log_path = os.path.join(directory, f"{self.name}.log")

    def command(self) -> list[str]:
        raise NotImplementedError

    def environment(self) -> dict[str, str] | None:
        """The process's environment (None: this one's)."""
        return None

    def answers(self) -> bool:
        raise NotImplementedError

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def started_process(self) -> subprocess.Popen:
        """The process start() launched; RuntimeError before it has."""
        if self.process is None:
            raise RuntimeError(f"{self.name} was never started")
        return self.process

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            # A session (and process group) of its own: a Ctrl-C aimed at pytest does not reach
            # it half-way, and kill() can end its children with it.
            self.process = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, env=self.environment(),
                                            start_new_session=True)
        try:
            wait_until(lambda: not self.running or self._answers_quietly(), START_TIMEOUT, f"{self.name} answering")
        except TimeoutError:
            self.kill()
            raise RuntimeError(f"{self.name} did not start:\n{self.log_tail()}") from None
        if not self.running:
            raise RuntimeError(f"{self.name} exited at start:\n{self.log_tail()}")

    def stop(self) -> None:
        """A clean shutdown (SIGTERM), waited for; a no-op when it is not running."""
        if not self.running:
            return
        self.started_process.terminate()
        self.resume()  # a paused process cannot act on SIGTERM
        try:
            self.started_process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """A crash (SIGKILL) of the server and any children (gunicorn's workers): no shutdown work."""
        if self.running:
            os.killpg(self.started_process.pid, signal.SIGKILL)  # its own process group: start_new_session
            self.started_process.wait(STOP_TIMEOUT)

    def pause(self) -> None:
        """A hang (SIGSTOP): connections stay open and nothing answers. Always resume()."""
        self.started_process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.started_process.send_signal(signal.SIGCONT)

    def restart(self) -> None:
        self.stop()
        self.start()

    def _answers_quietly(self) -> bool:
        try:
            return self.answers()
        except Exception:
            return False

    def log_tail(self, lines: int = 20) -> str:
        try:
            with open(self.log_path, errors="replace") as log:
                return "".join(log.readlines()[-lines:])
        except OSError:
            return "(no log)"


class RedisServer(ThrowawayServer):
    """redis-server with an append-only file fsynced on every write, so that, like a production
    Redis with persistence, its sessions outlive a restart (RDB snapshots stay off)."""

    name = "redis"

    def __init__(self, directory: str, binary: str):
        super().__init__(directory)
        self.binary = binary

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self) -> list[str]:
        return [
            self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--daemonize", "no",
            "--dir", self.directory, "--save", "", "--appendonly", "yes", "--appendfsync", "always",
            "--protected-mode", "no", "--logfile", "",
        ]

    def answers(self) -> bool:
        client = redis.Redis(port=self.port, socket_connect_timeout=1, socket_timeout=1)
        try:
            return client.ping()
        finally:
            client.close()


class SessionStoreRedis(RedisServer):
    """redis-server as `make run` starts it (scripts/provision-services.sh): the same
    configuration file, with this server's port and directory."""

    CONFIG = os.path.join(PROJECT_ROOT, "scripts", "redis-session-store.conf")

    def command(self) -> list[str]:
        return [self.binary, self.CONFIG, "--port", str(self.port), "--dir", self.directory,
                "--daemonize", "no", "--logfile", ""]


class MariaDBServer(ThrowawayServer):
    """mariadbd on a data directory made by mariadb-install-db: root without a password over TCP."""

    name = "mariadb"

    def __init__(self, directory: str, server_binary: str, install_binary: str):
        super().__init__(directory)
        self.server_binary = server_binary
        self.install_binary = install_binary
        self.datadir = os.path.join(directory, "data")
        # Its own tmpdir: servers sharing /tmp name their temporary tables alike, and a second
        # install running beside this one (another test run on the machine) then fails.
        self.tmpdir = os.path.join(directory, "tmp")
        # Running as root needs an explicit --user=root; as anyone else, the option is refused.
        self.user_args = ["--user=root"] if os.geteuid() == 0 else []

    def url(self, database: str) -> str:
        return f"mysql://root@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        if not os.path.isdir(self.datadir):
            self.initialize()
        super().start()

    def initialize(self) -> None:
        os.makedirs(self.tmpdir, exist_ok=True)
        # Its reasons go to stdout as often as to stderr (a missing my_print_defaults: stdout).
        result = subprocess.run(
            [self.install_binary, "--no-defaults", f"--datadir={self.datadir}", f"--tmpdir={self.tmpdir}",
             "--auth-root-authentication-method=normal", "--skip-test-db", *self.user_args],
            check=False, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
            timeout=START_TIMEOUT,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"{self.install_binary} exited with status {result.returncode}:\n{result.stdout[-3000:]}")

    def command(self) -> list[str]:
        return [
            self.server_binary, "--no-defaults", f"--datadir={self.datadir}", f"--tmpdir={self.tmpdir}",
            *self.user_args,
            f"--port={self.port}", "--bind-address=127.0.0.1",
            f"--socket={os.path.join(self.directory, 'mysqld.sock')}",
            f"--pid-file={os.path.join(self.directory, 'mysqld.pid')}",
            f"--log-error={self.log_path}",
            # Small and quick: this server holds a few rows for a few seconds.
            "--innodb-buffer-pool-size=16M", "--innodb-log-file-size=8M", "--performance-schema=OFF",
            "--skip-host-cache", "--character-set-server=utf8mb4",
        ]

    def answers(self) -> bool:
        pymysql.connect(host="127.0.0.1", port=self.port, user="root", connect_timeout=1).close()
        return True


class GunicornServer(ThrowawayServer):
    """The app under gunicorn with gunicorn.conf.py, as `make run` serves it, on a free port;
    `settings` are environment variables on top of this process's (database, prefixes, ...)."""

    name = "gunicorn"

    def __init__(self, directory: str, settings: dict[str, str]):
        super().__init__(directory)
        self.settings = settings

    def command(self) -> list[str]:
        return [sys.executable, "-m", "gunicorn", "--chdir", PROJECT_ROOT,
                "--config", os.path.join(PROJECT_ROOT, "gunicorn.conf.py"), "wsgi:app"]

    def environment(self) -> dict[str, str]:
        return {**os.environ, **self.settings, "HOST": "127.0.0.1", "PORT": str(self.port)}

    def answers(self) -> bool:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            connection.request("GET", "/api/health")
            return connection.getresponse().status in (200, 503)
        finally:
            connection.close()


@contextmanager
def _temporary_directory(prefix: str) -> Iterator[str]:
    # Short paths under /tmp: a unix socket path must stay under ~100 characters.
    directory = tempfile.mkdtemp(prefix=prefix, dir="/tmp")
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


Server = TypeVar("Server", bound=ThrowawayServer)


@contextmanager
def _running(server: Server) -> Iterator[Server]:
    try:
        server.start()
        yield server
    finally:
        server.kill()


@contextmanager
def throwaway_redis(kind: type[RedisServer] = RedisServer) -> Iterator[RedisServer]:
    """A running RedisServer (or `kind` of it) of our own, stopped and deleted on exit."""
    binary = find_binary("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed: `make test` installs it (scripts/provision-test-servers.sh)")
    with _temporary_directory("conduit-redis-") as directory, _running(kind(directory, binary)) as server:
        yield server


@contextmanager
def throwaway_mariadb() -> Iterator[MariaDBServer]:
    """A running MariaDBServer of our own, stopped and deleted on exit."""
    server_binary = find_binary("mariadbd", "mysqld")
    install_binary = find_binary("mariadb-install-db", "mysql_install_db")
    if server_binary is None or install_binary is None:
        pytest.fail("mariadbd / mariadb-install-db are not installed: `make test` installs them"
                    " (scripts/provision-test-servers.sh)")
    with _temporary_directory("conduit-mariadb-") as directory, \
            _running(MariaDBServer(directory, server_binary, install_binary)) as server:
        yield server


@contextmanager
def live_gunicorn(settings: dict[str, str]) -> Iterator[GunicornServer]:
    """A running GunicornServer serving the app with `settings`, killed and cleaned up on exit."""
    with (_temporary_directory("conduit-gunicorn-") as directory,
          _running(GunicornServer(directory, settings)) as server):
        yield server
