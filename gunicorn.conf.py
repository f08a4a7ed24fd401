"""gunicorn settings for `make run`, consistent with the database pool.

Each worker process has its own pool of DB_POOL_MAX_CONNECTIONS connections, and a request
holds at most one connection, so threads per worker must not exceed the pool size (else
requests queue on the pool). Total MySQL connections = workers x DB_POOL_MAX_CONNECTIONS.
"""

import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path

from settings import config_for_environment

CONFIG = config_for_environment()

# Metrics under several workers: prometheus-client's multiprocess mode keeps each worker's
# figures in files in PROMETHEUS_MULTIPROC_DIR, and a scrape adds them up. The library picks
# its storage when first imported, so the directory is put in the environment before
# anything imports the app.
_created_metrics_dir = None
if CONFIG.METRICS_ENABLED and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    _created_metrics_dir = tempfile.mkdtemp(prefix="conduit-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _created_metrics_dir

from api.logging_setup import gunicorn_logconfig  # noqa: E402  (imports the app's package)

bind = f"{CONFIG.HOST}:{CONFIG.PORT}"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = min(int(os.environ.get("GUNICORN_THREADS", 4)), CONFIG.DB_POOL_MAX_CONNECTIONS)
# In-flight requests get this long to finish on SIGTERM / graceful reload.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
timeout = 60
keepalive = 5
# Our request_finished receiver writes the access log (api/receivers/access_log.py), so
# gunicorn's is off; its error log goes to stderr in our LOG_FORMAT.
accesslog = None
errorlog = "-"
logconfig_dict = gunicorn_logconfig(CONFIG.LOG_FORMAT, CONFIG.LOG_LEVEL)


def _metrics_dir() -> Path | None:
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    return Path(directory) if directory else None


def on_starting(server):
    """Start the figures from zero: files of an earlier run would be added to this one's."""
    if directory := _metrics_dir():
        directory.mkdir(parents=True, exist_ok=True)
        for leftover in directory.glob("*.db"):
            leftover.unlink()


def child_exit(server, worker):
    """A dead worker's gauges (pool connections) stop counting; its counters still do."""
    if _metrics_dir():
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _created_metrics_dir:
        shutil.rmtree(_created_metrics_dir, ignore_errors=True)
