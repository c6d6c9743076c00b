"""Public catalogue pages: browse by life event, search, and read one procedure."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from webapp.catalogue.models import LifeEvent, Procedure, catalogue_stamp
from webapp.core import search
from webapp.core.htmx import render
from webapp.core.page_cache import cached_page

catalogue = Blueprint("catalogue", __name__, url_prefix="/thu-tuc")

MAX_QUERY_LENGTH = 100
# Shown when a search finds nothing, and as starting points on the catalogue page.
SUGGESTED_CODES = ["1.001776", "1.014027", "1.001193", "1.000656", "1.004873", "2.000815"]


@catalogue.get("/")
@cached_page(stamp=catalogue_stamp)
def index():
    """All life events as tiles, with the search box on top."""
    return render_template(
        "catalogue/index.html",
        events=list(LifeEvent.in_order()),
        suggested=Procedure.by_codes(SUGGESTED_CODES),
        query="",
    )


@catalogue.get("/tim-kiem")
def search_results():
    """Search results; htmx asks for the results fragment only, as the visitor types."""
    query = request.args.get("q", "")[:MAX_QUERY_LENGTH].strip()
    found = search.tiers(search.search("procedure", query) if query else [])
    return render(
        "catalogue/search.html",
        fragment="catalogue/_results.html",
        query=query,
        results=Procedure.by_codes([hit.ref for hit in found.strong]),
        related=Procedure.by_codes([hit.ref for hit in found.weak]),
        suggested=Procedure.by_codes(SUGGESTED_CODES) if not found.strong else [],
    )


@catalogue.get("/nhom/<key>")
@cached_page(stamp=catalogue_stamp)
def life_event(key: str):
    """The procedures people need at one moment of life."""
    event = LifeEvent.get_or_none(LifeEvent.key == key) or abort(404)
    return render_template(
        "catalogue/life-event.html", event=event, procedures=list(Procedure.for_life_event(event))
    )


@catalogue.get("/<slug>")
@cached_page(stamp=catalogue_stamp)
def detail(slug: str):
    """One procedure explained for someone who has never done it."""
    procedure = Procedure.get_or_none(Procedure.slug == slug) or abort(404)
    return render_template(
        "catalogue/detail.html", procedure=procedure,
        events=list(LifeEvent.for_procedure(procedure)),
    )
