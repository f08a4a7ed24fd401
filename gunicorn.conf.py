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

In-flight requests finish on SIGTERM within graceful_timeout (tests/test_graceful_shutdown.py).
"""

import multiprocessing
import os

from settings import Config

bind = f"{Config.HOST}:{Config.PORT}"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
if Config.DB_POOL_MAX_CONNECTIONS:  # 0 means an unlimited pool: nothing to cap against
    threads = min(threads, Config.DB_POOL_MAX_CONNECTIONS)
# In-flight requests get this long to finish on SIGTERM / graceful reload.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# A worker silent this long is killed: it must exceed what a request can wait on a hung
# dependency before its 503 (about 5 x DB_READ_TIMEOUT, see settings).
timeout = 60
keepalive = 5
# Our request_finished receiver writes the access log.
accesslog = None
errorlog = "-"
