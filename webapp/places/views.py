"""The commune picker's server side: proposals for what she typed, as a fragment for htmx.

Pages ask for a commune with the `commune_picker` component (templates/components/
commune-picker.html). It works without JavaScript on its own: the page comes back with the
proposals (a GET on a one-question page; `finder_requested` on a page with other fields).
With htmx, the proposals come from `commune_choices` as she types.
"""

from __future__ import annotations

import re

from flask import Blueprint, Flask, abort, current_app, render_template, request

from webapp.places.models import Commune
from webapp.places.old_addresses import Finding, find_commune

places = Blueprint("places", __name__)

MAX_QUERY_LENGTH = 200
FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,40}")


def query_for(name: str, values=None) -> str:
    """What she typed in the picker of the field `name` (from the query string or the form)."""
    values = request.values if values is None else values
    return values.get(f"{name}-tim", "")[:MAX_QUERY_LENGTH].strip()


def finder_requested(formdata, name: str) -> bool:
    """True when a form with other fields was sent with the picker's "Find" button and
    something to find: the page should show the proposals, keep all that was typed, and save
    nothing. An empty search box means the button was only the form's default (Enter pressed
    in another field), so the form is saved as usual."""
    return f"{name}-tim-nut" in formdata and bool(query_for(name, formdata))


def find_for_page(query: str) -> Finding | None:
    """The proposals for a query in the configured province, or None when nothing was typed."""
    if not query:
        return None
    return find_commune(query, current_app.extensions["province"].code)


def commune_options() -> list[tuple[str, str]]:
    """Every commune of the province as (code, name), in Vietnamese order, for the list."""
    return [(c.code, c.name) for c in Commune.in_order()]


@places.get("/xa-phuong/chon")
def commune_choices():
    """The picker's proposals for what was typed so far (htmx swaps them in place)."""
    name = request.args.get("truong", "")
    if not FIELD_NAME.fullmatch(name):
        abort(400)
    return render_template("places/_commune-choices.html", name=name,
                           finding=find_for_page(query_for(name)),
                           options=commune_options(), chosen="", error=None)


def init_app(app: Flask) -> None:
    """Register the route and the picker's template helper."""
    app.register_blueprint(places)
    app.jinja_env.globals.update(find_commune_for=find_for_page, commune_query=query_for)
