"""Absolute links for what leaves the site (text messages, QR codes, invitations, the Zalo
callback), always built on the configured public address, never on the request's Host header.

A visitor controls the Host header: a link built from it can put an attacker's domain into an
official text message. `PUBLIC_BASE_URL` ("https://dichvucong.tayninh.gov.vn", optionally with a
path prefix) is the one place the site's own address comes from; pages keep relative links.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request


def external(endpoint: str, **values) -> str:
    """The full address of `endpoint` with `values`, on PUBLIC_BASE_URL (works off-request)."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme)
    anchor = values.pop("_anchor", None)
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{anchor}" if anchor else url


def external_path(path: str) -> str:
    """The public address of a path of this site ("/thu-tuc/khai-sinh")."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def external_here() -> str | None:
    """The public address of the page being answered (its route and arguments, no query), for
    the address a shared link shows in a Zalo chat; None off a route (an error page)."""
    if request.url_rule is None or request.endpoint is None:
        return None
    return external(request.endpoint, **(request.view_args or {}))
