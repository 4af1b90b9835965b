"""gunicorn settings for one CareAtlas app server (`gunicorn -c deploy/gunicorn.conf.py`)."""

import os

from prometheus_client import multiprocess

bind = os.environ.get("CAREATLAS_BIND", "127.0.0.1:8000")
# Two processes per core is gunicorn's advice for a mostly CPU-bound Django app; threads
# let a worker overlap database and Redis waits (docs/scaling.md has the measurements).
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# Longer than nginx's proxy_read_timeout would be pointless; longer than the statement
# budget (REQUEST_STATEMENT_TIMEOUT_MS) lets a slow page finish.
timeout = 30
graceful_timeout = 20
keepalive = 5
# Load Django before listening: otherwise a restarted server accepts connections while its
# workers still boot (half a minute on a busy machine) and nginx waits on them (bench/cluster.py
# saw a POST time out that way). Workers then fork from the loaded app in a moment.
preload_app = True
# Restart each worker after this many requests (plus jitter) so a slow leak cannot grow.
max_requests = 5000
max_requests_jitter = 500
# The app writes one JSON line per request (careatlas.request); nginx keeps its own access
# log. gunicorn's errors go to stderr, with the journal.
accesslog = None
errorlog = "-"


def child_exit(server, worker):
    # Counts of a worker that has gone stay in the totals; its live gauges do not.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
