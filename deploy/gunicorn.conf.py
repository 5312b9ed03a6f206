"""gunicorn settings of the portal behind nginx (see README, "Operations"): gunicorn -c deploy/gunicorn.conf.py

Sync workers answer one request at a time; nginx in front buffers slow clients, so a worker never
waits on a client's network. On SIGTERM the workers finish the requests in flight (up to
graceful_timeout) before exiting.
"""

import os
import shutil

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "sync"
wsgi_app = "portal:create_app()"
# A request taking longer than this is stuck: its worker is replaced (the answer is a 502 from nginx).
timeout = 60
# On SIGTERM (systemctl stop/restart), requests in flight get this long to finish.
graceful_timeout = 30
keepalive = 2
# Replace each worker now and then, so that memory growth cannot build up.
max_requests = 2000
max_requests_jitter = 200
# The access log is the portal's own JSON line per request (portal.request), on standard error.
accesslog = None
errorlog = "-"


def on_starting(server):
    """Start with an empty metrics folder: counts of a previous run must not be added to this one's."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)


def child_exit(server, worker):
    """Let the metrics of a worker that ended be merged, not counted as live (prometheus_client multiprocess)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
