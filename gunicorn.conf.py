"""gunicorn reads this file from the directory it starts in (`make run`, `make bench`, and
production started from the project folder): settings here apply to all of them."""


def post_worker_init(worker) -> None:
    """Warm each worker up before it takes its first request (webapp/warmup.py)."""
    from webapp.warmup import warm_up

    app = worker.wsgi
    if hasattr(app, "jinja_env"):
        warm_up(app)
