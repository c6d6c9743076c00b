"""What a server worker does once when it starts, so that its first visitor does not wait for
it: compile every template, count the working days of the years in use and read the old
communes of the province (about 1 s: the commune picker's data). Without it the first request
a gunicorn worker served took about 740 ms (docs/benchmarks.md).

Called by gunicorn after it loads the app in a worker (gunicorn.conf.py); tests and the
development server skip it, since they build many apps or restart on every change.
"""

from __future__ import annotations

import logging
import time

from flask import Flask

from webapp.core import clock
from webapp.places import old_addresses

log = logging.getLogger(__name__)


def warm_up(app: Flask) -> int:
    """Compile the templates and the working-day calendar; return the templates compiled."""
    began = time.perf_counter()
    names = app.jinja_env.list_templates(filter_func=lambda name: name.endswith(".html"))
    for name in names:
        app.jinja_env.get_template(name)
    today = clock.local_today()
    clock.remaining_working_days(today, today)  # builds every year from 2000 to this one
    old_addresses.find_commune("xa thai binh", app.extensions["province"].code)
    log.info("Worker warmed up in %.0f ms (%d templates)",
             (time.perf_counter() - began) * 1000, len(names))
    return len(names)
