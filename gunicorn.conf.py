"""gunicorn settings for `make run`, consistent with the database pool.

Each worker process has its own pool of DB_POOL_MAX_CONNECTIONS connections, and a request
holds at most one connection, so threads per worker must not exceed the pool size (else
requests queue on the pool). Total MySQL connections = workers x DB_POOL_MAX_CONNECTIONS.
"""

import multiprocessing
import os

from settings import Config

bind = f"{Config.HOST}:{Config.PORT}"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = min(int(os.environ.get("GUNICORN_THREADS", 4)), Config.DB_POOL_MAX_CONNECTIONS)
# In-flight requests get this long to finish on SIGTERM / graceful reload.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
timeout = 60
keepalive = 5
# Our request_finished receiver writes the access log.
accesslog = None
errorlog = "-"
