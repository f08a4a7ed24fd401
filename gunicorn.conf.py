"""gunicorn settings for `make run`, consistent with the database pool.

Sizing workers and threads against the pool (DB_POOL_* settings, settings/pool.py):
- Each worker process builds its own pool of at most DB_POOL_MAX_CONNECTIONS connections, and a
  request holds at most one (borrowed at its first statement, returned when it ends).
- So threads per worker are capped at the pool size below: every thread then finds a
  connection, and DB_POOL_BLOCKING never makes a request wait. (With more threads than
  connections, a request would wait for one when DB_POOL_BLOCKING=true, or get an immediate
  503 when it is false.)
- MySQL then sees at most workers x min(threads, DB_POOL_MAX_CONNECTIONS) connections from one
  instance: keep that, summed over instances, below the server's max_connections (151 by
  default in MariaDB and MySQL) less what other clients need.
- Defaults: workers = CPU count, 4 threads each, pools of 8: 4 x CPU count connections at most.
  For CPU-bound work (argon2 hashing at login, JSON) add workers; threads help while requests
  wait on MySQL or Redis.

In-flight requests finish on SIGTERM within graceful_timeout (tests/reliability/test_graceful_shutdown.py).
"""

import gc
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
# gthread (the default) serves several requests per worker while they wait on MySQL or Redis;
# GUNICORN_WORKER_CLASS=sync serves one at a time and has no keep-alive: a little less CPU per
# request, fewer requests/s in most bench scenarios here (docs/performance.md, "The one-query ceiling").
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
# gunicorn turns a sync worker with threads > 1 into gthread, so a sync worker gets exactly one.
threads = int(os.environ.get("GUNICORN_THREADS", 4)) if worker_class == "gthread" else 1
if CONFIG.DB_POOL_MAX_CONNECTIONS:  # 0 means an unlimited pool: nothing to cap against
    threads = min(threads, CONFIG.DB_POOL_MAX_CONNECTIONS)
# In-flight requests get this long to finish on SIGTERM / graceful reload.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# A worker silent this long is killed: it must exceed what a request can wait on a hung
# dependency before its 503 (about 5 x DB_READ_TIMEOUT, see settings).
timeout = 60
keepalive = 5
# gunicorn 27 opens a control socket at one fixed path per user by default, which several
# servers on one machine (tests, instances) would fight over; we do not use it.
control_socket_disable = True
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


def post_worker_init(worker):
    """Put what the worker loaded (the app, its modules, schemas and routes: ~73,000 objects)
    out of the garbage collector's reach. A full collection otherwise walks all of it, ~70 ms
    during which every thread of the worker waits: one such stall lands in the p99 of the
    fastest requests. Frozen, a full collection takes ~0.3 ms (docs/performance.md)."""
    gc.freeze()


def child_exit(server, worker):
    """A dead worker's gauges (pool connections) stop counting; its counters still do."""
    if _metrics_dir():
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _created_metrics_dir:
        shutil.rmtree(_created_metrics_dir, ignore_errors=True)
