"""gunicorn reads this file from the directory it starts in (`make run`, `make bench`, and
production started from the project folder): settings here apply to all of them."""

import os
import tempfile
from pathlib import Path

# Threaded workers: a request that waits (for an upload's decoding in its sandboxed child
# process, webapp/uploads/sandbox.py, or for the database) holds one thread, not the whole
# worker, so other visitors are served meanwhile. Eight threads a worker: uploads use at most
# two decoding slots a worker, and the rest answer pages.
worker_class = "gthread"
threads = 8

# Metrics (webapp/core/metrics.py, served at /metrics): each worker writes its counts to files
# in this folder and the worker answering Prometheus adds them up (prometheus-client's
# multiprocess mode). The variable must be set before any worker imports the client: in the
# master's on_starting, which workers inherit (not when this file is read: a test reading it
# would switch its own process to multiprocess mode). Set it yourself to keep the folder
# elsewhere (a tmpfs). It is emptied at start.


def on_starting(server) -> None:
    """Start with an empty metrics folder: counts of an earlier run would add up with ours."""
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR",
                          str(Path(tempfile.gettempdir()) / f"webapp-metrics-{os.getpid()}"))
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for kind in ("counter", "gauge", "histogram", "summary"):  # only the client's own files
        for stale in folder.glob(f"{kind}_*.db"):
            stale.unlink()


def child_exit(server, worker) -> None:
    """A worker died or was replaced: its live gauges no longer count (its counters still do)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker) -> None:
    """Warm each worker up before it takes its first request (webapp/warmup.py), mask
    personal data and tokens in gunicorn's own log lines too (an error names the request's
    address, which may hold a draft's token), and start the upload sandbox's fork server so
    the first upload does not wait for its imports."""
    from webapp.audit.log import mask_loggers
    from webapp.uploads import sandbox
    from webapp.warmup import warm_up

    mask_loggers("gunicorn.error", "gunicorn.access")
    app = worker.wsgi
    if hasattr(app, "jinja_env"):
        warm_up(app)
    sandbox.start()
