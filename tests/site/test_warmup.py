"""A gunicorn worker compiles its templates before its first visitor arrives."""

from __future__ import annotations

import importlib.util
from types import SimpleNamespace

from webapp.config import PROJECT_ROOT


def _gunicorn_settings():
    path = PROJECT_ROOT / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_worker_compiles_every_page_template_before_serving(app):
    assert app.jinja_env.cache is not None and len(app.jinja_env.cache) == 0
    _gunicorn_settings().post_worker_init(SimpleNamespace(wsgi=app))
    compiled = {name for (_loader, name) in app.jinja_env.cache}
    assert {"layouts/base.html", "site/home.html", "backoffice/queue.html",
            "dossiers/question.html"} <= compiled
    assert all(name.endswith(".html") for name in compiled)
