"""The bench's own database, Redis prefix and gunicorn servers (service and ceilings).

Nothing here touches `make run`'s data: the database is `conduit_bench` (recreated by every
run) and every Redis key lives under `conduit-bench:`. BENCH_NAME=<name> makes them
`conduit_bench_<name>` and `conduit-bench-<name>:`, so two benches can share a MariaDB server.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import redis

from api.migrations import drop_database, upgrade
from api.redis_store import delete_keys_under
from settings import Config, isolated_storage

ROOT = Path(__file__).resolve().parent.parent
_SUFFIX = os.environ.get("BENCH_NAME", "")
DATABASE_NAME = f"conduit_bench_{_SUFFIX}" if _SUFFIX else "conduit_bench"
REDIS_PREFIX = f"conduit-bench-{_SUFFIX}:" if _SUFFIX else "conduit-bench:"


def bench_settings(database: str = DATABASE_NAME, redis_prefix: str = REDIS_PREFIX) -> dict:
    """Environment overrides shared by the servers and the bench process (the soak passes its own
    database and prefix)."""
    return {
        **isolated_storage(database, redis_prefix),
        "RATELIMIT_ENABLED": "false",
        "HOST": "127.0.0.1",
    }


def app_config(settings: dict) -> dict:
    """The Config of the bench, as a dict (for migrations and bulk seeding)."""
    config = {name: getattr(Config, name) for name in dir(Config) if name.isupper()}
    config.update({key: value for key, value in settings.items() if key not in ("RATELIMIT_ENABLED", "HOST")})
    config["RATELIMIT_ENABLED"] = False
    return config


def reset_storage(settings: dict) -> None:
    """A fresh, migrated bench database and no keys under the bench prefix."""
    drop_storage(settings)
    upgrade(app_config(settings))


def drop_storage(settings: dict) -> None:
    """Drop the database of `settings` and delete every key under its Redis prefix."""
    config = app_config(settings)
    drop_database(config)
    delete_keys_under(redis.Redis.from_url(config["REDIS_URL"]), settings["REDIS_KEY_PREFIX"])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """One gunicorn, started with the project's gunicorn.conf.py on a free loopback port."""

    name: str
    app: str  # gunicorn's APP_MODULE, e.g. wsgi:app
    settings: dict
    log_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, probe: str = "/api/tags", timeout: float = 60) -> None:
        env = {**os.environ, **self.settings, "PORT": str(self.port)}
        log = open(self.log_dir / f"{self.name}.log", "w")  # noqa: SIM115 - gunicorn writes to it while it runs
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", self.app],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early; see {log.name}")
            try:
                with urllib.request.urlopen(self.url + probe, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer on {self.url} within {timeout} s")

    def worker_pids(self) -> list[int]:
        """The master's children: gunicorn's worker processes."""
        if self.process is None:
            raise RuntimeError(f"{self.name} was never started: it has no workers")
        master = self.process.pid
        return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]

    def worker_rss_mib(self) -> list[float]:
        """Resident memory of each worker process, MiB."""
        sizes = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            kib = int(next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1])
            sizes.append(round(kib / 1024, 1))
        return sizes

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
