"""Throwaway servers for the scale-out tests: Redis (primary and replica, Sentinel, Cluster),
MariaDB (primary and replica) and instances of the app under gunicorn.

Each runs as a child process of the test run, on a free loopback port, with its data in a
directory of its own under the test's tmp dir, and ignores every configuration file of the
machine. Whoever starts one stops it (`with running(...)`), whatever the test did. The
machine's shared MariaDB (3306) and Redis (6379) are never touched. A missing binary fails
the test that needs it, saying which and how to install it.
"""

import getpass
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pymysql
import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
SEARCH_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin", "/sbin"])
START_SECONDS = 30


def binary(name: str, package: str) -> str:
    """The path of an installed program, or fail the test (scripts/provision-test-servers.sh installs it)."""
    path = shutil.which(name, path=SEARCH_PATH)
    if path is None:
        pytest.fail(f"{name} is not installed: `make test` installs it (apt-get install {package})")
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], object], what: str, seconds: float = START_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        time.sleep(0.05)


class ChildServer:
    """A server process owned by the test: started by start(), always ended by stop()."""

    def __init__(self, name: str, directory: Path, port: int | None = None):
        self.name, self.directory, self.port = name, directory, port or free_port()
        directory.mkdir(parents=True, exist_ok=True)
        self.log_path = directory / f"{name}.log"
        self.process: subprocess.Popen | None = None

    @property
    def working_directory(self) -> Path:
        return self.directory

    def command(self) -> list[str]:
        raise NotImplementedError

    def answers(self) -> bool:
        raise NotImplementedError

    def start(self, env: dict | None = None) -> "ChildServer":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.command(), cwd=self.working_directory, env=env,
                                            stdout=log, stderr=subprocess.STDOUT)
        return self

    def wait_ready(self) -> "ChildServer":
        def ready():
            assert self.process.poll() is None, f"{self.name} exited:\n{self.log_path.read_text()[-3000:]}"
            return self.answers()

        wait_until(ready, f"{self.name} on port {self.port} answering")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@contextmanager
def running(*servers: ChildServer, env: dict | None = None) -> Iterator[tuple]:
    """Start the servers side by side, wait until each answers, and stop them all at the end."""
    with ExitStack() as stack:
        for server in servers:
            stack.callback(server.stop)
            server.start(env)
        for server in servers:
            server.wait_ready()
        yield servers


# --- Redis

class RedisServer(ChildServer):
    """redis-server without persistence; `*options` are extra command-line settings."""

    def __init__(self, name: str, directory: Path, *options: str):
        super().__init__(name, directory)
        self.options = options

    def command(self) -> list[str]:
        return [binary("redis-server", "redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
                "--dir", str(self.directory), "--save", "", "--appendonly", "no", *self.options]

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=5)

    def answers(self) -> bool:
        try:
            return self.client().ping()
        except redis.RedisError:
            return False


class RedisSentinel(RedisServer):
    """`redis-server --sentinel` (the redis-sentinel program is the same binary) watching one primary."""

    def __init__(self, name: str, directory: Path, service: str, primary_port: int):
        super().__init__(name, directory)
        # Sentinel rewrites its configuration file, so it gets one of its own.
        self.config_path = directory / "sentinel.conf"
        self.config_path.write_text(
            f"port {self.port}\nbind 127.0.0.1\ndir {directory}\n"
            f"sentinel monitor {service} 127.0.0.1 {primary_port} 1\n"
            f"sentinel down-after-milliseconds {service} 1000\n"
            f"sentinel failover-timeout {service} 10000\n"
        )

    def command(self) -> list[str]:
        return [binary("redis-server", "redis-server"), str(self.config_path), "--sentinel"]


def redis_cluster_nodes(directory: Path, size: int = 3) -> list[RedisServer]:
    # The bus port is given, not derived (port + 10000, which may be taken or out of range).
    return [RedisServer(f"cluster-node-{number}", directory / f"node-{number}", "--cluster-enabled", "yes",
                        "--cluster-port", str(free_port()), "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "2000")
            for number in range(1, size + 1)]


def create_redis_cluster(nodes: list[RedisServer]) -> None:
    """Join running cluster-enabled nodes into one cluster of primaries and wait until it serves."""
    subprocess.run(
        [binary("redis-cli", "redis-tools"), "--cluster", "create",
         *[f"127.0.0.1:{node.port}" for node in nodes], "--cluster-replicas", "0", "--cluster-yes"],
        check=True, capture_output=True, timeout=30,
    )
    for node in nodes:
        # wait_until calls the lambda before the loop moves on, so it sees this node.
        wait_until(lambda: b"cluster_state:ok" in node.client().execute_command("CLUSTER", "INFO"),  # noqa: B023
                   f"cluster state ok on {node.name}")


# --- MariaDB

class MariaDBServer(ChildServer):
    """mariadbd from /usr/sbin on a fresh data directory, run as whoever runs the tests; its
    root account has no password over TCP."""

    def __init__(self, name: str, directory: Path, server_id: int, *options: str):
        super().__init__(name, directory)
        self.server_id, self.options = server_id, options
        self.data_dir = directory / "data"
        # Each server gets its own tmpdir: bootstrap servers sharing /tmp name their temporary
        # tables alike, and two installs side by side then fail ("Unknown table 'mysql.tmp_user_sys'").
        self.tmp_dir = directory / "tmp"

    def install(self) -> subprocess.Popen:
        """Start creating the system tables (mariadb-install-db); wait() on the result."""
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        with open(self.install_log_path, "wb") as log:
            return subprocess.Popen(
                [binary("mariadb-install-db", "mariadb-server"), "--no-defaults", f"--datadir={self.data_dir}",
                 f"--tmpdir={self.tmp_dir}",
                 "--auth-root-authentication-method=normal", "--skip-test-db", f"--user={getpass.getuser()}"],
                stdout=log, stderr=subprocess.STDOUT,
            )

    @property
    def install_log_path(self) -> Path:
        return self.directory / "install.log"

    def command(self) -> list[str]:
        return [binary("mariadbd", "mariadb-server"), "--no-defaults", f"--datadir={self.data_dir}",
                f"--tmpdir={self.tmp_dir}",
                f"--port={self.port}", "--bind-address=127.0.0.1", f"--socket={self.directory}/mysqld.sock",
                f"--pid-file={self.directory}/mysqld.pid", f"--user={getpass.getuser()}",
                f"--server-id={self.server_id}",
                "--skip-name-resolve", "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=0",
                f"--log-error={self.log_path}", *self.options]

    def url(self, database: str) -> str:
        return f"mysql://root@127.0.0.1:{self.port}/{database}"

    def connect(self) -> pymysql.Connection:
        return pymysql.connect(host="127.0.0.1", port=self.port, user="root", password="", autocommit=True,
                               cursorclass=pymysql.cursors.DictCursor, connect_timeout=2)

    def query(self, sql: str, args=None) -> list[dict]:
        connection = self.connect()
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, args)
                return list(cursor.fetchall())
        finally:
            connection.close()

    def answers(self) -> bool:
        try:
            self.query("SELECT 1")
            return True
        except pymysql.MySQLError:
            return False


def install_all(*servers: MariaDBServer) -> None:
    """Create the data directories of several servers side by side."""
    installs = [server.install() for server in servers]
    statuses = [install.wait(timeout=60) for install in installs]
    failures = [f"{server.name}: mariadb-install-db exited with status {status}:\n"
                f"{server.install_log_path.read_text(errors='replace')[-3000:]}"
                for server, status in zip(servers, statuses) if status != 0]
    assert not failures, "\n".join(failures)


def replicate(primary: MariaDBServer, replica: MariaDBServer) -> None:
    """Make `replica` follow `primary` from its current binary log position."""
    position = primary.query("SHOW MASTER STATUS")[0]
    replica.query(
        "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=%s, MASTER_USER='root', MASTER_PASSWORD='',"
        " MASTER_LOG_FILE=%s, MASTER_LOG_POS=%s, MASTER_CONNECT_RETRY=1",
        (primary.port, position["File"], position["Position"]),
    )
    replica.query("START SLAVE")


def wait_caught_up(primary: MariaDBServer, replica: MariaDBServer, seconds: int = 20) -> None:
    """Wait until the replica has applied everything the primary has logged so far."""
    position = primary.query("SHOW MASTER STATUS")[0]
    result = replica.query("SELECT MASTER_POS_WAIT(%s, %s, %s) AS waited",
                           (position["File"], position["Position"], seconds))
    assert result[0]["waited"] is not None and result[0]["waited"] >= 0, replica.query("SHOW SLAVE STATUS")


# --- the app under gunicorn, and a small HTTP client for it

class AppInstance(ChildServer):
    """One gunicorn instance of the app (one worker), configured by the environment given to start()."""

    @property
    def working_directory(self) -> Path:
        return ROOT  # where gunicorn.conf.py and wsgi.py import the app from

    def command(self) -> list[str]:
        # --no-control-socket: gunicorn 27 otherwise opens one control socket path shared by every instance.
        return [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
                "--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--no-control-socket", "wsgi:app"]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def answers(self) -> bool:
        try:
            return call("GET", f"{self.base_url}/health").status == 200
        except OSError:
            return False


class Answer:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers = status, headers
        self.json = json.loads(body) if body else None

    def cookie(self, name: str) -> str | None:
        """The value a Set-Cookie header of this answer gives `name`."""
        for header in self.headers.get_all("Set-Cookie") or []:
            key, _, rest = header.partition("=")
            if key == name:
                return rest.split(";", 1)[0]
        return None


def call(method: str, url: str, *, json_body=None, headers: dict | None = None) -> Answer:
    """One HTTP request on a connection of its own (so consecutive calls may meet any instance)."""
    data = None if json_body is None else json.dumps(json_body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={
        **({"Content-Type": "application/json"} if data is not None else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())
