"""gunicorn reads this file from the directory it starts in (`make run`, `make bench`, and
production started from the project folder): settings here apply to all of them."""


def post_worker_init(worker) -> None:
    """Warm each worker up before it takes its first request (webapp/warmup.py), and mask
    personal data and tokens in gunicorn's own log lines too (an error names the request's
    address, which may hold a draft's token)."""
    from webapp.audit.log import mask_loggers
    from webapp.warmup import warm_up

    mask_loggers("gunicorn.error", "gunicorn.access")
    app = worker.wsgi
    if hasattr(app, "jinja_env"):
        warm_up(app)
