"""gunicorn reads this file from the directory it starts in (`make run`, `make bench`, and
production started from the project folder): settings here apply to all of them."""

# Threaded workers: a request that waits (for an upload's decoding in its sandboxed child
# process, webapp/uploads/sandbox.py, or for the database) holds one thread, not the whole
# worker, so other visitors are served meanwhile. Eight threads a worker: uploads use at most
# two decoding slots a worker, and the rest answer pages.
worker_class = "gthread"
threads = 8


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
