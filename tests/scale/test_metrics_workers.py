"""Metrics under gunicorn with two worker processes: the figures of both add up in one scrape."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, multiprocess

from tests.support.scrape import Scrape

ROOT = Path(__file__).resolve().parents[2]
HEALTH_OK = {"method": "GET", "route": "/api/health", "status": "200"}
BATCH, MAX_BATCHES = 20, 10


def _free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # one connection per request
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def two_worker_server(test_settings, tmp_path):
    """gunicorn with two workers on a free loopback port; always stopped at the end."""
    port, metrics_dir, log_path = _free_loopback_port(), tmp_path / "metrics", tmp_path / "server.log"
    metrics_dir.mkdir()
    env = {
        **os.environ, **test_settings,
        "APP_ENV": "development", "HOST": "127.0.0.1", "PORT": str(port),
        "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "2", "LOG_FORMAT": "json",
        "METRICS_ENABLED": "true", "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--no-control-socket", "wsgi:app"]
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, f"gunicorn exited:\n{log_path.read_text()}"
            try:
                if _get(f"{base_url}/api/health")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"gunicorn did not serve in 30 s:\n{log_path.read_text()}"
            time.sleep(0.2)
        yield base_url, metrics_dir, log_path
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _health_count_per_worker(metrics_dir: Path, scratch: Path) -> dict[str, float]:
    """Each worker's own count of GET /api/health 200, read from its own counter file."""
    counts = {}
    for counter_file in metrics_dir.glob("counter_*.db"):
        worker_dir = scratch / counter_file.stem
        worker_dir.mkdir(exist_ok=True)
        shutil.copy(counter_file, worker_dir)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=str(worker_dir))
        counts[counter_file.stem] = registry.get_sample_value("conduit_http_requests_total", HEALTH_OK) or 0
    return counts


@pytest.mark.slow
def test_request_counts_add_up_across_two_workers(two_worker_server, tmp_path):
    base_url, metrics_dir, log_path = two_worker_server
    before = Scrape(_get(f"{base_url}/metrics")[1]).value("conduit_http_requests_total", **HEALTH_OK)
    sent = 0
    with ThreadPoolExecutor(max_workers=8) as pool:
        # Concurrent connections spread over both workers; keep going until both have served.
        for _ in range(MAX_BATCHES):
            statuses = list(pool.map(lambda _: _get(f"{base_url}/api/health")[0], range(BATCH)))
            assert statuses == [200] * BATCH
            sent += BATCH
            per_worker = _health_count_per_worker(metrics_dir, tmp_path)
            if sum(1 for count in per_worker.values() if count > 0) >= 2:
                break
    assert sum(1 for count in per_worker.values() if count > 0) == 2, per_worker
    assert sum(per_worker.values()) == before + sent
    for _ in range(4):  # whichever worker answers the scrape reports the sum of both
        status, text = _get(f"{base_url}/metrics")
        assert status == 200
        scraped = Scrape(text)
        assert scraped.value("conduit_http_requests_total", **HEALTH_OK) == before + sent
        assert scraped.value("conduit_http_request_duration_seconds_count", **HEALTH_OK) == before + sent
    assert scraped.value("conduit_db_pool_connections", state="in_use") == 0
    assert scraped.value("conduit_db_pool_connections", state="idle") >= 2  # one worker's idle + the other's

    lines = [json.loads(line) for line in log_path.read_text().splitlines()]  # gunicorn's lines too
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in lines)
    health_lines = [line for line in lines if line["logger"] == "conduit.access" and line["route"] == "/api/health"]
    assert len(health_lines) == before + sent  # `before` counted the readiness probe
