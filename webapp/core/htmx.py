"""htmx helpers: one place decides whether to answer with a whole page or a fragment."""

from __future__ import annotations

from flask import Response, make_response, render_template, request


def is_htmx() -> bool:
    """True when htmx made this request (and it is not a history restore, which needs a page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def render(page: str, fragment: str | None = None, **context) -> Response:
    """Render the whole page, or only its fragment template when htmx asked for it.

    The page template includes the fragment, so one file serves both and they cannot drift.
    """
    template = fragment if fragment and is_htmx() else page
    response = make_response(render_template(template, **context))
    if fragment:
        response.vary.add("HX-Request")
    return response
