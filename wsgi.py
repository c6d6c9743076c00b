"""Entry point for WSGI servers: `gunicorn wsgi:app`. The only place an app is built at import."""

from webapp import create_app

app = create_app()
