"""gunicorn settings for `make run`, consistent with the database pool.

Each worker process has its own pool of DB_POOL_MAX_CONNECTIONS connections, and a request
holds at most one connection, so threads per worker must not exceed the pool size (else
requests queue on the pool). Total MySQL connections = workers x DB_POOL_MAX_CONNECTIONS.
"""

import multiprocessing
import os

from api.logging_setup import gunicorn_logconfig
from settings import Config, config_for_environment

bind = f"{Config.HOST}:{Config.PORT}"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = min(int(os.environ.get("GUNICORN_THREADS", 4)), Config.DB_POOL_MAX_CONNECTIONS)
# In-flight requests get this long to finish on SIGTERM / graceful reload.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
timeout = 60
keepalive = 5
# Our request_finished receiver writes the access log (api/receivers/access_log.py), so
# gunicorn's is off; its error log goes to stderr in our LOG_FORMAT.
accesslog = None
errorlog = "-"
logconfig_dict = gunicorn_logconfig(config_for_environment().LOG_FORMAT, config_for_environment().LOG_LEVEL)
