"""Absolute links for what leaves the site (text messages, QR codes, invitations, the Zalo
callback), always built on the configured public address, never on the request's Host header.

A visitor controls the Host header: a link built from it can put an attacker's domain into an
official text message. `PUBLIC_BASE_URL` ("https://dichvucong.tayninh.gov.vn", optionally with a
path prefix) is the one place the site's own address comes from; pages keep relative links.

Also here: the tokens of links that open one thing by themselves (a dossier's "more papers"
link, a report's "is it still fixed?"), signed with SECRET_KEY by itsdangerous (which Flask
already ships for its session cookie), each purpose under its own salt, with an age limit.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer


def _signer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def signed_ids(salt: str, *ids: int) -> str:
    """A token naming `ids` for the purpose `salt`."""
    return _signer(salt).dumps(list(ids))


def read_signed_ids(salt: str, token: str, count: int, days: int) -> list[int] | None:
    """The `count` ids of a genuine token of this purpose at most `days` old; None for a
    forged, altered, expired or malformed one."""
    token = token.rstrip(".")  # the message's full stop, taken into the link by some phones
    try:
        data = _signer(salt).loads(token, max_age=days * 24 * 3600)
    except BadSignature:  # SignatureExpired is one too
        return None
    if (not isinstance(data, list) or len(data) != count
            or not all(isinstance(part, int) and not isinstance(part, bool) for part in data)):
        return None
    return data


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
